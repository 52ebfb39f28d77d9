"""benchmarks/intake_accuracy.py: every field of the five seeds and of our own
documents in the state shapes ("Số: 37/2007/QĐ-UBND", "TM.", "KT.", "TL.",
Kính gửi with semicolons, interleaved Party header, old tone marks) is read right."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
OWN = ROOT / "benchmarks" / "intake" / "own"


@pytest.fixture(scope="module")
def accuracy():
    spec = importlib.util.spec_from_file_location("intake_accuracy", ROOT / "benchmarks" / "intake_accuracy.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("docs, expected", [(SEEDS, ROOT / "benchmarks" / "intake" / "seeds.json"),
                                            (OWN, OWN / "expected.json")], ids=["seeds", "own"])
def test_every_field_is_read_right(accuracy, docs, expected, capsys):
    assert accuracy.main([str(docs), str(expected), "--strict"]) == 0, capsys.readouterr().out


def test_a_wrong_reading_is_reported_as_a_miss(accuracy, tmp_path):
    expected = json.loads((OWN / "expected.json").read_text(encoding="utf-8"))
    expected[1]["signer_name"] = "Hoàng Thị Lan"
    expected[2]["recipients"] = ["Các tổ dân phố"]
    scores, misses = accuracy.evaluate(OWN, expected)
    assert scores["signer_name"] == [3, 4] and scores["recipients"] == [3, 4]
    assert len(misses) == 2 and "Hoàng Thị Mai" in misses[0]


def test_old_tone_placement_reads_as_the_new(accuracy):
    assert accuracy.normalise("ĐẢNG UỶ  PHƯỜNG") == accuracy.normalise("ĐẢNG ỦY PHƯỜNG")
    assert accuracy.normalise("Đỗ Thị Hoà") == accuracy.normalise("Đỗ Thị Hòa")
    assert accuracy.normalise("QUÝ") != accuracy.normalise("QUÚY")


def test_values_compare_as_the_corpus_readme_says(accuracy):
    """Case-insensitive, NFC, runs of spaces and line breaks equal; a tone mark still counts."""
    same = accuracy.normalise
    assert same("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI") == same("Ủy ban nhân dân tỉnh  Quảng Ngãi")
    assert same("Ủy ban") == same("U\u0309y ban")  # decomposed (NFD) input
    assert same("Ủy ban") != same("Uy ban")
    assert same(["Sở  Tài chính"]) == same(["sở tài chính"])


def test_a_null_expected_is_not_scored_and_type_code_is_the_type(accuracy, monkeypatch):
    got = {"type": "CV", "symbol": "1/UBND", "date": None, "place": None, "subject": None,
           "issuer": None, "recipients": [], "signer_title": "CHỦ TỊCH", "signer_name": None}
    monkeypatch.setattr(accuracy, "read_fields", lambda path: got)
    expected = [{"file": "x.pdf", "type_code": "CV", "symbol": "1/UBND", "signer_title": "chủ tịch",
                 "signer_name": None, "date": "2025-01-01"}]
    times = {}
    scores, misses = accuracy.evaluate(Path("."), expected, times)
    assert scores["type"] == [1, 1] and scores["symbol"] == [1, 1] and scores["signer_title"] == [1, 1]
    assert scores["signer_name"] == [0, 0] and scores["date"] == [0, 1] and scores["place"] == [0, 0]
    assert misses == ["x.pdf: date: got None, expected '2025-01-01'"] and set(times) == {"x.pdf"}
