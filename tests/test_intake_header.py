"""The issuer block of a received header: a superior body split from the issuer, as a clerk
writes tác giả (the issuer, not its superior), from text, a Word table, and OCR's one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from dirdesk.intake import parse_file, parse_text
from dirdesk.intake.issuer import split_parent
from dirdesk.registers.intake_entry import author_of

SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"
_REST = ["*", "Số 12-CV/BTCTU", "V/v hướng dẫn công tác cán bộ", "", "ĐẢNG CỘNG SẢN VIỆT NAM",
         "Hà Nội, ngày 05 tháng 3 năm 2026", "", "Kính gửi: Các quận ủy, huyện ủy", "Nội dung.", "Nơi nhận:",
         "- Như trên,", "- Lưu VP.", "T/M BAN THƯỜNG VỤ", "TRƯỞNG BAN", "Nguyễn Văn A"]


@pytest.mark.parametrize("head", [["THÀNH ỦY HÀ NỘI", "BAN TỔ CHỨC"], ["THÀNH ỦY HÀ NỘI BAN TỔ CHỨC"],
                                  ["THÀNH UY HÀ NỘI", "BAN TỔ CHỨC"]])
def test_a_party_committees_board_is_the_issuer_and_the_committee_its_parent(head):
    issuer = parse_text(head + _REST)["issuer"]
    assert (fold_spaces(issuer["parent"]), issuer["name"]) in {("THÀNH ỦY HÀ NỘI", "BAN TỔ CHỨC"),
                                                               ("THÀNH UY HÀ NỘI", "BAN TỔ CHỨC")}
    assert author_of(issuer) == "BAN TỔ CHỨC"


def fold_spaces(text):
    return " ".join((text or "").split())


def test_what_is_not_a_superior_and_a_subordinate_stays_one_issuer():
    assert split_parent("party", ["ĐẢNG ỦY PHƯỜNG BÁCH QUANG"]) == (None, ["ĐẢNG ỦY PHƯỜNG BÁCH QUANG"])
    assert split_parent("state", ["ỦY BAN NHÂN DÂN", "PHƯỜNG BÁCH QUANG"]) == (None, ["ỦY BAN NHÂN DÂN",
                                                                                   "PHƯỜNG BÁCH QUANG"])
    assert split_parent("state", ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "SỞ TÀI CHÍNH"]) == (
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", ["SỞ TÀI CHÍNH"])


def test_seed_004_as_a_party_docx_with_its_header_in_a_table(tmp_path):
    seed = SEEDS / "004_d266bbb7be9e8e63.txt"
    if not seed.exists():
        pytest.skip(f"the seeds are not here ({SEEDS})")
    lines = seed.read_text(encoding="utf-8").split("\n")
    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(["ĐẢNG BỘ TỈNH BẾN TRE", "ĐẢNG ỦY KHỐI", "CƠ QUAN - DOANH NGHIỆP TỈNH", "*",
                                       "Số 159 -CV/ĐUK", "V/v tăng cường công tác", "phòng, chống dịch Covid-19"])
    table.cell(0, 1).text = "\n".join(["ĐẢNG CỘNG SẢN VIỆT NAM", "", "Bến Tre, ngày 14 tháng 01 năm 2021"])
    for line in lines[next(i for i, line in enumerate(lines) if line.startswith("Kính gửi")):]:
        doc.add_paragraph(line.replace("*", ""))
    doc.save(tmp_path / "004.docx")
    got = parse_file(tmp_path / "004.docx")
    assert got["issuer"]["parent"] == "ĐẢNG BỘ TỈNH BẾN TRE"
    assert author_of(got["issuer"]) == "ĐẢNG ỦY KHỐI CƠ QUAN - DOANH NGHIỆP TỈNH"
    assert (got["number"], got["date"]) == (159, "2021-01-14")
    assert got["subject"] == "V/v tăng cường công tác phòng, chống dịch Covid-19"
    assert len(got["recipients"]) == 5 and got["cc"][-1] == "Lưu VT, BTG Đảng ủy Khối"


def _word_notice(path):
    """Another office's thông báo as offices make it in Word: the header in a two-column table, the
    issuer's name wrapping ("PHÒNG VĂN HÓA VÀ" / "THÔNG TIN"), the signature in a table."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()

    def cell(c, lines):
        para = c.paragraphs[0]
        for i, (text, bold) in enumerate(lines):
            para = para if i == 0 else c.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.add_run(text).bold = bold

    head = doc.add_table(rows=1, cols=2)
    cell(head.cell(0, 0), [("ỦY BAN NHÂN DÂN QUẬN HẢI CHÂU", False), ("PHÒNG VĂN HÓA VÀ THÔNG TIN", True),
                           ("Số: 25/TB-VHTT", False)])
    cell(head.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True), ("Độc lập - Tự do - Hạnh phúc", True),
                           ("Hải Châu, ngày 12 tháng 11 năm 2026", False)])
    for text in ("THÔNG BÁO", "Về việc tổ chức Hội thi văn nghệ quần chúng chào mừng Ngày hội Đại đoàn kết toàn "
                 "dân tộc năm 2026"):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(text).bold = True
    doc.add_paragraph("Thực hiện Kế hoạch số 112/KH-UBND ngày 01/10/2026, Phòng thông báo tổ chức Hội thi như sau:")
    doc.add_paragraph("1. Thời gian: 8 giờ 00, ngày 20/11/2026.")
    sign = doc.add_table(rows=1, cols=2)
    cell(sign.cell(0, 0), [("Nơi nhận:", True), ("- UBND các phường;", False), ("- Lưu: VT.", False)])
    cell(sign.cell(0, 1), [("TRƯỞNG PHÒNG", True), ("", False), ("Trần Văn Bình", True)])
    doc.save(path)


@pytest.mark.slow
def test_a_libreoffice_pdf_of_another_offices_notice(tmp_path):
    import os
    import shutil
    import subprocess

    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing in CI: .ci/run must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed")
    _word_notice(tmp_path / "tb.docx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "tb.docx")], check=True, capture_output=True,
                   timeout=120)
    for name in ("tb.docx", "tb.pdf"):
        got = parse_file(tmp_path / name)
        # as printed: the PDF's column wraps it ("… QUẬN HẢI" / "CHÂU"), the DOCX holds one paragraph
        assert " ".join(got["issuer"]["parent"].split()) == "ỦY BAN NHÂN DÂN QUẬN HẢI CHÂU", name
        assert author_of(got["issuer"]) == "PHÒNG VĂN HÓA VÀ THÔNG TIN", name
        assert (got["type"], got["title"], got["number"], got["date"]) == ("TB", None, 25, "2026-11-12"), name
        assert got["subject"] == ("Về việc tổ chức Hội thi văn nghệ quần chúng chào mừng Ngày hội Đại đoàn kết "
                                  "toàn dân tộc năm 2026"), name
        assert got["signer"]["title"] == "TRƯỞNG PHÒNG" and got["signer"]["name"] == "Trần Văn Bình", name
