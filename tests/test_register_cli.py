"""The register commands, as a clerk or a script runs them."""

import json
import sqlite3

import pytest

from dirdesk.cli import main
from tests.conftest import FIXTURES, run


def test_issue_prints_the_symbol_and_keeps_the_files(capsys, db, tmp_path):
    code, out, _ = run(capsys, "outgoing", "issue", str(FIXTURES / "seed-000.json"), "--db", db,
                       "--date", "2021-09-08", "--copies", "12", "--out", str(tmp_path / "ban-in"))
    assert code == 0
    assert out.splitlines()[0] == "66-CV/ĐU"  # the draft carried number 66: registered with it
    assert sorted(p.name for p in (tmp_path / "ban-in").iterdir()) == ["66-CV-ĐU.docx", "66-CV-ĐU.pdf"]
    code, out, _ = run(capsys, "outgoing", "list", "--month", "2021-09", "--json", "--db", db)
    listed = json.loads(out)
    assert listed["period"] == "Tháng 9 năm 2021"
    (entry,) = listed["entries"]
    assert (entry["symbol"], entry["copies"], entry["status"]) == ("66-CV/ĐU", 12, "issued")
    assert "nhiệm kỳ" in listed["note"]  # no Party term set yet: the register says so


def test_reserve_next_and_cancel(capsys, db):
    run(capsys, "outgoing", "issue", str(FIXTURES / "seed-000.json"), "--db", db)
    assert run(capsys, "outgoing", "next", "CV", "--db", db)[1].startswith("67-CV/ĐU")
    assert run(capsys, "outgoing", "reserve", "CV", "--db", db)[1].strip() == "67-CV/ĐU"
    assert run(capsys, "outgoing", "next", "CV", "--db", db, "--json")[1].count('"symbol": "68-CV/ĐU"') == 1
    code, out, _ = run(capsys, "outgoing", "cancel", "67-CV/ĐU", "--reason", "Không ban hành nữa", "--db", db)
    assert code == 0 and "đã hủy số 67-CV/ĐU" in out
    with pytest.raises(SystemExit) as exc:
        main(["outgoing", "cancel", "66-CV/ĐU", "--db", db])  # a reason is required
    assert exc.value.code == 2


def test_a_bad_draft_is_refused_in_vietnamese_and_uses_no_number(capsys, db, tmp_path):
    run(capsys, "outgoing", "issue", str(FIXTURES / "seed-000.json"), "--db", db)
    bad = json.loads((FIXTURES / "seed-000.json").read_text(encoding="utf-8"))
    bad["number"] = None
    bad["date"] = "2021-02-30"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "outgoing", "issue", str(path), "--db", db)
    assert code == 2 and err.startswith("lỗi:") and "date" in err
    assert run(capsys, "outgoing", "next", "CV", "--db", db)[1].startswith("67-CV/ĐU")
    other = {**bad, "number": 66, "date": "2021-09-08", "subject": "V/v một văn bản khác ghi nhầm số 66"}
    path.write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "outgoing", "issue", str(path), "--db", db)  # another document, number 66
    assert code == 2 and "đã được dùng" in err


def test_incoming_followup_and_search(capsys, db, tmp_path):
    received = tmp_path / "cv-den.pdf"
    received.write_bytes(b"%PDF-1.4 a received letter")
    code, out, _ = run(capsys, "incoming", "add", str(received), "--from", "Thành ủy Sông Công",
                       "--symbol", "215-CV/TU", "--date", "01/10/2021", "--received", "2021-10-04",
                       "--subject", "V/v tuyên truyền kỷ niệm ngày thành lập Đảng bộ",
                       "--deadline", "2021-10-20", "--db", db)
    assert (code, out.strip()) == (0, "01")
    code, out, _ = run(capsys, "followup", "list", "--overdue", "--today", "2021-10-21", "--db", db, "--json")
    (late,) = json.loads(out)
    assert late["files"][0]["name"] == "cv-den.pdf" and late["symbol"] == "215-CV/TU"
    assert run(capsys, "followup", "progress", "1/2021", "Đã giao Ban Tuyên giáo", "--db", db)[0] == 0
    assert run(capsys, "followup", "done", "1/2021", "--reply", "70-CV/ĐU", "--db", db)[0] == 0
    code, out, _ = run(capsys, "search", "thanh lap dang bo", "--db", db, "--json")
    (hit,) = json.loads(out)
    assert (hit["kind"], hit["symbol"], hit["status"]) == ("incoming", "215-CV/TU", "done")
    code, out, _ = run(capsys, "incoming", "show", "1/2021", "--db", db, "--json")
    shown = json.loads(out)
    assert shown["progress"][0]["text"] == "Đã giao Ban Tuyên giáo"
    assert [h["action"] for h in shown["history"]][-1] == "insert"


def test_the_register_file_comes_from_the_environment_when_no_option_is_given(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DIRDESK_DB", str(tmp_path / "env.sqlite"))
    assert run(capsys, "incoming", "add", "--subject", "Giấy mời họp")[1].strip() == "01"
    assert (tmp_path / "env.sqlite").exists()


def test_profile_set_and_show(capsys, db):
    assert run(capsys, "profile", "set", "style", "state", "--db", db)[0] == 0
    run(capsys, "profile", "set", "issuer", '{"name": "ỦY BAN NHÂN DÂN\\nPHƯỜNG BÁCH QUANG", "code": "UBND"}',
        "--db", db)
    run(capsys, "profile", "set", "issuer.parent", "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ SÔNG CÔNG", "--db", db)
    code, _, err = run(capsys, "profile", "set", "state_sequence", "random", "--db", db)
    assert code == 2 and "per_type" in err
    profile = json.loads(run(capsys, "profile", "show", "--json", "--db", db)[1])
    assert profile["issuer"]["code"] == "UBND" and profile["issuer"]["parent"].startswith("ỦY BAN")
    assert run(capsys, "outgoing", "next", "QĐ", "--date", "2026-01-05", "--db", db)[1].startswith("01/QĐ-UBND")


def test_a_foreign_file_is_refused_with_a_message(capsys, tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "outgoing", "list", "--db", str(path))
    assert code == 2 and "phần mềm khác" in err


def test_the_first_command_of_the_day_makes_the_automatic_backup(capsys, db, tmp_path):
    import datetime as dt

    run(capsys, "incoming", "add", "--subject", "Giấy mời họp", "--db", db)
    run(capsys, "incoming", "add", "--subject", "Giấy mời họp lần 2", "--db", db)
    backups = sorted(p.name for p in (tmp_path / "so-backups").iterdir())
    assert backups == [f"tu-dong-{dt.date.today().isoformat()}.zip"]
