"""The one error the registers raise: a message for the clerk, in Vietnamese."""

from __future__ import annotations


class RegisterError(Exception):
    """Something the clerk must be told; nothing was written when it is raised."""


class DatabaseRefused(RegisterError):
    """The file is not a DirDesk register (foreign, damaged, too new); it was left untouched."""
