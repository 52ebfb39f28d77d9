"""The one error the registers raise: a message for the clerk, in Vietnamese; and the messages for
what fails around it (a full disk, a busy or damaged file: `failure_message`)."""

from __future__ import annotations

import errno
import sqlite3

from dirdesk.limits import column_problems


class RegisterError(Exception):
    """Something the clerk must be told; nothing was written when it is raised."""


class DatabaseRefused(RegisterError):
    """The file is not a DirDesk register (foreign, damaged, too new); it was left untouched."""


class DuplicateEntry(RegisterError):
    """The document is already in the incoming register (same file, or same issuer and symbol).

    `duplicates` holds the `incoming.Duplicate`s found; nothing was written."""

    def __init__(self, message: str, duplicates: list):
        super().__init__(message)
        self.duplicates = duplicates


class NumberTaken(RegisterError):
    """The number the clerk was shown before issuing went to another document
    meanwhile (another window issued or reserved it); nothing was written.
    `expected` is the number shown, `actual` the one that is next now."""

    def __init__(self, expected: int, actual: int):
        super().__init__(f"Số {expected:02d} vừa được cấp cho văn bản khác; số tiếp theo bây giờ là {actual:02d}.")
        self.expected, self.actual = expected, actual


class NumbersSkipped(RegisterError):
    """The draft's own number lies past the next one: issuing it would leave `skipped` (a range)
    unused forever. Nothing was written; issue again with the clerk's consent to skip them."""

    def __init__(self, message: str, skipped: range):
        super().__init__(message)
        self.skipped = skipped


class AlreadyIssued(RegisterError):
    """The same draft was issued before (`row`); no number was taken again and nothing was written."""

    def __init__(self, message: str, row: dict):
        super().__init__(message)
        self.row = row


def check_lengths(values: dict) -> None:
    """Refuse text columns longer than their limit (dirdesk.limits.COLUMNS), naming each."""
    problems = column_problems(values)
    if problems:
        text = "; ".join(problems)
        raise RegisterError(text[:1].upper() + text[1:] + ".")


_OS_ERRORS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EACCES: "không có quyền ghi hoặc đọc",
    errno.EPERM: "không được phép",
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EISDIR: "là một thư mục",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EEXIST: "đã có tệp cùng tên",
}

_SQLITE_ERRORS = {
    "SQLITE_FULL": "Ổ đĩa đã đầy: không ghi được vào sổ; không có gì bị ghi dở. Hãy giải phóng chỗ trống rồi làm lại.",
    "SQLITE_BUSY": "Sổ đang bận (một cửa sổ hoặc lệnh DirDesk khác đang ghi); hãy thử lại sau ít phút.",
    "SQLITE_LOCKED": "Sổ đang bận (một cửa sổ hoặc lệnh DirDesk khác đang ghi); hãy thử lại sau ít phút.",
    "SQLITE_READONLY": "Tệp sổ chỉ cho đọc: không ghi được; kiểm tra quyền ghi của tệp và thư mục.",
    "SQLITE_IOERR": "Lỗi đọc/ghi ổ đĩa khi dùng sổ; không có gì bị ghi dở. Kiểm tra ổ đĩa rồi làm lại.",
    "SQLITE_CORRUPT": "Tệp sổ bị hỏng; hãy khôi phục từ bản sao lưu (dirdesk restore).",
    "SQLITE_NOTADB": "Tệp không phải sổ DirDesk.",
    "SQLITE_CANTOPEN": "Không mở được tệp sổ; kiểm tra đường dẫn và quyền của thư mục.",
}


_SQLITE_TEXTS = {"disk is full": "SQLITE_FULL", "is locked": "SQLITE_BUSY", "malformed": "SQLITE_CORRUPT",
                 "not a database": "SQLITE_NOTADB", "disk i/o error": "SQLITE_IOERR", "readonly": "SQLITE_READONLY",
                 "unable to open": "SQLITE_CANTOPEN"}


def _errorname_from_text(text: str) -> str:
    """SQLite's error name from its message, for an error raised without one (by a wrapper, or a test)."""
    lowered = text.lower()
    return next((name for words, name in _SQLITE_TEXTS.items() if words in lowered), "")


def failure_message(exc: BaseException) -> str | None:
    """The Vietnamese message for a failure of the machine rather than of the input (disk full, no
    permission, a busy or damaged register, a number or nesting too large); None for any other."""
    if isinstance(exc, OSError):
        what = _OS_ERRORS.get(exc.errno, exc.strerror or str(exc))
        return f"Không đọc/ghi được tệp {exc.filename}: {what}." if exc.filename else f"Không đọc/ghi được tệp: {what}."
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or _errorname_from_text(str(exc))
        for prefix, text in _SQLITE_ERRORS.items():
            if name.startswith(prefix):
                return text
        return f"Lỗi khi dùng tệp sổ ({exc}); không có gì bị ghi dở."
    if isinstance(exc, OverflowError):
        return "Một con số quá lớn; không có gì được ghi."
    if isinstance(exc, RecursionError):
        return "Dữ liệu lồng nhau quá sâu, không đọc được; không có gì được ghi."
    if isinstance(exc, MemoryError):
        return "Không đủ bộ nhớ để làm việc này; không có gì được ghi."
    return None
