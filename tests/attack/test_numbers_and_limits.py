"""What an attack run found in numbering, dates and limits (issue 10): each bad input ends in a Vietnamese
message and a non-zero exit, never a traceback, and no number is used up or given twice."""

import datetime as dt
import json

import docx
import pytest

from dirdesk.cli import main
from dirdesk.cli.outgoing import EXIT_COPY_FAILED
from dirdesk.registers import incoming, open_registry, outgoing, search
from dirdesk.registers.errors import AlreadyIssued, NumbersSkipped, RegisterError
from dirdesk.registers.profile import add_term, load_profile, set_profile_value
from tests.conftest import FIXTURES, fixture_draft, run

D = dt.date
SIX_LINES = ("V/v triển khai thực hiện Kế hoạch của Ban Thường vụ Thành ủy về tăng cường sự lãnh đạo của Đảng "
             "đối với công tác phòng, chống tham nhũng, lãng phí, tiêu cực; ") * 4  # some 600 characters


def draft_file(tmp_path, name="draft.json", **changes) -> str:
    """seed-000 (Đảng ủy phường, CV) as a file, with fields replaced."""
    data = json.loads((FIXTURES / "seed-000.json").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def entries(capsys, db) -> list[dict]:
    return json.loads(run(capsys, "outgoing", "list", "--json", "--all", "--db", db)[1])["entries"]


# ---------------------------------------------------------------- a number used up, then issued twice


def test_a_failed_copy_says_the_number_was_issued_and_a_retry_takes_no_second_number(capsys, db, tmp_path):
    draft = draft_file(tmp_path, number=None)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    code, out, err = run(capsys, "outgoing", "issue", draft, "--db", db, "--out", str(blocked))
    assert code == EXIT_COPY_FAILED != 2
    assert out.splitlines()[0] == "01-CV/ĐU"
    assert "đã được ban hành" in err and "01-CV/ĐU" in err and "chạy lại" in err

    folder = tmp_path / "ban-in"
    code, out, err = run(capsys, "outgoing", "issue", draft, "--db", db, "--out", str(folder))
    assert (code, out.splitlines()[0]) == (0, "01-CV/ĐU")
    assert "đã được ban hành" in err and "không cấp số mới" in err
    assert sorted(p.name for p in folder.iterdir()) == ["01-CV-ĐU.docx", "01-CV-ĐU.pdf"]
    assert [e["symbol"] for e in entries(capsys, db)] == ["01-CV/ĐU"]
    assert run(capsys, "outgoing", "next", "CV", "--db", db)[1].startswith("02-CV/ĐU")


def test_the_same_draft_is_found_by_its_content_and_another_draft_gets_the_next_number(registry):
    first = outgoing.issue(registry, fixture_draft("seed-000"), render=False, once=True)
    assert outgoing.issued_before(registry, fixture_draft("seed-000"))["id"] == first["id"]
    with pytest.raises(AlreadyIssued) as exc:
        outgoing.issue(registry, fixture_draft("seed-000"), render=False, once=True)
    assert exc.value.row["id"] == first["id"] and "01-CV/ĐU" in str(exc.value)
    changed = fixture_draft("seed-000", subject="V/v một việc khác")
    assert outgoing.issued_before(registry, changed) is None
    assert outgoing.issue(registry, changed, render=False, once=True)["symbol"] == "02-CV/ĐU"
    # another date given is another document; a cancelled issue is not found again
    assert outgoing.issued_before(registry, fixture_draft("seed-000"), date=D(2021, 9, 9)) is None
    outgoing.cancel(registry, "01-CV/ĐU", "Ký nhầm")
    assert outgoing.issue(registry, fixture_draft("seed-000"), render=False, once=True)["symbol"] == "03-CV/ĐU"


# ---------------------------------------------------------------- numbers and dates


def test_a_number_past_the_next_is_refused_naming_the_numbers_it_would_skip(capsys, db, tmp_path):
    run(capsys, "outgoing", "issue", draft_file(tmp_path, number=None), "--db", db)
    fifty = draft_file(tmp_path, "so-50.json", number=50, subject="V/v văn bản ghi số 50")
    code, _, err = run(capsys, "outgoing", "issue", fifty, "--db", db)
    assert code == 2 and "02–49" in err and "--skip-numbers" in err
    assert run(capsys, "outgoing", "next", "CV", "--db", db)[1].startswith("02-CV/ĐU")  # nothing was used
    code, out, _ = run(capsys, "outgoing", "issue", fifty, "--db", db, "--skip-numbers")
    assert (code, out.strip()) == (0, "50-CV/ĐU")


def test_the_window_can_ask_which_numbers_a_draft_would_skip(registry):
    outgoing.issue(registry, fixture_draft("seed-000"), render=False)
    assert outgoing.numbers_skipped(registry, fixture_draft("seed-000", number=50)) == range(2, 50)
    assert outgoing.numbers_skipped(registry, fixture_draft("seed-000", number=2)) == range(0)
    with pytest.raises(NumbersSkipped) as exc:
        outgoing.issue(registry, fixture_draft("seed-000", number=3), render=False)
    assert exc.value.skipped == range(2, 3) and "số 02" in str(exc.value)


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_an_issue_date_out_of_range_is_refused_and_uses_no_number(capsys, db, tmp_path, date):
    run(capsys, "outgoing", "issue", draft_file(tmp_path, "first.json", number=None), "--db", db)
    code, _, err = run(capsys, "outgoing", "issue", draft_file(tmp_path, number=None, date=date), "--db", db)
    assert code == 2 and err.startswith("lỗi:") and ("date" in err or "Ngày ban hành" in err)
    with pytest.raises(RegisterError, match="Ngày ban hành"):
        with open_registry(db) as reg:
            outgoing.issue(reg, fixture_draft("seed-000"), date=D.fromisoformat(date), render=False)
    assert [e["symbol"] for e in entries(capsys, db)] == ["01-CV/ĐU"]


def test_a_symbol_comes_once_in_a_party_term_whatever_the_term_setting(registry):
    outgoing.issue(registry, fixture_draft("seed-000"), date=D(2025, 10, 20), render=False)  # 01-CV/ĐU
    add_term(registry, D(2025, 10, 15))  # set later: the term began before that document
    with pytest.raises(RegisterError, match="01-CV/ĐU đã có trong sổ"):
        outgoing.issue(registry, fixture_draft("seed-000"), date=D(2025, 11, 3), render=False)
    with pytest.raises(RegisterError, match="01-CV/ĐU đã có trong sổ"):
        outgoing.reserve(registry, "CV", on=D(2025, 11, 3))
    assert [r["symbol"] for r in outgoing.list_rows(registry)] == ["01-CV/ĐU"]
    numbered = outgoing.issue(registry, fixture_draft("seed-000", number=2), date=D(2025, 11, 3), render=False)
    assert numbered["symbol"] == "02-CV/ĐU"


def test_a_symbol_comes_once_in_a_state_year_when_the_numbering_changes_midyear(registry):
    outgoing.issue(registry, fixture_draft("state-quyet-dinh"), date=D(2026, 3, 1), render=False)  # 01/QĐ-UBND
    set_profile_value(registry, "state_sequence", "per_type")
    with pytest.raises(RegisterError, match="01/QĐ-UBND đã có trong sổ"):
        outgoing.issue(registry, fixture_draft("state-quyet-dinh"), date=D(2026, 3, 3), render=False)
    assert outgoing.issue(registry, fixture_draft("state-cong-van"), date=D(2026, 3, 3), render=False)["symbol"] \
        == "01/UBND-VP"


def test_a_bad_month_or_year_is_refused_on_every_command(capsys, db):
    for argv in (["search", "x", "--month", "2026-13"], ["outgoing", "list", "--month", "2026-13"],
                 ["incoming", "list", "--month", "2026-00"], ["outgoing", "list", "--year", "99999"],
                 ["incoming", "list", "--year", "0"], ["register", "export", "outgoing", "--month", "2026-13"],
                 ["outgoing", "list", "--from", "0001-01-01", "--to", "2026-01-01"]):
        try:
            code = main([*argv, "--db", db])
        except SystemExit as exc:  # refused by the argument's type (argparse)
            code = exc.code
        err = capsys.readouterr().err
        assert code == 2 and ("không hợp lệ" in err or "nằm ngoài" in err) and "Traceback" not in err, argv


# ---------------------------------------------------------------- limits on what goes in


def test_text_over_its_limit_is_refused_naming_it_and_a_six_line_subject_fits(capsys, db, tmp_path):
    code, _, err = run(capsys, "render", draft_file(tmp_path, subject="x" * 1001))
    assert code == 2 and "subject" in err and "1.000 ký tự" in err
    code, _, err = run(capsys, "incoming", "add", "--subject", "x" * 1001, "--db", db)
    assert code == 2 and "Trích yếu" in err and "1.000" in err
    with open_registry(db) as reg:
        with pytest.raises(RegisterError, match="Ghi chú dài 2.001 ký tự"):
            incoming.add(reg, incoming.IncomingEntry(subject="Giấy mời", note="n" * 2001))
        with pytest.raises(RegisterError, match="hồ sơ cơ quan, mục place"):
            set_profile_value(reg, "place", "p" * 301)
        with pytest.raises(RegisterError, match="500 mục"):
            set_profile_value(reg, "recipients", [f"Chi bộ {i}" for i in range(501)])
        row = incoming.add(reg, incoming.IncomingEntry(subject=SIX_LINES, author="Thành ủy Sông Công"))
        with pytest.raises(RegisterError, match="Nội dung tiến độ"):
            incoming.add_progress(reg, row["id"], "t" * 2001)
        assert reg.one("SELECT COUNT(*) AS n FROM incoming")["n"] == 1
        assert reg.one("SELECT COUNT(*) AS n FROM progress")["n"] == 0
        issued = outgoing.issue(reg, fixture_draft("seed-000", subject=SIX_LINES), render=False)
        with pytest.raises(RegisterError, match="Ghi chú"):
            outgoing.edit(reg, issued["id"], note="n" * 2001)


def test_a_10_mb_subject_ends_in_a_message_and_the_register_does_not_grow(capsys, db, tmp_path):
    run(capsys, "outgoing", "issue", draft_file(tmp_path, "first.json", number=None), "--db", db)
    before = sum(p.stat().st_size for p in tmp_path.glob("so.sqlite*"))
    huge = draft_file(tmp_path, subject="x" * 10_000_000, number=None)
    for argv in (["render", huge], ["outgoing", "issue", huge, "--db", db]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and err.startswith("lỗi:") and "quá giới hạn" in err
    assert sum(p.stat().st_size for p in tmp_path.glob("so.sqlite*")) < before + 1_000_000
    assert len(entries(capsys, db)) == 1


def test_a_subject_over_255_characters_renders_whole_in_the_document(capsys, tmp_path):
    path = draft_file(tmp_path, subject=SIX_LINES.strip())
    out_docx = tmp_path / "dai.docx"
    code, _, _ = run(capsys, "render", path, "--docx", str(out_docx))
    assert code == 0
    document = docx.Document(out_docx)
    subject = document.core_properties.subject
    assert len(subject) <= 255 and subject.endswith("…") and SIX_LINES.startswith(subject[:-1])
    text = "".join(document.element.body.itertext())  # the page: paragraphs and the header table
    assert "".join(SIX_LINES.split()) in "".join(text.split())


# ---------------------------------------------------------------- tracebacks become messages


def test_huge_numbers_and_deep_nesting_end_in_messages(capsys, db, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _, err = run(capsys, "render", str(deep))
    assert code == 2 and "lồng nhau quá sâu" in err
    code, _, err = run(capsys, "outgoing", "issue", draft_file(tmp_path, number=2**63), "--db", db)
    assert code == 2 and "number" in err and "999.999" in err
    with pytest.raises(SystemExit) as exc:
        main(["outgoing", "issue", draft_file(tmp_path, number=None), "--copies", str(2**63), "--db", db])
    assert exc.value.code == 2 and "số lượng bản" in capsys.readouterr().err
    code, _, err = run(capsys, "outgoing", "show", f"#{2**63}", "--db", db)
    assert code == 2 and "quá lớn" in err
    assert entries(capsys, db) == []


def test_profile_set_on_a_full_disk_says_so_and_keeps_the_profile(capsys, db, monkeypatch):
    import dirdesk.registers

    run(capsys, "profile", "set", "place", "Bách Quang", "--db", db)

    def full_disk(path, **kwargs):
        reg = open_registry(path, **kwargs)
        pages = reg.conn.execute("PRAGMA page_count").fetchone()[0]
        reg.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite answers SQLITE_FULL, as on a full disk
        return reg

    monkeypatch.setattr(dirdesk.registers, "open_registry", full_disk)
    names = json.dumps([f"Chi bộ tổ dân phố số {i} " + "x" * 250 for i in range(400)], ensure_ascii=False)
    code, _, err = run(capsys, "profile", "set", "recipients", names, "--db", db)
    assert code == 2 and "Ổ đĩa đã đầy" in err and "Traceback" not in err
    monkeypatch.undo()
    with open_registry(db) as reg:
        assert load_profile(reg).recipients == [] and load_profile(reg).place == "Bách Quang"
        assert reg.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_pasted_page_as_a_search_query_is_refused_with_a_message(registry, capsys):
    with pytest.raises(RegisterError, match="Từ khóa tìm kiếm dài 20.000 ký tự, quá giới hạn 500"):
        search.search(registry, "phòng " * 3333 + "dị")  # 20,000 characters
    assert search.search(registry, "phòng chống dịch") == []  # a real query still runs


def test_the_text_of_a_huge_received_document_is_cut_for_the_search_and_the_entry_goes_in(registry):
    from dirdesk import limits

    row = incoming.add(registry, incoming.IncomingEntry(subject="Báo cáo rất dài", body="chữ " * 300_000,
                                                        signatures=[]))
    assert len(row["body"]) == limits.BODY
    assert search.search(registry, "báo cáo rất dài")[0].id == row["id"]
