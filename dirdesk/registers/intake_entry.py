"""A received file as an entry of the incoming register: the columns a clerk
would copy from the document (Phụ lục IV: tác giả, số ký hiệu, ngày văn bản,
tên loại và trích yếu, độ khẩn, độ mật), filled from the parsed document
(intake/parse.py), its text kept for search, its digital signatures read.

`dirdesk incoming add FILE` and the desktop app's intake both start here;
the clerk checks and corrects the entry before `incoming.add` numbers it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from dirdesk.draft import SECRECIES, URGENCIES, Draft, Issuer
from dirdesk.intake import IntakeError, parse_file
from dirdesk.intake.source import ReceivedFileError, received_bytes
from dirdesk.markup import parse_body
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.incoming import IncomingEntry, signatures_of
from dirdesk.registers.outgoing import type_name
from dirdesk.rules import STYLES, doc_types, rules_for
from dirdesk.symbols import symbol_text
from dirdesk.text import clean, one_line


def author_of(issuer: dict | None) -> str:
    """Tác giả: the issuing body's name as the document prints it, on one line
    ("ĐẢNG ỦY KHỐI CƠ QUAN - DOANH NGHIỆP TỈNH"). The superior body printed
    above it (issuer.parent) is not the author and is left out."""
    return one_line((issuer or {}).get("name"))


def symbol_of(parsed: dict) -> str:
    """Số, ký hiệu as printed ("66-CV/ĐU", "12/UBND-VP"), or "" when the document shows none.

    The parser gives `symbol` only where the printed one differs from what the
    rules would print for its number, type and issuer code; otherwise it is
    printed here from those, as the renderer prints it."""
    if parsed.get("symbol"):
        return "".join(one_line(parsed["symbol"]).split())
    style, doc_type, number = parsed.get("style"), parsed.get("type"), parsed.get("number")
    issuer = parsed.get("issuer") or {}
    # a number written by hand and not read: the rest of the symbol ("/UBND-KTTH"), for the clerk to complete
    partial = not number and "symbol" in (parsed.get("handwritten") or ())
    if style not in STYLES or doc_type not in doc_types(style) or not (number or partial) or not issuer.get("code"):
        return ""
    date = _date(parsed.get("date"))
    draft = Draft(style=style, type=doc_type, place="-", subject="-", body="-", number=int(number) if number else None,
                  date=date, issuer=Issuer(name="-", code=issuer["code"], unit=issuer.get("unit")))
    return "".join(symbol_text(draft, rules_for(style, None, date)).split())


def type_name_of(parsed: dict) -> str:
    """Tên loại: "Công văn", "Nghị quyết" (the type's name, as the outgoing register writes it),
    or the document's own printed title in sentence case."""
    style, doc_type = parsed.get("style"), parsed.get("type")
    if style not in STYLES or doc_type not in doc_types(style):
        return ""
    return type_name(style, doc_type, parsed.get("title"))


def text_of(parsed: dict) -> str:
    """The document's text (preamble and body) without markup, one paragraph a line, for search."""
    paragraphs = []
    for part in (parsed.get("preamble"), parsed.get("body")):
        if part:
            paragraphs += [line.text.strip() for line in parse_body(clean(part))]
    return "\n".join(p for p in paragraphs if p)


CONFIDENCE_FIELDS = ("author", "symbol", "doc_date", "type", "subject", "recipient", "signer")
HANDWRITTEN_FIELDS = ("symbol", "doc_date")
FIELD_NAMES = {"author": "tác giả", "symbol": "số, ký hiệu", "doc_date": "ngày văn bản", "type": "tên loại",
               "subject": "trích yếu", "recipient": "đơn vị/người nhận", "signer": "người ký"}
CHECK_TIP = "Máy đọc chưa chắc chắn: xin đối chiếu với văn bản"


def is_scan(parsed: dict) -> bool:
    """Whether the parsed text was read with OCR from a scan (the parser's `ocr` or `source_kind`)."""
    return bool(parsed.get("ocr")) or parsed.get("source_kind") == "scan"


def to_check_of(parsed: dict, entry: IncomingEntry) -> list[str]:
    """The entry's fields, filled from the file, that the parser was not sure of (`parsed["confidence"]`:
    field -> "sure" | "check"); a field it does not rate is sure from a text layer, to check from a scan.
    An empty field is not listed: it was not read at all."""
    rated = parsed.get("confidence") if isinstance(parsed.get("confidence"), dict) else {}
    default = "check" if is_scan(parsed) else "sure"
    return [name for name in CONFIDENCE_FIELDS
            if getattr(entry, "type_name" if name == "type" else name, None)
            and rated.get(name, default) == "check"]


def handwritten_of(parsed: dict) -> list[str]:
    """The fields (symbol, doc_date) whose number or day looked handwritten on the scan."""
    given = parsed.get("handwritten") if isinstance(parsed.get("handwritten"), list | tuple) else []
    return [name for name in HANDWRITTEN_FIELDS if name in given]


def field_names(fields) -> str:
    """The fields' names for the clerk, in the form's order: "tác giả; số, ký hiệu; trích yếu"."""
    return "; ".join(FIELD_NAMES[name] for name in CONFIDENCE_FIELDS if name in fields)


def check_message(fields) -> str:
    """What the clerk is told of the fields to check (Vietnamese), or ""."""
    names = field_names(fields)
    return f"Máy đọc chưa chắc chắn các trường sau, xin đối chiếu với văn bản: {names}." if names else ""


def handwritten_message(fields, entry: IncomingEntry | None = None) -> str:
    """What the clerk is told of the fields that looked handwritten (naming only those), or "".
    Those the machine still read (its readings agreed: `entry` has them) are to check; the others
    to type."""
    words = {"symbol": "số", "doc_date": "ngày"}
    named = [name for name in HANDWRITTEN_FIELDS if name in fields]
    if not named:
        return ""
    read = [name for name in named if entry is not None and _has_number(entry, name)]
    unread = [name for name in named if name not in read]
    what = " và ".join(words[name] for name in named)
    parts = [f"{what[0].upper()}{what[1:]} của văn bản có vẻ được viết tay trên bản quét"]
    if unread:
        parts.append(f"máy không đọc được {' và '.join(words[n] for n in unread)}, xin đọc trên văn bản và gõ vào")
    if read:
        parts.append(f"máy đọc được {' và '.join(words[n] for n in read)} nhưng chưa chắc, xin đối chiếu")
    return ": ".join(parts[:2]) + ("; " + parts[2] if len(parts) > 2 else "") + "."


def _has_number(entry: IncomingEntry, name: str) -> bool:
    if name == "doc_date":
        return entry.doc_date is not None
    return bool(re.match(r"\s*\d", entry.symbol or ""))


def _date(text) -> dt.date | None:
    # The parser's ISO date (or None), not a typed one: dates.parse_typed_date is for what the clerk types.
    try:
        return dt.date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def entry_from_parsed(parsed: dict | None, data: bytes, filename: str, trust=None) -> IncomingEntry:
    """The incoming entry for a received file: `parsed` is what `intake.parse_file` read from it
    (None when it could not be read, e.g. a scan: the entry then has only the file), `data` the
    file's bytes, kept with the entry, `filename` its original name. The signatures of a PDF are read
    (and checked against `trust`, the register's trusted certificates, when given).
    The received date is left empty (today, unless the clerk says otherwise). The fields the parser was
    not sure of go to `to_check`, those that looked handwritten on a scan to `handwritten`; a partly
    read symbol ("/UBND-KTTH", its number handwritten) is kept, for the clerk to complete."""
    filename = one_line(filename) or "van-ban-den"
    entry = IncomingEntry(files=[(filename, data)])
    entry.signatures = signatures_of(entry, trust)
    if not parsed:
        return entry
    entry.author = author_of(parsed.get("issuer"))
    entry.symbol = symbol_of(parsed)
    entry.doc_date = _date(parsed.get("date"))
    style, doc_type = parsed.get("style"), parsed.get("type")
    entry.type = doc_type if style in STYLES and doc_type in doc_types(style) else ""
    entry.type_name = type_name_of(parsed)
    entry.subject = one_line(parsed.get("subject"))
    entry.urgency = parsed.get("urgency") if parsed.get("urgency") in URGENCIES else None
    entry.secrecy = parsed.get("secrecy") if parsed.get("secrecy") in SECRECIES else None
    entry.body = text_of(parsed)
    entry.to_check = to_check_of(parsed, entry)
    entry.handwritten = handwritten_of(parsed)
    return entry


def entry_from_file(path: str | Path, trust=None) -> tuple[IncomingEntry, str | None]:
    """Read and parse a received .pdf/.docx/.txt into an entry.

    Returns the entry and None; or, when the file's text cannot be read (a
    scanned PDF, a picture, a damaged file), an entry holding only the file
    (to be attached as a scan) and the reason, in Vietnamese, for the clerk
    who must then type the fields."""
    path = Path(path)
    try:  # a link, a FIFO or a file too large is refused here, before anything is kept
        data = received_bytes(path)
    except ReceivedFileError as exc:
        raise RegisterError(str(exc)) from None
    try:
        reading: dict = {}
        parsed = parse_file(path, data=data, reading=reading)
    except IntakeError as exc:
        return entry_from_parsed(None, data, path.name, trust), str(exc)
    except Exception as exc:  # a reader's failure on an odd file must not stop the clerk registering it
        return entry_from_parsed(None, data, path.name, trust), f"{path}: không đọc được nội dung tệp ({exc})"
    return entry_from_parsed({**parsed, **reading}, data, path.name, trust), None
