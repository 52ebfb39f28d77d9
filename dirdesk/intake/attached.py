"""Where a received document's own part ends and what was issued with it begins.

A decision printed with the quy chế it issues, or any document with its phụ lục (NĐ 30 Phụ lục
III; 05-HD II.1), goes on after its signature with the attached parts, each from a new page and
each under a "(Kèm theo … số … ngày … của …)" line. The zones of the parser (zones.py) read one
document; the attached parts are cut off first, so that their headings are not read as the
signer's title. The attached parts themselves are not read into the draft (not done yet).

A document issued with a decision, received on its own, prints no Số and no date: its "(Kèm theo
…)" line says the decision's, which the draft format gives such a document (`take_note`).
"""

from __future__ import annotations

import datetime as dt
import re

from dirdesk.intake.wording import plain
from dirdesk.text import fold


def main_part(lines: list[str]) -> list[str]:
    """`lines` up to the page or section break that follows the signature, when a "(Kèm theo …)"
    line comes after "Nơi nhận"; else all of them. The text readers leave two empty lines where a
    page (PDF) or a section (DOCX) ends."""
    plains = [plain(line) for line in lines]
    cc = next((i for i, p in enumerate(plains) if fold(p).startswith("noi nhan")), None)
    if cc is None:
        return lines
    note = next((i for i in range(cc + 1, len(plains)) if fold(plains[i]).startswith("(kem theo ")), None)
    if note is None:
        return lines
    end = next((i for i in range(cc + 1, note) if not plains[i] and not plains[i + 1]), None)
    return lines if end is None else lines[:end]


# "(Kèm theo Quyết định số 25/QĐ-UBND ngày 16 tháng 3 năm 2026 của …)" (NĐ 30 Phụ lục III) or
# "(Kèm theo Quyết định số 15-QĐ/ĐU, ngày 15/7/2026 của …)" (05-HD's own phụ lục); "…" where blank.
_NOTE = re.compile(r"^\(Kèm theo (?P<type>.+?) số (?P<symbol>\S+?),? ngày (?P<date>.+?) của (?P<by>.+)\)$")
_STATE_DATE = re.compile(r"^(\d{1,2}) tháng (\d{1,2}) năm (\d{4})$")
_PARTY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_HEAD_LINES = 30  # the note stands under the title, within the first lines of the text


def take_note(lines: list[str]) -> tuple[list[str], dict]:
    """The "(Kèm theo …)" line under the title of a document issued with a decision, taken out of
    `lines` (an empty line in its place, as the rule under it would leave) and read: the decision's
    number, date and issuer code, which are the attached document's own (it prints none)."""
    plains = [plain(line) for line in lines]
    start = next((i for i, p in enumerate(plains[:_HEAD_LINES]) if p.startswith("(Kèm theo ")), None)
    if start is None:
        return lines, {}
    end = next((i for i in range(start, min(start + 4, len(plains))) if plains[i].endswith(")")), None)
    if end is None:
        return lines, {}
    match = _NOTE.match(" ".join(plains[start:end + 1]))
    if match is None:
        return lines, {}
    return lines[:start] + [""] + lines[end + 1:], _note_fields(match)


def _note_fields(match: re.Match) -> dict:
    symbol = match["symbol"]
    number = re.match(r"^(\d+)", symbol)
    code = re.search(r"[-/]([^-/…\s]+)$", symbol)
    date = None
    for pattern in (_STATE_DATE, _PARTY_DATE):
        found = pattern.match(match["date"].strip())
        if found:
            day, month, year = (int(g) for g in found.groups())
            try:
                date = dt.date(year, month, day).isoformat()
            except ValueError:
                date = None
    return {"number": int(number[1]) if number else None, "date": date, "code": code[1] if code else None}


def fill_from_note(result: dict, fields: dict) -> None:
    """Fill what the parsed draft lacks from the note's fields (nothing read is overwritten)."""
    for key in ("number", "date"):
        if result.get(key) is None and fields.get(key) is not None:
            result[key] = fields[key]
    issuer = result.get("issuer") or {}
    if issuer.get("code") is None and fields.get("code"):
        issuer["code"] = fields["code"]
