"""Opening the register file: where it lives, what is checked before it is
trusted, migrations, and the one way to write (`Registry.transaction`).

A file that is not ours, is damaged, or was written by a newer DirDesk is
refused with a message and never written to: nothing is changed (not even
the journal mode) until the checks have passed.

THE RULE: nothing but SQLite touches the register file, its `-wal` or its
`-shm` while a connection to it may be open in this process. On POSIX,
closing *any* file descriptor on a file drops every lock the process holds on
that file, SQLite's included ("How To Corrupt An SQLite Database File",
§2.2). A plain `open()`/`close()` of the register (to read its header, hash
it, copy it) while the window holds a connection silently unlocks that
connection: the next process to close the file believes it is the last one,
checkpoints and deletes the `-wal` and `-shm` the window still writes to, and
two writers without locks can hand out one number twice. SQLite itself is
safe: within one process all its connections share one lock table per file
(its inode list) and it defers closing a descriptor while a lock is held.

So:
- every connection to a register is made by `_connect`, which counts it in a
  process-wide table (`connections_open(path)`); its `close()` uncounts it
  (a connection that is never closed stays counted: the safe side);
- the header is read with `open()` only while that count is 0, under the
  same lock that `_connect` takes, so no connection can appear meanwhile;
  otherwise the checks go through SQLite (pragmas) only;
- copies of the register (backups, the copy before a migration, the safety
  copy before a restore) use SQLite's online backup API, never a file copy;
  a restore refuses while this process still has a connection open;
- `stat()` (size, existence) is harmless: it opens no descriptor.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from platformdirs import user_data_dir

from dirdesk.registers.errors import DatabaseRefused, RegisterError
from dirdesk.registers.private import create_private, private_dir
from dirdesk.registers.schema import APPLICATION_ID, CORE_TABLES, MIGRATIONS, SCHEMA_VERSION

ENV_VAR = "DIRDESK_DB"
DB_NAME = "dirdesk.sqlite"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000


def default_db_path() -> Path:
    """`$DIRDESK_DB`, or dirdesk.sqlite in the user's data folder."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return Path(user_data_dir("DirDesk", appauthor=False)) / DB_NAME


def files_dir(db_path: Path) -> Path:
    """The folder of attached files beside the database: dirdesk.sqlite -> dirdesk-files/."""
    return db_path.with_name(db_path.stem + "-files")


def backups_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + "-backups")


def now_text() -> str:
    """A timestamp for created/updated/audit columns, local time to the second."""
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


def _refused(path: Path, why: str) -> DatabaseRefused:
    return DatabaseRefused(f"{path} {why}; tệp được giữ nguyên.")


def _foreign(path: Path) -> DatabaseRefused:
    return _refused(path, "là cơ sở dữ liệu của một phần mềm khác, không phải sổ DirDesk")


def _damaged(path: Path, what) -> DatabaseRefused:
    return _refused(path, f"bị hỏng ({what}); hãy khôi phục từ bản sao lưu")


# --- connections counted process-wide (see THE RULE above) -----------------------------------------------

_tracking = threading.RLock()
_open_connections: dict[str, int] = {}


def _key(path: Path | str) -> str:
    return os.path.realpath(path)


def connections_open(path: Path | str) -> bool:
    """True while this process has a connection open to the register file at `path`."""
    with _tracking:
        return _open_connections.get(_key(path), 0) > 0


class _CountedConnection(sqlite3.Connection):
    """A connection that is counted in `_open_connections` until it is closed."""

    _dirdesk_key: str | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            key, self._dirdesk_key = self._dirdesk_key, None
            if key is not None:
                with _tracking:
                    left = _open_connections.get(key, 0) - 1
                    if left > 0:
                        _open_connections[key] = left
                    else:
                        _open_connections.pop(key, None)


def inspect_header(path: Path) -> None:
    """Refuse a file that is not a SQLite database of ours, or is cut short, without opening it in SQLite.

    Reads the file's first 100 bytes only while this process has no connection to it
    (THE RULE above); with a connection open the same checks are made through SQLite
    (`_check_existing`), and there is nothing to read here."""
    with _tracking:
        if _open_connections.get(_key(path), 0) > 0:
            return
        size = path.stat().st_size
        if size == 0:
            return  # an empty file is a new database
        with open(path, "rb") as fh:
            header = fh.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise _not_sqlite(path)
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise _foreign(path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid_for = int.from_bytes(header[92:96], "big")
    change_counter = int.from_bytes(header[24:28], "big")
    wal = Path(str(path) + "-wal")
    # The in-header page count is trustworthy when it was written with the current change counter.
    if pages and valid_for == change_counter and size < pages * page_size and not wal.exists():
        raise _refused(path, f"bị cắt cụt ({size} byte, cần {pages * page_size}); hãy khôi phục từ bản sao lưu")


def _not_sqlite(path: Path) -> DatabaseRefused:
    return _refused(path, "không phải tệp sổ của DirDesk (không phải cơ sở dữ liệu SQLite)")


class Registry:
    """An open register file. Reads go through `db` (sqlite-utils); writes go
    through `transaction()`, which holds SQLite's write lock from the start."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.files_dir = files_dir(path)

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction, begun IMMEDIATE so that the numbers read in it
        cannot be read by another process before this one commits."""
        if self.conn.in_transaction:
            raise RuntimeError("transactions do not nest")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise RegisterError(f"Sổ đang bận (một cửa sổ DirDesk khác đang ghi quá lâu): {exc}") from exc
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def query(self, sql: str, params=()) -> list[dict]:
        return list(self.db.query(sql, params))

    def one(self, sql: str, params=()) -> dict | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """The one way to connect to a register file: counted until closed (THE RULE above)."""
    uri = path.resolve().as_uri() + ("?mode=ro" if readonly else "?mode=rwc")
    with _tracking:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, factory=_CountedConnection)
        key = _key(path)
        conn._dirdesk_key = key
        _open_connections[key] = _open_connections.get(key, 0) + 1
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def _create_private(path: Path) -> None:
    """Create a new, empty register file readable by its user alone (SQLite gives its -wal and -shm the same
    mode). No connection to a file that does not exist yet can hold a lock on it, so this open is safe."""
    with _tracking:
        try:
            create_private(path)
        except FileExistsError:
            return


def _keep_private(path: Path) -> None:
    """Take group and other permissions off an existing register and its sidecars (chmod opens no descriptor)."""
    if os.name != "posix":
        return  # on Windows the data folder under %LOCALAPPDATA% carries the user-only ACL
    for target in (path, Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        try:
            mode = target.stat().st_mode
            if mode & 0o077:
                os.chmod(target, mode & 0o700)
        except OSError:
            pass


def _check_existing(path: Path, *, integrity: bool = True) -> int:
    """Read-only checks of an existing file; returns its schema version.

    `integrity=False` skips `quick_check`, which reads the whole file: for a
    second connection to a file this process has just opened and checked."""
    inspect_header(path)
    if path.stat().st_size == 0:
        return 0
    conn = _connect(path, readonly=True)
    try:
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0] if integrity else "ok"
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise _not_sqlite(path) from exc
            raise _damaged(path, exc) from exc
        if result != "ok":
            raise _damaged(path, result)
    finally:
        conn.close()
    if app_id != APPLICATION_ID:
        if tables:
            raise _foreign(path)
        return 0
    if version > SCHEMA_VERSION:
        raise _refused(path, f"được tạo bởi phiên bản DirDesk mới hơn (lược đồ {version}, bản này hiểu đến "
                             f"{SCHEMA_VERSION}); hãy cập nhật DirDesk")
    if version and not CORE_TABLES <= tables:
        raise _refused(path, "thiếu các bảng của sổ DirDesk")
    return version


def _backup_before_migration(path: Path, conn: sqlite3.Connection, version: int) -> Path:
    target = backups_dir(path) / f"{path.stem}-truoc-nang-cap-v{version}-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite"
    private_dir(target.parent)
    create_private(target)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def _migrate(path: Path, conn: sqlite3.Connection, version: int) -> None:
    if version == SCHEMA_VERSION:
        return
    if version > 0:
        _backup_before_migration(path, conn, version)
    for index in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current > index:
                conn.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[index]:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {index + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def open_registry(path: str | os.PathLike | None = None, *, create: bool = True,
                  integrity_check: bool = True) -> Registry:
    """Open (or create) the register file at `path` (default: `default_db_path()`).

    `integrity_check=False` skips reading the whole file (`quick_check`, 0.3–2.5 s
    on a large register); only for another connection to a file already opened
    and checked in this process, e.g. a background job of the window. Every
    other check (header, app id, schema version) still runs."""
    path = Path(path) if path is not None else default_db_path()
    if path.exists():
        if path.is_dir():
            raise RegisterError(f"{path} là một thư mục, không phải tệp sổ.")
        version = _check_existing(path, integrity=integrity_check)
    elif not create:
        raise RegisterError(f"Không có tệp sổ {path}.")
    else:
        try:
            private_dir(path.parent, narrow=False)  # a folder the clerk chose keeps its permissions
            _create_private(path)
        except OSError as exc:
            raise RegisterError(f"Không tạo được tệp sổ {path}: {exc}") from exc
        version = 0
    _keep_private(path)
    conn = _connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(path, conn, version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseRefused(f"Không mở được sổ {path}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    return Registry(path, conn)
