"""The register's locks survive the window's own connections and other processes.

On POSIX, closing any file descriptor on a file drops every lock the process
holds on it. The window keeps a connection open and its background jobs open
more; if opening one of those read the file with a plain open()/close(), the
window's connection lost its locks, and the next process to close the file
took itself for the last one and deleted the -wal the window still wrote to:
rows written by the window then vanished for every other process.
"""

import os
import subprocess
import sys

import pytest

from dirdesk.registers import database, incoming, open_registry, outgoing
from tests.conftest import ROOT, fixture_draft

OTHER_PROCESS = """
import sys
from dirdesk.registers import open_registry
reg = open_registry(sys.argv[1])
print(reg.one("SELECT COUNT(*) AS n FROM incoming")["n"])
reg.close()
"""


def count_in_another_process(db) -> int:
    out = subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(db)], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    return int(out.stdout.strip())


def add(reg, n):
    for i in range(n):
        incoming.add(reg, incoming.IncomingEntry(author="UBND thành phố", subject=f"Văn bản {i}"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX advisory locks")
def test_worker_connections_and_other_processes_keep_the_windows_register_whole(tmp_path):
    db = tmp_path / "so.sqlite"
    window = open_registry(db)  # the window's connection, open for the whole session
    add(window, 2)
    window.conn.execute("SELECT COUNT(*) FROM incoming").fetchone()  # holds its read mark on the WAL
    for _ in range(3):  # background jobs: each opens and closes its own connection
        job = open_registry(db, create=False, integrity_check=False)
        job.one("SELECT COUNT(*) AS n FROM outgoing")
        job.close()
    held = open_registry(db, create=False, integrity_check=False)  # a job still running
    assert count_in_another_process(db) == 2  # a terminal command opens and closes the file
    wal = db.with_name(db.name + "-wal")
    assert wal.exists(), "the -wal was deleted under the window's open connection"
    add(window, 1)  # the window writes after the other process has gone
    assert count_in_another_process(db) == 3
    assert held.one("SELECT COUNT(*) AS n FROM incoming")["n"] == 3
    assert window.one("PRAGMA integrity_check")["integrity_check"] == "ok"
    held.close()
    window.close()
    with open_registry(db) as fresh:
        assert fresh.one("SELECT COUNT(*) AS n FROM incoming")["n"] == 3


def test_connections_are_counted_until_closed(tmp_path):
    db = tmp_path / "so.sqlite"
    assert not database.connections_open(db)
    first = open_registry(db)
    second = open_registry(db, create=False, integrity_check=False)
    assert database.connections_open(db)
    assert database.connections_open(tmp_path / "." / "so.sqlite")  # the same file by another spelling
    first.close()
    assert database.connections_open(db)
    second.close()
    second.close()  # closing twice does not uncount another connection
    assert not database.connections_open(db)


def test_the_header_is_not_read_with_a_file_descriptor_while_a_connection_is_open(tmp_path, monkeypatch):
    db = tmp_path / "so.sqlite"
    reg = open_registry(db)
    outgoing.issue(reg, fixture_draft("seed-000"), render=False)
    opened = []
    real_open = open

    def spying_open(file, *args, **kwargs):
        if os.path.realpath(file) == os.path.realpath(db):
            opened.append(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spying_open)
    job = open_registry(db, create=False, integrity_check=False)
    job.close()
    assert opened == []
    reg.close()
    monkeypatch.setattr("builtins.open", real_open)


def test_a_file_that_is_not_a_register_is_refused_even_when_checked_through_sqlite(tmp_path):
    db = tmp_path / "so.sqlite"
    open_registry(db).close()
    other = tmp_path / "notes.sqlite"
    other.write_bytes(b"not a database at all\n" * 20)
    with pytest.raises(database.DatabaseRefused, match="không phải tệp sổ"):
        database._check_existing(other, integrity=False)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_new_register_and_its_sidecars_are_the_users_alone(tmp_path):
    db = tmp_path / "so.sqlite"
    with open_registry(db) as reg:
        add(reg, 1)
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            assert path.stat().st_mode & 0o077 == 0, path
    old = tmp_path / "cu.sqlite"
    open_registry(old).close()
    os.chmod(old, 0o644)
    open_registry(old).close()
    assert old.stat().st_mode & 0o077 == 0
