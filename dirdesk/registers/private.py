"""Files and folders that belong to the clerk alone, and reading a file without following links.

The register, its attached files (MẬT documents among them), its backups and
exports hold what the office has not published. On POSIX every folder made
here is 0700 and every file 0600 from the moment it exists (created with that
mode, not chmod-ed down afterwards, so there is no moment another user can
open it); a folder of the register's that an older DirDesk made 0755 is
narrowed to 0700 when next used. On Windows permissions come from the
folder's ACL: the data folder under %LOCALAPPDATA% (platformdirs'
`user_data_dir`) inherits the user profile's ACL, which grants the user,
SYSTEM and Administrators only, so a file created there is the user's alone
without DirDesk setting anything (no extra dependency); `os.chmod` there only
toggles the read-only flag and is not called. A register put elsewhere
(DIRDESK_DB, --db, a shared drive) takes that folder's ACL.

Reading: a register's own files are regular files it wrote itself. A link
planted among them (a `.pdf` pointing at /etc/shadow) or a FIFO (which would
block forever) is refused, not followed: `read_regular` opens with
O_NOFOLLOW | O_NONBLOCK where the system has them and checks the opened file
is a regular one.

Never use these on the register file itself, its -wal or -shm while a
connection to it may be open (database.py, THE RULE): only SQLite touches those.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dirdesk.draft import atomic_write
from dirdesk.registers.errors import RegisterError

FILE_MODE = 0o600
DIR_MODE = 0o700
POSIX = os.name == "posix"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def private_dir(path: str | os.PathLike, *, narrow: bool = True) -> Path:
    """`path` as a folder of the user's alone (0700 on POSIX), made with its parents if missing.

    With `narrow`, an existing folder (one DirDesk made earlier with wider
    permissions) is narrowed to 0700; parents that already exist (the user's
    home, a folder the clerk chose) are always left as they are."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass
    if path.is_symlink() or not path.is_dir():
        raise RegisterError(f"{path} không phải là thư mục.")
    if POSIX and narrow:
        mode = path.stat().st_mode
        if mode & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & DIR_MODE)
    return path


def create_private(path: str | os.PathLike) -> None:
    """Create a new, empty file readable by its user alone (0600); refuses one that exists (FileExistsError).

    For a file SQLite is about to create (a backup copy, a restored register):
    SQLite keeps the mode of an existing file and gives its -wal and -shm the same."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, FILE_MODE)
    os.close(fd)


@contextmanager
def private_temp(folder: Path, name: str) -> Iterator[tuple[object, Path]]:
    """A temporary file (0600, mkstemp's mode) in `folder`, open for binary writing: (file, its path).

    Removed if the block fails; the caller moves it into place with `os.replace`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    tmp_path = Path(tmp)
    try:
        if POSIX:
            os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp_path
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_private(path: str | os.PathLike, data: bytes) -> None:
    """Write a file of the user's alone (0600) atomically: a crash never leaves it half-written."""
    atomic_write(path, data, private=True)


def replace_or_remove(tmp: Path, path: Path) -> None:
    """Move a finished temporary file into place; if that fails, remove it (nothing half-done is left)."""
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class NotRegularFile(OSError):
    """A link, a folder, a FIFO or a device where a regular file was expected."""


@contextmanager
def open_regular(path: str | os.PathLike) -> Iterator:
    """`path` opened for binary reading, only if it is a regular file and not a link to one."""
    path = Path(path)
    if path.is_symlink():  # also where the system has no O_NOFOLLOW
        raise NotRegularFile(f"{path} là liên kết (symlink), không phải tệp thật")
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(f"{path} không phải tệp thường")
        if _NONBLOCK and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def read_regular(path: str | os.PathLike) -> bytes:
    """The content of a regular file, refusing links, FIFOs and devices (NotRegularFile, an OSError)."""
    with open_regular(path) as fh:
        return fh.read()


def is_regular(path: str | os.PathLike) -> bool:
    """A regular file, not a link (lstat: opens nothing)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
