"""Backups of the register file: one ZIP holding the database, the attached
files and a manifest; checking one; restoring one; a daily automatic backup.

A backup ZIP holds

- `dirdesk.sqlite`: a consistent copy of the database (SQLite's online backup
  API, so it can be taken while the app is writing), in rollback-journal mode
  so that it is one self-contained file;
- `files/ab/<sha256><ext>`: every file the `attachments` table refers to,
  each checked against its hash while it is copied;
- `manifest.json`: `"dirdesk-backup": 1`, the DirDesk and schema versions,
  the time, the office, row counts, and the size and SHA-256 of every other
  member (plus `damaged`: attached files that are missing or damaged, each
  with the label of the entries it belongs to, so a backup of everything
  else is still made and says what it lacks).

A ZIP is written to a temporary file and renamed into place, so a failed
backup never leaves a half-written one. Nothing in a ZIP is trusted before
`verify_backup` has checked it all: the marker, every member's size and
hash, that no member name could escape the folder it is extracted into, and
the database's application id, schema version and integrity, and that its
tables, indexes, triggers and views are exactly those the migrations of its
version create (known_schema.py). What a restore reports (office, row counts)
is read from the database itself, never taken from the manifest.

Files: the ZIP, the safety copy and every restored file are the user's alone
(private.py); an attached file is read only if it is a regular file, never
through a link. The register itself is only ever read by SQLite (database.py,
THE RULE): its copies are made with SQLite's backup API.

Restoring replaces the register file, so the app must have closed it first
(`Registry.close()` on every connection, in every window): `restore_backup`
refuses a file that another connection, of this process or another, still
holds open, and refuses while this process has a connection to it
(`connections_open`). Before anything is replaced the current file is copied
into the backups folder; attached files are only ever added, never removed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dirdesk
from dirdesk.registers import known_schema
from dirdesk.registers.attachments import check_file, find_missing, has_lost_column, hash_stream, relative_path
from dirdesk.registers.database import Registry, _connect, backups_dir, connections_open, files_dir, inspect_header
from dirdesk.registers.errors import DatabaseRefused, RegisterError
from dirdesk.registers.private import (
    NotRegularFile,
    create_private,
    open_regular,
    private_dir,
    private_temp,
    replace_or_remove,
)
from dirdesk.registers.schema import APPLICATION_ID, CORE_TABLES, SCHEMA_VERSION

log = logging.getLogger(__name__)

FORMAT_KEY = "dirdesk-backup"
FORMAT_VERSION = 1
DB_MEMBER = "dirdesk.sqlite"
MANIFEST_MEMBER = "manifest.json"
FILES_PREFIX = "files/"
AUTO_PREFIX = "tu-dong-"
AUTO_KEEP = 14
SAFETY_INFIX = "-truoc-khoi-phuc-"
MIGRATION_INFIX = "-truoc-nang-cap-"

CHUNK = 1 << 20
MAX_MANIFEST_SIZE = 64 << 20
_FILE_MEMBER = re.compile(r"files/([0-9a-f]{2})/([0-9a-f]{64})(\.[a-z0-9]{1,10})")
# What reading a damaged or doctored ZIP member can raise.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)
_AUTO_NAME = re.compile(re.escape(AUTO_PREFIX) + r"(\d{4}-\d{2}-\d{2})\.zip")
# Counted for the summary: rows not soft-deleted.
COUNTED_TABLES = ("outgoing", "incoming", "drafts")


@dataclass(frozen=True)
class Member:
    size: int
    sha256: str


@dataclass
class Manifest:
    """What a backup holds, as read from (and checked against) its manifest.json."""

    format: int
    app_version: str
    schema_version: int
    created: str
    office: str
    members: dict[str, Member]
    counts: dict[str, int] = field(default_factory=dict)
    damaged: list[dict] = field(default_factory=list)

    @property
    def file_members(self) -> list[str]:
        return sorted(name for name in self.members if name.startswith(FILES_PREFIX))

    @property
    def total_size(self) -> int:
        return sum(m.size for m in self.members.values())

    def to_dict(self) -> dict:
        return {
            FORMAT_KEY: self.format,
            "app_version": self.app_version,
            "schema_version": self.schema_version,
            "created": self.created,
            "office": self.office,
            "counts": self.counts,
            "members": {name: {"size": m.size, "sha256": m.sha256} for name, m in sorted(self.members.items())},
            "damaged": self.damaged,
        }


@dataclass
class RestoreResult:
    db_path: Path
    manifest: Manifest
    safety_copy: Path | None  # the previous register file, copied before it was replaced
    files_added: int
    files_kept: int  # already in the files folder with the right content
    files_repaired: int  # in the files folder but damaged; replaced by the backup's copy


@dataclass
class BackupInfo:
    path: Path
    kind: str  # "auto", "manual", "migration", "restore"
    size: int
    modified: dt.datetime


KIND_LABELS = {"auto": "tự động", "manual": "thủ công", "migration": "trước nâng cấp", "restore": "trước khôi phục"}


# --- helpers -----------------------------------------------------------------------------------------------


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # not possible on Windows; the rename is durable enough there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


@contextmanager
def _scratch_dir(beside: Path, prefix: str) -> Iterator[Path]:
    """A hidden temporary folder in `beside` (same file system, so os.replace out of it is atomic)."""
    private_dir(beside, narrow=False)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=beside))  # 0700
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _open_ro(path: Path) -> sqlite3.Connection:
    """A read-only look at a database file nobody else uses (a snapshot or an extracted copy)."""
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, isolation_level=None)


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts = {}
    for table in COUNTED_TABLES:
        try:
            counts[table] = conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]
        except sqlite3.DatabaseError:
            pass
    counts["attachments"] = conn.execute("SELECT count(*) FROM attachments").fetchone()[0]
    return counts


def _office(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM profile WHERE key = 'issuer'").fetchone()
    if row is None:
        return ""
    try:
        return " ".join(str(json.loads(row[0]).get("name") or "").split())
    except (ValueError, AttributeError):
        return ""


def default_backup_name(now: dt.datetime | None = None) -> str:
    return f"dirdesk-{(now or dt.datetime.now()):%Y%m%d-%H%M%S}.zip"


def _free_name(path: Path) -> Path:
    """`path`, or `stem-2.zip`, `stem-3.zip`… when it is taken (two backups in one second)."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


# --- making a backup ---------------------------------------------------------------------------------------


def _copy_database(source_path: Path, dest: Path, *, timeout: float = 60) -> None:
    """A consistent copy of a register file into a new file of the user's alone, with SQLite's
    backup API (never a file copy: THE RULE in database.py), even while another connection writes."""
    source = _connect(source_path, readonly=True)
    try:
        source.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        create_private(dest)
        target = sqlite3.connect(dest, isolation_level=None)
        try:
            source.backup(target)  # one step: the copy is one snapshot of the file
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()


def _snapshot(reg: Registry, dest: Path) -> None:
    try:
        _copy_database(reg.path, dest)
    except sqlite3.DatabaseError as exc:
        raise RegisterError(f"Không sao chép được sổ {reg.path}: {exc}") from exc


def _check_snapshot(reg: Registry, snapshot: Path) -> sqlite3.Connection:
    conn = _open_ro(snapshot)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise RegisterError(f"Sổ {reg.path} bị hỏng ({result}); không tạo bản sao lưu từ sổ hỏng. "
                                "Hãy khôi phục từ bản sao lưu gần nhất.")
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise RegisterError(f"{reg.path} không phải sổ DirDesk; không sao lưu.")
    except BaseException:
        conn.close()
        raise
    return conn


def make_backup(reg: Registry, target: Path | str | None = None, *, allow_damaged: bool = True) -> Path:
    """Write a backup ZIP of the register and its attached files; returns its path (see `write_backup`)."""
    return write_backup(reg, target, allow_damaged=allow_damaged)[0]


def write_backup(reg: Registry, target: Path | str | None = None, *,
                 allow_damaged: bool = True) -> tuple[Path, Manifest]:
    """Write a backup ZIP of the register and its attached files; returns its path and manifest.

    Safe while the app is in use: the database is copied with SQLite's online
    backup API. `target` defaults to `<backups folder>/dirdesk-YYYYMMDD-HHMMSS.zip`;
    a folder means that name inside it. An attached file that is missing or
    does not match its hash (and is not recorded as lost) is left out and
    listed under `damaged` in the manifest with the label of its entries, so
    that the backup of everything else is still made; the caller must show
    `manifest.damaged` to the clerk. With `allow_damaged=False` such a file is
    refused instead (RegisterError naming the entries) and nothing is written.
    """
    if target is None:
        target = _free_name(private_dir(backups_dir(reg.path)) / default_backup_name())
    target = Path(target)
    if target.is_dir():
        target = _free_name(target / default_backup_name())
    db_names = {reg.path.resolve()} | {Path(str(reg.path.resolve()) + s) for s in ("-wal", "-shm", "-journal")}
    if target.resolve() in db_names:
        raise RegisterError(f"Không thể ghi bản sao lưu đè lên chính tệp sổ {target}.")
    try:
        with _scratch_dir(target.parent, f".{target.name}.") as tmp:
            snapshot = tmp / DB_MEMBER
            _snapshot(reg, snapshot)
            conn = _check_snapshot(reg, snapshot)
            try:
                schema_version = conn.execute("PRAGMA user_version").fetchone()[0]
                office, counts = _office(conn), _counts(conn)
                whole, damaged = find_missing(conn, files_dir(reg.path))
            finally:
                conn.close()
            if damaged and not allow_damaged:
                raise RegisterError(damaged_message(damaged) + " Chưa sao lưu gì.")
            attached = [(files_dir(reg.path) / relative_path(sha256, ext), FILES_PREFIX + relative_path(sha256, ext),
                         Member(size, sha256)) for sha256, size, ext in whole]
            with open(snapshot, "rb") as fh:  # the snapshot, not the register
                db_hash, db_size = hash_stream(fh.read)
            manifest = Manifest(
                format=FORMAT_VERSION, app_version=dirdesk.__version__, schema_version=schema_version,
                created=dt.datetime.now().replace(microsecond=0).isoformat(), office=office,
                members={DB_MEMBER: Member(db_size, db_hash), **{name: m for _, name, m in attached}},
                counts=counts, damaged=damaged,
            )
            zip_tmp = tmp / "backup.zip"
            _write_zip(zip_tmp, [(snapshot, DB_MEMBER, manifest.members[DB_MEMBER]), *attached], manifest)
            os.replace(zip_tmp, target)
            _fsync_dir(target.parent)
    except OSError as exc:
        raise RegisterError(f"Không ghi được bản sao lưu {target}: {exc}") from exc
    return target, manifest


def damaged_message(damaged: list[dict], shown: int = 5) -> str:
    """"2 tệp đính kèm bị mất hoặc hỏng: Văn bản đến số 12/2026 (215-CV/TU): cv.pdf (mất); …"."""
    listed = "; ".join(f"{d.get('label') or d.get('sha256', '')[:12]} ({d.get('problem')})" for d in damaged[:shown])
    more = f" (và {len(damaged) - shown} tệp khác)" if len(damaged) > shown else ""
    return f"{len(damaged)} tệp đính kèm bị mất hoặc hỏng: {listed}{more}."


def _write_member(zf: zipfile.ZipFile, path: Path, name: str, member: Member) -> None:
    """Copy a regular file (never a link) into the ZIP, checking it still has the content hashed before."""
    info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    try:
        with open_regular(path) as src, zf.open(info, "w", force_zip64=member.size > (1 << 31)) as dst:
            digest, size = hash_stream(src.read, dst.write)
    except NotRegularFile as exc:
        raise RegisterError(f"Tệp {path} bị thay đổi trong lúc sao lưu ({exc}); hãy thử lại.") from None
    if (digest, size) != (member.sha256, member.size):  # changed under us since it was hashed
        raise RegisterError(f"Tệp {path} bị thay đổi trong lúc sao lưu; hãy thử lại.")


def _write_zip(zip_path: Path, members: list[tuple[Path, str, Member]], manifest: Manifest) -> None:
    create_private(zip_path)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for path, name, member in members:
            _write_member(zf, path, name, member)
        zf.writestr(MANIFEST_MEMBER, json.dumps(manifest.to_dict(), ensure_ascii=False, indent=2) + "\n")
    _fsync_file(zip_path)


# --- checking a backup -------------------------------------------------------------------------------------


def _refuse(path: Path, why: str) -> DatabaseRefused:
    return DatabaseRefused(f"{path}: {why} Không khôi phục từ tệp này.")


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (name.startswith(("/", "\\")) or "\\" in name or ".." in parts or re.match(r"[A-Za-z]:", name) is not None
            or "\x00" in name)


def _read_manifest(path: Path, zf: zipfile.ZipFile) -> Manifest:
    try:
        info = zf.getinfo(MANIFEST_MEMBER)
    except KeyError:
        raise _refuse(path, "không phải bản sao lưu DirDesk (không có manifest.json).") from None
    if info.file_size > MAX_MANIFEST_SIZE:
        raise _refuse(path, "manifest.json quá lớn, không phải của DirDesk.")
    try:
        raw = json.loads(zf.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _refuse(path, "manifest.json không đọc được (không phải JSON).") from None
    except (*_ZIP_ERRORS, OSError) as exc:
        raise _refuse(path, f"manifest.json bị hỏng ({exc}).") from None
    if not isinstance(raw, dict) or FORMAT_KEY not in raw:
        raise _refuse(path, "không phải bản sao lưu DirDesk (manifest.json của phần mềm khác).")
    marker = raw[FORMAT_KEY]
    if not isinstance(marker, int) or isinstance(marker, bool) or marker < 1:
        raise _refuse(path, "không phải bản sao lưu DirDesk (dấu định dạng lạ).")
    if marker > FORMAT_VERSION:
        raise _refuse(path, f"được tạo bởi phiên bản DirDesk mới hơn (định dạng sao lưu {marker}); "
                            "hãy cập nhật DirDesk.")
    try:
        members = {str(name): Member(int(m["size"]), str(m["sha256"])) for name, m in raw["members"].items()}
        manifest = Manifest(
            format=marker, app_version=str(raw.get("app_version", "")), schema_version=int(raw["schema_version"]),
            created=str(raw.get("created", "")), office=str(raw.get("office", "")), members=members,
            counts={str(k): int(v) for k, v in (raw.get("counts") or {}).items()},
            damaged=[d for d in raw.get("damaged") or [] if isinstance(d, dict)],
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _refuse(path, "manifest.json thiếu hoặc sai các mục bắt buộc.") from None
    return manifest


def _check_names(path: Path, zf: zipfile.ZipFile, manifest: Manifest) -> None:
    names = zf.namelist()
    unsafe = [n for n in names + list(manifest.members) if _unsafe_name(n)]
    if unsafe:
        raise _refuse(path, f"có mục mang đường dẫn nguy hiểm ({unsafe[0]}), có thể ghi ra ngoài thư mục sổ.")
    if len(set(names)) != len(names):
        raise _refuse(path, "có mục trùng tên (tệp đã bị sửa).")
    present = set(names) - {MANIFEST_MEMBER}
    expected = set(manifest.members)
    if DB_MEMBER not in expected:
        raise _refuse(path, f"manifest.json không có {DB_MEMBER}.")
    for name in sorted(expected - {DB_MEMBER}):
        match = _FILE_MEMBER.fullmatch(name)
        if not match or match[1] != match[2][:2]:
            raise _refuse(path, f"mục lạ trong manifest.json: {name}.")
        if match[2] != manifest.members[name].sha256:
            raise _refuse(path, f"{name} không khớp mã băm ghi trong manifest.json (tệp đã bị sửa).")
    if expected - present:
        raise _refuse(path, f"thiếu {len(expected - present)} mục ghi trong manifest, ví dụ "
                            f"{sorted(expected - present)[0]} (bản sao lưu không đầy đủ hoặc đã bị sửa).")
    if present - expected:
        raise _refuse(path, f"có mục không ghi trong manifest: {sorted(present - expected)[0]} (tệp đã bị sửa).")


def _check_member(path: Path, zf: zipfile.ZipFile, name: str, member: Member, sink=None) -> None:
    """Read a member, checking its size and hash; `sink(chunk)` receives its content."""
    info = zf.getinfo(name)
    if info.file_size != member.size:
        raise _refuse(path, f"{name} có kích thước {info.file_size} byte, manifest ghi {member.size} (tệp đã bị sửa).")
    try:
        with zf.open(info) as fh:
            digest, size = hash_stream(fh.read, sink, member.size)
    except _ZIP_ERRORS as exc:
        raise _refuse(path, f"{name} bị hỏng ({exc}).") from None
    if size != member.size or digest != member.sha256:
        raise _refuse(path, f"{name} không khớp mã băm trong manifest (tệp đã bị sửa hoặc hỏng).")


def _check_database(path: Path, db_file: Path, manifest: Manifest) -> None:
    """Check the extracted database through and through; then put what it holds itself (office, row
    counts) in the manifest, in place of what the manifest claims."""
    try:
        inspect_header(db_file)
    except DatabaseRefused:
        raise _refuse(path, "cơ sở dữ liệu trong bản sao lưu không phải sổ DirDesk.") from None
    if db_file.stat().st_size == 0:
        raise _refuse(path, "cơ sở dữ liệu trong bản sao lưu rỗng.")
    conn = _open_ro(db_file)
    try:
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if result != "ok":
                raise _refuse(path, f"cơ sở dữ liệu trong bản sao lưu bị hỏng ({result}).")
            if app_id != APPLICATION_ID or not CORE_TABLES <= tables:
                raise _refuse(path, "cơ sở dữ liệu trong bản sao lưu không phải sổ DirDesk.")
            _check_version(path, version, manifest)
            unknown = known_schema.differences(conn, version)
            if unknown:
                listed = "; ".join(unknown[:3]) + ("; …" if len(unknown) > 3 else "")
                raise _refuse(path, f"cơ sở dữ liệu có lược đồ lạ, không phải do DirDesk tạo ({listed}); "
                                    "có thể gây mất dữ liệu nên không khôi phục.")
            lost = "lost_at IS NOT NULL" if has_lost_column(conn) else "0"
            rows = conn.execute(f"SELECT sha256, ext, {lost} FROM attachments").fetchall()
            manifest.office, manifest.counts = _office(conn), _counts(conn)
        except sqlite3.DatabaseError as exc:
            raise _refuse(path, f"cơ sở dữ liệu trong bản sao lưu bị hỏng ({exc}).") from None
    finally:
        conn.close()
    in_zip = {name for name in manifest.members if name != DB_MEMBER}
    damaged = {d.get("sha256") for d in manifest.damaged}
    referenced = set()
    for sha256, ext, is_lost in rows:
        name = FILES_PREFIX + relative_path(sha256, ext)
        referenced.add(name)
        if name not in in_zip and sha256 not in damaged and not is_lost:
            raise _refuse(path, f"thiếu tệp đính kèm {name} mà sổ cần (bản sao lưu không đầy đủ).")
    if in_zip - referenced:
        raise _refuse(path, f"có tệp {sorted(in_zip - referenced)[0]} mà sổ không dùng (tệp đã bị sửa).")


def _check_version(path: Path, version: int, manifest: Manifest) -> None:
    if version > SCHEMA_VERSION or manifest.schema_version > SCHEMA_VERSION:
        raise _refuse(path, f"được tạo bởi phiên bản DirDesk mới hơn (lược đồ {max(version, manifest.schema_version)}, "
                            f"bản này hiểu đến {SCHEMA_VERSION}); hãy cập nhật DirDesk.")
    if version < 1 or version != manifest.schema_version:
        raise _refuse(path, f"phiên bản lược đồ của sổ ({version}) khác manifest ({manifest.schema_version}).")


@contextmanager
def _open_backup(path: Path | str) -> Iterator[tuple[zipfile.ZipFile, Manifest]]:
    """The backup ZIP, its manifest read and every member name checked (contents not yet)."""
    path = Path(path)
    if not path.is_file():
        raise RegisterError(f"Không có tệp sao lưu {path}.")
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        raise _refuse(path, "không phải tệp ZIP sao lưu của DirDesk, hoặc tệp bị cắt cụt/hỏng.") from None
    except OSError as exc:
        raise RegisterError(f"Không đọc được tệp sao lưu {path}: {exc}") from exc
    with zf:
        manifest = _read_manifest(path, zf)
        _check_names(path, zf, manifest)
        yield zf, manifest


def _verify_into(path: Path, zf: zipfile.ZipFile, manifest: Manifest, db_file: Path) -> None:
    """Check every member's hash, extract the database to `db_file` (the user's alone) and check it."""
    create_private(db_file)
    with open(db_file, "wb") as out:
        _check_member(path, zf, DB_MEMBER, manifest.members[DB_MEMBER], out.write)
        out.flush()
        os.fsync(out.fileno())
    for name in manifest.file_members:
        _check_member(path, zf, name, manifest.members[name])
    _check_database(path, db_file, manifest)


def verify_backup(path: Path | str) -> Manifest:
    """Check a backup ZIP through and through; its manifest, or DatabaseRefused saying what is wrong."""
    path = Path(path)
    with _open_backup(path) as (zf, manifest), tempfile.TemporaryDirectory(prefix="dirdesk-verify-") as tmp:
        _verify_into(path, zf, manifest, Path(tmp) / DB_MEMBER)
    return manifest


# --- restoring ---------------------------------------------------------------------------------------------


def _sidecars(db_path: Path) -> list[Path]:
    return [Path(str(db_path) + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _quiesce(db_path: Path) -> None:
    """Fold the WAL into the file and make sure no connection still has it open.

    When the last connection to a WAL database closes, SQLite checkpoints it
    and deletes the -wal and -shm files; if they are still there after ours
    closes, someone else (this app or another window) has the file open.
    """
    try:
        conn = _connect(db_path)
    except sqlite3.Error:
        return
    try:
        conn.execute("PRAGMA busy_timeout = 5000")
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError as exc:
        conn.close()
        if "lock" in str(exc) or "busy" in str(exc):
            raise _open_elsewhere(db_path) from None
        return  # not a database we can read: the safety copy takes it as it is, sidecars included
    except sqlite3.DatabaseError:
        conn.close()
        return
    conn.close()
    if busy or any(p.exists() for p in _sidecars(db_path)[:2]):
        raise _open_elsewhere(db_path)


def _open_elsewhere(db_path: Path) -> RegisterError:
    return RegisterError(f"Sổ {db_path} đang được mở (trong DirDesk hoặc một cửa sổ khác). "
                         "Hãy đóng sổ ở mọi cửa sổ rồi khôi phục lại; sổ được giữ nguyên.")


def _safety_copy(db_path: Path) -> Path | None:
    """Copy the current register file into the backups folder (the user's alone); None when there is none.

    With SQLite's backup API; a file SQLite cannot read is copied as it is,
    sidecars included: no connection of this process is open to it then
    (`restore_backup` refused otherwise), so reading it drops no lock."""
    present = [p for p in [db_path, *_sidecars(db_path)] if p.exists()]
    if not present:
        return None
    folder = private_dir(backups_dir(db_path))
    target = _free_name(folder / f"{db_path.stem}{SAFETY_INFIX}{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite")
    try:
        if not db_path.exists():
            raise sqlite3.DatabaseError("no register file, only sidecars")
        _copy_database(db_path, target, timeout=5)
        copies = [target]
    except sqlite3.DatabaseError:
        target.unlink(missing_ok=True)
        copies = []
        for source in present:
            dest = Path(str(target) + source.name[len(db_path.name):])
            with open_regular(source) as src, private_temp(folder, dest.name) as (out, tmp):
                shutil.copyfileobj(src, out)
            replace_or_remove(tmp, dest)
            copies.append(dest)
    for dest in copies:
        _fsync_file(dest)
    _fsync_dir(folder)
    return target


def _restore_files(path: Path, zf: zipfile.ZipFile, manifest: Manifest, folder: Path) -> tuple[int, int, int]:
    added = kept = repaired = 0
    for name in manifest.file_members:
        member = manifest.members[name]
        dest = folder / name[len(FILES_PREFIX):]
        existed = dest.exists()
        if existed and check_file(dest, member.sha256, member.size) is None:
            kept += 1
            continue
        private_dir(dest.parent)
        with private_temp(dest.parent, dest.name) as (out, tmp):
            _check_member(path, zf, name, member, out.write)
            out.flush()
            os.fsync(out.fileno())
        replace_or_remove(tmp, dest)
        if existed:
            repaired += 1
        else:
            added += 1
    _fsync_dir(folder)
    return added, kept, repaired


def restore_backup(path: Path | str, db_path: Path | str) -> RestoreResult:
    """Replace the register at `db_path` by the one in the backup ZIP `path`.

    The app must have closed the register (every connection); an open one is
    refused. In order: the backup is checked through and through; the current
    file is copied into the backups folder; the attached files are added to the
    files folder (files already there with the right content are kept); the
    database is put in place with one atomic rename. A failure at any step
    leaves the current register as it was. A backup of an older schema is
    migrated by the next `open_registry`.
    """
    path, db_path = Path(path), Path(db_path)
    if db_path.is_dir():
        raise RegisterError(f"{db_path} là một thư mục, không phải tệp sổ.")
    if connections_open(db_path):
        raise _open_elsewhere(db_path)
    try:
        with _open_backup(path) as (zf, manifest), _scratch_dir(db_path.parent, f".{db_path.name}.restore-") as tmp:
            new_db = tmp / DB_MEMBER
            _verify_into(path, zf, manifest, new_db)
            if db_path.exists():
                _quiesce(db_path)
            safety = _safety_copy(db_path)
            counts = _restore_files(path, zf, manifest, private_dir(files_dir(db_path)))
            for sidecar in _sidecars(db_path):  # copied into the safety copy; stale beside the new file
                sidecar.unlink(missing_ok=True)
            os.replace(new_db, db_path)
            _fsync_dir(db_path.parent)
    except OSError as exc:
        raise RegisterError(f"Không khôi phục được vào {db_path}: {exc}. Sổ hiện tại được giữ nguyên.") from exc
    return RestoreResult(db_path, manifest, safety, *counts)


# --- listing and automatic backups ---------------------------------------------------------------------------


def _kind(name: str) -> str:
    if _AUTO_NAME.fullmatch(name):
        return "auto"
    if MIGRATION_INFIX in name:
        return "migration"
    if SAFETY_INFIX in name:
        return "restore"
    return "manual"


def list_backups(db_path: Path | str) -> list[BackupInfo]:
    """The backups in the register's backups folder, newest first."""
    folder = backups_dir(Path(db_path))
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        if entry.name.startswith(".") or not entry.is_file() or entry.name.endswith(("-wal", "-shm", "-journal")):
            continue
        stat = entry.stat()
        found.append(BackupInfo(entry, _kind(entry.name), stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime)))
    return sorted(found, key=lambda b: (b.modified, b.path.name), reverse=True)


def _auto_backup(reg: Registry, today: dt.date | None, keep: int) -> tuple[Path | None, list[str]]:
    today = today or dt.date.today()
    folder = private_dir(backups_dir(reg.path))
    target = folder / f"{AUTO_PREFIX}{today.isoformat()}.zip"
    if target.exists():
        return None, []
    warnings = []
    _, manifest = write_backup(reg, target, allow_damaged=True)
    if manifest.damaged:
        warnings.append(f"Bản sao lưu tự động {target.name} thiếu {damaged_message(manifest.damaged)} "
                        "Hãy đặt lại các tệp này hoặc ghi là đã mất, trong cửa sổ DirDesk (phần sao lưu).")
    autos = sorted((m[1], p) for p in folder.iterdir() if (m := _AUTO_NAME.fullmatch(p.name)))
    for _, old in autos[:max(len(autos) - keep, 0)]:
        try:
            old.unlink()
        except OSError as exc:
            warnings.append(f"Không xóa được bản sao lưu tự động cũ {old}: {exc}")
    return target, warnings


def auto_backup(reg: Registry, today: dt.date | None = None, keep: int = AUTO_KEEP) -> Path | None:
    """Today's automatic backup (`tu-dong-YYYY-MM-DD.zip`), made if there is none yet; keeps the newest `keep`.

    Returns the new backup, or None when today's already existed or it failed.
    Never raises for a failed backup: the clerk's work goes on, and the
    failure is logged as a warning (see `daily_backup` for the message).
    Manual, pre-migration and pre-restore backups are never deleted.
    """
    path, _ = _run_auto_backup(reg, today, keep)
    return path


def _run_auto_backup(reg: Registry, today: dt.date | None, keep: int) -> tuple[Path | None, list[str]]:
    try:
        path, warnings = _auto_backup(reg, today, keep)
    except (RegisterError, OSError, sqlite3.Error, zipfile.BadZipFile, ValueError) as exc:
        path, warnings = None, [f"Không tạo được bản sao lưu tự động hôm nay: {exc}"]
    for warning in warnings:
        log.warning(warning)
    return path, warnings


def daily_backup(reg: Registry, *, today: dt.date | None = None, keep: int = AUTO_KEEP) -> str | None:
    """Call once the register is open: makes today's automatic backup on the first use of the day.

    Returns a warning to show the clerk (in Vietnamese), or None when all went
    well or there was nothing to do. Never raises for a failed backup.
    """
    _, warnings = _run_auto_backup(reg, today, keep)
    return " ".join(warnings) or None
