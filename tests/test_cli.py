"""The `dirdesk` command line: render, new, types, check."""

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest

from dirdesk.cli import main
from dirdesk.cli.common import date_arg
from dirdesk.dates import parse_typed_date
from dirdesk.draft import load_draft
from dirdesk.rules import doc_types

from .conftest import FIXTURES


def test_render_writes_both_files_beside_the_draft(tmp_path):
    draft = tmp_path / "cv66.json"
    shutil.copy(FIXTURES / "seed-000.json", draft)
    assert main(["render", str(draft)]) == 0
    assert (tmp_path / "cv66.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "cv66.pdf").read_bytes()[:5] == b"%PDF-"


def test_render_only_the_file_asked_for(tmp_path):
    out = tmp_path / "out.pdf"
    assert main(["render", str(FIXTURES / "seed-000.json"), "--pdf", str(out)]) == 0
    assert out.exists()
    assert not list(tmp_path.glob("*.docx"))


def test_bad_draft_fails_cleanly_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    data = json.loads((FIXTURES / "seed-000.json").read_text(encoding="utf-8"))
    data["date"] = "2021-02-30"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert main(["render", str(bad)]) == 2
    assert "date" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


@pytest.mark.parametrize("style", ["party", "state"])
def test_new_writes_a_loadable_template_for_every_type(tmp_path, style):
    for code, doc_type in doc_types(style).items():
        out = tmp_path / f"{doc_type.slug}.json"
        assert main(["new", code, "--style", style, "-o", str(out)]) == 0
        draft = load_draft(out)
        assert (draft.style, draft.type, draft.number) == (style, code, None)


def test_new_accepts_the_slug_and_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "kh.json"
    assert main(["new", "ke-hoach", "--style", "party", "-o", str(out)]) == 0
    body = load_draft(out).body
    assert "MỤC ĐÍCH, YÊU CẦU" in body and "TỔ CHỨC THỰC HIỆN" in body
    assert main(["new", "KH", "--style", "party", "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err


def test_new_unknown_type(capsys):
    assert main(["new", "XYZ", "--style", "state"]) == 2
    assert "XYZ" in capsys.readouterr().err


def test_types_lists_both_styles(capsys):
    assert main(["types"]) == 0
    out = capsys.readouterr().out
    for code in ("CV", "NQ", "QĐ", "CT", "KL", "QC", "HD", "TB", "KH", "BC", "CTr", "TTr", "BB", "GM", "GGT"):
        assert f"  {code} " in out
    assert "QyĐ" in out and "QĐi" in out


def test_check_exit_codes(tmp_path, capsys):
    assert main(["check", str(FIXTURES / "seed-000.json")]) == 0
    data = json.loads((FIXTURES / "seed-003.json").read_text(encoding="utf-8"))
    data["title"] = "NHỊ QUYẾT"
    bad = tmp_path / "nq.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "NGHỊ QUYẾT" in out and "36-HD/VPTW" in out


def test_console_script_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "dirdesk", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "DirDesk" in out.stdout


@pytest.mark.parametrize("typed", ["2026-11-08", "08/11/2026", "08-11-2026", "8.11.26", "ngày 08 tháng 11 năm 2026"])
def test_a_date_on_the_command_line_is_read_as_a_dialog_reads_it(typed):
    assert date_arg(typed) == parse_typed_date(typed) == dt.date(2026, 11, 8)


@pytest.mark.parametrize("typed", ["30/02/2026", "hôm qua", "", "01/01/1901"])
def test_a_command_line_date_that_is_not_one_is_refused_in_vietnamese(typed):
    with pytest.raises(argparse.ArgumentTypeError, match="^ngày '.*'(: năm .* nằm ngoài| không hợp lệ)"):
        date_arg(typed)


def test_argparse_speaks_vietnamese_to_the_clerk(capsys):
    """A missing or unknown argument is said in Vietnamese (argparse's own words), exit code 2."""
    with pytest.raises(SystemExit) as missing:
        main(["outgoing", "issue"])
    err_text = capsys.readouterr().err
    assert missing.value.code == 2
    assert "cách dùng: dirdesk outgoing issue" in err_text and "lỗi: còn thiếu: DRAFT.json" in err_text
    assert "usage:" not in err_text and "error:" not in err_text and "required" not in err_text
    with pytest.raises(SystemExit):
        main(["--bogus"])
    assert "lỗi: không hiểu: --bogus" in capsys.readouterr().err
