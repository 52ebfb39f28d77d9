"""A register for a period laid out for print: one LaidOutDocument that the
DOCX and PDF writers both render (A4 landscape, Times New Roman).

The office at the top left, the register's title centred in bold, the
period under it and any notes in italic; then a ruled table of the printed
columns (NĐ 30, Phụ lục IV; DirDesk's extra columns go to XLSX and CSV only)
whose heading row is repeated on every page. Every page is numbered.
"""

from __future__ import annotations

from dirdesk.layout.model import Cell, LaidOutDocument, PageSetup, Paragraph, Run, Table
from dirdesk.registers.columns import RegisterTable
from dirdesk.rules import MM
from dirdesk.text import clean, upper_vi

FONT = "Times New Roman"
PAGE = PageSetup(width=297 * MM, height=210 * MM, top=15 * MM, bottom=12 * MM, left=10 * MM, right=10 * MM,
                 page_number_size=11, page_number_top=7 * MM, number_first_page=True)
OFFICE_SIZE, TITLE_SIZE, PERIOD_SIZE, CELL_SIZE = 12, 14, 13, 11
CELL_LINE = 13
GRID = 0.5  # pt
PADDING = 2.5  # pt, each side of a cell's text
CENTRED_FIELDS = {"date", "doc_date", "received_date", "sent_date", "deadline", "number", "copies"}
EMPTY_NOTE = "Không có văn bản nào trong kỳ này."


def _para(role: str, text: str, size: float, *, line: float | None = None, align: str = "left",
          bold: bool = False, italic: bool = False, **extra) -> Paragraph:
    return Paragraph(role=role, runs=[Run(clean(text), size, bold, italic)] if text else [], size=size,
                     line=line or round(size * 1.15, 2), align=align, **extra)


def _cell(role: str, text: str, align: str, bold: bool = False) -> Cell:
    return Cell([_para(role, text, CELL_SIZE, line=CELL_LINE, align=align, bold=bold)])


def register_layout(table: RegisterTable) -> LaidOutDocument:
    """The register as a laid-out document (printed columns only)."""
    doc = LaidOutDocument(page=PAGE, font=FONT)
    doc.blocks.extend(_para("office", upper_vi(line), OFFICE_SIZE, bold=True) for line in table.office)
    doc.blocks.append(_para("register_title", table.title, TITLE_SIZE, align="center", bold=True,
                            space_before=6, keep_with_next=True))
    doc.blocks.append(_para("period", table.period.label, PERIOD_SIZE, align="center", space_before=2,
                            space_after=0 if table.notes else 8, keep_with_next=True))
    for i, note in enumerate(table.notes):
        last = i == len(table.notes) - 1
        doc.blocks.append(_para("note", note, CELL_SIZE + 1, align="center", italic=True,
                                space_before=2 if i == 0 else 0, space_after=8 if last else 0,
                                keep_with_next=True))
    columns = table.printed_columns
    heading = [_cell("column_heading", c.heading, "center", bold=True) for c in columns]
    rows = [[_cell("cell", text, "center" if c.field in CENTRED_FIELDS else "left")
             for c, text in zip(columns, row, strict=True)] for row in table.printed_rows]
    doc.blocks.append(Table("register", [c.width_mm * MM for c in columns], [heading, *rows],
                            header_rows=1, borders=GRID, padding=PADDING))
    if not rows:
        doc.blocks.append(_para("empty", EMPTY_NOTE, CELL_SIZE + 1, align="center", italic=True, space_before=8))
    doc.title = f"{table.title.capitalize()} - {table.period.label}"
    doc.subject = table.title
    doc.author = " ".join(table.office)
    doc.keywords = f"DirDesk; {table.register}; {table.period.slug}"
    return doc
