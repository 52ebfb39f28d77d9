"""Several processes on one register file, and processes killed mid-issue:
no number is ever handed out twice, none is skipped, the file stays intact."""

import os
import random
import signal
import subprocess
import sys
import time

from dirdesk.registers import open_registry
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.profile import set_profile_value
from tests.conftest import ROOT


def prepared_register(path):
    with open_registry(path) as reg:
        set_profile_value(reg, "style", "party")
        set_profile_value(reg, "issuer", {"name": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG", "code": "ĐU"})
        set_profile_value(reg, "place", "Bách Quang")
    return path


def start_workers(db, mode, count, processes, go_file):
    workers = [subprocess.Popen([sys.executable, "-m", "tests.register_worker", str(db), mode, str(count),
                                 str(go_file)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(processes)]
    for w in workers:
        assert w.stdout.readline().strip() == "ready", w.stderr.read()
    go_file.touch()
    return workers


def finish(workers):
    for w in workers:
        _, err = w.communicate(timeout=300)
        assert w.returncode == 0, err


def test_four_processes_issuing_at_once_get_distinct_numbers_without_gaps(tmp_path):
    # The numbering transaction alone (no DOCX/PDF): rendering 1,000 documents
    # one after another under the write lock would take over a minute.
    db = prepared_register(tmp_path / "so.sqlite")
    finish(start_workers(db, "issue", 250, 4, tmp_path / "go"))
    with open_registry(db) as reg:
        numbers = [r["number"] for r in reg.query("SELECT number FROM outgoing ORDER BY number")]
        symbols = {r["symbol"] for r in reg.query("SELECT symbol FROM outgoing")}
        assert reg.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert numbers == list(range(1, 1001))
    assert len(symbols) == 1000


def test_processes_issuing_rendered_documents_and_logging_incoming_at_once(tmp_path):
    db = prepared_register(tmp_path / "so.sqlite")
    go = tmp_path / "go"
    workers = start_workers(db, "issue-rendered", 8, 2, go) + start_workers(db, "incoming", 50, 2, go)
    finish(workers)
    with open_registry(db) as reg:
        rows = reg.query("SELECT number, pdf_sha256 FROM outgoing ORDER BY number")
        assert [r["number"] for r in rows] == list(range(1, 17))
        assert len({r["pdf_sha256"] for r in rows}) == 16  # each copy carries its own number
        arrivals = [r["number"] for r in reg.query("SELECT number FROM incoming ORDER BY number")]
        assert arrivals == list(range(1, 101))


def test_killing_a_process_mid_issue_leaves_no_gap_no_duplicate_and_an_intact_file(tmp_path):
    db = prepared_register(tmp_path / "so.sqlite")
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    for attempt in range(50):
        go = tmp_path / f"go-{attempt}"
        (worker,) = start_workers(db, "issue-rendered", 0, 1, go)
        time.sleep(rng.uniform(0, 0.5))
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker.stdout.close()
        worker.stderr.close()
    with open_registry(db) as reg:  # opening runs the integrity check
        assert reg.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = reg.query("SELECT number, status, docx_sha256, pdf_sha256 FROM outgoing ORDER BY number")
        assert [r["number"] for r in rows] == list(range(1, len(rows) + 1)), f"seed {seed}"
        assert all(r["status"] == "issued" for r in rows)
        for r in rows:  # every committed number has both of its files, intact
            read_attachment(reg, r["docx_sha256"])
            read_attachment(reg, r["pdf_sha256"])
        audit_inserts = reg.one("SELECT COUNT(*) AS n FROM audit WHERE table_name = 'outgoing'")["n"]
        assert audit_inserts == len(rows)
    assert len(rows) > 0, f"no issue completed in 50 runs (seed {seed})"
