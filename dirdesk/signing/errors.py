"""The one error of signing: its message is Vietnamese, one line, for the clerk."""

from __future__ import annotations


class SigningProblem(Exception):
    """Signing could not be done; nothing was written."""
