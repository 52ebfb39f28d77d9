"""Where a received document's own part ends and what was issued with it begins.

A decision printed with the quy chế it issues, or any document with its phụ lục (NĐ 30 Phụ lục
III; 05-HD II.1), goes on after its signature with the attached parts, each from a new page and
each under a "(Kèm theo … số … ngày … của …)" line. The zones of the parser (zones.py) read one
document; the attached parts are cut off first, so that their headings are not read as the
signer's title, and read into the draft's `attachments` (`split_parts`, `read_part`).

A document issued with a decision, received on its own, prints no Số and no date: its "(Kèm theo
…)" line says the decision's, which the draft format gives such a document (`take_note`).
"""

from __future__ import annotations

import datetime as dt
import re

from dirdesk.intake.wording import join_wrapped, plain, split_merged
from dirdesk.rules import doc_types
from dirdesk.text import fold, upper_vi


def starts_attached_part(words: list[dict], height: float) -> bool:
    """Does this PDF page (pdfplumber words) begin a part issued with the document before it: a
    "(Kèm theo" in its upper part, under the attached document's title or the phụ lục's?"""
    return any(w["text"] == "(Kèm" and nxt["text"] == "theo" and w["top"] < 0.45 * height
               for w, nxt in zip(words, words[1:], strict=False))


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


def split_parts(lines: list[str]) -> tuple[list[str], list[list[str]]]:
    """The document's own lines and those of each part issued with it. Each part has its "(Kèm
    theo …)" line under its heading: "Phụ lục …" and the title, or the header, the type's name and
    the trích yếu, lines IN HOA (the tiêu ngữ aside) that the part before does not end with."""
    main = main_part(lines)
    rest = [piece for line in lines[len(main):] for piece in _split_at_note(line)]
    plains = [plain(line) for line in rest]
    notes = [i for i, p in enumerate(plains) if p.startswith("(Kèm theo ")]
    starts = sorted({_part_start(plains, k) for k in notes})
    bounds = [*starts, len(rest)]
    return main, [rest[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


_MOTTOS = ("Độc lập - Tự do - Hạnh phúc",)


def _part_start(plains: list[str], note: int) -> int:
    """Where the part whose "(Kèm theo …)" line is at `note` begins: up over the trích yếu (in
    thường, at most 4 lines) to the lines IN HOA and the tiêu ngữ above it, or at "Phụ lục …"."""
    above = [i for i in range(note - 1, max(note - 20, -1), -1) if plains[i]]
    k = 0
    while k < min(len(above), 4) and plains[above[k]] != upper_vi(plains[above[k]]):
        k += 1  # the trích yếu
    start = above[k - 1] if k else note
    for i in above[k:]:
        p = plains[i]
        if p.startswith("Phụ lục"):
            return i
        if p != upper_vi(p) and p not in _MOTTOS:
            break
        start = i
    return start


def read_part(lines: list[str], type_names: dict[str, str]) -> dict | None:
    """One attached part as a draft-format attachment: a phụ lục ("Phụ lục …", its title) or a
    document issued with the decision (its type's name among `type_names`, name -> code, and its
    trích yếu); the content after the "(Kèm theo …)" line and its rule."""
    lines = [piece for line in lines for piece in _split_at_note(line)]
    plains = [plain(line) for line in lines]
    note = next((i for i, p in enumerate(plains) if p.startswith("(Kèm theo ")), None)
    if note is None:
        return None
    end = next((i for i in range(note, min(note + 4, len(plains))) if plains[i].endswith(")")), note)
    head = [(i, p) for i, p in enumerate(plains[:note]) if p]
    body_lines = [line for line, p in zip(lines[end + 1:], plains[end + 1:], strict=True)
                  if p and not re.fullmatch(r"[-_]{3,}", p)]
    body = "\n".join(line.strip() for line in body_lines)
    label = next((k for k, (_, p) in enumerate(head) if p.startswith("Phụ lục")), None)
    if label is not None:
        title = " ".join(p for _, p in head[label + 1:]) or None
        if not body:
            return None
        return {"kind": "phu-luc", "type": None, "title": title, "subject": None, "body": body}
    named = next((k for k, (_, p) in enumerate(head) if upper_vi(p) in type_names), None)
    if named is None:
        return None
    subject = " ".join(p for _, p in head[named + 1:]) or None
    if not (subject and body):
        return None
    return {"kind": "van-ban", "type": type_names[upper_vi(head[named][1])], "title": None,
            "subject": subject, "body": body}


def _split_at_note(line: str) -> list[str]:
    """A title line the reader ran into the "(Kèm theo" line after it, as two lines."""
    at = line.find("(Kèm theo ")
    if at <= 0 or not plain(line[:at]).strip("* "):
        return [line]
    cut = at - 1 if line[at - 1] == "*" and line[at - 2:at] != "**" else at
    return [line[:cut].rstrip(), line[cut:]]


def read_parts(parts: list[list[str]], style: str | None) -> list[dict]:
    """The attachments of a document of `style` read from its parts (those not read are left out)."""
    if style not in ("party", "state") or not parts:
        return []
    names = {upper_vi(t.name): code for code, t in doc_types(style).items()}
    read = (read_part(join_wrapped([piece for line in part for piece in split_merged(line.strip())]), names)
            for part in parts)
    return [a for a in read if a]
