"""Dates as the clerk types them and as the registers show them.

`parse_typed_date` is the one reader of a typed date: every dialog field and
every text cell of an imported register goes through it, so a date accepted
in one place is accepted in all. It reads ngày/tháng/năm in the order a
Vietnamese office writes it (08/09/2021, 8/9/2021, 8.9.21, 08-09-2021), the
ISO order (2021-09-08), and the written form ("ngày 08 tháng 9 năm 2021",
with or without diacritics, with or without "ngày"/"năm"); a time after the
date, as spreadsheets write it ("08/09/2021 10:30"), is ignored.

A two-digit year is in this century up to next year and in the last century
after it: in 2026, "21" is 2021, "27" is 2027 and "95" is 1995 (a register
holds old documents, not ones dated decades ahead). Years outside 1900–2099
are refused, like an impossible day or month.

`date_text` is the dd/mm/yyyy a register cell, a dialog field or the ĐẾN
stamp shows. (`symbols.date_text` is something else: the document's own date
line, "Bách Quang, ngày 08 tháng 9 năm 2021".)
"""

from __future__ import annotations

import datetime as dt
import re

from dirdesk.text import fold, one_line

YEARS = range(1900, 2100)
EXAMPLE = "08/09/2026"

_TIME = r"(?:[ t]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})" + _TIME)
_YMD = re.compile(r"(\d{4})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME)
_WORDS = re.compile(r"(\d{1,2})\s*,?\s*thang\s*(\d{1,2})\s*,?\s*(?:nam\s*)?(\d{4})")
_DAY_WORD = re.compile(r"^ngay\s*:?\s*")


class DateError(ValueError):
    """A typed date that is not a date; the message (in Vietnamese) names what was typed."""


def full_year(year: int, today: dt.date | None = None) -> int:
    """A two-digit year in full: this century up to next year, the last century after it."""
    if year >= 100:
        return year
    pivot = (today or dt.date.today()).year % 100 + 1
    return (2000 if year <= pivot else 1900) + year


def parse_typed_date(text: str | None, label: str = "Ngày") -> dt.date | None:
    """The date typed in `text`; None when it is empty. Raises DateError, whose message
    starts with `label` (the field's name, e.g. "Ngày văn bản"), when it is not a date."""
    text = one_line(text)
    if not text:
        return None
    folded = _DAY_WORD.sub("", fold(text))
    parts = None
    if m := _DMY.fullmatch(folded):
        parts = m.group(4), m.group(3), m.group(1)
    elif m := _YMD.fullmatch(folded):
        parts = m.group(1), m.group(3), m.group(4)
    elif m := _WORDS.fullmatch(folded):
        parts = m.group(3), m.group(2), m.group(1)
    if parts:
        year = full_year(int(parts[0])) if len(parts[0]) == 2 else int(parts[0])
        try:
            if year in YEARS:
                return dt.date(year, int(parts[1]), int(parts[2]))
        except ValueError:
            pass
    raise DateError(f"{label} “{text}” không phải một ngày hợp lệ. Hãy gõ theo dạng ngày/tháng/năm, "
                    f"ví dụ {EXAMPLE}.")


def date_text(value: str | dt.date | None) -> str:
    """dd/mm/yyyy of a date or of an ISO date (a date-and-time keeps only its date);
    "" for none. A stored value that is not an ISO date is shown as it is, never raised on."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")
