"""Processes killed (SIGKILL) at random moments while they back up, restore or import: the register
stays intact, no half-written backup is left under its final name, a restore either happened
completely or left the old register as it was, and an import wrote all its rows or none.

Each scenario is bounded in time (some 8 s); the seed is printed on failure."""

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dirdesk.registers import backup, incoming, open_registry
from dirdesk.registers.attachments import missing_attachments
from dirdesk.registers.database import files_dir
from tests.conftest import ROOT
from tests.test_backup import build_register, dump

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")]
BUDGET = 8.0  # seconds of kills per scenario
MAX_DELAY = 0.6  # a kill comes at most this long after the worker is ready


def start(*args: str) -> subprocess.Popen:
    worker = subprocess.Popen([sys.executable, "-m", "tests.kill_worker", *map(str, args)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = worker.stdout.readline().strip()
    assert line == "ready", worker.stderr.read()
    return worker


def kill(worker: subprocess.Popen, delay: float) -> str:
    """Kill the worker `delay` seconds from now (it may have finished first); what it printed."""
    time.sleep(delay)
    worker.send_signal(signal.SIGKILL)
    out, err = worker.communicate(timeout=60)
    assert worker.returncode in (-signal.SIGKILL, 0), err
    return out


def kills(seed: int):
    """Random delays, until the scenario's time is up."""
    rng, end = random.Random(seed), time.monotonic() + BUDGET
    while time.monotonic() < end:
        yield rng.uniform(0, MAX_DELAY)


def intact(db: Path) -> None:
    with open_registry(db) as reg:  # opening checks the file through
        assert reg.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def seed():
    return int.from_bytes(os.urandom(4), "big")


def test_kills_during_backups_leave_the_register_intact_and_only_whole_backups(tmp_path, seed):
    db = tmp_path / "so.sqlite"
    build_register(db)
    before = dump(db)
    folder = tmp_path / "backups"
    folder.mkdir()
    runs = 0
    for delay in kills(seed):
        kill(start("backup", db, folder), delay)
        runs += 1
        intact(db)
    assert dump(db) == before, f"seed {seed}"
    finished = sorted(folder.glob("*.zip"))
    for path in finished:  # under its final name, a backup is whole
        assert backup.verify_backup(path).counts["outgoing"] == 3, f"seed {seed}: {path.name}"
    assert all(p.name.startswith(".") for p in folder.iterdir() if p.suffix != ".zip"), f"seed {seed}"
    assert runs > 3 and finished, f"seed {seed}: {runs} runs, no backup finished"


def test_kills_during_restores_leave_the_old_register_or_the_new_one(tmp_path, seed):
    source = tmp_path / "source.sqlite"
    build_register(source)
    with open_registry(source) as reg:
        small = backup.make_backup(reg, tmp_path / "small.zip")
        for n in range(20):
            incoming.add(reg, incoming.IncomingEntry(subject=f"Văn bản thêm {n}", files=[(f"{n}.txt", b"x%d" % n)]))
        large = backup.make_backup(reg, tmp_path / "large.zip")
    states = {2, len(dump(source)["incoming"])}  # the two backups' incoming entries
    assert states == {2, 22}
    db = tmp_path / "office" / "so.sqlite"
    backup.restore_backup(small, db)
    runs = 0
    for delay in kills(seed):
        kill(start("restore", db, large, small), delay)
        runs += 1
        intact(db)
        rows = dump(db)
        assert len(rows["incoming"]) in states, f"seed {seed}"
        assert len(rows["outgoing"]) == 3, f"seed {seed}"
        with open_registry(db) as reg:  # every file the restored register refers to is there
            assert missing_attachments(reg) == [], f"seed {seed}"
    assert runs > 3
    assert files_dir(db).is_dir()


def test_kills_during_an_import_write_all_rows_or_none(tmp_path, seed):
    rows = 400
    path = tmp_path / "so-den.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Trích yếu"])
        writer.writerows([f"{1 + n % 28:02d}/02/2026", n + 1, "UBND quận", f"{n + 1}/UBND-VP", f"Văn bản {n}"]
                         for n in range(rows))
    empty = tmp_path / "empty.sqlite"
    open_registry(empty).close()
    outcomes = set()
    for attempt, delay in enumerate(kills(seed)):
        db = tmp_path / f"so-{attempt}.sqlite"
        shutil.copy(empty, db)
        out = kill(start("import", db, path), delay)
        intact(db)
        count = len(dump(db)["incoming"])
        assert count in (0, rows), f"seed {seed}: {count} of {rows} rows after a kill"
        if f"imported {rows}" in out:  # it finished before the kill
            assert count == rows, f"seed {seed}"
        outcomes.add(count)
        db.unlink()
    assert outcomes, f"seed {seed}"
