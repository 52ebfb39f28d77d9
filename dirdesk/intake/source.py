"""Reading a received file: the one way every part of DirDesk takes a file the
clerk was sent (to parse it, to keep it with a register entry, to attach it).

A received file comes from outside (an e-mail, a USB stick, a shared folder),
so it is read defensively:

- only a regular file is read: a symbolic link is refused, not followed (a
  `.pdf` link to /etc/shadow would otherwise be stored in the register and
  copied into every backup), and a FIFO, socket or device is refused without
  blocking (it is opened with O_NONBLOCK, then checked with fstat);
- the file is checked after it is opened (fstat on the open descriptor), so it
  cannot be swapped for a link between the check and the read;
- at most `MAX_RECEIVED_BYTES` are read; a larger file is refused with a
  message, before it is read.

Every refusal is a `ReceivedFileError` (an `IntakeError`) whose message is in
Vietnamese and names the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from dirdesk.text import human_size

MAX_RECEIVED_BYTES = 200 * 1024 * 1024  # 200 MB: far above any công văn, below what fills a clerk's memory

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class IntakeError(ValueError):
    """A received file that cannot be read; the message is in Vietnamese."""


class ReceivedFileError(IntakeError, OSError):
    """A received file that is not read at all (not a regular file, a link, too large, unreadable).

    It is an OSError too, so a caller that handles a failed read goes on handling it; its
    `strerror` is the reason without the file's name, str() the whole message."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.strerror = reason
        self.filename = str(path)

    def __str__(self) -> str:
        return self.args[0]


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        what = "là liên kết (symlink), không phải tệp thật"
    elif stat.S_ISDIR(mode):
        what = "là thư mục, không phải tệp"
    elif stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        what = "là đường ống hoặc socket, không phải tệp thật"
    else:
        what = "không phải tệp thông thường (thiết bị hoặc tệp đặc biệt)"
    return f"{what}; chỉ nhận tệp thông thường"


def _too_large(size: int | None, limit: int) -> str:
    return f"tệp quá lớn ({human_size(size)}; tối đa {human_size(limit)})" if size else \
        f"tệp quá lớn (tối đa {human_size(limit)})"


def received_bytes(path: str | Path, limit: int = MAX_RECEIVED_BYTES) -> bytes:
    """The bytes of the received file at `path`: a regular file, not a link, at most `limit` bytes.

    Raises ReceivedFileError (Vietnamese message) otherwise, or when it cannot be read."""
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise ReceivedFileError(path, "không có tệp") from None
    except OSError as exc:
        raise ReceivedFileError(path, f"không đọc được tệp ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise ReceivedFileError(path, _kind(st.st_mode))
    if st.st_size > limit:
        raise ReceivedFileError(path, _too_large(st.st_size, limit))
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError as exc:  # ELOOP: it became a link after the check
        raise ReceivedFileError(path, f"không đọc được tệp ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)  # what was opened, whatever the name points to now
        if not stat.S_ISREG(st.st_mode):
            raise ReceivedFileError(path, _kind(st.st_mode))
        if st.st_size > limit:
            raise ReceivedFileError(path, _too_large(st.st_size, limit))
        if _NONBLOCK and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise ReceivedFileError(path, _too_large(None, limit))
    except ReceivedFileError:
        raise
    except OSError as exc:
        raise ReceivedFileError(path, f"không đọc được tệp ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    return b"".join(chunks)
