"""The register file: where it lives, how it is opened, what is refused untouched."""

import hashlib
import sqlite3

import pytest

from dirdesk.registers import DatabaseRefused, RegisterError, database, open_registry, outgoing, schema
from dirdesk.registers.attachments import store_bytes
from tests.conftest import fixture_draft


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_register(path, documents=30):
    reg = open_registry(path)
    for _ in range(documents):
        outgoing.issue(reg, fixture_draft("seed-000"), render=False)
    reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reg.close()
    return path


def test_new_file_is_durable_and_marked_as_ours(tmp_path):
    with open_registry(tmp_path / "so.sqlite") as reg:
        pragma = lambda name: reg.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("application_id") == schema.APPLICATION_ID
        assert pragma("user_version") == schema.SCHEMA_VERSION


def test_location_default_env_and_option(tmp_path, monkeypatch):
    monkeypatch.delenv(database.ENV_VAR, raising=False)
    default = database.default_db_path()
    assert default.name == "dirdesk.sqlite" and "DirDesk" in str(default)
    monkeypatch.setenv(database.ENV_VAR, str(tmp_path / "env.sqlite"))
    assert database.default_db_path() == tmp_path / "env.sqlite"
    with open_registry() as reg:
        assert reg.path == tmp_path / "env.sqlite"
    with open_registry(tmp_path / "option.sqlite") as reg:  # --db wins over the variable
        assert reg.path == tmp_path / "option.sqlite"
        assert reg.files_dir == tmp_path / "option-files"


@pytest.mark.parametrize("content", [b"", b"hello, this is a text file\n" * 10, b"PK\x03\x04" + b"\0" * 200])
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path, content):
    path = tmp_path / "so.sqlite"
    path.write_bytes(content)
    if not content:  # an empty file is a new register
        open_registry(path).close()
        return
    with pytest.raises(DatabaseRefused, match="không phải tệp sổ của DirDesk"):
        open_registry(path)
    assert path.read_bytes() == content
    assert not (tmp_path / "so.sqlite-wal").exists()


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('Nguyễn Văn A')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="phần mềm khác"):
        open_registry(path)
    assert digest(path) == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # not switched to WAL
    conn.close()


def test_a_truncated_register_is_refused_untouched(tmp_path):
    path = make_register(tmp_path / "so.sqlite")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="bị cắt cụt|bị hỏng"):
        open_registry(path)
    assert digest(path) == before


def test_a_damaged_register_is_refused_untouched(tmp_path):
    path = make_register(tmp_path / "so.sqlite")
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page + 8, 2 * page + 400):  # scribble over a page's cell pointers
        data[offset] = 0xFF
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DatabaseRefused, match="bị hỏng"):
        open_registry(path)
    assert digest(path) == before


def test_a_register_from_a_newer_dirdesk_is_refused(tmp_path):
    path = make_register(tmp_path / "so.sqlite", documents=1)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseRefused, match="phiên bản DirDesk mới hơn"):
        open_registry(path)


def test_migrations_run_in_order_after_a_backup(tmp_path, monkeypatch):
    path = make_register(tmp_path / "so.sqlite", documents=2)
    extra = ["CREATE TABLE later_feature (id INTEGER PRIMARY KEY)",
             "ALTER TABLE outgoing ADD COLUMN later_column TEXT"]
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, extra])
    monkeypatch.setattr(database, "MIGRATIONS", schema.MIGRATIONS)
    monkeypatch.setattr(database, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with open_registry(path) as reg:
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION + 1
        assert reg.one("SELECT COUNT(*) AS n FROM outgoing")["n"] == 2
        assert "later_column" in reg.db["outgoing"].columns_dict
    backups = list(database.backups_dir(path).glob(f"*truoc-nang-cap-v{schema.SCHEMA_VERSION}-*.sqlite"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert old.execute("SELECT COUNT(*) FROM outgoing").fetchone()[0] == 2
    old.close()


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    path = make_register(tmp_path / "so.sqlite", documents=2)
    broken = ["CREATE TABLE half_done (id INTEGER)", "THIS IS NOT SQL"]
    monkeypatch.setattr(database, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(database, "SCHEMA_VERSION", len(schema.MIGRATIONS) + 1)
    with pytest.raises(DatabaseRefused):
        open_registry(path)
    monkeypatch.undo()
    with open_registry(path) as reg:
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert "half_done" not in reg.db.table_names()


def test_attached_files_are_named_by_content_hash(registry):
    with registry.transaction():
        first = store_bytes(registry, b"%PDF-1.4 one", "../../../etc/passwd.pdf")
        again = store_bytes(registry, b"%PDF-1.4 one", "other name.pdf")
        odd = store_bytes(registry, b"MZ", "virus.exe")
    assert first == again == hashlib.sha256(b"%PDF-1.4 one").hexdigest()
    stored = sorted(p.relative_to(registry.files_dir).as_posix() for p in registry.files_dir.rglob("*") if p.is_file())
    assert stored == sorted([f"{first[:2]}/{first}.pdf", f"{odd[:2]}/{odd}.bin"])


def test_transactions_roll_back_on_error(registry):
    with pytest.raises(RuntimeError):
        with registry.transaction():
            registry.db.execute("INSERT INTO profile (key, value) VALUES ('style', '\"party\"')")
            raise RuntimeError("boom")
    assert registry.query("SELECT * FROM profile") == []
    with pytest.raises(RegisterError, match="Không có tệp sổ"):
        open_registry(registry.path.with_name("missing.sqlite"), create=False)


def test_a_version_1_register_is_migrated_to_version_2_keeping_its_rows(tmp_path, monkeypatch):
    """v2 (issue 4) indexes received files by hash and keeps the signatures of received PDFs."""
    path = tmp_path / "so.sqlite"
    monkeypatch.setattr(database, "MIGRATIONS", schema.MIGRATIONS[:1])
    monkeypatch.setattr(database, "SCHEMA_VERSION", 1)
    make_register(path, documents=2)
    with open_registry(path) as reg, reg.transaction():
        store_bytes(reg, b"%PDF-1.4 received", ".pdf")
        reg.db.execute("INSERT INTO incoming (year, number, received_date, author, symbol, subject, created_at, "
                       "updated_at) VALUES (2026, 1, '2026-03-02', 'Tỉnh ủy Bắc Kạn', '309-CV/TU', 'V/v phòng dịch', "
                       "'2026-03-02 08:00:00', '2026-03-02 08:00:00')")
        reg.db.execute("INSERT INTO incoming_files (incoming_id, sha256, name) VALUES (1, ?, 'cv.pdf')",
                       [hashlib.sha256(b"%PDF-1.4 received").hexdigest()])
    monkeypatch.undo()
    assert schema.SCHEMA_VERSION >= 2
    with open_registry(path) as reg:
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert reg.one("SELECT COUNT(*) AS n FROM outgoing")["n"] == 2
        row = reg.one("SELECT * FROM incoming")
        assert (row["number"], row["symbol"], row["signatures"]) == (1, "309-CV/TU", "[]")
        assert reg.one("SELECT name FROM incoming_files")["name"] == "cv.pdf"
        plan = reg.query("EXPLAIN QUERY PLAN SELECT * FROM incoming_files WHERE sha256 = 'x'")
        assert any("incoming_files_sha256" in step["detail"] for step in plan)
    (backup,) = database.backups_dir(path).glob("*truoc-nang-cap-v1-*.sqlite")
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT symbol FROM incoming").fetchall() == [("309-CV/TU",)]
    old.close()


def test_a_second_connection_may_skip_the_integrity_read_but_not_the_other_checks(tmp_path):
    import sqlite3

    from dirdesk.registers import DatabaseRefused, open_registry

    path = tmp_path / "so.sqlite"
    open_registry(path).close()
    with open_registry(path, create=False, integrity_check=False) as reg:
        assert reg.one("PRAGMA user_version")["user_version"] >= 1
    foreign = tmp_path / "other.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(DatabaseRefused):
        open_registry(foreign, integrity_check=False)
    assert foreign.read_bytes() == before
