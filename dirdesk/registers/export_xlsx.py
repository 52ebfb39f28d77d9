"""A register as an Excel workbook (openpyxl).

The office and the period at the top, the title, then a ruled table with
every column (DirDesk's extras after the ten of NĐ 30 Phụ lục IV); dates are
Excel dates and numbers numbers, so that they sort and filter. Printed
on A4 landscape, fitted to the page width, the heading row repeated on every
page, panes frozen under it; Times New Roman throughout. Every text is a
text cell, even one starting with "=" (export.formula_like): nothing in a
register can become a live formula.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from dirdesk.layout.model import Paragraph, Run
from dirdesk.registers.columns import RegisterTable
from dirdesk.registers.export import formula_like
from dirdesk.registers.printing import CENTRED_FIELDS, EMPTY_NOTE
from dirdesk.render.pdf_flow import break_lines
from dirdesk.text import upper_vi

FONT = "Times New Roman"
DATE_FIELDS = {"date", "doc_date", "received_date", "sent_date", "deadline"}
SHEET_NAMES = {"outgoing": "Sổ đi", "incoming": "Sổ đến", "followup": "Theo dõi giải quyết"}
FONT_SIZE = 11
LINE_HEIGHT = 13
ROW_LINE = 13  # pt a wrapped line of Times New Roman 11 takes in a row (Excel: 17 px)
CELL_MARGIN = 2.25  # pt left and right of a cell's text (3 px)
WIDTH_SAFETY = 0.96  # screen fonts set a little wider than the printed metrics
_SIDE = Side(style="thin", color="000000")
_GRID = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
_BOLD = Font(name=FONT, size=FONT_SIZE, bold=True)
_ITALIC = Font(name=FONT, size=FONT_SIZE, italic=True)
_TITLE = Font(name=FONT, size=14, bold=True)
_PERIOD = Font(name=FONT, size=12)
_CENTRED = Alignment(horizontal="center", vertical="center")


def _height(lines: int) -> float:
    return min(lines * ROW_LINE + 3, 409)  # Excel's tallest row is 409 pt


def _table_styles() -> dict[str, NamedStyle]:
    """The table's cell styles, named (a cell takes a named style far quicker than its parts one by one)."""
    def style(name: str, font: Font, horizontal: str, vertical: str = "top", number_format="General"):
        return NamedStyle(name=name, font=font, border=_GRID, number_format=number_format,
                          alignment=Alignment(horizontal=horizontal, vertical=vertical, wrap_text=True))

    text = Font(name=FONT, size=FONT_SIZE)
    return {"heading": style("DirDesk - tiêu đề cột", _BOLD, "center", "center"),
            "left": style("DirDesk - ô", text, "left"),
            "center": style("DirDesk - ô giữa", text, "center"),
            "date": style("DirDesk - ngày", text, "center", number_format="DD/MM/YYYY"),
            "number": style("DirDesk - số đến", text, "center", number_format="00")}


def _line_counter(table: RegisterTable):
    """How many lines a cell's text wraps to in its column, as our own line breaker sets it.

    Rows are given their height: Excel and LibreOffice do not always fit the
    height of rows with wrapped text when they open a file, and print them cut.
    """
    boxes = [((c.xlsx_width * 7 + 5) * 0.75 - 2 * CELL_MARGIN) * WIDTH_SAFETY for c in table.columns]
    memo: dict = {}

    def lines(text: str, col: int, bold: bool = False) -> int:
        key = (text, col, bold)
        if key not in memo:
            para = Paragraph("cell", [Run(text, FONT_SIZE, bold)], FONT_SIZE, LINE_HEIGHT)
            memo[key] = len(break_lines(para, boxes[col]))
        return memo[key]

    return lines


def _column_kind(field: str) -> str:
    if field in DATE_FIELDS:
        return "date"
    if field == "number":
        return "number"
    return "center" if field in CENTRED_FIELDS else "left"


def _value(kind: str, text: str):
    """Dates as dates and numbers as numbers (Excel sorts and filters them), the rest as text."""
    if not text:
        return None
    if kind == "date":  # the dd/mm/yyyy that dates.date_text wrote into the cell, nothing typed
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    if kind in ("number", "center") and text.isdigit():
        return int(text)
    return text


def _put(ws, row: int, col: int, value):
    """A cell holding `value`; text that looks like a formula stays text, shown exactly as typed."""
    cell = ws.cell(row, col, value)
    if formula_like(value):
        cell.data_type = "s"
    return cell


def xlsx_bytes(table: RegisterTable) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_NAMES[table.register]
    last = get_column_letter(len(table.columns))
    row = 0

    def banner(text: str, font: Font, centred: bool = False) -> None:
        nonlocal row
        row += 1
        cell = _put(ws, row, 1, text)
        cell.font = font
        if centred:
            ws.merge_cells(f"A{row}:{last}{row}")
            cell.alignment = _CENTRED

    for line in table.office:
        banner(upper_vi(line), _BOLD)
    banner(table.title, _TITLE, centred=True)
    banner(table.period.label, _PERIOD, centred=True)
    for note in table.notes:
        banner(note, _ITALIC, centred=True)
    styles = _table_styles()
    for named in styles.values():
        wb.add_named_style(named)
    heading_row = row = row + 2  # a blank row above the headings
    lines = _line_counter(table)
    for col, column in enumerate(table.columns, start=1):
        ws.cell(heading_row, col, column.heading).style = styles["heading"].name
    ws.row_dimensions[heading_row].height = _height(max(lines(c.heading, i, True)
                                                        for i, c in enumerate(table.columns)))
    kinds = [_column_kind(c.field) for c in table.columns]
    for row, values in enumerate(table.rows, start=heading_row + 1):
        for col, (text, kind) in enumerate(zip(values, kinds, strict=True), start=1):
            _put(ws, row, col, _value(kind, text)).style = styles[kind].name
        ws.row_dimensions[row].height = _height(max(lines(text, i) for i, text in enumerate(values) if text)
                                                if any(values) else 1)
    if not table.rows:
        row += 1
        banner(EMPTY_NOTE, _ITALIC)
    for i, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.xlsx_width

    ws.freeze_panes = f"A{heading_row + 1}"
    ws.print_title_rows = f"{heading_row}:{heading_row}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = f"{FONT},Regular"
    ws.oddFooter.center.size = 10
    wb.properties.title = f"{table.title} - {table.period.label}"
    wb.properties.creator = "DirDesk"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
