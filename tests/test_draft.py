"""Loading and saving draft files: exactly the spec, with messages naming the field."""

import json
import unicodedata

import pytest

from dirdesk.draft import DraftError, draft_from_dict, draft_to_json, load_draft, save_draft

from .conftest import ALL_FIXTURES


def problems(data) -> dict[str, str]:
    with pytest.raises(DraftError) as info:
        draft_from_dict(data)
    return dict(info.value.problems)


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: p.stem)
def test_fixture_round_trips_through_save(path, tmp_path):
    draft = load_draft(path)
    out = tmp_path / "copy.json"
    save_draft(draft, out)
    assert load_draft(out) == draft
    assert json.loads(out.read_text(encoding="utf-8"))["dirdesk"] == 1


def test_missing_subject_is_named(seed_dict):
    del seed_dict["subject"]
    assert "thiếu" in problems(seed_dict)["subject"]


def test_impossible_date_is_rejected(seed_dict):
    seed_dict["date"] = "2021-02-30"
    message = problems(seed_dict)["date"]
    assert "2021-02-30" in message and "không phải ngày có thật" in message


@pytest.mark.parametrize("value", ["08/09/2021", "2021-9-8", "hôm nay"])
def test_badly_written_date_is_rejected(seed_dict, value):
    seed_dict["date"] = value
    assert "YYYY-MM-DD" in problems(seed_dict)["date"]


def test_unknown_type_for_the_style(seed_dict):
    seed_dict["type"] = "QyĐ"  # a state code, not a Party one
    message = problems(seed_dict)["type"]
    assert "QyĐ" in message and "party" in message and "CV" in message


@pytest.mark.parametrize("number", [0, -3])
def test_number_must_be_positive(seed_dict, number):
    seed_dict["number"] = number
    assert str(number) in problems(seed_dict)["number"]


@pytest.mark.parametrize("number", [True, "66", 6.5])
def test_number_must_be_an_integer(seed_dict, number):
    seed_dict["number"] = number
    assert "number" in problems(seed_dict)


def test_string_where_a_list_belongs(seed_dict):
    seed_dict["recipients"] = "Các chi bộ trực thuộc"
    assert "danh sách" in problems(seed_dict)["recipients"]


def test_non_string_list_item_is_named(seed_dict):
    seed_dict["cc"] = ["Như kính gửi", 5]
    assert "cc[1]" in problems(seed_dict)


def test_every_problem_is_reported_at_once(seed_dict):
    del seed_dict["body"]
    seed_dict["style"] = "church"
    seed_dict["number"] = 0
    assert {"body", "style", "number"} <= set(problems(seed_dict))


def test_unknown_field_is_refused_not_dropped(seed_dict):
    seed_dict["recipents"] = ["typo"]
    assert "recipents" in problems(seed_dict)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "legacy.json"
    path.write_bytes(b"{\"subject\": \"\xd0\xe0ng\"}")  # Windows-1258 bytes, as old tools save
    with pytest.raises(DraftError, match="UTF-8"):
        load_draft(path)


def test_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "dirdesk": 1,\n  "style": "party",,\n}', encoding="utf-8")
    with pytest.raises(DraftError, match="dòng 3"):
        load_draft(path)


def test_utf8_bom_is_accepted(tmp_path, seed_dict):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(seed_dict, ensure_ascii=False).encode("utf-8"))
    assert load_draft(path).number == 66


def test_strings_are_nfc_everywhere(seed_dict):
    decomposed = unicodedata.normalize("NFD", "Đảng ủy phường")
    seed_dict["subject"] = decomposed
    seed_dict["recipients"] = [decomposed]
    seed_dict["signer"]["name"] = unicodedata.normalize("NFD", "Nguyễn Đức Giang")
    draft = draft_from_dict(seed_dict)
    for text in (draft.subject, draft.recipients[0], draft.signer.name):
        assert unicodedata.is_normalized("NFC", text)
    assert draft.subject == "Đảng ủy phường"


def test_control_characters_are_removed(seed_dict):
    seed_dict["body"] = "Nội\x00 dung\x07 có\x1b ký tự \ufffe lạ\r\nDòng hai"
    draft = draft_from_dict(seed_dict)
    assert draft.body == "Nội dung có ký tự  lạ\nDòng hai"


def test_old_tone_urgency_is_accepted(seed_dict):
    seed_dict["urgency"] = "Hoả tốc"
    assert draft_from_dict(seed_dict).urgency == "HỎA TỐC"


def test_bad_urgency_is_named(seed_dict):
    seed_dict["urgency"] = "GẤP"
    assert "urgency" in problems(seed_dict)


def test_saved_file_matches_the_spec_field_names(seed_dict):
    text = draft_to_json(draft_from_dict(seed_dict))
    data = json.loads(text)
    assert set(data) == {
        "dirdesk", "style", "edition", "type", "issuer", "number", "symbol", "place", "date", "title",
        "subject", "recipients", "preamble", "body", "cc", "cc_note", "signer", "urgency", "secrecy",
    }
    assert set(data["issuer"]) == {"parent", "name", "code", "unit"}


def test_failed_save_leaves_the_old_file(tmp_path, seed_dict, monkeypatch):
    path = tmp_path / "draft.json"
    draft = draft_from_dict(seed_dict)
    save_draft(draft, path)
    before = path.read_bytes()

    import dirdesk.draft as module

    def boom(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(module.os, "fsync", boom)
    draft.subject = "changed"
    with pytest.raises(OSError):
        save_draft(draft, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["draft.json"]
