"""Party congress documents in the outgoing register (05-HD/VPTW Phần II mục I.3.1.1.a, I.3.1.2.b.i):
from the opening to the close of a congress, the documents of the đại hội and its organs (issuer
code ĐH) take one sequence from 01 for all types, "Số 01-BC/ĐH", "Số 20-BB/ĐH"; never repeated."""

import datetime as dt
import json

import pytest

from dirdesk.draft import Issuer
from dirdesk.registers import RegisterError, outgoing
from dirdesk.registers.profile import add_term, end_congress, load_profile, set_profile_value, start_congress
from tests.conftest import FIXTURES, fixture_draft, run

D = dt.date
CONGRESS = Issuer(parent="ĐẢNG BỘ TỈNH THÁI NGUYÊN",
                  name="ĐẠI HỘI ĐẠI BIỂU\nĐẢNG BỘ PHƯỜNG BÁCH QUANG LẦN THỨ II", code="ĐH")
OPENING = D(2025, 6, 20)


def issue(reg, name="seed-000", on=OPENING, **changes):
    return outgoing.issue(reg, fixture_draft(name, **changes), date=on, render=False)


def congress_issue(reg, name="seed-000", on=OPENING, **changes):
    return issue(reg, name, on, issuer=CONGRESS, **changes)


@pytest.fixture
def party(registry):
    add_term(registry, D(2020, 10, 1))
    issue(registry, on=D(2025, 6, 1))  # the đảng ủy's register exists, code ĐU
    return registry


def test_one_sequence_for_all_types_during_the_congress(party):
    start_congress(party, D(2025, 6, 20))
    symbols = [congress_issue(party, "seed-000")["symbol"], congress_issue(party, "seed-003")["symbol"],
               congress_issue(party, "seed-000", on=D(2025, 6, 21))["symbol"]]
    assert symbols == ["01-CV/ĐH", "02-NQ/ĐH", "03-CV/ĐH"]
    # the đảng ủy's own documents keep their sequence per type meanwhile
    assert issue(party, on=D(2025, 6, 21))["symbol"] == "02-CV/ĐU"


def test_the_preview_and_a_reserved_number_follow_the_congress_sequence(party):
    start_congress(party, D(2025, 6, 20))
    congress_issue(party)
    preview = outgoing.preview_next(party, "BB", on=D(2025, 6, 21), congress=True)
    assert (preview.number, preview.symbol) == (2, "02-BB/ĐH") and "đại hội" in preview.sequence.label
    assert outgoing.reserve(party, "BC", on=D(2025, 6, 21), congress=True)["symbol"] == "02-BC/ĐH"
    assert congress_issue(party, "seed-003", on=D(2025, 6, 21))["symbol"] == "03-NQ/ĐH"  # 02 is taken


def test_a_congress_document_outside_every_congress_is_refused_and_uses_no_number(party):
    with pytest.raises(RegisterError, match="không thuộc kỳ đại hội"):
        congress_issue(party)
    start_congress(party, D(2025, 6, 20))
    end_congress(party, D(2025, 6, 22))
    with pytest.raises(RegisterError, match="không thuộc kỳ đại hội"):
        congress_issue(party, on=D(2025, 6, 23))
    assert congress_issue(party, on=D(2025, 6, 22))["symbol"] == "01-CV/ĐH"  # the closing day is in it


def test_the_next_congress_starts_again_at_01_and_symbols_do_not_clash(party):
    start_congress(party, D(2020, 9, 20))
    end_congress(party, D(2020, 9, 22))
    assert congress_issue(party, on=D(2020, 9, 21))["symbol"] == "01-CV/ĐH"
    start_congress(party, D(2025, 6, 20))
    row = congress_issue(party)
    assert row["symbol"] == "01-CV/ĐH" and row["seq_key"] == "party/dh/2025-06-20"
    keys = {r["seq_key"] for r in party.query("SELECT seq_key FROM outgoing WHERE symbol = '01-CV/ĐH'")}
    assert keys == {"party/dh/2020-09-20", "party/dh/2025-06-20"}


def test_a_congress_number_is_never_given_twice(party):
    start_congress(party, D(2025, 6, 20))
    first = congress_issue(party)
    outgoing.cancel(party, first["symbol"], "Không ban hành")
    assert congress_issue(party, "seed-003")["number"] == 2  # a cancelled number stays used
    with pytest.raises(RegisterError, match="đã được dùng"):
        congress_issue(party, "seed-003", number=2)


def test_congress_periods_are_checked(party):
    start_congress(party, D(2025, 6, 20))
    with pytest.raises(RegisterError, match="chưa bế mạc"):
        start_congress(party, D(2025, 6, 25))
    with pytest.raises(RegisterError, match="trước"):
        end_congress(party, D(2025, 6, 19))
    end_congress(party, D(2025, 6, 22))
    with pytest.raises(RegisterError, match="Không có đại hội"):
        end_congress(party, D(2025, 6, 23))
    with pytest.raises(RegisterError, match="chồng lên nhau"):
        set_profile_value(party, "congresses", [{"start": "2025-06-20", "end": "2025-06-22"},
                                                {"start": "2025-06-21", "end": None}])
    assert load_profile(party).congresses == [{"start": "2025-06-20", "end": "2025-06-22", "name": None}]


def test_command_line_starts_and_ends_a_congress(capsys, db, tmp_path):
    draft = json.loads((FIXTURES / "seed-000.json").read_text("utf-8"))
    run(capsys, "outgoing", "issue", str(FIXTURES / "seed-000.json"), "--db", db, "--date", "2021-09-08")
    code, out, _ = run(capsys, "profile", "congress", "start", "2025-06-20", "--db", db,
                       "--name", "Đại hội đại biểu\\nĐảng bộ phường Bách Quang lần thứ II")
    assert code == 0 and "khai mạc 20/06/2025, đang diễn ra" in out
    shown = json.loads(run(capsys, "profile", "show", "--json", "--db", db)[1])
    assert shown["congresses"][0]["name"] == "ĐẠI HỘI ĐẠI BIỂU\nĐẢNG BỘ PHƯỜNG BÁCH QUANG LẦN THỨ II"
    assert run(capsys, "outgoing", "next", "BC", "--congress", "--date", "2025-06-20", "--db", db)[1] \
        .startswith("01-BC/ĐH")
    draft.update(number=None, date="2025-06-21", issuer={"parent": None, "name": "ĐẠI HỘI ĐẢNG BỘ PHƯỜNG", "code": "ĐH",
                                                          "unit": None})
    path = tmp_path / "dh.json"
    path.write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "outgoing", "issue", str(path), "--db", db)
    assert code == 0 and out.splitlines()[0] == "01-CV/ĐH"
    code, out, _ = run(capsys, "profile", "congress", "end", "2025-06-22", "--db", db)
    assert code == 0 and "bế mạc 22/06/2025" in out



def test_new_drafts_during_a_named_congress_are_the_congress_documents(party):
    from dirdesk.registers.congress import as_congress_document
    from dirdesk.templates import draft_from_profile

    profile = start_congress(party, D(2025, 6, 20), "Đại hội đại biểu\nĐảng bộ phường Bách Quang lần thứ II")
    draft = as_congress_document(draft_from_profile(profile, "BC", today=D(2025, 6, 21)), profile.congresses)
    assert (draft.issuer.name, draft.issuer.code) == ("ĐẠI HỘI ĐẠI BIỂU\nĐẢNG BỘ PHƯỜNG BÁCH QUANG LẦN THỨ II", "ĐH")
    after = as_congress_document(draft_from_profile(profile, "BC", today=D(2025, 6, 19)), profile.congresses)
    assert after.issuer.code == "ĐU"  # before the opening: the đảng ủy's own
    from dirdesk.draft import draft_from_dict
    from tests.blanks import fill_blanks

    numbered = outgoing.issue(party, draft_from_dict(fill_blanks(draft.to_dict())), render=False)  # filled in
    assert numbered["symbol"] == "01-BC/ĐH"
