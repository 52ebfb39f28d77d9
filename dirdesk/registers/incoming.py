"""The incoming register (sổ đăng ký văn bản đến) and the follow-up of what
must be answered (sổ theo dõi giải quyết văn bản đến).

Số đến runs from 01 each calendar year, in the order documents are entered;
it is assigned in the same transaction that writes the row and keeps the
received files. A document already in the register (the same file, or the
same issuer and symbol) is refused unless the clerk says it is a second copy;
the check runs again inside that transaction, so two windows cannot both
register it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from dirdesk import limits
from dirdesk.draft import SECRECIES, URGENCIES
from dirdesk.intake.signatures import read_signatures
from dirdesk.registers import outgoing, search
from dirdesk.registers.attachments import safe_ext, sha256_of, store_bytes
from dirdesk.registers.audit import dated_rows_where, get_row, insert_row, update_row
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import DuplicateEntry, RegisterError, check_lengths
from dirdesk.registers.trust_store import trust_of
from dirdesk.text import clean, fold, one_line

STATUS_LABELS = {"new": "chưa xử lý", "in_progress": "đang xử lý", "done": "đã xử lý"}
TEXT_FIELDS = ("author", "symbol", "type", "type_name", "subject", "recipient", "receipt", "note", "handler",
               "reply_symbol", "body")
NOT_STORED = ("files", "signatures", "to_check", "handwritten")  # IncomingEntry's attributes that are no column
DATE_FIELDS = ("received_date", "doc_date", "sent_date", "deadline", "done_date")


@dataclass
class IncomingEntry:
    """What the clerk enters for a received document; files are (original name, content).

    `signatures` are those of the received PDF (intake/signatures.py); None
    means not read yet, and `add` reads them from the PDF files. `to_check` and
    `handwritten` are what reading the file left to the clerk (intake_entry.py):
    the fields the machine was not sure of, those that looked handwritten on a
    scan. They are not stored and play no part in comparing entries."""

    received_date: dt.date | None = None
    author: str = ""
    symbol: str = ""
    doc_date: dt.date | None = None
    type: str = ""
    type_name: str = ""
    subject: str = ""
    recipient: str = ""
    urgency: str | None = None
    secrecy: str | None = None
    handler: str = ""
    deadline: dt.date | None = None
    note: str = ""
    body: str = ""
    files: list[tuple[str, bytes]] = field(default_factory=list)
    signatures: list[dict] | None = None
    to_check: list[str] = field(default_factory=list, compare=False)
    handwritten: list[str] = field(default_factory=list, compare=False)


def _clean_values(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, str):
            value = clean(value, keep_newlines=(key == "body")).strip()
        out[key] = value
    return out


def _check(values: dict) -> None:
    if values.get("urgency") and values["urgency"] not in URGENCIES:
        raise RegisterError(f"Độ khẩn phải là một trong: {', '.join(URGENCIES)}.")
    if values.get("secrecy") and values["secrecy"] not in SECRECIES:
        raise RegisterError(f"Độ mật phải là một trong: {', '.join(SECRECIES)}.")
    # A deadline before ngày đến is not refused: the document came late (see `receipt_notes`).
    received = values.get("received_date")
    if received and values.get("doc_date") and values["doc_date"] > received:
        raise RegisterError("Ngày của văn bản không thể sau ngày đến.")


def _index(reg: Registry, row: dict) -> None:
    progress = " ".join(r["text"] for r in reg.query("SELECT text FROM progress WHERE incoming_id = ?", [row["id"]]))
    search.index_entry(
        reg, "incoming", row["id"], date=row["received_date"], doc_type=row["type"] or None, status=row["status"],
        symbol=row["symbol"], subject=f"{row['type_name']} {row['subject']}",
        issuer=row["author"], body=row["body"],
        notes=" ".join(filter(None, [row["recipient"], row["handler"], row["note"], row["reply_symbol"], progress])),
    )


index_row = _index  # (re)index an entry's row; ocr_text.py indexes a scan's whole text with it


def _entry_values(entry: IncomingEntry) -> dict:
    """The entry's columns as they are stored (NFC, ISO dates), checked."""
    values = _clean_values({k: getattr(entry, k) for k in entry.__dataclass_fields__
                            if k not in NOT_STORED})
    values["received_date"] = values["received_date"] or dt.date.today().isoformat()
    values["urgency"] = values["urgency"] or None
    values["secrecy"] = values["secrecy"] or None
    # The text read from the received file serves the search only (the file itself is kept whole): a
    # text longer than any real document's body is cut, not refused, so the document still goes in.
    values["body"] = values.get("body", "")[:limits.BODY]
    check_lengths(values)
    _check(values)
    return values


def signatures_of(entry: IncomingEntry, trust=None) -> list[dict]:
    """The entry's signatures: as given, or read from its PDF files (each marked with its file name),
    checked against `trust` (the register's trusted certificates, trust_store.trust_of)."""
    if entry.signatures is not None:
        return entry.signatures
    found = []
    for name, data in entry.files:
        if safe_ext(name) == ".pdf" or data.startswith(b"%PDF"):
            found += [{**sig, "file": clean(name, keep_newlines=False)} for sig in read_signatures(data, trust=trust)]
    return found


def signatures_in(row: dict) -> list[dict]:
    """The signatures stored with a row (a JSON list in the `signatures` column)."""
    try:
        value = json.loads(row.get("signatures") or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _next_number(reg: Registry, year: int) -> int:
    return reg.conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM incoming WHERE year = ?", [year]).fetchone()[0]


def add(reg: Registry, entry: IncomingEntry, *, allow_duplicate: bool = False) -> dict:
    """Enter a received document; returns its row with its số đến (`number`) for the year.

    A document already registered (see `find_duplicates`) raises DuplicateEntry
    and writes nothing, unless `allow_duplicate` (the clerk knows it is a second copy)."""
    values = _entry_values(entry)
    values["signatures"] = json.dumps(signatures_of(entry, trust_of(reg)), ensure_ascii=False)
    year = int(values["received_date"][:4])
    with reg.transaction():
        if not allow_duplicate:
            duplicates = find_duplicates(reg, entry)
            if duplicates:
                raise DuplicateEntry(duplicates[0].message, duplicates)
        number = _next_number(reg, year)
        row_id = insert_row(reg, "incoming", {**values, "year": year, "number": number})
        for name, data in entry.files:
            digest = store_bytes(reg, data, name)
            reg.db.execute("INSERT OR IGNORE INTO incoming_files (incoming_id, sha256, name) VALUES (?, ?, ?)",
                           [row_id, digest, clean(name, keep_newlines=False)])
        row = get_row(reg, "incoming", row_id)
        _index(reg, row)
    return row


def receipt_notes(reg: Registry, row: dict) -> list[str]:
    """What the clerk is told about an entry as it is (or would be) numbered: a document that came after
    its deadline (hạn giải quyết before ngày đến), and a ngày đến earlier than the entry numbered before it
    (số đến follow the order of entry, not the dates). `row` is a stored row or a `preview` row."""
    notes = []
    received = dt.date.fromisoformat(row["received_date"])
    if row.get("deadline") and row["deadline"] < row["received_date"]:
        deadline = dt.date.fromisoformat(row["deadline"])
        notes.append(f"Văn bản đến sau hạn giải quyết (hạn {deadline:%d/%m/%Y}, ngày đến {received:%d/%m/%Y}): "
                     "vẫn vào sổ, và hiện ngay trong danh sách quá hạn.")
    before = reg.one("SELECT number, year, received_date FROM incoming WHERE year = ? AND number < ? "
                     "AND deleted_at IS NULL ORDER BY number DESC LIMIT 1", [row["year"], row["number"]])
    if before is not None and before["received_date"] > row["received_date"]:
        earlier = dt.date.fromisoformat(before["received_date"])
        notes.append(f"Số đến {row['number']:02d}/{row['year']} được cấp theo thứ tự vào sổ; ngày đến "
                     f"{received:%d/%m} sớm hơn văn bản số {before['number']:02d}/{before['year']} ({earlier:%d/%m}).")
    return notes


# ---------------------------------------------------------------- duplicates and preview


def describe(row: dict) -> str:
    """"số đến 12/2026 ngày 05/03/2026" for messages."""
    received = dt.date.fromisoformat(row["received_date"])
    return f"số đến {row['number']:02d}/{row['year']} ngày {received:%d/%m/%Y}"


@dataclass
class Duplicate:
    """An entry already in the register that a new one repeats."""

    row: dict
    reason: str  # "file": one of its files has the same content | "symbol": same issuer and symbol
    file_name: str = ""

    @property
    def message(self) -> str:
        row = self.row
        what = ", ".join(part for part in (row["author"], row["symbol"]) if part)
        why = (f"cùng nội dung với tệp {self.file_name}" if self.reason == "file"
               else "cùng tác giả và số, ký hiệu")
        return f"Văn bản này đã vào sổ: {describe(row)}" + (f" — {what}" if what else "") + f" ({why})."

    def to_dict(self) -> dict:
        row = self.row
        return {"reason": self.reason, "file": self.file_name, "id": row["id"], "year": row["year"],
                "number": row["number"], "received_date": row["received_date"], "author": row["author"],
                "symbol": row["symbol"], "doc_date": row["doc_date"], "message": self.message}


def find_duplicates(reg: Registry, entry: IncomingEntry) -> list[Duplicate]:
    """The entries (not deleted) that this one repeats: one of its files already attached
    (same SHA-256), or the same issuer and symbol, compared folded (`dirdesk.text.fold`).

    An empty symbol or issuer never matches; two documents whose dates are both
    known and differ are not the same document (numbers restart each year or term)."""
    found: dict[int, Duplicate] = {}
    for name, data in entry.files:
        for row in reg.query("SELECT i.* FROM incoming_files f JOIN incoming i ON i.id = f.incoming_id "
                             "WHERE f.sha256 = ? AND i.deleted_at IS NULL ORDER BY i.year, i.number",
                             [sha256_of(data)]):
            found.setdefault(row["id"], Duplicate(row, "file", clean(name, keep_newlines=False)))
    values = _clean_values({"author": entry.author, "symbol": entry.symbol, "doc_date": entry.doc_date})
    symbol, author = fold(values["symbol"], spaces=False), fold(values["author"])
    number = re.match(r"\d*", symbol).group()
    if symbol and author and number:  # a symbol without its number ("/UBND-KTTH", to complete) tells nothing
        # Symbols start with their number: narrow by it in SQL, compare folded here.
        for row in reg.query("SELECT id, author, symbol, doc_date FROM incoming "
                             "WHERE deleted_at IS NULL AND symbol != '' AND ltrim(symbol) LIKE ? "
                             "ORDER BY year, number", [f"{number}%"]):
            if (row["id"] not in found and fold(row["symbol"], spaces=False) == symbol
                    and fold(row["author"]) == author
                    and not (values["doc_date"] and row["doc_date"] and values["doc_date"] != row["doc_date"])):
                found[row["id"]] = Duplicate(get_row(reg, "incoming", row["id"]), "symbol")
    return list(found.values())


@dataclass
class Preview:
    """What `add` would record now; nothing is written."""

    row: dict  # the row's columns, with the số đến it would get (`id` is None)
    files: list[dict]  # sha256, name, size, ext: as `files_of` gives them
    signatures: list[dict]
    duplicates: list[Duplicate]


def preview(reg: Registry, entry: IncomingEntry) -> Preview:
    """The row `add(reg, entry)` would write, with the number it would get if added now, the files it
    would keep and the entries it repeats. Reads only: no row, no file, no audit entry."""
    values = _entry_values(entry)
    signatures = signatures_of(entry, trust_of(reg))
    year = int(values["received_date"][:4])
    row = {"id": None, "year": year, "number": _next_number(reg, year), "sent_date": None, "receipt": "",
           "status": "new", "done_date": None, "reply_symbol": "", "reply_outgoing_id": None,
           "created_at": None, "updated_at": None, "deleted_at": None, **values,
           "signatures": json.dumps(signatures, ensure_ascii=False)}
    files = []
    for name, data in entry.files:
        digest = sha256_of(data)
        if all(f["sha256"] != digest for f in files):
            files.append({"sha256": digest, "name": clean(name, keep_newlines=False), "size": len(data),
                          "ext": safe_ext(name)})
    return Preview(row, files, signatures, find_duplicates(reg, entry))


# ---------------------------------------------------------------- finding and editing


def find(reg: Registry, ref: str, *, today: dt.date | None = None) -> dict:
    """The row a clerk means by số đến "12/2026", "12" (this year) or "#7" (row 7)."""
    ref = one_line(ref)
    if ref.startswith("#") and ref[1:].isdigit():
        return get_row(reg, "incoming", int(ref[1:]))
    number, _, year = ref.partition("/")
    if not number.isdigit() or (year and not year.isdigit()):
        raise RegisterError(f"'{ref}' không phải số đến (ví dụ: 12/2026, hoặc 12 cho năm nay).")
    year_value = int(year) if year else (today or dt.date.today()).year
    row = reg.one("SELECT * FROM incoming WHERE year = ? AND number = ?", [year_value, int(number)])
    if row is None:
        raise RegisterError(f"Không có văn bản đến số {int(number):02d}/{year_value}.")
    return row


def files_of(reg: Registry, row_id: int) -> list[dict]:
    """The entry's files; `lost_at`/`lost_reason` are set for one recorded as lost (attachments.forget_missing);
    `role` is "received", or "ocr" for the searchable copy of a scan (ocr_text.py)."""
    return reg.query("SELECT f.sha256, f.name, f.role, a.size, a.ext, a.lost_at, a.lost_reason FROM incoming_files f "
                     "JOIN attachments a USING (sha256) WHERE incoming_id = ? ORDER BY f.rowid", [row_id])


EDITABLE = TEXT_FIELDS + DATE_FIELDS + ("urgency", "secrecy", "status", "reply_outgoing_id")


def edit(reg: Registry, row_id: int, **changes) -> dict:
    """Change columns of an entry (audited); the số đến and year never change."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise RegisterError(f"Không sửa được cột {', '.join(sorted(unknown))} của sổ văn bản đến.")
    changes = _clean_values(changes)
    check_lengths(changes)
    if "status" in changes and changes["status"] not in STATUS_LABELS:
        raise RegisterError(f"Trạng thái phải là một trong: {', '.join(STATUS_LABELS)}.")
    with reg.transaction():
        current = get_row(reg, "incoming", row_id)
        _check({**current, **changes})
        row = update_row(reg, "incoming", row_id, changes)
        _index(reg, row)
    return row


def add_progress(reg: Registry, row_id: int, text: str, *, on: dt.date | None = None) -> dict:
    """Note progress on a document being handled (tiến độ giải quyết); it becomes 'in progress'."""
    text = one_line(text)
    if not text:
        raise RegisterError("Nội dung tiến độ đang trống.")
    check_lengths({"text": text})
    with reg.transaction():
        row = get_row(reg, "incoming", row_id)
        insert_row(reg, "progress", {"incoming_id": row_id, "date": (on or dt.date.today()).isoformat(),
                                     "text": text})
        if row["status"] == "new":
            row = update_row(reg, "incoming", row_id, {"status": "in_progress"})
        _index(reg, row)
    return row


def progress_of(reg: Registry, row_id: int) -> list[dict]:
    return reg.query("SELECT date, text FROM progress WHERE incoming_id = ? ORDER BY date, id", [row_id])


def mark_done(reg: Registry, row_id: int, *, on: dt.date | None = None, reply: str | None = None) -> dict:
    """Close an entry, optionally naming the reply document (an outgoing symbol)."""
    changes: dict = {"status": "done", "done_date": (on or dt.date.today()).isoformat()}
    if reply:
        reply = one_line(reply)
        changes["reply_symbol"] = reply
        try:
            changes["reply_outgoing_id"] = outgoing.find(reg, reply)["id"]
        except RegisterError:
            changes["reply_outgoing_id"] = None  # a reply issued outside DirDesk
    return edit(reg, row_id, **changes)


def list_rows(reg: Registry, *, start: dt.date | None = None, end: dt.date | None = None,
              include_deleted: bool = False, followup: bool = False) -> list[dict]:
    """Entries received from `start` to `end`, in order of số đến; `followup` keeps those with a deadline."""
    where, params = dated_rows_where("received_date", start, end, include_deleted)
    if followup:
        where.append("deadline IS NOT NULL")
    sql = "SELECT * FROM incoming" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY year, number"
    return reg.query(sql, params)


def overdue(reg: Registry, today: dt.date | None = None) -> list[dict]:
    """Entries not done whose deadline has passed, most overdue first."""
    today = today or dt.date.today()
    return reg.query("SELECT * FROM incoming WHERE deleted_at IS NULL AND status != 'done' "
                     "AND deadline < ? ORDER BY deadline, year, number", [today.isoformat()])


def due_this_week(reg: Registry, today: dt.date | None = None) -> list[dict]:
    """Entries not done whose deadline falls from today to this week's Sunday."""
    today = today or dt.date.today()
    sunday = today + dt.timedelta(days=6 - today.weekday())
    return reg.query("SELECT * FROM incoming WHERE deleted_at IS NULL AND status != 'done' "
                     "AND deadline >= ? AND deadline <= ? ORDER BY deadline, year, number",
                     [today.isoformat(), sunday.isoformat()])
