"""Copies (sao y, sao lục, trích sao) of an issued or a received document, with their numbers.

Numbers (resources/rules/copies.toml [numbering]): state copies one sequence for every kind from 01 on
1 January (NĐ 30 Phụ lục I Phần II II.1.c, "đánh chung cho các loại bản sao"), symbol "05/SY-UBND"
(SY, SL, TrS: Phụ lục III mục I); Party copies one "BS" sequence for every kind within the committee's term
(05-HD Phụ lục 3 mục 1.2 (2)), "05-BS/ĐU". A number is taken as issued numbers are (outgoing.py): in one
IMMEDIATE transaction with the copy's row and its stored PDF, under a unique index on (seq_key, number);
the copy's file is written (`write`) inside that transaction, so a failed write rolls the number back.
A cancelled copy keeps its number, which is never given again.

Electronic copies are signed with the office's digital signature (NĐ 30 Phụ lục I Phần II mục I.3): pass
the signer as `sign` (bytes of the copy -> bytes of the signed copy); it runs before anything is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from dirdesk.draft import Signer
from dirdesk.registers import incoming, numbering, outgoing
from dirdesk.registers.attachments import read_attachment, store_bytes
from dirdesk.registers.audit import get_row, insert_row, update_row
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import Profile, load_profile
from dirdesk.text import one_line

SOURCES = ("outgoing", "incoming")


@dataclass(frozen=True)
class Made:
    row: dict
    data: bytes
    placement: object  # intake.copy_pdf.CopyPlacement


def sequence_key(profile: Profile, on: dt.date) -> str:
    """The copies' sequence: a state year, or a Party term (one sequence before any term is set)."""
    if profile.style == "party":
        start = profile.term_start(on)
        return f"copy/party/{start.isoformat() if start else '-'}"
    return f"copy/state/{on.year}"


def next_number(reg: Registry, key: str) -> int:
    """One past the highest copy number ever used in the sequence (cancelled ones included)."""
    return numbering.next_number(reg, key, table="copies")


def preview_symbol(reg: Registry, kind: str, on: dt.date | None = None) -> str:
    """The symbol the next copy of `kind` would get now (it may be taken by another before it is made)."""
    from dirdesk.layout.copy_block import copy_symbol
    from dirdesk.rules import rules_for

    on = on or dt.date.today()
    profile = load_profile(reg)
    if profile.style not in ("party", "state"):
        raise RegisterError("Hồ sơ cơ quan chưa có kiểu văn bản: dirdesk profile set style party|state")
    number = next_number(reg, sequence_key(profile, on))
    return copy_symbol(profile.style, kind, number, (profile.issuer or {}).get("code") or "",
                       rules_for(profile.style, None, on))


def _signer(profile: Profile, signer: Signer | int | None) -> Signer:
    if isinstance(signer, Signer):
        return signer
    index = signer or 1
    if not profile.signers:
        raise RegisterError("Hồ sơ cơ quan chưa có người ký: dirdesk profile set signers "
                            "'[{\"authority\": …, \"title\": …, \"name\": …}]'.")
    if not 1 <= index <= len(profile.signers):
        raise RegisterError(f"Hồ sơ cơ quan có {len(profile.signers)} người ký; không có người ký thứ {index}.")
    s = profile.signers[index - 1]
    return Signer(s.get("authority"), s.get("title"), s.get("name"))


def source_pdf(reg: Registry, source: str, ref: str) -> tuple[dict, bytes]:
    """The source row and the PDF to copy: an issued document's, or a received document's first PDF."""
    if source == "outgoing":
        row = outgoing.find(reg, ref)
        if row.get("deleted_at"):
            raise RegisterError(f"Văn bản đi {row['symbol']} đã bị xóa khỏi sổ; không sao được.")
        if row["status"] != "issued" or not row.get("pdf_sha256"):
            raise RegisterError(f"Chỉ sao được văn bản đã ban hành có tệp PDF: {outgoing.describe(row)}.")
        return row, read_attachment(reg, row["pdf_sha256"])
    if source != "incoming":
        raise RegisterError(f"nguồn bản sao không có: {source} (outgoing, incoming)")
    row = incoming.find(reg, ref)
    label = f"{row['number']:02d}/{row['year']}"
    if row.get("deleted_at"):
        raise RegisterError(f"Văn bản đến {label} đã bị xóa khỏi sổ; không sao được.")
    pdfs = [f for f in incoming.files_of(reg, row["id"])
            if f["role"] == "received" and (f["ext"] == ".pdf" or f["name"].lower().endswith(".pdf"))]
    if not pdfs:
        raise RegisterError(f"Văn bản đến {label} không có tệp PDF để sao (chỉ sao được tệp PDF nhận được).")
    return row, read_attachment(reg, pdfs[0]["sha256"])


def sao_y_of(reg: Registry, source: str, row: dict) -> dict:
    """The latest sao y (not cancelled) of a source row: what a sao lục is printed from (NĐ 30 Điều 25
    khoản 2 điểm b: "Sao lục được thực hiện bằng việc in, chụp từ bản sao y")."""
    found = reg.one(f"SELECT * FROM copies WHERE {source}_id = ? AND kind = 'sao-y' AND status = 'issued' "
                    "ORDER BY id DESC LIMIT 1", [row["id"]])
    if found is None:
        raise RegisterError("Sao lục được in, chụp từ bản sao y (Nghị định 30/2020, Điều 25 khoản 2): "
                            "văn bản này chưa có bản sao y; hãy sao y trước.")
    return found


def _check(kind: str, pages: str | None) -> None:
    from dirdesk.layout.copy_block import KINDS

    if kind not in KINDS:
        raise RegisterError(f"Hình thức sao không có: {kind} (sao-y, sao-luc, trich-sao).")
    if kind == "trich-sao" and not pages:
        raise RegisterError("Trích sao cần ghi các trang được trích (ví dụ: --pages 1-2).")
    if kind != "trich-sao" and pages:
        raise RegisterError("Sao y và sao lục sao toàn bộ văn bản; chỉ trích sao mới chọn trang.")


def make_copy(reg: Registry, source: str, ref: str, kind: str, *, pages: str | None = None,
              on: dt.date | None = None, signer: Signer | int | None = None, recipients: list[str] | None = None,
              write: Callable[[bytes], None] | None = None, sign: Callable[[bytes], bytes] | None = None) -> Made:
    """Make, number and keep a copy; `write` receives its PDF inside the transaction that takes the number."""
    from dirdesk.intake.copy_pdf import compose_copy  # lazy: pypdf, reportlab only when a copy is made
    from dirdesk.layout.copy_block import CopyFields, copy_rules, copy_symbol
    from dirdesk.rules import rules_for

    _check(kind, pages)
    on = on or dt.date.today()
    profile = load_profile(reg)
    if profile.style not in ("party", "state"):
        raise RegisterError("Hồ sơ cơ quan chưa có kiểu văn bản: dirdesk profile set style party|state")
    issuer = profile.issuer or {}
    if not (issuer.get("name") or "").strip() or not (issuer.get("code") or "").strip():
        raise RegisterError("Hồ sơ cơ quan chưa có tên và mã cơ quan để ghi trên bản sao.")
    person = _signer(profile, signer)
    recipients = [one_line(r) for r in recipients or [] if one_line(r)] or copy_rules()["recipients"][profile.style]
    key = sequence_key(profile, on)
    with reg.transaction():
        row, data = source_pdf(reg, source, ref)
        from_copy = sao_y_of(reg, source, row) if kind == "sao-luc" else None
        if from_copy is not None:
            data = read_attachment(reg, from_copy["pdf_sha256"])
        number = next_number(reg, key)
        rules = rules_for(profile.style, None, on)
        symbol = copy_symbol(profile.style, kind, number, issuer["code"], rules)
        fields = CopyFields(profile.style, kind, issuer["name"], symbol, profile.place or "", on, person,
                            recipients=recipients)
        copied, placement = compose_copy(data, fields, pages)
        if sign is not None:
            copied = sign(copied)
        values = {"seq_key": key, "number": number, "symbol": symbol, "kind": kind,
                  f"{source}_id": row["id"], "date": on.isoformat(), "signer": person.name or "",
                  "pages": pages or "", "recipients": "; ".join(recipients),
                  "pdf_sha256": store_bytes(reg, copied, ".pdf"), "from_copy_id": from_copy and from_copy["id"]}
        made = get_row(reg, "copies", insert_row(reg, "copies", values))
        if write is not None:
            write(copied)
    return Made(made, copied, placement)


def find(reg: Registry, ref: str, *, year: int | None = None) -> dict:
    """The copy a clerk means by "05/SY-UBND" (or "#3" for row 3); the year settles a state symbol's repeats."""
    ref = one_line(ref).removeprefix("Số:").removeprefix("Số").strip()
    if ref.startswith("#") and ref[1:].isdigit():
        return get_row(reg, "copies", int(ref[1:]))
    rows = reg.query("SELECT * FROM copies WHERE symbol = ? ORDER BY id", [ref])
    if year is not None:
        rows = [r for r in rows if r["date"].startswith(f"{year:04d}")]
    if not rows:
        raise RegisterError(f"Không có bản sao số {ref} trong sổ.")
    if len(rows) > 1:
        raise RegisterError(f"Có {len(rows)} bản sao số {ref}: hãy ghi rõ năm (--year) hoặc #dòng.")
    return rows[0]


def cancel(reg: Registry, ref: str, reason: str, *, year: int | None = None) -> dict:
    """Cancel a copy's number: the row stays, marked, with the reason; the number is never used again."""
    reason = one_line(reason)
    if not reason:
        raise RegisterError("Cần ghi lý do hủy số bản sao.")
    with reg.transaction():
        row = find(reg, ref, year=year)
        if row["status"] == "cancelled":
            raise RegisterError(f"Bản sao {row['symbol']} đã bị hủy trước đó: {row['cancel_reason']}.")
        return update_row(reg, "copies", row["id"], {"status": "cancelled", "cancel_reason": reason},
                          action="cancel")


def source_label(reg: Registry, row: dict) -> str:
    """ "văn bản đi 66-CV/ĐU" or "văn bản đến 12/2026 (215-CV/TU)"."""
    if row.get("outgoing_id"):
        src = get_row(reg, "outgoing", row["outgoing_id"])
        return f"văn bản đi {src['symbol']}"
    src = get_row(reg, "incoming", row["incoming_id"])
    return f"văn bản đến {src['number']:02d}/{src['year']}" + (f" ({src['symbol']})" if src.get("symbol") else "")


def list_copies(reg: Registry, *, source: str | None = None, source_id: int | None = None) -> list[dict]:
    """The copies, oldest first, each with `source` (what it copies); of one source row when given."""
    if source is not None and source not in SOURCES:
        raise RegisterError(f"nguồn bản sao không có: {source}")
    where, params = ("", []) if source is None else (f" WHERE {source}_id = ?", [source_id])
    rows = reg.query(f"SELECT * FROM copies{where} ORDER BY date, id", params)
    return [{**r, "source": source_label(reg, r)} for r in rows]


KIND_LABELS = {"sao-y": "sao y", "sao-luc": "sao lục", "trich-sao": "trích sao"}


def describe(row: dict) -> str:
    """ "05/SY-UBND ngày 09/3/2026, sao y của văn bản đi 66-CV/ĐU (đã hủy: …)"."""
    date = dt.date.fromisoformat(row["date"])
    text = f"{row['symbol']} ngày {date:%d/%m/%Y}, {KIND_LABELS[row['kind']]}"
    if row.get("pages"):
        text += f" trang {row['pages']}"
    if row.get("from_copy_id"):
        text += f" (từ bản sao y #{row['from_copy_id']})"
    if row.get("source"):
        text += f" của {row['source']}"
    if row["status"] == "cancelled":
        text += f" (đã hủy: {row['cancel_reason']})"
    return text
