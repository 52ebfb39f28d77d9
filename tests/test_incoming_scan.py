"""What reading a scan leaves to the clerk: the fields the parser was not sure of (`to_check`) and those
whose number or day looked handwritten (`handwritten`), carried on the entry but never stored, and
said by `dirdesk incoming add FILE`; and a real scan of the corpus registered from its OCR."""

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from dirdesk.intake import ocr
from dirdesk.registers import incoming, intake_entry, open_registry
from dirdesk.registers.errors import DuplicateEntry
from dirdesk.registers.intake_entry import entry_from_parsed
from dirdesk.text import fold
from tests.conftest import ROOT, run

CORPUS = ROOT.parent / "shared" / "corpus" / "received"
SCAN = CORPUS / "12_ubnd-quangngai_cv-574.pdf"
RECEIVED = "2026-03-16"


def scan_parsed(**changes) -> dict:
    """What the parser gives for a scan whose number and day were handwritten (the contract's keys)."""
    parsed = {"style": "state", "type": "CV", "number": None, "symbol": "/UBND-KTTH", "date": None,
              "issuer": {"parent": None, "name": "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI", "code": "UBND", "unit": "KTTH"},
              "subject": "V/v đăng ký bổ sung nội dung trình HĐND tỉnh", "ocr": True,
              "confidence": {"author": "sure", "subject": "check"}, "handwritten": ["symbol", "doc_date"]}
    return {**parsed, **changes}


def test_a_scan_s_fields_are_to_check_unless_the_parser_is_sure_and_an_empty_one_is_not_listed():
    entry = entry_from_parsed(scan_parsed(), b"%PDF-1.4 scan", "cv-574.pdf")
    assert entry.author == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" and entry.type_name == "Công văn"
    # author is rated sure; symbol and type are not rated: a scan's, so to check; doc_date was not read
    assert entry.to_check == ["symbol", "type", "subject"]
    assert entry.handwritten == ["symbol", "doc_date"]
    assert entry.symbol == "/UBND-KTTH" and entry.doc_date is None  # the partly read symbol, kept


def test_a_text_layer_s_fields_are_sure_unless_rated_check():
    parsed = scan_parsed(ocr=None, symbol="574/UBND-KTTH", date="2025-02-04", handwritten=[],
                         confidence={"subject": "check"})
    entry = entry_from_parsed(parsed, b"%PDF-1.4", "cv-574.pdf")
    assert entry.to_check == ["subject"] and entry.handwritten == []
    assert entry_from_parsed({**parsed, "confidence": None}, b"%PDF-1.4", "x.pdf").to_check == []


def test_source_kind_scan_marks_a_scan_too_and_odd_values_are_ignored():
    parsed = scan_parsed(ocr=None, source_kind="scan", confidence={"author": "?"},
                         handwritten=["doc_date", "author", 3])
    entry = entry_from_parsed(parsed, b"%PDF-1.4", "x.pdf")
    assert entry.to_check == ["symbol", "type", "subject"]  # "?" is not "check"; author is sure
    assert entry.handwritten == ["doc_date"]  # only symbol and doc_date can look handwritten


def test_what_was_left_to_the_clerk_is_not_stored_and_does_not_make_entries_differ(tmp_path):
    entry = dataclasses.replace(entry_from_parsed(scan_parsed(), b"%PDF-1.4 scan", "cv-574.pdf"),
                                symbol="574/UBND-KTTH", received_date=dt.date(2026, 3, 16))
    plain = dataclasses.replace(entry, to_check=[], handwritten=[])
    assert entry == plain and entry.to_check
    reg = open_registry(tmp_path / "so.sqlite")
    try:
        row = incoming.add(reg, entry)
        assert not {"to_check", "handwritten"} & set(row)
        with pytest.raises(DuplicateEntry):
            incoming.add(reg, dataclasses.replace(plain, files=[("khac.pdf", b"%PDF-1.4 other")]))
    finally:
        reg.close()


def test_incoming_add_says_which_fields_to_check_and_which_look_handwritten(capsys, tmp_path, monkeypatch):
    path = tmp_path / "cv-574.pdf"
    path.write_bytes(b"%PDF-1.4 scan")
    monkeypatch.setattr(intake_entry, "parse_file", lambda *a, **k: scan_parsed())
    db = str(tmp_path / "so.sqlite")
    code, out, err = run(capsys, "incoming", "add", str(path), "--received", RECEIVED, "--json", "--db", db)
    assert code == 0, err
    shown = json.loads(out)
    assert shown["symbol"] == "/UBND-KTTH" and shown["to_check"] == ["symbol", "type", "subject"]
    assert "xin đối chiếu với văn bản: số, ký hiệu; tên loại; trích yếu." in err
    assert "Số và ngày của văn bản có vẻ được viết tay trên bản quét" in err
    assert "gõ vào bằng: dirdesk incoming set 01/2026 --symbol SỐ_KÝ_HIỆU --date NGÀY" in err

    code, out, err = run(capsys, "incoming", "add", str(path), "--dry-run", "--allow-duplicate", "--json",
                         "--received", RECEIVED, "--db", db)
    assert code == 0 and json.loads(out)["handwritten"] == ["symbol", "doc_date"] and "viết tay" in err
    assert "incoming set" not in err  # nothing registered, nothing to set yet

    # what the clerk typed is not to check, nor said to look handwritten
    code, out, err = run(capsys, "incoming", "add", str(path), "--allow-duplicate", "--symbol", "574/UBND-KTTH",
                         "--date", "04/02/2025", "--received", RECEIVED, "--db", db)
    assert code == 0, err
    assert "viết tay" not in err and "tên loại; trích yếu." in err and "số, ký hiệu" not in err


needs_scan = pytest.mark.skipif(not SCAN.is_file() or ocr.unavailable() is not None,
                                reason=f"no corpus scan at {SCAN} or no OCR here")


@pytest.mark.slow
@needs_scan
def test_incoming_add_fills_the_row_from_a_corpus_scan(capsys, tmp_path):
    expected = next(e for e in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
                    if e["file"] == SCAN.name)
    assert expected["text_layer"] is False
    code, out, err = run(capsys, "incoming", "add", str(SCAN), "--received", RECEIVED, "--json",
                         "--db", str(tmp_path / "so.sqlite"))
    assert code == 0, err
    row = json.loads(out)
    assert fold(row["author"]) == fold(expected["issuer"])
    assert row["type"] == expected["type_code"] and row["type_name"] == "Công văn"
    assert fold(row["subject"]) == fold(expected["subject"])  # OCR may miss a tone mark ("bô sung")
    # the received scan, then the searchable copy the background reading kept beside it
    assert [f["name"] for f in row["files"]] == [SCAN.name, f"{SCAN.stem} - Bản có lớp chữ (OCR).pdf"]
    assert Path(SCAN).stat().st_size == row["files"][0]["size"]


def test_the_rest_of_a_handwritten_symbol_is_given_and_two_such_are_not_duplicates(tmp_path):
    parsed = scan_parsed(symbol=None)  # the parser read "/UBND-KTTH" as the code and unit, no number
    entry = entry_from_parsed(parsed, b"%PDF-1.4 scan one", "cv-574.pdf")
    assert entry.symbol == "/UBND-KTTH" and "symbol" in entry.to_check
    assert entry_from_parsed({**parsed, "handwritten": []}, b"%PDF-1.4", "x.pdf").symbol == ""  # no number: none
    reg = open_registry(tmp_path / "so.sqlite")
    try:
        incoming.add(reg, dataclasses.replace(entry, received_date=dt.date(2026, 3, 16)))
        other = entry_from_parsed(parsed, b"%PDF-1.4 scan two", "cv-575.pdf")
        assert incoming.find_duplicates(reg, other) == []  # the same issuer, both numbers still to type
    finally:
        reg.close()
