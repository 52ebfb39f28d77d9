"""The real received documents with a text layer (../shared/corpus/received, 01–04: signed
by e-office, their number and day stamped in signature fields, a signing stamp above the
header, a long Nơi nhận beside the signature) are read as a person reads them; and the two
layout rules that make it so: the signing stamp recogniser and the padded number line."""

import json
from pathlib import Path

import pytest

from dirdesk.intake import lines_of, parse_file
from dirdesk.intake.layout import is_signing_stamp, joins_number, leading_stamp
from dirdesk.registers.intake_entry import author_of, symbol_of
from dirdesk.text import same_form

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "received"
FIELDS = ("symbol", "date", "issuer", "subject", "signer_title", "signer_name")


def _text_layer_items() -> list[dict]:
    if not (CORPUS / "expected.json").is_file():
        return []
    return [item for item in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
            if item.get("text_layer")]


corpus = pytest.mark.skipif(not _text_layer_items(), reason=f"the received corpus is not at {CORPUS}")


@corpus
@pytest.mark.parametrize("item", _text_layer_items(), ids=lambda item: item["file"][:2])
def test_a_text_layer_document_reads_as_expected(item):
    parsed = parse_file(CORPUS / item["file"])
    got = {"symbol": symbol_of(parsed) or None, "date": parsed["date"],
           "issuer": author_of(parsed["issuer"]) or None, "subject": parsed["subject"],
           "signer_title": parsed["signer"]["title"], "signer_name": parsed["signer"]["name"]}
    for field in FIELDS:
        assert same_form(got[field]) == same_form(item[field]), (field, got[field], item[field])
    assert parsed["signer"]["authority"] == item["signer_authority"]


@corpus
def test_the_signing_stamps_are_not_in_the_text():
    lines = lines_of(CORPUS / "02_ubnd-quangngai_cv-507.pdf")
    text = "\n".join(lines)
    assert "Số: 507/UBND-KGVX" in lines and "*Quảng Ngãi, ngày 24 tháng 01 năm 2025*" in lines
    for stamp in ("ttcbth@quangngai.gov.vn", "+07:00", "TRUNG TÂM CÔNG", "20:01:14"):
        assert stamp not in text
    assert lines[0] == "**ỦY BAN NHÂN DÂN**"  # the header first, the issuer's column apart
    assert "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**" in lines[lines.index("") + 1:]


@pytest.mark.parametrize("block", [
    ["TRUNG TÂM CÔNG", "BÁO VÀ TIN HỌC", "ttcbth@quangngai.gov.vn", "24.01.2025 20:01:14", "+07:00"],
    ["Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi", "Cơ quan: Tỉnh Quảng Ngãi",
     "Thời gian ký: 07/01/2025 10:09:57"],
    ["Trung tâm Công báo và Tin học", "Email: ttcbth@quangngai.gov.vn"],
    ["Người ký: Nguyễn Văn A", "Ngày ký: 12-03-2024 08:15"],
])
def test_a_signing_stamp_is_recognised(block):
    assert is_signing_stamp(block)


@pytest.mark.parametrize("block", [["  507"], [" 24"], ["PHÓ CHÁNH VĂN PHÒNG"], ["Số: 12/UBND-VP"],
                                   ["Quảng Ngãi, ngày 24 tháng 01 năm 2025"], []])
def test_what_a_van_thu_stamps_is_not_a_signing_stamp(block):
    assert not is_signing_stamp(block)


@pytest.mark.parametrize("left, right", [("Số: 507", "/UBND-KGVX"), ("Số:", "/TB-UBND"),
                                         ("Số: 12 ....", "-CV/ĐU"), ("Số  542", "/ TB-UBND")])
def test_a_padded_number_line_joins_its_symbol(left, right):
    assert joins_number(left, right)


@pytest.mark.parametrize("left, right", [("Số: 507/UBND-KGVX", "Quảng"), ("Số: 507", "Quảng"),
                                         ("Tổng số: 12", "/2024"), ("ỦY BAN NHÂN DÂN", "/UBND")])
def test_other_words_are_not_joined_as_a_number_line(left, right):
    assert not joins_number(left, right)


def _drawn_stamp_pdf(path: Path, stamp: list[str]) -> Path:
    """A one-page state công văn whose signing stamp is drawn in the page, above the header."""
    from reportlab.pdfgen import canvas

    from dirdesk.fonts import face

    c = canvas.Canvas(str(path), pagesize=(595.3, 841.9))

    def line(x: float, y: float, text: str, size: float = 13, bold: bool = False) -> None:
        c.setFont(face(bold, False), size)
        c.drawString(x, 841.9 - y, text)

    for k, text in enumerate(stamp):
        line(420, 20 + 10 * k, text, size=8)
    line(100, 85, "ỦY BAN NHÂN DÂN", bold=True)
    line(290, 85, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    line(100, 100, "PHƯỜNG BA ĐÌNH", bold=True)
    line(340, 100, "Độc lập - Tự do - Hạnh phúc", bold=True)
    line(100, 130, "Số: 12/UBND-VP")
    line(320, 130, "Ba Đình, ngày 05 tháng 3 năm 2026")
    line(90, 150, "V/v tổ chức họp tổ dân phố")
    line(200, 190, "Kính gửi: Các tổ dân phố")
    line(85, 220, "Ủy ban nhân dân phường đề nghị các tổ dân phố tổ chức họp./.")
    line(85, 260, "Nơi nhận:", bold=True)
    line(360, 260, "CHỦ TỊCH", bold=True)
    line(85, 275, "- Như trên;")
    line(85, 290, "- Lưu: VT.")
    line(370, 340, "Nguyễn Văn An", bold=True)
    c.save()
    return path


def test_a_signing_stamp_drawn_in_the_page_is_left_out(tmp_path):
    stamp = ["Ký bởi: Ủy ban nhân dân phường Ba Đình", "Email: ubnd@badinh.gov.vn",
             "Thời gian ký: 05/03/2026 10:09:57 +07:00"]
    lines = lines_of(_drawn_stamp_pdf(tmp_path / "cv.pdf", stamp))
    assert not any("Ký bởi" in line or "gov.vn" in line or "10:09" in line for line in lines), lines
    parsed = parse_file(tmp_path / "cv.pdf")
    assert author_of(parsed["issuer"]) == "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH"
    assert symbol_of(parsed) == "12/UBND-VP" and parsed["date"] == "2026-03-05"


def test_a_letterhead_with_an_email_is_not_a_stamp(tmp_path):
    lines = lines_of(_drawn_stamp_pdf(tmp_path / "cv.pdf", ["Email: ubnd@badinh.gov.vn"]))
    assert "Email: ubnd@badinh.gov.vn" in lines


def test_leading_stamp_takes_a_narrow_run_ending_with_its_time():
    stamp = [("TRUNG TÂM CÔNG", 90.0), ("BÁO VÀ TIN HỌC", 90.0), ("ttcbth@quangngai.gov.vn", 110.0),
             ("24.01.2025 20:01:14", 90.0), ("+07:00", 30.0)]
    header = [("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 450.0)]
    assert leading_stamp(stamp + header, 595.0) == 5
    assert leading_stamp(header + stamp, 595.0) == 0
    assert leading_stamp([("Email: vp@x.gov.vn", 120.0)] + header, 595.0) == 0
