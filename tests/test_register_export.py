"""Exporting a register for a period to XLSX, CSV, PDF and DOCX, each read back
as the clerk's spreadsheet program, word processor or PDF reader would."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess

import docx
import openpyxl
import pdfplumber
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from dirdesk.cli import main
from dirdesk.registers import RegisterError, incoming, open_registry, outgoing
from dirdesk.registers.columns import columns_of, month_period, range_period, register_table
from dirdesk.registers.export import default_name, export_register
from dirdesk.registers.printing import EMPTY_NOTE
from tests.conftest import fixture_draft

D = dt.date
MM = 72 / 25.4
NOVEMBER = month_period("2026-11")
SOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


def fill(reg, issued: int) -> None:
    """`issued` documents in November 2026, one number reserved, one cancelled; three incoming entries."""
    for i in range(issued):
        name = ("state-cong-van", "state-quyet-dinh")[i % 2]
        draft = fixture_draft(name, date=D(2026, 11, 1 + 25 * i // max(issued - 1, 1)))
        outgoing.issue(reg, fixture_draft(name, date=draft.date, subject=f"{draft.subject} (lần {i + 1})"),
                       render=False)
    outgoing.reserve(reg, "CV", on=D(2026, 11, 27), note="Giữ số cho báo cáo tháng")
    wrong = outgoing.issue(reg, fixture_draft("state-cong-van", date=D(2026, 11, 28)), render=False)
    outgoing.cancel(reg, f"#{wrong['id']}", "Ghi nhầm nơi nhận")
    outgoing.issue(reg, fixture_draft("state-cong-van", date=D(2026, 12, 1)), render=False)  # another month
    for day, deadline in ((3, D(2026, 11, 20)), (10, None), (17, D(2026, 11, 30))):
        row = incoming.add(reg, incoming.IncomingEntry(
            received_date=D(2026, 11, day), author="Ủy ban nhân dân Thành phố Hà Nội", symbol=f"{day}/UBND-KT",
            doc_date=D(2026, 11, day - 1), type_name="Công văn",
            subject="V/v chỉnh trang vỉa hè, lòng đường trên địa bàn", recipient="Phòng Kinh tế",
            handler="Nguyễn Thị Hồng", deadline=deadline, urgency="KHẨN" if day == 3 else None))
        if deadline:
            incoming.add_progress(reg, row["id"], "Đã giao Phòng Kinh tế tham mưu", on=D(2026, 11, day + 1))
    incoming.mark_done(reg, 1, on=D(2026, 11, 19), reply="05/UBND-VP")


def filled(tmp_path_factory, issued: int):
    reg = open_registry(tmp_path_factory.mktemp("register") / "so.sqlite")
    fill(reg, issued)
    return reg


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    with filled(tmp_path_factory, 4) as reg:
        yield reg


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """Sixty documents: the printed register runs over many pages."""
    with filled(tmp_path_factory, 60) as reg:
        yield reg


def exported(reg, register, fmt, folder, period=NOVEMBER):
    path = folder / default_name(register, period, fmt)
    export_register(reg, register, period, fmt, path)
    return path


def pdf_pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text(x_tolerance=1.5) or "" for page in pdf.pages]


def pdf_column(path, register: str, index: int) -> list[str]:
    """The text printed in one column of the table, page by page, with no whitespace."""
    _, columns = columns_of(register)
    widths = [c.width_mm * MM for c in columns if not c.extra]
    x0 = 10 * MM + sum(widths[:index])
    with pdfplumber.open(path) as pdf:
        return [re.sub(r"\s+", "", page.crop((x0, 0, x0 + widths[index], page.height)).extract_text() or "")
                for page in pdf.pages]


# -- XLSX -------------------------------------------------------------------------------

def test_xlsx_heading_table_and_print_setup(small, tmp_path):
    path = exported(small, "outgoing", "xlsx", tmp_path)
    assert path.name == "so-di-2026-11.xlsx"
    ws = openpyxl.load_workbook(path).active
    table = register_table(small, "outgoing", NOVEMBER)
    assert [ws.cell(r, 1).value for r in range(1, 5)] == [
        "ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Tháng 11 năm 2026"]
    heading_row = 6
    headings = [c.value for c in ws[heading_row]]
    assert headings == [c.heading for c in table.columns]
    # the extra columns last: the status, then the office's digital signature (empty: not signed)
    assert headings[0] == "Số, ký hiệu văn bản" and headings[-2:] == ["Trạng thái", "Ký số"]
    first = [c.value for c in ws[heading_row + 1]]
    assert first[:2] == ["01/UBND-VP", dt.datetime(2026, 11, 1)]
    assert first[2].startswith("Công văn V/v tăng cường công tác phòng cháy") and first[2].endswith("(lần 1)")
    assert (first[3], first[-2], first[-1]) == ("Trần Quốc Bảo", "đã ban hành", None)
    rows = {r[0]: r for r in ws.iter_rows(min_row=heading_row + 1, values_only=True)}
    assert len(rows) == len(table.rows) == 6  # four issued, one reserved, one cancelled; December left out
    assert rows["06/UBND-VP"][-2] == "đã hủy" and "Đã hủy số: Ghi nhầm nơi nhận" in rows["06/UBND-VP"][9]
    assert rows["05/UBND"][-2] == "giữ số" and "Giữ số cho báo cáo tháng" in rows["05/UBND"][9]

    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == f"${heading_row}:${heading_row}"
    assert ws.freeze_panes == f"A{heading_row + 1}"
    for i, column in enumerate(table.columns):
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width == column.xlsx_width
    for cell in (ws["A1"], ws.cell(heading_row, 3), ws.cell(heading_row + 1, 3)):
        assert cell.font.name == "Times New Roman"
    body = ws.cell(heading_row + 1, 3)
    assert body.alignment.wrap_text and body.border.left.style == body.border.bottom.style == "thin"
    assert ws.cell(heading_row, 3).font.bold
    assert ws.row_dimensions[heading_row + 1].height > ws.row_dimensions[heading_row + 2].height  # 4 vs 1 recipient


def test_xlsx_incoming_and_followup(small, tmp_path):
    ws = openpyxl.load_workbook(exported(small, "incoming", "xlsx", tmp_path)).active
    headings = [c.value for c in ws[6]]
    assert headings[-6:] == ["Độ khẩn", "Độ mật", "Người xử lý", "Hạn xử lý", "Trạng thái", "Tệp đính kèm"]
    first = dict(zip(headings, [c.value for c in ws[7]], strict=True))
    assert first["Số đến"] == 1 and ws["B7"].number_format == "00"
    assert first["Hạn xử lý"] == dt.datetime(2026, 11, 20) and first["Trạng thái"] == "đã xử lý"
    ws = openpyxl.load_workbook(exported(small, "followup", "xlsx", tmp_path)).active
    assert ws["A3"].value == "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN"
    rows = list(ws.iter_rows(min_row=7, values_only=True))
    assert len(rows) == 2  # the entry with no deadline is not followed up
    assert rows[0][8] == "04/11/2026: Đã giao Phòng Kinh tế tham mưu" and rows[0][9] == "05/UBND-VP"


# -- CSV --------------------------------------------------------------------------------

def test_csv_is_utf8_with_bom_and_round_trips(small, tmp_path):
    data = exported(small, "outgoing", "csv", tmp_path).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and b"\r\r\n" not in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    table = register_table(small, "outgoing", NOVEMBER)
    assert rows[0] == [c.heading for c in table.columns]  # no title rows: the headings come first
    assert rows[1:] == table.rows
    assert rows[1][3] == "Trần Quốc Bảo" and "Phòng Văn hóa - Xã hội phường" in rows[1][4]


# -- PDF --------------------------------------------------------------------------------

def test_pdf_landscape_a4_title_period_and_every_symbol(small, tmp_path):
    path = exported(small, "outgoing", "pdf", tmp_path)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert (round(page.width / MM), round(page.height / MM)) == (297, 210)
        words = page.extract_words()
    text = "\n".join(pdf_pages(path))
    lines = text.split("\n")
    assert lines[:5] == ["1", "ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "SỔ ĐĂNG KÝ VĂN BẢN ĐI", "Tháng 11 năm 2026"]
    office = next(w for w in words if w["text"] == "ỦY")
    assert abs(office["x0"] - 10 * MM) < 1  # top left, at the margin
    symbols = "".join(pdf_column(path, "outgoing", 0))
    assert "Số,kýhiệuvănbản01/UBND-VP02/QĐ-UBND" in symbols
    for row in register_table(small, "outgoing", NOVEMBER).rows:
        assert row[0] in symbols
    remarks = "".join(pdf_column(path, "outgoing", 9)).replace("Ghichú", "")
    assert remarks == "Giữsốchobáocáotháng;Đãlấysốtrước,chưabanhành" + "Đãhủysố:Ghinhầmnơinhận"
    assert "Trạng thái" not in text  # extra columns are not printed


def test_pdf_repeats_headings_numbers_pages_and_keeps_rows_whole(big, tmp_path):
    path = exported(big, "outgoing", "pdf", tmp_path)
    pages = pdf_pages(path)
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        lines = page.split("\n")
        assert lines[0] == str(number)  # every page is numbered, the first too
        heading = lines[1] if number > 1 else lines[5]
        assert heading.startswith("Số, ký hiệu văn Ngày tháng Tên loại và trích yếu nội dung văn bản Người ký")
    symbols = [re.findall(r"(\d\d)/(?:UBND-VP|QĐ-UBND)", page) for page in pdf_column(path, "outgoing", 0)]
    subjects = [re.findall(r"\(lần(\d+)\)", page) for page in pdf_column(path, "outgoing", 2)]
    assert [int(n) for page in symbols for n in page] == list(range(1, 61)) + [62]  # 61 is reserved
    assert [int(n) for page in subjects for n in page] == list(range(1, 61))
    for on_page, numbers in zip(symbols, subjects, strict=True):  # no row is split: its symbol and subject share a page
        assert [int(n) for n in on_page if int(n) <= 60] == [int(n) for n in numbers]


def test_pdf_of_an_empty_period_says_so_under_the_headings(small, tmp_path):
    path = exported(small, "followup", "pdf", tmp_path, period=month_period("2026-10"))
    (page,) = pdf_pages(path)
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in page and "Tháng 10 năm 2026" in page
    assert "Tiến độ giải quyết" in page
    assert page.rstrip().endswith(EMPTY_NOTE)


# -- DOCX -------------------------------------------------------------------------------

def test_docx_landscape_repeated_heading_row_and_cells(small, tmp_path):
    document = docx.Document(exported(small, "incoming", "docx", tmp_path))
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.pt / MM), round(section.page_height.pt / MM)) == (297, 210)
    assert not section.different_first_page_header_footer  # numbered from page 1
    assert "PAGE" in section.header._element.xml
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH", "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", "Tháng 11 năm 2026"]
    assert document.paragraphs[2].runs[0].bold
    (table,) = document.tables
    table_data = register_table(small, "incoming", NOVEMBER)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [c.heading for c in table_data.printed_columns]
    assert rows[1:] == table_data.printed_rows
    assert rows[1][:4] == ["03/11/2026", "01", "Ủy ban nhân dân Thành phố Hà Nội", "3/UBND-KT"]
    trs = [row._tr for row in table.rows]
    assert trs[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in trs[1:])
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {el.get(qn("w:val")) for el in borders} == {"single"}


def test_docx_of_an_empty_period(small, tmp_path):
    document = docx.Document(exported(small, "outgoing", "docx", tmp_path, period=month_period("2025-01")))
    (table,) = document.tables
    assert len(table.rows) == 1
    assert document.paragraphs[-1].text == EMPTY_NOTE


# -- writing safely, the command line -----------------------------------------------------

def test_failed_exports_leave_no_partial_file(small, tmp_path, monkeypatch):
    with pytest.raises(RegisterError, match="Không ghi được tệp"):
        export_register(small, "outgoing", NOVEMBER, "pdf", tmp_path / "missing" / "so.pdf")
    assert list(tmp_path.iterdir()) == []

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(RegisterError, match="No space left on device"):
        export_register(small, "outgoing", NOVEMBER, "xlsx", tmp_path / "so.xlsx")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()

    old = tmp_path / "so.docx"
    old.write_bytes(b"the export of last month")

    def broken(doc):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("dirdesk.render.render_docx_bytes", broken)
    with pytest.raises(RuntimeError):
        export_register(small, "outgoing", NOVEMBER, "docx", old)
    assert old.read_bytes() == b"the export of last month"
    assert [p.name for p in tmp_path.iterdir()] == ["so.docx"]


def test_cli_export_names_infers_and_refuses(small, tmp_path, monkeypatch, capsys):
    db = str(small.path)
    monkeypatch.chdir(tmp_path)
    assert main(["register", "export", "outgoing", "--month", "2026-11", "--db", db]) == 0
    assert "so-di-2026-11.xlsx" in capsys.readouterr().out
    assert openpyxl.load_workbook(tmp_path / "so-di-2026-11.xlsx").active["A3"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert main(["register", "export", "incoming", "--year", "2026", "-o", "den.PDF", "--db", db]) == 0
    assert (tmp_path / "den.PDF").read_bytes().startswith(b"%PDF-")
    assert main(["register", "export", "followup", "--from", "01/11/2026", "--to", "2026-11-15", "--format",
                 "docx", "--db", db]) == 0
    assert (tmp_path / "so-theo-doi-2026-11-01_2026-11-15.docx").exists()
    assert main(["register", "export", "outgoing", "--month", "2026-11", "--format", "csv", "-o", "di.txt",
                 "--db", db]) == 0
    assert (tmp_path / "di.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    capsys.readouterr()
    for argv, message in (
        (["--month", "2026-13"], "Tháng '2026-13' không hợp lệ"),
        (["--month", "2026-11", "-o", "so.odt"], "đuôi"),
        (["--month", "2026-11", "--format", "odt"], "Không xuất được dạng 'odt'"),
        ([], "Cần chọn kỳ"),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "Ngày kết thúc phải sau ngày bắt đầu"),
    ):
        assert main(["register", "export", "outgoing", *argv, "--db", db]) == 2
        assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "den.PDF", "di.txt", "so-di-2026-11.xlsx", "so-theo-doi-2026-11-01_2026-11-15.docx"]


def test_range_period_file_names():
    period = range_period(D(2026, 11, 1), D(2026, 11, 15))
    assert default_name("incoming", period, "csv") == "so-den-2026-11-01_2026-11-15.csv"


# -- LibreOffice lays out the DOCX as the PDF is laid out --------------------------------------

def test_libreoffice_agrees_with_the_pdf_page_by_page(big, tmp_path):
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing in CI: .ci/run must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    ours = exported(big, "outgoing", "pdf", tmp_path)
    source = exported(big, "outgoing", "docx", tmp_path)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "lo"), str(source)], check=True, capture_output=True, timeout=300)

    def lines(path):
        return [[re.sub(r"\s+", " ", ln).strip() for ln in page.split("\n") if ln.strip()] for page in pdf_pages(path)]

    a, b = lines(ours), lines(tmp_path / "lo" / source.with_suffix(".pdf").name)
    assert len(a) == len(b), "page count differs"
    assert a == b


def test_type_and_subject_read_as_one_phrase():
    from dirdesk.registers.columns import type_and_subject

    assert type_and_subject("Công văn", "Về công tác phòng, chống dịch") == "Công văn về công tác phòng, chống dịch"
    assert type_and_subject("Công văn", "V/v tổ chức hội nghị") == "Công văn V/v tổ chức hội nghị"
    assert type_and_subject("Kế hoạch", "Tổ chức Đại hội") == "Kế hoạch: Tổ chức Đại hội"
    assert type_and_subject("", "Giấy mời họp") == "Giấy mời họp"
