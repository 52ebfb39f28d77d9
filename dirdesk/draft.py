"""The draft file (format version 1): load, validate, save.

See shared/spec/draft-format.md. Every string is cleaned (NFC, no characters a
DOCX cannot hold) on the way in, and held to its length (dirdesk/limits.py). A
bad file raises DraftError listing every problem, each naming its field, in
Vietnamese.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from dirdesk import limits
from dirdesk.draft_attachments import Attachment, read_attachments
from dirdesk.draft_marks import FIELDS as MARK_FIELDS
from dirdesk.draft_marks import Marks, marks_to_dict, read_marks
from dirdesk.rules import STYLES, doc_types, editions
from dirdesk.text import clean, one_line

FORMAT_VERSION = 1
URGENCIES = ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")
SECRECIES = ("MẬT", "TỐI MẬT", "TUYỆT MẬT")
# Old tone placement a clerk may type for the same marking.
_URGENCY_ALIASES = {"HOẢ TỐC": "HỎA TỐC"}


class DraftError(ValueError):
    """A draft that cannot be used; `problems` lists (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]], source: str | None = None):
        self.problems = problems
        self.source = source
        lines = [f"{fld}: {msg}" if fld else msg for fld, msg in problems]
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(lines))


@dataclass
class Issuer:
    name: str
    code: str
    parent: str | None = None
    unit: str | None = None


@dataclass
class Signer:
    authority: str | None = None
    title: str | None = None
    name: str | None = None


@dataclass
class Draft:
    style: str
    type: str
    issuer: Issuer
    place: str
    subject: str
    body: str
    edition: str | None = None
    number: int | None = None
    symbol: str | None = None
    date: dt.date | None = None
    title: str | None = None
    recipients: list[str] = field(default_factory=list)
    preamble: str | None = None
    cc: list[str] = field(default_factory=list)
    cc_note: str | None = None
    signer: Signer = field(default_factory=Signer)
    urgency: str | None = None
    secrecy: str | None = None
    # Optional extensions (docs/draft-format-extensions.md): a second signature (printed on the
    # left), the confirmation of the main signature (05-HD 7.1.4.e), a second issuing body.
    signer2: Signer | None = None
    signer_confirm: Signer | None = None
    co_issuer: Issuer | None = None
    attachments: list[Attachment] = field(default_factory=list)  # docs/draft-format-extensions.md
    issued_by: str | None = None  # who the "(Kèm theo …)" line names; None: from the issuer's name
    marks: Marks = field(default_factory=Marks)  # optional marks (dirdesk/draft_marks.py)

    def to_dict(self) -> dict:
        """The draft as the JSON object of the file format (keys in spec order)."""
        return {
            "dirdesk": FORMAT_VERSION,
            "style": self.style,
            "edition": self.edition,
            "type": self.type,
            "issuer": {
                "parent": self.issuer.parent,
                "name": self.issuer.name,
                "code": self.issuer.code,
                "unit": self.issuer.unit,
            },
            "number": self.number,
            "symbol": self.symbol,
            "place": self.place,
            "date": self.date.isoformat() if self.date else None,
            "title": self.title,
            "subject": self.subject,
            "recipients": list(self.recipients),
            "preamble": self.preamble,
            "body": self.body,
            "cc": list(self.cc),
            "cc_note": self.cc_note,
            "signer": _signer_dict(self.signer),
            "urgency": self.urgency,
            "secrecy": self.secrecy,
        } | _extension_dict(self)


def _signer_dict(signer: Signer) -> dict:
    return {"authority": signer.authority, "title": signer.title, "name": signer.name}


def _extension_dict(draft: Draft) -> dict:
    """The optional fields, written only when set, so that a file without them reads as before."""
    out = {}
    if draft.signer2 is not None:
        out["signer2"] = _signer_dict(draft.signer2)
    if draft.signer_confirm is not None:
        out["signer_confirm"] = _signer_dict(draft.signer_confirm)
    if draft.co_issuer is not None:
        out["co_issuer"] = {"name": draft.co_issuer.name, "code": draft.co_issuer.code}
    if draft.attachments:
        out["attachments"] = [a.to_dict() for a in draft.attachments]
    if draft.issued_by:
        out["issued_by"] = draft.issued_by
    return out | marks_to_dict(draft.marks)


_TOP_FIELDS = {
    "dirdesk", "style", "edition", "type", "issuer", "number", "symbol", "place", "date",
    "title", "subject", "recipients", "preamble", "body", "cc", "cc_note", "signer",
    "urgency", "secrecy", "signer2", "signer_confirm", "co_issuer", "attachments", "issued_by", *MARK_FIELDS,
}
_ISSUER_FIELDS = {"parent", "name", "code", "unit"}
_SIGNER_FIELDS = {"authority", "title", "name"}
_CO_ISSUER_FIELDS = {"name", "code"}

_TYPE_NAMES = {str: "chuỗi", int: "số nguyên", list: "danh sách", dict: "đối tượng", bool: "true/false"}


def _kind(value) -> str:
    if value is None:
        return "null"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Reader:
    """Collects problems while reading fields out of the JSON object."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def fail(self, name: str, message: str) -> None:
        self.problems.append((name, message))

    def string(self, obj: dict, key: str, name: str, *, required: bool, lines: bool = True,
               limit: int = limits.NAME):
        if key not in obj or obj[key] is None:
            if required:
                self.fail(name, "thiếu trường bắt buộc" if key not in obj else "không được để null")
            return None
        value = obj[key]
        if not isinstance(value, str):
            self.fail(name, f"phải là chuỗi, không phải {_kind(value)}")
            return None
        value = clean(value, keep_newlines=lines).strip()
        if required and not value:
            self.fail(name, "không được để trống")
            return None
        return self.within(name, value, limit)

    def within(self, name: str, value: str, limit: int):
        problem = limits.too_long(value, limit)
        if problem:
            self.fail(name, problem)
            return None
        return value

    def string_list(self, obj: dict, key: str) -> list[str]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"phải là danh sách chuỗi, không phải {_kind(value)}")
            return []
        if len(value) > limits.LIST_ITEMS:
            self.fail(key, f"có {limits.thousands(len(value))} dòng, quá giới hạn {limits.LIST_ITEMS} dòng")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.fail(f"{key}[{i}]", f"phải là chuỗi, không phải {_kind(item)}")
                continue
            item = self.within(f"{key}[{i}]", one_line(item), limits.NAME)
            if item:
                out.append(item)
        return out

    def unknown(self, obj: dict, known: set[str], prefix: str = "") -> None:
        for key in obj:
            if key not in known:
                self.fail(prefix + key, "trường không có trong định dạng tệp dự thảo")


def _choice(reader: _Reader, value, name: str, allowed: tuple[str, ...], aliases=None):
    if value is None:
        return None
    value = (aliases or {}).get(value.upper(), value.upper())
    if value not in allowed:
        reader.fail(name, f"'{value}' không hợp lệ (chỉ nhận: {', '.join(allowed)})")
        return None
    return value


def draft_from_dict(data, source: str | None = None) -> Draft:
    """Validate a parsed JSON value and build a Draft, or raise DraftError."""
    r = _Reader()
    if not isinstance(data, dict):
        raise DraftError([("", f"tệp dự thảo phải là một đối tượng JSON, không phải {_kind(data)}")], source)
    r.unknown(data, _TOP_FIELDS)

    version = data.get("dirdesk")
    if "dirdesk" not in data:
        r.fail("dirdesk", "thiếu trường bắt buộc (phiên bản định dạng, 1)")
    elif version != FORMAT_VERSION or isinstance(version, bool):
        r.fail("dirdesk", f"phiên bản định dạng {version!r} không được hỗ trợ (chỉ nhận 1)")

    style = r.string(data, "style", "style", required=True)
    if style is not None and style not in STYLES:
        r.fail("style", f"'{style}' không hợp lệ (chỉ nhận: party, state)")
        style = None

    edition = data.get("edition")
    if edition is not None:
        if not isinstance(edition, str):
            r.fail("edition", f"phải là chuỗi hoặc null, không phải {_kind(edition)}")
            edition = None
        elif style and edition not in editions(style):
            r.fail("edition", f"'{edition}' không phải phiên bản quy định của kiểu '{style}' "
                              f"(chỉ nhận: {', '.join(editions(style))})")
            edition = None

    doc_type = r.string(data, "type", "type", required=True)
    if doc_type is not None and style is not None:
        known = doc_types(style)
        if doc_type not in known:
            r.fail("type", f"'{doc_type}' không phải loại văn bản của kiểu '{style}' "
                           f"(các mã hợp lệ: {', '.join(known)})")

    issuer = None
    raw_issuer = data.get("issuer")
    if raw_issuer is None:
        r.fail("issuer", "thiếu trường bắt buộc" if "issuer" not in data else "không được để null")
    elif not isinstance(raw_issuer, dict):
        r.fail("issuer", f"phải là đối tượng, không phải {_kind(raw_issuer)}")
    else:
        r.unknown(raw_issuer, _ISSUER_FIELDS, "issuer.")
        issuer = Issuer(
            name=r.string(raw_issuer, "name", "issuer.name", required=True),
            code=r.string(raw_issuer, "code", "issuer.code", required=True, lines=False),
            parent=r.string(raw_issuer, "parent", "issuer.parent", required=False) or None,
            unit=r.string(raw_issuer, "unit", "issuer.unit", required=False, lines=False) or None,
        )

    number = data.get("number")
    if number is not None:
        if isinstance(number, bool) or not isinstance(number, int):
            r.fail("number", f"phải là số nguyên dương hoặc null, không phải {_kind(number)}")
            number = None
        elif not 0 < number <= limits.MAX_NUMBER:
            r.fail("number", f"phải là số nguyên dương đến {limits.thousands(limits.MAX_NUMBER)}, không phải "
                             + (str(number) if number <= 0 else limits.thousands(number)))
            number = None

    date = None
    raw_date = data.get("date")
    if raw_date is not None:
        if not isinstance(raw_date, str):
            r.fail("date", f"phải là chuỗi YYYY-MM-DD hoặc null, không phải {_kind(raw_date)}")
        else:
            date = _parse_date(r, raw_date.strip())

    signer = _signer(r, data, "signer") or Signer()
    extensions = dict(signer2=_signer(r, data, "signer2"), signer_confirm=_signer(r, data, "signer_confirm"),
                      co_issuer=_co_issuer(r, data))

    draft_fields = dict(
        place=r.string(data, "place", "place", required=True, lines=False),
        subject=r.string(data, "subject", "subject", required=True, limit=limits.SUBJECT),
        body=r.string(data, "body", "body", required=True, limit=limits.BODY),
        symbol=r.string(data, "symbol", "symbol", required=False, lines=False, limit=limits.SYMBOL) or None,
        title=r.string(data, "title", "title", required=False) or None,
        preamble=r.string(data, "preamble", "preamble", required=False, limit=limits.BODY) or None,
        cc_note=r.string(data, "cc_note", "cc_note", required=False, lines=False, limit=limits.NOTE) or None,
        recipients=r.string_list(data, "recipients"),
        cc=r.string_list(data, "cc"),
        urgency=_choice(r, r.string(data, "urgency", "urgency", required=False, lines=False) or None,
                        "urgency", URGENCIES, _URGENCY_ALIASES),
        secrecy=_choice(r, r.string(data, "secrecy", "secrecy", required=False, lines=False) or None,
                        "secrecy", SECRECIES),
        attachments=read_attachments(r, data, doc_types(style) if style else None),
        issued_by=r.string(data, "issued_by", "issued_by", required=False, lines=False) or None,
        marks=read_marks(r, data),
    )
    if r.problems:
        raise DraftError(r.problems, source)
    return Draft(style=style, edition=edition, type=doc_type, issuer=issuer, number=number,
                 date=date, signer=signer, **draft_fields, **extensions)


def _signer(r: _Reader, data: dict, key: str) -> Signer | None:
    raw = data.get(key)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        r.fail(key, f"phải là đối tượng, không phải {_kind(raw)}")
        return None
    r.unknown(raw, _SIGNER_FIELDS, f"{key}.")
    return Signer(
        authority=r.string(raw, "authority", f"{key}.authority", required=False) or None,
        title=r.string(raw, "title", f"{key}.title", required=False) or None,
        name=r.string(raw, "name", f"{key}.name", required=False, lines=False) or None,
    )


def _co_issuer(r: _Reader, data: dict) -> Issuer | None:
    """The second issuing body of a document of two bodies (liên tịch): its name and abbreviation."""
    raw = data.get("co_issuer")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        r.fail("co_issuer", f"phải là đối tượng, không phải {_kind(raw)}")
        return None
    r.unknown(raw, _CO_ISSUER_FIELDS, "co_issuer.")
    name = r.string(raw, "name", "co_issuer.name", required=True)
    code = r.string(raw, "code", "co_issuer.code", required=True, lines=False)
    return Issuer(name=name, code=code) if name and code else None


_MONTH_DAYS = "tháng {m} chỉ có {d} ngày"


def _parse_date(r: _Reader, text: str) -> dt.date | None:
    # Not dates.parse_typed_date on purpose: a draft file is written by programs, always as
    # YYYY-MM-DD, and a file saying "8/9/21" is malformed, not typed; the errors name the field.
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or [len(p) for p in parts] != [4, 2, 2]:
        r.fail("date", f"'{text}' không đúng dạng YYYY-MM-DD")
        return None
    year, month, day = (int(p) for p in parts)
    if limits.year_problem(year):
        r.fail("date", f"'{text}': {limits.year_problem(year)}")
        return None
    if not 1 <= month <= 12:
        r.fail("date", f"'{text}' không phải ngày có thật: không có tháng {month}")
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        days = calendar.monthrange(year, month)[1]
        r.fail("date", f"'{text}' không phải ngày có thật: " + _MONTH_DAYS.format(m=month, d=days))
        return None


def read_json_text(raw: bytes, source: str | None = None):
    """Decode and parse a draft file's bytes, with messages a clerk can act on."""
    if len(raw) > limits.DRAFT_FILE_BYTES:
        raise DraftError([("", _file_too_large(len(raw)))], source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftError([("", f"tệp không phải văn bản UTF-8 (byte 0x{raw[exc.start]:02X} ở vị trí {exc.start}); "
                               "hãy lưu lại tệp với mã UTF-8")], source) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DraftError([("", f"tệp không phải JSON hợp lệ: dòng {exc.lineno}, cột {exc.colno}: {exc.msg}")],
                         source) from None
    except RecursionError:
        raise DraftError([("", "tệp không phải dự thảo: các mục lồng nhau quá sâu")], source) from None


def _file_too_large(size: int) -> str:
    return (f"tệp lớn {limits.thousands(size)} byte, quá giới hạn {limits.thousands(limits.DRAFT_FILE_BYTES)} "
            "byte của một tệp dự thảo")


def load_draft(path: str | os.PathLike) -> Draft:
    path = Path(path)
    try:
        if path.exists() and not path.is_file():
            raise DraftError([("", "không phải tệp dự thảo (là thư mục hoặc tệp đặc biệt)")], str(path))
        if path.stat().st_size > limits.DRAFT_FILE_BYTES:
            raise DraftError([("", _file_too_large(path.stat().st_size))], str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise DraftError([("", f"không đọc được tệp: {exc.strerror or exc}")], str(path)) from None
    return draft_from_dict(read_json_text(raw, str(path)), str(path))


def atomic_write(path: str | os.PathLike, data: bytes, *, private: bool = False) -> None:
    """Write a file so that a crash or error never leaves it half-written; `private`: readable by its
    user alone (0600 on POSIX, from the start; see dirdesk/registers/private.py)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod") and not private:  # mkstemp makes 0600; else the permissions open() would
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def draft_to_json(draft: Draft) -> str:
    return json.dumps(draft.to_dict(), ensure_ascii=False, indent=2) + "\n"


def save_draft(draft: Draft, path: str | os.PathLike) -> None:
    atomic_write(path, draft_to_json(draft).encode("utf-8"), private=True)
