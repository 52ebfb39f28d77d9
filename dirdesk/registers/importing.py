"""Importing a register the clerk kept before DirDesk, from Excel (XLSX) or CSV.

The heading row is found by its headings: each column's heading in
resources/registers/columns.toml and the `aliases` clerks use for it, compared
without case, diacritics, punctuation or spacing. The rows above it (office,
title, period) are passed over, and so are blank rows and the row of column
numbers (1) (2) (3)… the NĐ 30 forms have under the headings.

Every other row is either entered into the register or reported with its row
number, as Excel shows it, and the reason in Vietnamese (`SkippedRow.kind`
says which sort: a row with too little in it, one with a value that cannot be
read, or a duplicate). A row that repeats another's tác giả and số, ký hiệu
(in the file, or already in the register) is a duplicate: reported, not
entered twice. Dates are read as Excel dates, Excel day numbers (46025, also
written as text in a CSV), and otherwise as dirdesk.dates reads a typed date:
dd/mm/yyyy, yyyy-mm-dd, "ngày 03/01/2026", "ngày 03 tháng 01 năm 2026". The import is one
transaction: a failure part way writes nothing, and a dry run is the same
import rolled back.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zipfile import BadZipFile

from dirdesk.dates import DateError, parse_typed_date
from dirdesk.draft import SECRECIES, URGENCIES
from dirdesk.registers import incoming, outgoing
from dirdesk.registers.audit import get_row, insert_row
from dirdesk.registers.columns import columns_of
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.numbering import NO_TERM_NOTE, number_holder, sequence_for
from dirdesk.registers.profile import Profile, load_profile, write_profile_values
from dirdesk.rules import STYLES, doc_types
from dirdesk.text import clean, fold

IMPORTABLE = ("outgoing", "incoming")
REGISTER_NAMES = {"outgoing": "sổ văn bản đi", "incoming": "sổ văn bản đến"}
HEADING_SCAN_ROWS = 15  # the heading row is looked for among the first rows only
MIN_HEADINGS = 3  # known headings a row needs to be taken for the heading row
REQUIRED = {"outgoing": ("symbol", "date"), "incoming": ("received_date",)}
# An incoming row needs at least one of these to say which document it is.
IDENTIFYING = ("author", "symbol", "type_and_subject")
# How the report names what a row lacks: "dòng 14: thiếu ngày văn bản".
FIELD_NAMES = {"symbol": "số, ký hiệu văn bản", "date": "ngày văn bản", "received_date": "ngày đến"}
SHAPES = {"party": "văn bản Đảng, dạng 66-CV/ĐU", "state": "văn bản hành chính, dạng 05/QĐ-UBND hoặc 12/UBND-VP"}
DELIMITERS = {",": "dấu phẩy", ";": "dấu chấm phẩy", "\t": "tab"}
# What columns.py writes into the Ghi chú column of the outgoing register.
CANCELLED_PREFIX = "Đã hủy số:"
RESERVED_NOTE = "Đã lấy số trước, chưa ban hành"
NO_CANCEL_REASON = "không ghi lý do"
_CANCEL_WORD = re.compile(r"\bh(?:ủy|uỷ)\b")
_NUMBER_IN = r"0*(\d+)(?:/\d{4})?"  # số đến: "05", or "05/2024"
_INCOMING_STATUS_WORDS = {"da giai quyet": "done", "dang giai quyet": "in_progress", "chua giai quyet": "new"}


SKIP_INVALID = "invalid"  # a value that cannot be read, or breaks a rule of the register
SKIP_EMPTY = "empty"  # too little in the row to make an entry of it
SKIP_DUPLICATE = "duplicate"  # the same document as another row of the file, or one in the register


@dataclass
class SkippedRow:
    row: int  # as Excel shows it (for CSV: the record's number)
    reason: str
    kind: str = SKIP_INVALID  # SKIP_INVALID, SKIP_EMPTY or SKIP_DUPLICATE

    def __str__(self) -> str:
        return f"dòng {self.row}: {self.reason}"


@dataclass
class ImportReport:
    register: str  # outgoing | incoming
    path: str
    dry_run: bool = False
    source: str = ""  # which sheet, or which CSV delimiter
    heading_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field -> the heading as the file writes it
    ignored_columns: list[str] = field(default_factory=list)
    read: int = 0  # rows with something in them, under the heading row
    imported: int = 0
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.skipped_rows)

    def skip(self, row: int, reason: str, kind: str = SKIP_INVALID) -> None:
        self.skipped_rows.append(SkippedRow(row, reason, kind))

    @property
    def duplicates(self) -> list[SkippedRow]:
        return [s for s in self.skipped_rows if s.kind == SKIP_DUPLICATE]

    def lines(self) -> list[str]:
        """The report as the clerk reads it."""
        name = Path(self.path).name
        lines = [f"Nhập {REGISTER_NAMES[self.register]} từ {name} ({self.source}, dòng tiêu đề {self.heading_row})."]
        verb = "sẽ nhập" if self.dry_run else "đã nhập"
        lines.append(f"Đọc {self.read} dòng: {verb} {self.imported}, bỏ qua {self.skipped}.")
        lines += [f"Lưu ý: {note}" for note in self.notes]
        if self.skipped_rows:
            lines.append("Các dòng bỏ qua:")
            lines += [f"  {row}" for row in self.skipped_rows]
        if self.dry_run:
            lines.append("Chạy thử: chưa ghi gì vào sổ.")
        return lines

    def to_dict(self) -> dict:
        return {
            "register": self.register, "path": self.path, "dry_run": self.dry_run, "source": self.source,
            "heading_row": self.heading_row, "columns": self.columns, "ignored_columns": self.ignored_columns,
            "read": self.read, "imported": self.imported, "skipped": self.skipped,
            "skipped_rows": [{"row": s.row, "reason": s.reason, "kind": s.kind, "message": str(s)}
                             for s in self.skipped_rows],
            "notes": self.notes,
        }


class _Skip(Exception):
    """A row that cannot be entered; the message is the reason."""

    def __init__(self, reason: str, kind: str = SKIP_INVALID):
        super().__init__(reason)
        self.kind = kind


class _DryRun(Exception):
    """Raised at the end of a dry run so that the transaction rolls back."""


# --- reading the file -------------------------------------------------------


@dataclass
class _Sheet:
    label: str  # "trang «Sổ đi»", "dấu phân cách: dấu chấm phẩy"
    rows: list[list]  # rows[i] is the file's row i + 1


def _xlsx_sheets(path: Path):
    from openpyxl import load_workbook  # lazy: openpyxl, only for an XLSX
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise RegisterError(f"Không đọc được {path.name} như một tệp Excel .xlsx ({exc}).") from exc
    try:
        sheets = sorted(wb.worksheets, key=lambda ws: ws is not wb.active)  # the sheet open in Excel first
        for ws in sheets:
            ws.reset_dimensions()  # some programs record a wrong size: read every row there is
            yield _Sheet(f"trang «{ws.title}»", [list(r) for r in ws.iter_rows(values_only=True)])
    finally:
        wb.close()


def _decode(path: Path, encoding: str | None) -> str:
    data = path.read_bytes()
    if encoding is None:
        boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
        encoding = next((codec for bom, codec in boms if data.startswith(bom)), None)
    try:
        return data.decode(encoding or "utf-8").lstrip("\ufeff")
    except LookupError:
        raise RegisterError(f"Không biết bảng mã '{encoding}' (ví dụ: utf-8, cp1258).") from None
    except UnicodeDecodeError as exc:
        if encoding:
            raise RegisterError(f"Tệp {path.name} không đọc được bằng bảng mã {encoding} "
                                f"(byte lạ ở vị trí {exc.start}).") from None
        raise RegisterError(
            f"Tệp {path.name} không phải chữ mã UTF-8 (byte lạ ở vị trí {exc.start}), nên chữ tiếng Việt "
            "sẽ bị sai. Hãy mở tệp trong Excel và lưu lại dạng «CSV UTF-8 (Comma delimited)» hoặc .xlsx; "
            "nếu biết bảng mã của tệp, ghi rõ, ví dụ: --encoding cp1258."
        ) from None


def _csv_sheets(path: Path, encoding: str | None):
    text = _decode(path, encoding)
    sample = text[:16384]
    try:
        first = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        first = max(DELIMITERS, key=sample.count)
    # The sniffer can be misled (headings such as "Số, ký hiệu" hold commas): the delimiter
    # under which a heading row is found wins.
    for delimiter in [first, *(d for d in DELIMITERS if d != first)]:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        yield _Sheet(f"dấu phân cách: {DELIMITERS[delimiter]}", rows)


def _sheets(path: Path, encoding: str | None):
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_sheets(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv_sheets(path, encoding)
    if suffix == ".xls":
        raise RegisterError(f"Tệp {path.name} là dạng Excel cũ (.xls): hãy mở trong Excel và lưu thành .xlsx.")
    raise RegisterError(f"Không nhập được tệp {path.name}: chỉ nhận tệp .xlsx hoặc .csv.")


# --- headings ---------------------------------------------------------------


def _key(text: str) -> str:
    """"Số, ký hiệu\nvăn bản" -> "so ky hieu van ban"."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


@cache
def _headings(register: str) -> dict[str, str]:
    """Every heading and alias of a register's columns, as `_key`, -> the column's field."""
    found: dict[str, str] = {}
    for column in columns_of(register)[1]:
        for name in (column.heading, *column.aliases):
            found.setdefault(_key(name), column.field)
    return found


def _field_of(register: str, cell) -> str | None:
    if not isinstance(cell, str) or not _key(cell):
        return None
    key, known = _key(cell), _headings(register)
    if key in known:
        return known[key]
    # "Ghi chú khác", "Ngày tháng năm ban hành": the longest heading of two words or more it starts with.
    starts = [k for k in known if " " in k and key.startswith(k + " ")]
    return known[max(starts, key=len)] if starts else None


def _heading_fields(register: str, row: list) -> dict[int, str]:
    """Column index -> field, for the cells of a row that are headings (the first of a field wins)."""
    found: dict[int, str] = {}
    for index, cell in enumerate(row):
        name = _field_of(register, cell)
        if name and name not in found.values():
            found[index] = name
    return found


def _find_headings(register: str, path: Path, encoding: str | None) -> tuple[_Sheet, int, dict[int, str]]:
    sheets = _sheets(path, encoding)
    try:
        for sheet in sheets:
            for index, row in enumerate(sheet.rows[:HEADING_SCAN_ROWS]):
                found = _heading_fields(register, row)
                if len(found) >= MIN_HEADINGS:
                    _check_headings(register, path, sheet, index, found)
                    return sheet, index, found
    finally:
        getattr(sheets, "close", lambda: None)()
    examples = ", ".join(f"«{c.heading}»" for c in columns_of(register)[1][:4])
    raise RegisterError(
        f"Không tìm thấy dòng tiêu đề cột của {REGISTER_NAMES[register]} trong {HEADING_SCAN_ROWS} dòng đầu "
        f"của {path.name}: cần một dòng có ít nhất {MIN_HEADINGS} tiêu đề cột như {examples}."
    )


def _check_headings(register: str, path: Path, sheet: _Sheet, index: int, found: dict[int, str]) -> None:
    row = sheet.rows[index]
    other = next(r for r in IMPORTABLE if r != register)
    theirs = _heading_fields(other, row)
    if len(theirs) > len(found):
        shown = ", ".join(f"«{_text(row[i])}»" for i in theirs if i not in found or found[i] != theirs[i])
        raise RegisterError(f"{path.name} có vẻ là {REGISTER_NAMES[other]} (có cột {shown}), "
                            f"không phải {REGISTER_NAMES[register]}; không nhập gì.")
    headings = {c.field: c.heading for c in columns_of(register)[1]}
    missing = [f"«{headings[f]}»" for f in REQUIRED[register] if f not in found.values()]
    if missing:
        raise RegisterError(f"{path.name} ({sheet.label}, dòng tiêu đề {index + 1}) không có cột "
                            f"{' và '.join(missing)}; không nhập gì.")


def _is_column_numbers(row: list) -> bool:
    """The row "(1) (2) (3) …" printed under the headings of the NĐ 30 forms."""
    values = [_text(v) for v in row if not _blank(v)]
    numbers = [int(m.group(1)) for v in values if (m := re.fullmatch(r"\(?(\d{1,2})\)?", v))]
    return len(values) >= MIN_HEADINGS and len(numbers) == len(values) and numbers == sorted(set(numbers))


def _records(sheet: _Sheet, heading: int, columns: dict[int, str]):
    """(row number, field -> raw cell) for each row under the heading row with something in its columns."""
    for index in range(heading + 1, len(sheet.rows)):
        row = sheet.rows[index]
        record = {name: row[i] if i < len(row) else None for i, name in columns.items()}
        if all(_blank(v) for v in record.values()):
            continue
        if index == heading + 1 and _is_column_numbers(row):
            continue
        yield index + 1, record


# --- cells ------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """A cell as one line of NFC text. Unlike text.one_line, runs of spaces inside become one:
    spreadsheet cells are padded by hand, and their text is compared and deduplicated."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(clean(str(value), keep_newlines=False).split())


_EXCEL_SERIALS = range(1, 73051)  # Excel's day numbers up to 31/12/2099
# A day number written as text (a CSV saved from Excel): five digits, 10000 (1927) to 73050 (2099).
_SERIAL_TEXT = re.compile(r"([1-7]\d{4})(?:\.0+)?")


def _serial_date(number: int) -> dt.date:
    return dt.date(1899, 12, 30) + dt.timedelta(days=number)


def _date(value, heading: str) -> dt.date | None:
    """A date cell: an Excel date, an Excel day number (a number, or five digits written as
    text), else a date written as text, read by dates.parse_typed_date as a typed date is
    (dd/mm/yyyy, yyyy-mm-dd, "ngày 03/01/2026", "ngày 08 tháng 9 năm 2021", …)."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and int(value) in _EXCEL_SERIALS:
        return _serial_date(int(value))  # a date cell without a date format
    text = _text(value)
    if (m := _SERIAL_TEXT.fullmatch(text)) and int(m.group(1)) in _EXCEL_SERIALS:
        return _serial_date(int(m.group(1)))
    try:
        return parse_typed_date(text)
    except DateError:
        raise _Skip(f"ngày '{text}' không hợp lệ ở cột «{heading}»") from None


def _whole(value, what: str, pattern: str = r"0*(\d+)") -> int | None:
    """A positive whole number: 5, 5.0, "05"."""
    if _blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
    elif m := re.fullmatch(pattern, _text(value)):
        number = int(m.group(1))
    else:
        raise _Skip(f"{what} '{_text(value)}' không hợp lệ")
    if number < 1:
        raise _Skip(f"{what} '{_text(value)}' không hợp lệ")
    return number


def _marking(text: str, allowed: tuple[str, ...]) -> str | None:
    """"Khẩn" -> "KHẨN", "Hoả tốc" -> "HỎA TỐC"; None when the text is not one of them."""
    return next((a for a in allowed if fold(a) == fold(text)), None)


def _check_marking(text: str, allowed: tuple[str, ...], what: str) -> str | None:
    if not text:
        return None
    found = _marking(text, allowed)
    if found is None:
        raise _Skip(f"{what} '{text}' không hợp lệ (chỉ nhận: {', '.join(allowed)})")
    return found


def _remarks(text: str) -> tuple[list[str], str | None, str | None]:
    """The clerk's own notes in a Ghi chú cell, and an urgency and a secrecy written among them."""
    notes, urgency, secrecy = [], None, None
    for piece in (p.strip() for p in text.split(";")):
        if _marking(piece, URGENCIES):
            urgency = _marking(piece, URGENCIES)
        elif _marking(piece, SECRECIES):
            secrecy = _marking(piece, SECRECIES)
        elif piece:
            notes.append(piece)
    return notes, urgency, secrecy


@cache
def _labels(styles: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(folded label, code, name) of the document types of the styles, longest label first."""
    found: dict[str, tuple[str, str, str]] = {}
    for style in styles:
        for code, doc_type in doc_types(style).items():
            label = doc_type.label
            found.setdefault(fold(label), (fold(label), code, label[:1].upper() + label[1:]))
    return tuple(sorted(found.values(), key=lambda item: -len(item[0])))


def _split_type(text: str, styles: tuple[str, ...]) -> tuple[str | None, str, str]:
    """("QĐ", "Quyết định", "về việc …") when the text starts with a type's name, else (None, "", text)."""
    words = text.split()
    for label, code, name in _labels(styles):
        size = len(label.split())
        head = " ".join(words[:size])
        if len(words) >= size and fold(head).rstrip(":,.-") == label:
            return code, name, text[len(head):].lstrip(" :,.-–")
    return None, "", text


def _styles_for(profile: Profile) -> tuple[str, ...]:
    return tuple(dict.fromkeys([s for s in (profile.style,) if s] + list(STYLES)))


# --- the outgoing register --------------------------------------------------


def _symbol(text: str) -> str:
    """"Số: 05 / QĐ–UBND" -> "05/QĐ-UBND"."""
    text = re.sub(r"^số\s*:?\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"[‐‑‒–—]", "-", text)
    return re.sub(r"\s*([-/])\s*", r"\1", text).strip()


def _shape(symbol: str) -> str | None:
    """The style a symbol is written in: "66-CV/ĐU" Party, "05/QĐ-UBND" state."""
    if re.match(r"\d+-[^\W\d_]+/", symbol):
        return "party"
    if re.match(r"\d+/\D", symbol) or re.match(r"\d+/\d{4}/\D", symbol):
        return "state"
    return None


@cache
def _abbreviations(style: str) -> dict[str, tuple[str, ...]]:
    """Folded abbreviation written in a symbol -> the type codes written with it (in any edition)."""
    found: dict[str, tuple[str, ...]] = {}
    for code, doc_type in doc_types(style).items():
        for abbr in dict.fromkeys([code, *doc_type.abbr_by_edition.values()]):
            found[fold(abbr)] = (*found.get(fold(abbr), ()), code)
    return found


def _symbol_parts(symbol: str, style: str) -> tuple[int, tuple[str, ...]]:
    """The number of a symbol, and the types its abbreviation may stand for."""
    if _shape(symbol) != style:
        raise _Skip(f"số, ký hiệu '{symbol}' không đúng dạng {SHAPES[style]}")
    number = int(re.match(r"\d+", symbol).group())
    if number < 1:
        raise _Skip(f"số, ký hiệu '{symbol}' mang số 0")
    if style == "party":
        abbr = symbol.split("-", 1)[1].split("/", 1)[0]
        return number, _abbreviations(style).get(fold(abbr), ())
    rest = re.sub(r"^\d+/(\d{4}/)?", "", symbol)
    # "05/QĐ-UBND" names its type; a công văn is "12/UBND-VP": issuer and drafting unit.
    return number, _abbreviations(style).get(fold(rest.split("-", 1)[0]), ("CV",))


def _infer_style(records: list[tuple[int, dict]]) -> str:
    shapes = Counter(_shape(_symbol(_text(record.get("symbol")))) for _, record in records)
    if bool(shapes["party"]) != bool(shapes["state"]):
        return "party" if shapes["party"] else "state"
    how = "Hãy đặt kiểu văn bản trước: dirdesk profile set style party (Đảng) hoặc state (hành chính)."
    if shapes["party"]:
        raise RegisterError(f"Hồ sơ cơ quan chưa có kiểu văn bản, và số, ký hiệu trong tệp có cả hai dạng "
                            f"({shapes['party']} dòng {SHAPES['party']}; {shapes['state']} dòng "
                            f"{SHAPES['state']}). {how}")
    raise RegisterError(f"Hồ sơ cơ quan chưa có kiểu văn bản, và không nhận ra dạng số, ký hiệu nào trong tệp. {how}")


def _missing(record: dict, register: str) -> None:
    missing = [FIELD_NAMES[f] for f in REQUIRED[register] if _blank(record.get(f))]
    if missing:
        raise _Skip("thiếu " + " và ".join(missing), SKIP_EMPTY)
    if register == "incoming" and all(_blank(record.get(f)) for f in IDENTIFYING):
        raise _Skip("không có tác giả, số ký hiệu và trích yếu: không biết là văn bản nào", SKIP_EMPTY)


def _outgoing_values(record: dict, style: str, headings: dict[str, str]) -> dict:
    _missing(record, "outgoing")
    symbol = _symbol(_text(record["symbol"]))
    date = _date(record["date"], headings["date"])
    number, codes = _symbol_parts(symbol, style)
    code, type_name, subject = _split_type(_text(record.get("type_and_subject")), (style,))
    if codes and code not in codes:
        if code is not None:  # the symbol says another type: the text is all subject
            type_name, subject = "", _text(record.get("type_and_subject"))
        code = codes[0]
    elif code is None:
        raise _Skip(f"không nhận ra loại văn bản trong số, ký hiệu '{symbol}'")
    notes, urgency, secret = _remarks(_text(record.get("remarks")))
    status = {fold(label): key for key, label in outgoing.STATUS_LABELS.items()}.get(
        fold(_text(record.get("status"))), "issued")
    cancel = [p[len(CANCELLED_PREFIX):].strip() for p in notes if fold(p).startswith(fold(CANCELLED_PREFIX))]
    notes = [p for p in notes if not fold(p).startswith(fold(CANCELLED_PREFIX))]
    if RESERVED_NOTE in notes:
        notes.remove(RESERVED_NOTE)
        status = "reserved" if status == "issued" else status
    if not cancel and any(_CANCEL_WORD.search(p.lower()) for p in notes):
        cancel, notes = notes, []
    if cancel:
        status = "cancelled"
    return {
        "number": number, "symbol": symbol, "status": status, "style": style, "type": code,
        "secret": secret, "urgency": urgency, "date": date.isoformat(), "type_name": type_name,
        "subject": subject, "signer": _text(record.get("signer")), "recipients": _text(record.get("recipients")),
        "copy_holder": _text(record.get("copy_holder")), "copies": _whole(record.get("copies"), "số lượng bản"),
        "sent_date": _iso(_date(record.get("sent_date"), headings.get("sent_date", ""))),
        "receipt": _text(record.get("receipt")), "note": "; ".join(notes),
        "cancel_reason": ("; ".join(c for c in cancel if c) or NO_CANCEL_REASON) if status == "cancelled" else None,
    }


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _check_outgoing(reg: Registry, profile: Profile, records: list, report: ImportReport) -> list[tuple[int, dict]]:
    style = profile.style
    if style is None and records:
        style = _infer_style(records)
        # in the import's transaction: a dry run or a failed import leaves the profile as it was
        write_profile_values(reg, {"style": style})
        report.notes.append(f"hồ sơ cơ quan chưa có kiểu văn bản: theo số, ký hiệu trong tệp, sổ là "
                            f"{SHAPES[style].split(',')[0]} (đã ghi vào hồ sơ).")
    if style == "party" and not profile.terms:  # the style may have just been inferred
        report.notes.append(NO_TERM_NOTE)
    accepted, seen = [], {}
    for row, record in records:
        try:
            values = _outgoing_values(record, style, report.columns)
            on = dt.date.fromisoformat(values["date"])
            seq = sequence_for(profile, style, values["type"], values["secret"] is not None, on)
            key = (seq.key, values["number"])
            if key in seen:
                earlier, symbol = seen[key]
                if symbol == values["symbol"]:
                    raise _Skip(f"số {symbol} trùng với dòng {earlier} của tệp", SKIP_DUPLICATE)
                raise _Skip(f"số {values['symbol']}: số {values['number']:02d} ({seq.label}) "
                            f"đã dùng cho {symbol} ở dòng {earlier} của tệp")
            holder = number_holder(reg, seq.key, values["number"])
            if holder is not None:
                if holder["symbol"] == values["symbol"]:
                    raise _Skip(f"số {values['symbol']} đã có trong sổ "
                                f"(ngày {dt.date.fromisoformat(holder['date']):%d/%m/%Y})", SKIP_DUPLICATE)
                raise _Skip(f"số {values['symbol']}: số {values['number']:02d} ({seq.label}) "
                            f"đã dùng cho {outgoing.describe(holder)}")
        except _Skip as skip:
            report.skip(row, str(skip), skip.kind)
            continue
        seen[key] = row, values["symbol"]
        accepted.append((row, {**values, "seq_key": seq.key}))
    return accepted


# --- the incoming register --------------------------------------------------


def _incoming_values(record: dict, styles: tuple[str, ...], headings: dict[str, str]) -> dict:
    _missing(record, "incoming")
    received = _date(record["received_date"], headings["received_date"])
    code, type_name, subject = _split_type(_text(record.get("type_and_subject")), styles)
    notes, urgency, secrecy = _remarks(_text(record.get("remarks")))
    status_text = _text(record.get("status"))
    statuses = {fold(label): key for key, label in incoming.STATUS_LABELS.items()} | _INCOMING_STATUS_WORDS
    if status_text and fold(status_text) not in statuses:
        raise _Skip(f"trạng thái '{status_text}' không rõ (chỉ nhận: {', '.join(incoming.STATUS_LABELS.values())})")
    values = {
        "year": received.year, "number": _whole(record.get("number"), "số đến", _NUMBER_IN),
        "received_date": received.isoformat(), "author": _text(record.get("author")),
        "symbol": _symbol(_text(record.get("symbol"))),
        "doc_date": _iso(_date(record.get("doc_date"), headings.get("doc_date", ""))),
        "type": code or "", "type_name": type_name, "subject": subject, "recipient": _text(record.get("recipient")),
        "sent_date": _iso(_date(record.get("sent_date"), headings.get("sent_date", ""))),
        "receipt": _text(record.get("receipt")), "note": "; ".join(notes),
        "urgency": _check_marking(_text(record.get("urgency")), URGENCIES, "độ khẩn") or urgency,
        "secrecy": _check_marking(_text(record.get("secrecy")), SECRECIES, "độ mật") or secrecy,
        "handler": _text(record.get("handler")),
        "deadline": _iso(_date(record.get("deadline"), headings.get("deadline", ""))),
        "status": statuses.get(fold(status_text), "new"),
    }
    try:
        incoming._check(values)
    except RegisterError as exc:
        message = str(exc).rstrip(".")
        raise _Skip(message[:1].lower() + message[1:]) from None
    return values


def _document_key(author: str, symbol: str) -> tuple[str, str] | None:
    """What names a received document: its tác giả and số, ký hiệu (both), folded."""
    if not author or not symbol:
        return None
    return " ".join(fold(author).split()), fold(_symbol(symbol))


def _registered_documents(reg: Registry) -> dict[tuple[str, str], str]:
    """The received documents already in the register, by `_document_key` -> "văn bản đến số 05/2026"."""
    found = {}
    for held in reg.query("SELECT year, number, author, symbol FROM incoming WHERE deleted_at IS NULL "
                          "AND symbol <> '' AND author <> '' ORDER BY year, number"):
        key = _document_key(held["author"], held["symbol"])
        found.setdefault(key, f"văn bản đến số {held['number']:02d}/{held['year']}")
    return found


def _check_repeat(values: dict, row: int, in_file: dict, in_register: dict) -> None:
    """A row repeating another's tác giả and số, ký hiệu, in the file or in the register, is a duplicate."""
    key = _document_key(values["author"], values["symbol"])
    if key is None:
        return
    which = f"{values['author']}, {values['symbol']}"
    if key in in_register:
        raise _Skip(f"{which} đã có trong sổ ({in_register[key]})", SKIP_DUPLICATE)
    if key in in_file:
        raise _Skip(f"trùng tác giả và số, ký hiệu ({which}) với dòng {in_file[key]} của tệp", SKIP_DUPLICATE)
    in_file[key] = row


def _check_incoming(reg: Registry, profile: Profile, records: list, report: ImportReport) -> list[tuple[int, dict]]:
    parsed, in_file, in_register = [], {}, _registered_documents(reg)
    for row, record in records:
        try:
            values = _incoming_values(record, _styles_for(profile), report.columns)
            _check_repeat(values, row, in_file, in_register)
            parsed.append((row, values))
        except _Skip as skip:
            report.skip(row, str(skip), skip.kind)
    given = Counter()  # year -> the highest số đến the file gives, skipped rows included (they may come back)
    for _, record in records:
        try:
            received, number = _date(record.get("received_date"), ""), _whole(record.get("number"), "", _NUMBER_IN)
        except _Skip:
            continue
        if received and number:
            given[received.year] = max(given[received.year], number)
    accepted, seen, numbered = [], {}, 0
    for row, values in parsed:
        year = values["year"]
        if values["number"] is None:  # after the highest of the year, in the register or in the file
            top = reg.conn.execute("SELECT MAX(number) FROM incoming WHERE year = ?", [year]).fetchone()[0]
            values["number"] = given[year] = max(top or 0, given[year]) + 1
            numbered += 1
        key = (year, values["number"])
        if key in seen:
            report.skip(row, f"số đến {values['number']:02d}/{year} trùng với dòng {seen[key]} của tệp")
            continue
        holder = reg.one("SELECT * FROM incoming WHERE year = ? AND number = ?", [*key])
        if holder is not None:
            what = ", ".join(filter(None, [f"ngày đến {dt.date.fromisoformat(holder['received_date']):%d/%m/%Y}",
                                           holder["symbol"]]))
            report.skip(row, f"số đến {values['number']:02d}/{year} đã có trong sổ ({what})")
            continue
        seen[key] = row
        accepted.append((row, values))
    if numbered:
        report.notes.append(f"{numbered} dòng không ghi số đến: đã đánh số tiếp theo số lớn nhất của năm.")
    if "files" in report.columns:
        report.notes.append(f"cột «{report.columns['files']}» không được nhập: tệp đính kèm phải thêm lại.")
    return accepted


# --- the import -------------------------------------------------------------


def _enter(reg: Registry, register: str, values: dict) -> None:
    row = get_row(reg, register, insert_row(reg, register, values))
    if register == "outgoing":
        outgoing._index(reg, row, None)
    else:
        incoming._index(reg, row)


def import_register(reg: Registry, register: str, path, *, dry_run: bool = False,
                    encoding: str | None = None) -> ImportReport:
    """Enter the rows of an XLSX or CSV register into the outgoing or incoming register.

    Rows that cannot be entered are reported, not entered; the others are
    entered in one transaction (all or none). `dry_run` reports the same
    without writing. `encoding` reads a CSV that is not UTF-8 (e.g. cp1258).
    """
    if register not in IMPORTABLE:
        raise RegisterError(f"Chỉ nhập được sổ {' hoặc '.join(IMPORTABLE)}, không nhập được sổ '{register}'.")
    path = Path(path)
    if not path.is_file():
        raise RegisterError(f"Không có tệp {path}.")
    sheet, heading, columns = _find_headings(register, path, encoding)
    row = sheet.rows[heading]
    report = ImportReport(register, str(path), dry_run, sheet.label, heading + 1,
                          columns={name: _text(row[i]) for i, name in columns.items()},
                          ignored_columns=[_text(c) for i, c in enumerate(row) if i not in columns and not _blank(c)])
    if report.ignored_columns:
        report.notes.append(f"bỏ qua các cột không thuộc sổ: {', '.join(report.ignored_columns)}.")
    records = list(_records(sheet, heading, columns))
    report.read = len(records)
    check = _check_outgoing if register == "outgoing" else _check_incoming
    try:
        with reg.transaction():
            accepted = check(reg, load_profile(reg), records, report)
            for number, values in accepted:
                try:
                    _enter(reg, register, values)
                except sqlite3.Error as exc:
                    raise RegisterError(f"Nhập sổ không thành công ở dòng {number} ({exc}); "
                                        "không dòng nào được ghi vào sổ.") from exc
            report.imported = len(accepted)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.skipped_rows.sort(key=lambda s: s.row)
    return report
