"""The real received documents with a text layer (../shared/corpus/received, 01–04: signed
by e-office, their number and day stamped in signature fields, a signing stamp above the
header, a long Nơi nhận beside the signature) are read as a person reads them; and the two
layout rules that make it so: the signing stamp recogniser and the padded number line."""

import json
from pathlib import Path

import pytest

from dirdesk.intake import lines_of, parse_file
from dirdesk.intake.layout import is_signing_stamp, joins_number
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
