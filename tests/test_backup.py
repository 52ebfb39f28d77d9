"""Backups of the register file: make, verify, restore, the daily automatic backup, and the CLI."""

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import threading
import zipfile
from pathlib import Path

import pytest

from dirdesk.cli import main
from dirdesk.draft import load_draft
from dirdesk.registers import DatabaseRefused, RegisterError, backup, incoming, open_registry, outgoing
from dirdesk.registers.database import backups_dir, files_dir
from dirdesk.registers.schema import SCHEMA_VERSION

from .conftest import FIXTURES

CV_DATE = dt.date(2021, 9, 8)  # seed-000's date
TABLES = ("profile", "outgoing", "incoming", "incoming_files", "attachments", "audit")


def build_register(db: Path) -> None:
    """A register with three issued documents (two of one type) and two received ones with files."""
    with open_registry(db) as reg:
        draft = load_draft(FIXTURES / "seed-000.json")
        outgoing.issue(reg, draft)
        draft.number = None
        outgoing.issue(reg, draft)
        nq = load_draft(FIXTURES / "seed-003.json")
        nq.number = None
        outgoing.issue(reg, nq)
        incoming.add(reg, incoming.IncomingEntry(
            received_date=dt.date(2021, 9, 10), author="UBND quận Long Biên", symbol="12/UBND-VP",
            subject="Về phòng cháy", files=[("cong-van.pdf", b"%PDF-1.4 received " * 50), ("phu luc.docx", b"PK x")]))
        incoming.add(reg, incoming.IncomingEntry(
            received_date=dt.date(2021, 9, 11), subject="Giấy mời", files=[("scan.jpg", bytes(range(256)) * 40)]))


def dump(db: Path) -> dict:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {t: [dict(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES}
    finally:
        conn.close()


def attached_files(db: Path) -> dict[str, bytes]:
    folder = files_dir(db)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A register (closed) and a backup of it, made once for the module."""
    root = tmp_path_factory.mktemp("built")
    db = root / "so.sqlite"
    build_register(db)
    with open_registry(db) as reg:
        zip_path = backup.make_backup(reg, root / "backup.zip")
    return db, zip_path


@pytest.fixture
def register(tmp_path, built):
    """A private copy of the built register (with its files) in tmp_path."""
    db = tmp_path / "office" / "dirdesk.sqlite"
    db.parent.mkdir()
    shutil.copy(built[0], db)
    shutil.copytree(files_dir(built[0]), files_dir(db))
    return db


@pytest.fixture
def backup_zip(tmp_path, built):
    path = tmp_path / "backup.zip"
    shutil.copy(built[1], path)
    return path


# --- making and restoring -----------------------------------------------------------------------------------


def test_manifest_describes_every_member(built):
    db, zip_path = built
    manifest = backup.verify_backup(zip_path)
    with zipfile.ZipFile(zip_path) as zf:
        raw = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
        for name, member in manifest.members.items():
            data = zf.read(name)
            assert (len(data), hashlib.sha256(data).hexdigest()) == (member.size, member.sha256)
    assert raw["dirdesk-backup"] == 1
    assert raw["schema_version"] == SCHEMA_VERSION == manifest.schema_version
    assert raw["app_version"] and raw["created"]
    assert manifest.office == "ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    assert manifest.counts == {"outgoing": 3, "incoming": 2, "drafts": 0, "attachments": 9}
    assert names == {"manifest.json", "dirdesk.sqlite", *manifest.file_members}
    assert {f"files/{name}" for name in attached_files(db)} == set(manifest.file_members)
    assert manifest.damaged == []


def test_restore_into_a_new_path_gives_back_everything(tmp_path, built):
    db, zip_path = built
    target = tmp_path / "elsewhere" / "restored.sqlite"
    result = backup.restore_backup(zip_path, target)
    assert result.safety_copy is None
    assert (result.files_added, result.files_kept, result.files_repaired) == (9, 0, 0)
    assert dump(target) == dump(db)
    assert attached_files(target) == attached_files(db)
    assert sorted(p.name for p in target.parent.iterdir()) == ["restored-files", "restored.sqlite"]
    with open_registry(target) as reg:
        assert outgoing.preview_next(reg, "CV", on=CV_DATE).number == 68  # 66, 67 issued
        assert outgoing.preview_next(reg, "NQ", on=CV_DATE).symbol == "02-NQ/ĐU"  # 01 issued
        assert incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2021, 12, 1)))["number"] == 3
        row = incoming.find(reg, "1/2021")
        files = incoming.files_of(reg, row["id"])
        assert [f["name"] for f in files] == ["cong-van.pdf", "phu luc.docx"]


def test_default_backup_goes_to_the_backups_folder(register):
    with open_registry(register) as reg:
        first = backup.make_backup(reg)
        second = backup.make_backup(reg)
    assert first.parent == second.parent == backups_dir(register)
    assert first != second  # two in the same second do not overwrite each other
    assert first.name.startswith("dirdesk-") and first.suffix == ".zip"
    assert len(first.stem) == len("dirdesk-YYYYMMDD-HHMMSS")
    assert sorted(p.name for p in first.parent.iterdir()) == sorted([first.name, second.name])
    backup.verify_backup(second)


def test_backup_refuses_to_overwrite_the_register_itself(register):
    before = register.read_bytes()
    with open_registry(register) as reg, pytest.raises(RegisterError, match="chính tệp sổ"):
        backup.make_backup(reg, register)
    assert register.read_bytes()[:16] == b"SQLite format 3\x00"
    assert dump(register)["outgoing"] and len(register.read_bytes()) == len(before)


def test_backup_while_another_connection_holds_a_write_transaction(register, tmp_path):
    with open_registry(register) as reg, open_registry(register) as writer:
        writer.conn.execute("BEGIN IMMEDIATE")
        writer.conn.execute("DELETE FROM audit")
        writer.conn.execute("UPDATE outgoing SET subject = 'đang sửa dở'")
        path = backup.make_backup(reg, tmp_path / "during.zip")
        writer.conn.execute("ROLLBACK")
        expected = dump(register)
    backup.verify_backup(path)
    restored = tmp_path / "r" / "dirdesk.sqlite"
    backup.restore_backup(path, restored)
    assert dump(restored) == expected  # the committed state, none of the uncommitted changes


def test_backups_taken_while_a_thread_keeps_writing_are_consistent(register, tmp_path):
    stop = threading.Event()
    written = []

    def keep_writing():
        with open_registry(register) as writer:
            n = 0
            while not stop.is_set():
                n += 1
                data = f"tệp thứ {n} ".encode() * 200
                row = incoming.add(writer, incoming.IncomingEntry(subject=f"Văn bản {n}", files=[(f"{n}.pdf", data)]))
                written.append(row["id"])

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        with open_registry(register) as reg:
            paths = []
            while len(paths) < 4:
                paths.append(backup.make_backup(reg, tmp_path / f"b{len(paths)}.zip"))
    finally:
        stop.set()
        thread.join()
    assert len(written) > 1
    for i, path in enumerate(paths):
        manifest = backup.verify_backup(path)  # every row's file is in the ZIP, the database is whole
        restored = tmp_path / f"r{i}" / "dirdesk.sqlite"
        backup.restore_backup(path, restored)
        rows = dump(restored)
        assert len(rows["attachments"]) == manifest.counts["attachments"] == len(manifest.file_members)
        assert {r["incoming_id"] for r in rows["incoming_files"]} == {r["id"] for r in rows["incoming"]}


def test_restore_over_an_existing_register_keeps_a_safety_copy(register, backup_zip):
    with open_registry(register) as reg:
        incoming.add(reg, incoming.IncomingEntry(subject="Nhập sau khi sao lưu", files=[("moi.txt", b"moi")]))
    after = dump(register)
    files_before = attached_files(register)
    result = backup.restore_backup(backup_zip, register)
    assert result.safety_copy is not None and result.safety_copy.parent == backups_dir(register)
    assert "truoc-khoi-phuc" in result.safety_copy.name
    assert dump(result.safety_copy) == after  # a copy by SQLite's backup API, not of the bytes
    assert sqlite3.connect(result.safety_copy).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (result.files_added, result.files_kept) == (0, 9)
    assert len(dump(register)["incoming"]) == 2
    assert attached_files(register) == files_before  # the later file is kept, nothing removed
    assert not Path(str(register) + "-wal").exists()
    with open_registry(register) as reg:
        assert incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2021, 12, 1)))["number"] == 3


def test_restore_repairs_a_damaged_file_and_ignores_stale_wal(register, backup_zip):
    docx = next(p for p in files_dir(register).rglob("*.docx"))
    good = docx.read_bytes()
    docx.write_bytes(b"hong")
    register.unlink()  # the register is gone, but a -wal of some other file lies beside it
    wal = Path(str(register) + "-wal")
    wal.write_bytes(b"stale wal of another file" * 100)
    result = backup.restore_backup(backup_zip, register)
    assert result.files_repaired == 1 and docx.read_bytes() == good
    assert not wal.exists()
    assert Path(str(result.safety_copy) + "-wal").read_bytes().startswith(b"stale wal")
    with open_registry(register) as reg:
        assert reg.one("PRAGMA integrity_check")["integrity_check"] == "ok"
        assert len(outgoing.list_rows(reg)) == 3


def test_restore_refuses_a_register_still_open(register, backup_zip):
    with open_registry(register) as reg:
        reg.query("SELECT count(*) FROM outgoing")
        with pytest.raises(RegisterError, match="đang được mở"):
            backup.restore_backup(backup_zip, register)
        assert len(outgoing.list_rows(reg)) == 3
    assert not backups_dir(register).exists()


# --- refusing bad backups -------------------------------------------------------------------------------------


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_members(path: Path, members: dict[str, bytes], *, rehash: bool = False) -> None:
    """Write a ZIP; with `rehash`, the manifest is made to agree with the members (a careful forger)."""
    if rehash:
        manifest = json.loads(members["manifest.json"])
        manifest["members"] = {name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                               for name, data in members.items() if name != "manifest.json"}
        members = {**members, "manifest.json": json.dumps(manifest).encode()}
    path.unlink(missing_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def edit_db(data: bytes, tmp: Path, *statements: str) -> bytes:
    db = tmp / "edit.sqlite"
    db.write_bytes(data)
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()
    return db.read_bytes()


def break_index(data: bytes, tmp: Path) -> bytes:
    """Change one byte inside an index page: only a full integrity_check sees it."""
    db = tmp / "index.sqlite"
    db.write_bytes(data)
    conn = sqlite3.connect(db)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'outgoing_symbol'").fetchone()[0]
    conn.close()
    out = bytearray(data)
    start = (root - 1) * page_size
    at = start + bytes(out[start:start + page_size]).find(b"66-CV")
    out[at] = ord("9")
    return bytes(out)


def first_file(members):
    return next(name for name in members if name.startswith("files/"))


def tamper_db_byte(m, tmp):
    data = bytearray(m["dirdesk.sqlite"])
    data[len(data) // 2] ^= 0x01
    m["dirdesk.sqlite"] = bytes(data)


def tamper_file(m, tmp):
    m[first_file(m)] = m[first_file(m)][:-1] + b"!"


def tamper_manifest_hash(m, tmp):
    manifest = json.loads(m["manifest.json"])
    manifest["members"][first_file(m)]["sha256"] = "0" * 64
    m["manifest.json"] = json.dumps(manifest).encode()


def remove_member(m, tmp):
    del m[first_file(m)]


def add_zip_slip(m, tmp):
    m["../../evil.txt"] = b"owned"


def add_zip_slip_in_manifest(m, tmp):
    m["files/../../evil.txt"] = b"owned"
    m["/etc/evil.txt"] = b"owned"


def add_unknown_member(m, tmp):
    m["files/readme.txt"] = b"extra"


def newer_format(m, tmp):
    manifest = json.loads(m["manifest.json"])
    manifest["dirdesk-backup"] = 2
    m["manifest.json"] = json.dumps(manifest).encode()


def foreign_manifest(m, tmp):
    manifest = json.loads(m["manifest.json"])
    del manifest["dirdesk-backup"]
    manifest["other-app"] = 1
    m["manifest.json"] = json.dumps(manifest).encode()


def newer_schema_rehashed(m, tmp):
    m["dirdesk.sqlite"] = edit_db(m["dirdesk.sqlite"], tmp, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    manifest = json.loads(m["manifest.json"])
    manifest["schema_version"] = SCHEMA_VERSION + 1
    m["manifest.json"] = json.dumps(manifest).encode()


def foreign_db_rehashed(m, tmp):
    m["dirdesk.sqlite"] = edit_db(m["dirdesk.sqlite"], tmp, "PRAGMA application_id = 1234")


def broken_index_rehashed(m, tmp):
    m["dirdesk.sqlite"] = break_index(m["dirdesk.sqlite"], tmp)


def file_row_without_member_rehashed(m, tmp):
    del m[first_file(m)]


def file_content_not_its_name_rehashed(m, tmp):
    m[first_file(m)] = b"not what the name says"


TAMPERINGS = {
    "db byte changed": (tamper_db_byte, False, "không khớp mã băm"),
    "attached file changed": (tamper_file, False, "không khớp mã băm"),
    "manifest hash edited": (tamper_manifest_hash, False, "không khớp mã băm"),
    "member removed": (remove_member, False, "thiếu"),
    "zip-slip member": (add_zip_slip, False, "đường dẫn nguy hiểm"),
    "zip-slip in manifest": (add_zip_slip_in_manifest, True, "đường dẫn nguy hiểm"),
    "unknown member": (add_unknown_member, False, "không ghi trong manifest"),
    "unknown member in manifest": (add_unknown_member, True, "mục lạ"),
    "newer backup format": (newer_format, False, "mới hơn"),
    "foreign manifest": (foreign_manifest, False, "không phải bản sao lưu DirDesk"),
    "newer schema": (newer_schema_rehashed, True, "mới hơn"),
    "foreign database": (foreign_db_rehashed, True, "không phải sổ DirDesk"),
    "failing integrity check": (broken_index_rehashed, True, "bị hỏng"),
    "file missing from manifest too": (file_row_without_member_rehashed, True, "thiếu tệp đính kèm"),
    "file content not its name": (file_content_not_its_name_rehashed, True, "không khớp mã băm"),
}


def assert_refused_and_untouched(register: Path, bad: Path, match: str) -> None:
    before_db, before_files = register.read_bytes(), attached_files(register)
    with pytest.raises(DatabaseRefused, match=match):
        backup.verify_backup(bad)
    with pytest.raises(DatabaseRefused, match=match):
        backup.restore_backup(bad, register)
    assert register.read_bytes() == before_db
    assert attached_files(register) == before_files
    assert not backups_dir(register).exists()  # refused before a safety copy was needed
    assert sorted(p.name for p in register.parent.iterdir()) == ["dirdesk-files", "dirdesk.sqlite"]


@pytest.mark.parametrize("name", TAMPERINGS)
def test_tampered_backup_is_refused_and_the_register_left_as_it_was(name, register, backup_zip, tmp_path):
    tamper, rehash, match = TAMPERINGS[name]
    members = read_members(backup_zip)
    tamper(members, tmp_path)
    write_members(backup_zip, members, rehash=rehash)
    assert_refused_and_untouched(register, backup_zip, match)
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_untampered_rewrite_is_accepted(backup_zip):
    """The tampering helpers themselves do not spoil a backup."""
    write_members(backup_zip, read_members(backup_zip), rehash=True)
    backup.verify_backup(backup_zip)


@pytest.mark.parametrize("kind", ["foreign zip", "not a zip", "truncated", "empty", "cut member"])
def test_what_is_not_a_whole_backup_is_refused(kind, register, backup_zip, tmp_path):
    bad = tmp_path / "bad.zip"
    if kind == "foreign zip":
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("photo.jpg", b"\xff\xd8 jpeg")
        match = "không có manifest.json"
    elif kind == "not a zip":
        bad.write_bytes(register.read_bytes())
        match = "không phải tệp ZIP"
    elif kind == "truncated":
        bad.write_bytes(backup_zip.read_bytes()[: backup_zip.stat().st_size // 2])
        match = "cắt cụt"
    elif kind == "empty":
        bad.write_bytes(b"")
        match = "không phải tệp ZIP"
    else:  # the central directory is whole but a member's data is damaged
        data = bytearray(backup_zip.read_bytes())
        with zipfile.ZipFile(backup_zip) as zf:
            info = zf.getinfo("dirdesk.sqlite")
        at = info.header_offset + 30 + len(info.filename) + len(info.extra) + 100
        data[at] ^= 0xFF
        bad.write_bytes(bytes(data))
        match = "dirdesk.sqlite"
    assert_refused_and_untouched(register, bad, match)


def test_missing_backup_file(register, tmp_path):
    with pytest.raises(RegisterError, match="Không có tệp sao lưu"):
        backup.restore_backup(tmp_path / "none.zip", register)


# --- damaged attached files ---------------------------------------------------------------------------------


def test_damaged_attached_file_is_left_out_and_named_by_its_entry(register, tmp_path):
    pdf = next(p for p in files_dir(register).rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes()[:-10])
    target = tmp_path / "out" / "b.zip"
    target.parent.mkdir()
    with open_registry(register) as reg:
        with pytest.raises(RegisterError, match="hỏng") as refused:
            backup.make_backup(reg, target, allow_damaged=False)
        assert pdf.stem[:12] not in str(refused.value)  # named by its entry, not by its hash
        assert list(target.parent.iterdir()) == []  # no half-written ZIP, no temporary left
        path, manifest = backup.write_backup(reg, target)  # by default the rest is backed up
    assert [(d["sha256"], d["problem"]) for d in manifest.damaged] == [(pdf.stem, "hỏng")]
    assert manifest.damaged[0]["label"].startswith(("Văn bản đến số ", "Văn bản đi "))
    assert manifest.damaged[0]["label"] in str(refused.value)
    assert f"files/{pdf.parent.name}/{pdf.name}" not in read_members(path)
    assert backup.verify_backup(path).damaged == manifest.damaged
    restored = tmp_path / "r" / "dirdesk.sqlite"
    result = backup.restore_backup(path, restored)
    assert result.files_added == 8


# --- automatic backups --------------------------------------------------------------------------------------


def test_auto_backup_once_a_day_keeps_the_newest_fourteen(register):
    folder = backups_dir(register)
    folder.mkdir()
    (folder / "dirdesk-20210101-120000.zip").write_bytes(b"manual")
    (folder / "ban-sao-cua-toi.zip").write_bytes(b"manual")
    (folder / "dirdesk-truoc-nang-cap-v1-20210101-120000.sqlite").write_bytes(b"migration")
    start = dt.date(2026, 1, 25)
    with open_registry(register) as reg:
        for day in range(20):
            today = start + dt.timedelta(days=day)
            made = backup.auto_backup(reg, today=today)
            assert made == folder / f"tu-dong-{today.isoformat()}.zip"
            assert backup.auto_backup(reg, today=today) is None  # once a day
        assert backup.daily_backup(reg, today=today) is None
    autos = sorted(p.name for p in folder.glob("tu-dong-*.zip"))
    assert len(autos) == 14
    assert autos[0] == "tu-dong-2026-01-31.zip"  # the 6 oldest went
    assert autos[-1] == "tu-dong-2026-02-13.zip"
    for name in ("dirdesk-20210101-120000.zip", "ban-sao-cua-toi.zip",
                 "dirdesk-truoc-nang-cap-v1-20210101-120000.sqlite"):
        assert (folder / name).exists()
    backup.verify_backup(folder / autos[-1])
    kinds = {b.path.name: b.kind for b in backup.list_backups(register)}
    assert kinds["tu-dong-2026-02-13.zip"] == "auto"
    assert kinds["ban-sao-cua-toi.zip"] == "manual"
    assert kinds["dirdesk-truoc-nang-cap-v1-20210101-120000.sqlite"] == "migration"


def test_auto_backup_never_stops_the_clerk(register, caplog):
    backups_dir(register).write_text("a file where the folder should be")
    with open_registry(register) as reg:
        assert backup.auto_backup(reg, today=dt.date(2026, 3, 1)) is None
        warning = backup.daily_backup(reg, today=dt.date(2026, 3, 1))
        assert warning and "sao lưu tự động" in warning
        assert len(outgoing.list_rows(reg)) == 3  # the register is still usable
    assert "sao lưu tự động" in caplog.text


def test_auto_backup_goes_on_without_a_damaged_file_and_warns(register):
    pdf = next(p for p in files_dir(register).rglob("*.pdf"))
    pdf.unlink()
    with open_registry(register) as reg:
        warning = backup.daily_backup(reg, today=dt.date(2026, 3, 1))
    assert "thiếu 1 tệp" in warning
    assert backup.verify_backup(backups_dir(register) / "tu-dong-2026-03-01.zip").damaged


# --- the command line ---------------------------------------------------------------------------------------


def test_cli_backup_list_and_restore(register, tmp_path, capsys):
    zip_path = tmp_path / "sao-luu.zip"
    assert main(["backup", str(zip_path), "--db", str(register)]) == 0
    text = capsys.readouterr().out
    assert str(zip_path) in text and "văn bản đi: 3" in text and "văn bản đến: 2" in text and "9 tệp" in text
    assert main(["backup", "--db", str(register)]) == 0
    capsys.readouterr()
    assert main(["backup", "--list", "--db", str(register)]) == 0
    listing = capsys.readouterr().out
    assert "thủ công" in listing and "dirdesk-" in listing

    target = tmp_path / "may-moi" / "dirdesk.sqlite"
    assert main(["restore", str(zip_path), "--db", str(target)]) == 0
    text = capsys.readouterr().out
    assert str(target) in text and "9 tệp mới" in text
    assert dump(target) == dump(register)

    assert main(["restore", str(zip_path), "--db", str(target), "--yes", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert Path(result["safety_copy"]).exists() and result["files_kept"] == 9


def test_cli_restore_without_yes_refuses_to_overwrite(register, backup_zip, capsys):
    before = register.read_bytes()
    assert main(["restore", str(backup_zip), "--db", str(register)]) == 2
    message = capsys.readouterr().err
    assert message.startswith("lỗi:") and "--yes" in message
    assert register.read_bytes() == before
    assert main(["restore", str(backup_zip), "--db", str(register), "--yes"]) == 0
    assert "trước khi khôi phục được giữ tại" in capsys.readouterr().out


def test_cli_refuses_bad_input(register, tmp_path, capsys):
    missing = tmp_path / "khong-co.sqlite"
    assert main(["backup", "--db", str(missing)]) == 2
    assert "Không có tệp sổ" in capsys.readouterr().err
    assert not missing.exists()  # backing up never creates a register
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    assert main(["restore", str(bad), "--db", str(tmp_path / "new.sqlite")]) == 2
    assert "không phải tệp ZIP" in capsys.readouterr().err
    assert main(["backup", "x.zip", "--list", "--db", str(register)]) == 2
    assert not (tmp_path / "new.sqlite").exists()


def test_cli_hook_for_the_first_use_of_the_day(register, capsys):
    from dirdesk.cli.backups import auto_backup_on_open

    with open_registry(register) as reg:
        auto_backup_on_open(reg)
        assert capsys.readouterr().err == ""
        assert [b.kind for b in backup.list_backups(register)] == ["auto"]
        shutil.rmtree(backups_dir(register))
        backups_dir(register).write_text("not a folder")
        auto_backup_on_open(reg)
    assert capsys.readouterr().err.startswith("cảnh báo: Không tạo được bản sao lưu tự động")
