"""Soak: the real window and its background jobs, with three other processes writing, for two minutes.

The window previews, searches, exports, backs up and refreshes its tables
(each job with its own register connection) and now and then issues a
document itself, while three other processes issue documents and add
incoming entries. Afterwards the file is whole, the -wal was never deleted
under the window's open connection, numbers are unique and gap-free, the
window lists every entry, and no job failed without the clerk being told.

`DIRDESK_SOAK_SECONDS` shortens or lengthens the run (default 120).
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from dirdesk.gui import dialogs, workers
from dirdesk.gui.app import build_main_window
from dirdesk.gui.drafting.issuing import IssueConfirmDialog
from dirdesk.registers import open_registry
from tests.conftest import FIXTURES, ROOT

SECONDS = float(os.environ.get("DIRDESK_SOAK_SECONDS", "120"))
WORKERS = ("issue-rendered", "issue", "incoming")

pytestmark = pytest.mark.slow


class WalWatch(threading.Thread):
    """Polls, every few milliseconds, that the -wal is there (it must be while a connection is open)."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.wal = db.with_name(db.name + "-wal")
        self.stop = threading.Event()
        self.polls = self.missing = 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.polls += 1
            if not self.wal.exists():
                self.missing += 1
            time.sleep(0.003)


def start_workers(db: Path, tmp_path: Path) -> tuple[list[subprocess.Popen], Path, Path]:
    go, stop = tmp_path / "go", tmp_path / "stop"
    procs = [subprocess.Popen([sys.executable, "-m", "tests.register_worker", str(db), mode, "0", str(go), str(stop)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for mode in WORKERS]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return procs, go, stop


def stop_workers(procs, stop: Path) -> dict[str, int]:
    stop.touch()
    written = {}
    for mode, proc in zip(WORKERS, procs, strict=True):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        written[mode] = int(out.split()[-1])
    return written


def record_failures(monkeypatch) -> list[str]:
    """Every job that failed and every message box the clerk would have seen."""
    failures: list[str] = []
    original = workers._Job.run

    def run(job) -> None:
        fn = job.fn

        def recorded(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except BaseException as exc:
                failures.append(f"job {getattr(fn, '__name__', fn)}: {type(exc).__name__}: {exc}")
                raise

        job.fn = recorded
        original(job)

    monkeypatch.setattr(workers._Job, "run", run)
    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(
            lambda parent, title, text, *a, _n=name, **k: failures.append(f"{_n}: {title}: {text}")
            or QMessageBox.StandardButton.Ok))
    from dirdesk.gui import dialogs

    for name in ("show_error", "show_failure", "show_info"):
        monkeypatch.setattr(dialogs, name, lambda parent, text, title="", _n=name: failures.append(
            f"{_n}: {title}: {text}"))
    return failures


def test_window_and_three_writers_for_two_minutes(qtbot, party_registry, data_dir, tmp_path, monkeypatch):
    import json

    db = Path(party_registry.path)
    failures = record_failures(monkeypatch)
    shown_before = len(dialogs.failures_shown)
    monkeypatch.setattr(IssueConfirmDialog, "exec", lambda self: True)
    win = build_main_window(party_registry, data_dir)
    qtbot.addWidget(win)
    win.start(daily_backup=False)
    drafting, search = win.section("drafting"), win.section("search")
    books, settings = win.section("registers"), win.section("settings")
    draft = json.loads((FIXTURES / "seed-000.json").read_text(encoding="utf-8"))
    draft["number"] = None

    watch = WalWatch(db)
    procs, go, stop = start_workers(db, tmp_path)
    watch.start()
    go.touch()
    issued_by_window, rounds = 0, 0
    deadline = time.monotonic() + SECONDS
    try:
        while time.monotonic() < deadline:
            rounds += 1
            drafting.load_data(dict(draft, subject=f"Về việc thử sức chịu đựng, vòng {rounds}"), modified=True)
            if rounds % 5 == 0:
                with qtbot.waitSignal(drafting.issued, timeout=60000):
                    drafting.issue()
                issued_by_window += 1
            search.search_now(f"van ban {rounds % 50}")
            books.choose("outgoing" if rounds % 2 else "incoming")
            books.export_to(tmp_path / f"so-{rounds % 3}.xlsx", "xlsx")
            if rounds % 4 == 0 and not settings.backups.busy:
                settings.backups.backup_now()
            for key in ("outgoing", "incoming"):
                win.show_section(key).refresh()
            qtbot.wait(300)
    finally:
        written = stop_workers(procs, stop)
        assert workers.wait_for_background(120000)
        qtbot.wait(200)
        watch.stop.set()
        watch.join()

    assert watch.polls > 1000 and watch.missing == 0, f"-wal missing in {watch.missing} of {watch.polls} polls"
    assert failures == []
    assert dialogs.failures_shown[shown_before:] == []
    with open_registry(db, create=False) as check:
        assert check.one("PRAGMA integrity_check")["integrity_check"] == "ok"
        rows = check.query("SELECT seq_key, number FROM outgoing ORDER BY seq_key, number")
        incoming_numbers = [r["number"] for r in check.query("SELECT number FROM incoming ORDER BY year, number")]
    by_key: dict[str, list[int]] = {}
    for row in rows:
        by_key.setdefault(row["seq_key"], []).append(row["number"])
    for key, numbers in by_key.items():
        assert numbers == list(range(1, len(numbers) + 1)), f"gaps or repeats in {key}"
    assert len(rows) == written["issue-rendered"] + written["issue"] + issued_by_window
    assert incoming_numbers == list(range(1, written["incoming"] + 1))
    assert min(written.values()) >= 5 and issued_by_window >= 1, written

    for key, expected in (("outgoing", len(rows)), ("incoming", len(incoming_numbers))):
        section = win.show_section(key)
        section.refresh()
        model = section.model
        while model.canFetchMore():
            model.fetchMore()
        assert model.rowCount() == expected, key
