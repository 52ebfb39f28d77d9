"""The one error the registers raise: a message for the clerk, in Vietnamese."""

from __future__ import annotations


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
