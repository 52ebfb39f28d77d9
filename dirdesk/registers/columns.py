"""A register for a period as a table of text: the one model every export
(XLSX, CSV, PDF, DOCX) writes, so they cannot disagree about what is in it.

The columns are data (resources/registers/columns.toml, NĐ 30 Phụ lục IV).
"""

from __future__ import annotations

import calendar
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache

from dirdesk.dates import date_text
from dirdesk.registers import incoming, outgoing
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.numbering import register_note
from dirdesk.registers.profile import load_profile
from dirdesk.resources import resource_path

REGISTERS = ("outgoing", "incoming", "followup")


@dataclass(frozen=True)
class Column:
    heading: str
    field: str
    width_mm: float = 0
    xlsx_width: float = 12
    extra: bool = False
    aliases: tuple[str, ...] = ()  # other headings clerks give the column, matched on import

    def __post_init__(self):
        object.__setattr__(self, "aliases", tuple(self.aliases))


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str  # "Tháng 11 năm 2026", "Năm 2026", "Từ ngày 01/11/2026 đến ngày 15/11/2026"
    slug: str  # for file names: "2026-11", "2026", "2026-11-01_2026-11-15"


def month_period(text: str) -> Period:
    try:
        year, month = (int(p) for p in text.split("-"))
        start = dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise RegisterError(f"Tháng '{text}' không hợp lệ; cần dạng YYYY-MM, ví dụ 2026-11.") from None
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return Period(start, end, f"Tháng {month} năm {year}", f"{year:04d}-{month:02d}")


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"Năm {year}", f"{year:04d}")


def range_period(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise RegisterError("Ngày kết thúc phải sau ngày bắt đầu.")
    return Period(start, end, f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
                  f"{start.isoformat()}_{end.isoformat()}")


@cache
def columns_of(register: str) -> tuple[str, tuple[Column, ...]]:
    with open(resource_path("registers", "columns.toml"), "rb") as fh:
        data = tomllib.load(fh)
    spec = data[register]
    return spec["title"], tuple(Column(**c) for c in spec["columns"])


@dataclass
class RegisterTable:
    register: str  # outgoing | incoming | followup
    title: str
    office: list[str]  # the issuing body's lines, superior body first
    period: Period
    columns: list[Column]
    rows: list[list[str]]  # every column, extras included, as printed text
    notes: list[str] = field(default_factory=list)  # said under the title (e.g. no Party term set)

    @property
    def printed_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.extra]

    @property
    def printed_rows(self) -> list[list[str]]:
        keep = [i for i, c in enumerate(self.columns) if not c.extra]
        return [[row[i] for i in keep] for row in self.rows]


def signed_label(row: dict) -> str | None:
    """"Đã ký số: … lúc …" for a row whose PDF the office signed (registers/signing.py), None for another."""
    if not row.get("signed_pdf_sha256"):
        return None
    return f"Đã ký số: {row['signed_by']}, lúc {row['signed_at']}"


def type_and_subject(type_name: str, subject: str) -> str:
    if not subject:
        return type_name
    if not type_name:
        return subject
    if subject.startswith("Về "):  # "Công văn về công tác …", as the register is read
        subject = "v" + subject[1:]
    joiner = " " if subject[:1].islower() or subject.startswith(("V/v", "v/v")) else ": "
    return f"{type_name}{joiner}{subject}"


def outgoing_cells(row: dict) -> dict:
    """The texts of an outgoing row's columns, as the printed register shows them."""
    remarks = [row["note"]]
    if row["status"] == "cancelled":
        remarks.append(f"Đã hủy số: {row['cancel_reason']}")
    elif row["status"] == "reserved":
        remarks.append("Đã lấy số trước, chưa ban hành")
    remarks += [row["urgency"] or "", row["secret"] or ""]
    return {
        "symbol": row["symbol"], "date": date_text(row["date"]),
        "type_and_subject": type_and_subject(row["type_name"], row["subject"]),
        "signer": row["signer"], "recipients": row["recipients"], "copy_holder": row["copy_holder"],
        "copies": str(row["copies"]) if row["copies"] else "", "sent_date": date_text(row["sent_date"]),
        "receipt": row["receipt"], "remarks": "; ".join(r for r in remarks if r),
        "status": outgoing.STATUS_LABELS[row["status"]],
        "signed": signed_label(row) or "",
    }


def incoming_cells(row: dict, files: str, progress: str) -> dict:
    """The texts of an incoming row's columns; `files` and `progress` are already joined ("a.pdf; b.docx")."""
    remarks = [row["note"], row["urgency"] or "", row["secrecy"] or ""]
    return {
        "received_date": date_text(row["received_date"]), "number": f"{row['number']:02d}", "author": row["author"],
        "symbol": row["symbol"], "doc_date": date_text(row["doc_date"]),
        "type_and_subject": type_and_subject(row["type_name"], row["subject"]),
        "recipient": row["recipient"], "sent_date": date_text(row["sent_date"]), "receipt": row["receipt"],
        "remarks": "; ".join(r for r in remarks if r), "urgency": row["urgency"] or "",
        "secrecy": row["secrecy"] or "", "handler": row["handler"], "deadline": date_text(row["deadline"]),
        "status": incoming.STATUS_LABELS[row["status"]], "files": files,
        "handler_or_recipient": row["handler"] or row["recipient"], "progress": progress,
        "reply_symbol": row["reply_symbol"],
    }


def _incoming_cells(reg: Registry, row: dict) -> dict:
    progress = "; ".join(f"{date_text(p['date'])}: {p['text']}" for p in incoming.progress_of(reg, row["id"]))
    files = "; ".join(f["name"] for f in incoming.files_of(reg, row["id"]))
    return incoming_cells(row, files, progress)


def register_table(reg: Registry, register: str, period: Period) -> RegisterTable:
    """The register's rows for a period (by date of the document for outgoing, of receipt for incoming)."""
    if register not in REGISTERS:
        raise RegisterError(f"Không có sổ '{register}' (các sổ: {', '.join(REGISTERS)}).")
    title, columns = columns_of(register)
    profile = load_profile(reg)
    office = [line for part in (profile.issuer.get("parent"), profile.issuer.get("name")) if part
              for line in part.split("\n")]
    notes = []
    if register == "outgoing":
        cells = [outgoing_cells(r) for r in outgoing.list_rows(reg, start=period.start, end=period.end)]
        notes = [note for note in [register_note(profile)] if note]
    else:
        found = incoming.list_rows(reg, start=period.start, end=period.end, followup=(register == "followup"))
        cells = [_incoming_cells(reg, r) for r in found]
    rows = [[c[col.field] or "" for col in columns] for c in cells]
    return RegisterTable(register, title, office, period, list(columns), rows, notes)
