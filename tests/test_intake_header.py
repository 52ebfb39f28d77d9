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
