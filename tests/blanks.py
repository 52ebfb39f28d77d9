"""Fill a template's blanks "[…]" as a clerk does before Ban hành (the checker refuses them, text.placeholder)."""

from __future__ import annotations

from dirdesk.checks.text import BLANK


def _filled(text: str) -> str:
    def word(m) -> str:
        inner = m.group()[1:-1].strip(" .…")
        return inner if any(ch.isalpha() for ch in inner) else "01"
    return BLANK.sub(word, text)


def fill_blanks(data):
    """The draft dict (or any JSON value) with every blank replaced by its own words ("[Họ và tên]" -> "Họ và tên")."""
    if isinstance(data, str):
        return _filled(data)
    if isinstance(data, list):
        return [fill_blanks(v) for v in data]
    if isinstance(data, dict):
        return {k: fill_blanks(v) for k, v in data.items()}
    return data
