"""The outgoing register (sổ đăng ký văn bản đi): issuing, reserving and cancelling numbers.

A number is assigned only inside one `BEGIN IMMEDIATE` transaction that also
renders and stores the DOCX and PDF and writes the register row: two
processes can never get the same number, and a crash or error before the
commit leaves no number used (at most an unreferenced file in the folder).

In that transaction, too: a draft issued before is found (`issued_before`,
for a retry after a failure past the commit), a number past the next one is
refused unless the clerk agrees to skip the numbers between
(`numbers_skipped`), and a symbol already in the register for the same year
or term is refused (numbering.symbol_span). Issue dates run from
limits.FIRST_ISSUE_DATE to a year ahead; text is held to dirdesk/limits.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

from dirdesk import limits
from dirdesk.checks import refuse_unfinished
from dirdesk.draft import Draft, DraftError, Issuer, draft_from_dict
from dirdesk.registers import search
from dirdesk.registers.attachments import store_bytes
from dirdesk.registers.audit import dated_rows_where, get_row, insert_row, update_row
from dirdesk.registers.congress import CODE as CONGRESS_CODE
from dirdesk.registers.congress import is_congress_document
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import AlreadyIssued, NumbersSkipped, NumberTaken, RegisterError, check_lengths
from dirdesk.registers.numbering import (
    Sequence,
    next_number,
    number_holder,
    numbers_text,
    other_body,
    sequence_for,
    skipped_numbers,
    symbol_span,
)
from dirdesk.registers.profile import Profile, load_profile, set_profile_value
from dirdesk.rules import doc_types, rules_for
from dirdesk.symbols import symbol_text
from dirdesk.text import clean, one_line

STATUS_LABELS = {"reserved": "giữ số", "issued": "đã ban hành", "cancelled": "đã hủy"}


def type_name(style: str, code: str, title: str | None = None) -> str:
    """"Công văn", "Nghị quyết", or the draft's own title in sentence case."""
    if title:
        text = " ".join(title.split()).lower()
        return text[:1].upper() + text[1:]
    label = doc_types(style)[code].label
    return label[:1].upper() + label[1:]


def _is_file_copy(line: str) -> bool:
    return line.strip().lower().startswith("lưu")


def signer_names(draft: Draft) -> str:
    """The người ký column: the signer, then a second signer (a biên bản's thư ký, a joint document's
    other body), "; " between; the confirmation of a signature (05-HD 7.1.4.e) is not a signer."""
    second = draft.signer2.name if draft.signer2 else None
    return "; ".join(name for name in (draft.signer.name, second) if name)


def register_fields(draft: Draft) -> dict:
    """The Phụ lục IV columns that come from the document itself."""
    recipients = [line for line in draft.cc if not _is_file_copy(line)]
    if any(line.strip().lower() in ("như kính gửi", "như trên") for line in recipients) and draft.recipients:
        recipients = [line for line in recipients if line.strip().lower() not in ("như kính gửi", "như trên")]
        recipients = list(draft.recipients) + recipients
    held = [line.strip()[3:].strip(" :,") for line in draft.cc if _is_file_copy(line)]
    return {
        "type_name": type_name(draft.style, draft.type, draft.title),
        "subject": clean(draft.subject, keep_newlines=False),
        "signer": signer_names(draft),
        "recipients": "; ".join(recipients),
        "copy_holder": "; ".join(h for h in held if h),
        "urgency": draft.urgency,
        "secret": draft.secrecy,
    }


def _attached_text(draft: Draft) -> list[str]:
    """What the quy chế and phụ lục issued with the document say: searched with it."""
    return [t for a in draft.attachments for t in (a.title, a.subject, a.body) if t]


def _index(reg: Registry, row: dict, draft: Draft | None) -> None:
    search.index_entry(
        reg, "outgoing", row["id"], date=row["date"], doc_type=row["type"], status=row["status"],
        symbol=row["symbol"], subject=f"{row['type_name']} {row['subject']}",
        issuer=draft.issuer.name if draft else "",
        body="\n".join(filter(None, [draft.preamble, draft.body, *_attached_text(draft)])) if draft else "",
        notes=" ".join(filter(None, [row["recipients"], row["copy_holder"], row["signer"], row["note"],
                                     row["cancel_reason"]])),
    )


def _ensure_profile(reg: Registry, draft: Draft) -> Profile:
    """The profile, set up from the first draft issued when the clerk has not set it yet."""
    profile = load_profile(reg)
    if profile.style is None:
        profile = set_profile_value(reg, "style", draft.style)
        if not profile.issuer.get("name"):
            issuer = {"parent": draft.issuer.parent, "name": draft.issuer.name, "code": draft.issuer.code}
            profile = set_profile_value(reg, "issuer", issuer)
        if not profile.place:
            profile = set_profile_value(reg, "place", draft.place)
    if profile.style != draft.style:
        kinds = {"party": "văn bản của Đảng", "state": "văn bản hành chính nhà nước"}
        raise RegisterError(f"Dự thảo là {kinds[draft.style]} nhưng sổ này đăng ký {kinds[profile.style]}.")
    code = profile.issuer.get("code")
    if (code and draft.issuer.code not in (code, other_body(profile, draft.style, draft.type))
            and not is_congress_document(draft.style, draft.issuer.code)):
        raise RegisterError(f"Dự thảo ghi cơ quan ban hành '{draft.issuer.code}' nhưng sổ này là của '{code}' "
                            f"({profile.issuer.get('name')}); sửa dự thảo, hoặc hồ sơ cơ quan nếu hồ sơ sai.")
    return profile


def describe(row: dict) -> str:
    """"66-CV/ĐU ngày 08/9/2021 (đã ban hành)" for messages."""
    date = dt.date.fromisoformat(row["date"])
    return f"{row['symbol']} ngày {date:%d/%m/%Y} ({STATUS_LABELS[row['status']]})"


@dataclasses.dataclass
class Preview:
    number: int
    symbol: str
    sequence: Sequence


def _numbering_profile(reg: Registry, doc_type: str) -> Profile:
    """The profile, when it can number documents of `doc_type` without a draft (preview, reserve)."""
    profile = load_profile(reg)
    if profile.style is None:
        raise RegisterError("Hồ sơ cơ quan chưa có kiểu văn bản: dirdesk profile set style party|state")
    if doc_type not in doc_types(profile.style):
        raise RegisterError(f"'{doc_type}' không phải loại văn bản của sổ này (xem: dirdesk types).")
    return profile


def _issue_date(on: dt.date) -> dt.date:
    problem = limits.issue_date_problem(on)
    if problem:
        raise RegisterError(problem)
    return on


def _check_copies(copies: int | None) -> None:
    if copies is not None and not 1 <= copies <= limits.MAX_COPIES:
        raise RegisterError(f"Số lượng bản phải từ 1 đến {limits.thousands(limits.MAX_COPIES)}.")


def preview_next(reg: Registry, doc_type: str, *, on: dt.date | None = None, secret: bool = False,
                 unit: str | None = None, congress: bool = False) -> Preview:
    """The number and symbol the next document of a type would get (nothing is reserved);
    `congress`: a document of the đại hội (05-HD: one sequence for all types, symbol …/ĐH)."""
    profile = _numbering_profile(reg, doc_type)
    on = _issue_date(on or dt.date.today())
    seq = sequence_for(profile, profile.style, doc_type, secret, on, congress)
    number = next_number(reg, seq.key)
    return Preview(number, _profile_symbol(profile, doc_type, number, on, unit, congress), seq)


def _profile_symbol(profile: Profile, doc_type: str, number: int, on: dt.date, unit: str | None,
                    congress: bool = False) -> str:
    issuer = profile.issuer
    if not issuer.get("code"):
        raise RegisterError("Hồ sơ cơ quan chưa có chữ viết tắt của cơ quan: dirdesk profile set issuer '{...}'")
    body = other_body(profile, profile.style, doc_type)  # the HĐND's nghị quyết: "…/NQ-HĐND"
    code = CONGRESS_CODE if congress and profile.style == "party" else (body or issuer["code"])
    draft = Draft(style=profile.style, type=doc_type, place=profile.place or "-", subject="-", body="-",
                  issuer=Issuer(name=issuer.get("name") or "-", code=code, unit=None if body else unit),
                  number=number, date=on)
    return symbol_text(draft, rules_for(profile.style, None, on))


def _content(data: dict) -> dict:
    """What makes two drafts the same document: every field but the number, symbol, date and draft round."""
    return {k: v for k, v in data.items() if k not in ("number", "symbol", "date", "draft_round")}


def issued_before(reg: Registry, draft: Draft, *, date: dt.date | None = None) -> dict | None:
    """The row of an earlier issue of this same draft (not cancelled or deleted), or None.

    The same draft: the same content as stored with the row (see `_content`), the
    same number if the draft has one, the same date if one is given (`date`, else
    the draft's). A retry after a failure that came after the commit (the copy to
    a folder) finds its row here instead of taking a second number."""
    normal = draft_from_dict(draft.to_dict())
    content, on = _content(normal.to_dict()), date or normal.date
    rows = reg.query("SELECT * FROM outgoing WHERE status = 'issued' AND deleted_at IS NULL AND type = ? "
                     "AND subject = ? AND draft_json IS NOT NULL ORDER BY date DESC, id DESC",
                     [normal.type, register_fields(normal)["subject"]])
    for row in rows:
        if normal.number is not None and row["number"] != normal.number:
            continue
        if on is not None and row["date"] != on.isoformat():
            continue
        if _content(json.loads(row["draft_json"])) == content:
            return row
    return None


def numbers_skipped(reg: Registry, draft: Draft, *, date: dt.date | None = None) -> range:
    """The numbers that issuing `draft` with its own number would leave unused forever (empty if none),
    for the window to ask before it issues with `skip_numbers=True`."""
    if draft.number is None:
        return range(0)
    on = date or draft.date or dt.date.today()
    seq = sequence_for(load_profile(reg), draft.style, draft.type, draft.secrecy is not None, on,
                       is_congress_document(draft.style, draft.issuer.code))
    return skipped_numbers(reg, seq.key, draft.number)


def _number_for(reg: Registry, draft: Draft, seq: Sequence, expect_number: int | None,
                skip_numbers: bool) -> tuple[int, dict | None]:
    """The number the draft gets and the reservation it fills (None: a new row)."""
    if draft.number is None:
        number = next_number(reg, seq.key)
        if expect_number is not None and number != expect_number:
            raise NumberTaken(expect_number, number)
        return number, None
    holder = number_holder(reg, seq.key, draft.number)
    if holder is None:
        skipped = skipped_numbers(reg, seq.key, draft.number)
        if skipped and not skip_numbers:
            raise NumbersSkipped(f"Số {draft.number:02d} bỏ qua {numbers_text(skipped)} ({seq.label}): những số "
                                 f"này sẽ không bao giờ được cấp nữa. Số tiếp theo là {skipped.start:02d}.", skipped)
        return draft.number, None
    if holder["status"] != "reserved" or holder["type"] != draft.type or holder["deleted_at"]:
        raise RegisterError(f"Số {draft.number:02d} ({seq.label}) đã được dùng: {describe(holder)}"
                            + (f", «{holder['subject']}»" if holder["subject"] else "") + ".")
    return draft.number, holder


def _same_symbol(reg: Registry, symbol: str) -> list[dict]:
    """The rows carrying `symbol`, compared case-insensitively, newest first."""
    head = re.match(r"\d*", symbol).group()  # "66" of "66-CV/ĐU": narrows the rows to compare
    candidates = reg.query("SELECT * FROM outgoing WHERE symbol LIKE ? ORDER BY date DESC, id DESC", [head + "%"])
    return [r for r in candidates if r["symbol"].upper() == symbol.upper()]  # SQLite's upper() is ASCII-only


def _refuse_repeated_symbol(reg: Registry, profile: Profile, values: dict, own_id: int | None) -> None:
    """A symbol already in the register for the same year or term (cancelled ones too) is refused."""
    def span(row: dict) -> tuple:
        return symbol_span(profile, row["style"], dt.date.fromisoformat(row["date"]), bool(row.get("secret")),
                           row.get("seq_key") or "")

    for row in _same_symbol(reg, values["symbol"]):
        if row["id"] != own_id and span(row) == span(values):
            raise RegisterError(f"Ký hiệu {values['symbol']} đã có trong sổ: {describe(row)}. Một ký hiệu chỉ được "
                                "dùng một lần trong năm (văn bản hành chính) hoặc trong nhiệm kỳ (văn bản Đảng); "
                                "hãy ghi số khác vào dự thảo, hoặc xem lại nhiệm kỳ và cách đánh số trong hồ sơ "
                                "cơ quan.")


def _refuse_attached_alone(draft: Draft) -> None:
    """A state quy chế or quy định is issued with its decision and takes no number of its own
    (NĐ 30 Phụ lục III): the decision's draft carries it (docs/draft-format-extensions.md)."""
    doc_type = doc_types(draft.style)[draft.type]
    if doc_type.issued_with:
        parent = doc_types(draft.style)[doc_type.issued_with].label
        raise RegisterError(f"{doc_type.label.capitalize()} được ban hành kèm theo {parent} và không lấy số riêng "
                            f"(Nghị định 30/2020/NĐ-CP, Phụ lục III): hãy đưa nó vào dự thảo {parent} ban hành nó "
                            f"(văn bản kèm theo) rồi ban hành {parent} đó.")


def issue(reg: Registry, draft: Draft, *, date: dt.date | None = None, copies: int | None = None,
          render: bool = True, expect_number: int | None = None, skip_numbers: bool = False,
          once: bool = False) -> dict:
    """Issue a draft: take its number, freeze it, keep its DOCX and PDF, write the register row.

    A draft that already carries a number is registered with it: into its
    reservation if that number was reserved for the same type, as given if the
    number is free, refused if it is taken; a number past the next one raises
    NumbersSkipped unless `skip_numbers`. `expect_number` is the number the
    clerk was shown (preview_next) for a draft without one: if the next number
    is another by the time the write lock is held, NumberTaken is raised and
    nothing is written. With `once`, a draft issued before (`issued_before`)
    raises AlreadyIssued with its row instead of taking another number.
    """
    if copies is None:  # the số lượng bản the draft prints after Nơi nhận (05-HD II.5, NĐ 30 ô 12)
        copies = draft.marks.copies
    _check_copies(copies)
    _refuse_attached_alone(draft)  # a state quy chế is issued with its decision, never numbered alone
    refuse_unfinished(draft)  # a template's blanks "[…]" left in: refused before any number is taken
    on = _issue_date(date or draft.date or dt.date.today())
    profile = _ensure_profile(reg, draft)
    seq = sequence_for(profile, draft.style, draft.type, draft.secrecy is not None, on,
                       is_congress_document(draft.style, draft.issuer.code))
    with reg.transaction():
        earlier = issued_before(reg, draft, date=date) if once else None
        if earlier is not None:
            raise AlreadyIssued(f"Dự thảo này đã được ban hành: {describe(earlier)}; không cấp số mới.", earlier)
        number, reservation = _number_for(reg, draft, seq, expect_number, skip_numbers)
        # a symbol typed without a number cannot carry the register's number
        symbol_override = draft.symbol if draft.number is not None else None
        # an issued document is no draft: "Dự thảo lần n" (05-HD II.4.2) is not printed on it
        frozen = dataclasses.replace(draft, number=number, date=on, symbol=symbol_override,
                                     marks=dataclasses.replace(draft.marks, draft_round=None))
        frozen = draft_from_dict(frozen.to_dict())  # the stored draft is one the file format accepts
        rules = rules_for(frozen.style, frozen.edition, frozen.date)
        values = {
            "seq_key": seq.key, "number": number, "symbol": symbol_text(frozen, rules), "status": "issued",
            "style": frozen.style, "type": frozen.type, "date": on.isoformat(), "copies": copies,
            "draft_json": json.dumps(frozen.to_dict(), ensure_ascii=False),
            **register_fields(frozen),
        }
        check_lengths(values)
        _refuse_repeated_symbol(reg, profile, values, reservation and reservation["id"])
        if render:  # lazy: reportlab and python-docx only when a document is issued, not when a list opens
            from dirdesk.layout import build_layout
            from dirdesk.render import render_docx_bytes, render_pdf_bytes

            laid_out = build_layout(frozen)
            values["docx_sha256"] = store_bytes(reg, render_docx_bytes(laid_out), ".docx")
            values["pdf_sha256"] = store_bytes(reg, render_pdf_bytes(laid_out), ".pdf")
        if reservation is not None:
            row = update_row(reg, "outgoing", reservation["id"], values, action="issue")
        else:
            row = get_row(reg, "outgoing", insert_row(reg, "outgoing", values))
        _index(reg, row, frozen)
    return row


def reserve(reg: Registry, doc_type: str, *, on: dt.date | None = None, secret: bool = False,
            unit: str | None = None, note: str = "", congress: bool = False) -> dict:
    """Take a number now for a document still being signed (lấy số trước); issue it later.
    `congress`: from the congress's sequence (as preview_next)."""
    profile = _numbering_profile(reg, doc_type)
    on = _issue_date(on or dt.date.today())
    seq = sequence_for(profile, profile.style, doc_type, secret, on, congress)
    note = clean(note, keep_newlines=False)
    check_lengths({"note": note})
    with reg.transaction():
        number = next_number(reg, seq.key)
        values = {
            "seq_key": seq.key, "number": number, "status": "reserved", "style": profile.style,
            "type": doc_type, "secret": "MẬT" if secret else None, "date": on.isoformat(),
            "symbol": _profile_symbol(profile, doc_type, number, on, unit, congress),
            "type_name": type_name(profile.style, doc_type), "note": note,
        }
        _refuse_repeated_symbol(reg, profile, values, None)
        row = get_row(reg, "outgoing", insert_row(reg, "outgoing", values))
        _index(reg, row, None)
    return row


def find(reg: Registry, ref: str, *, year: int | None = None) -> dict:
    """The outgoing row a clerk means by "66-CV/ĐU" (or "#12" for row 12); the year settles repeats."""
    ref = one_line(ref)
    if ref.startswith("#") and ref[1:].isdigit():
        return get_row(reg, "outgoing", int(ref[1:]))
    ref = ref.removeprefix("Số:").removeprefix("Số").strip()
    rows = _same_symbol(reg, ref)
    if year is not None:
        rows = [r for r in rows if r["date"].startswith(f"{year:04d}")]
    if not rows:
        raise RegisterError(f"Không có văn bản {ref} trong sổ văn bản đi.")
    if len(rows) > 1:
        listed = "; ".join(f"#{r['id']} {describe(r)}" for r in rows[:5])
        raise RegisterError(f"Có {len(rows)} văn bản mang ký hiệu {ref}: {listed}. Hãy ghi rõ năm hoặc #số dòng.")
    return rows[0]


def cancel(reg: Registry, ref: str, reason: str, *, year: int | None = None) -> dict:
    """Cancel an issued or reserved number: it stays in the register, marked, and is never reused."""
    reason = one_line(reason)
    if not reason:
        raise RegisterError("Cần ghi lý do hủy số.")
    check_lengths({"cancel_reason": reason})
    with reg.transaction():
        row = find(reg, ref, year=year)
        if row["status"] == "cancelled":
            raise RegisterError(f"{describe(row)} đã bị hủy trước đó: {row['cancel_reason']}.")
        row = update_row(reg, "outgoing", row["id"], {"status": "cancelled", "cancel_reason": reason},
                         action="cancel")
        _index(reg, row, _stored_draft(row))
    return row


def _stored_draft(row: dict) -> Draft | None:
    """The draft kept with the row; None when there is none, or it no longer passes the draft's checks
    (a row written before a limit existed still gets indexed and can still be cancelled)."""
    try:
        return draft_from_dict(json.loads(row["draft_json"])) if row.get("draft_json") else None
    except DraftError:
        return None


EDITABLE = ("sent_date", "receipt", "note", "copies", "copy_holder", "recipients")


def edit(reg: Registry, row_id: int, **changes) -> dict:
    """Fill in the columns written after issue (ngày chuyển, ký nhận, ghi chú, …)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise RegisterError(f"Không sửa được cột {', '.join(sorted(unknown))} của sổ văn bản đi.")
    changes = {k: clean(v, keep_newlines=False) if isinstance(v, str) else v for k, v in changes.items()}
    check_lengths(changes)
    _check_copies(changes.get("copies"))
    with reg.transaction():
        row = update_row(reg, "outgoing", row_id, changes)
        _index(reg, row, _stored_draft(row))
    return row


def list_rows(reg: Registry, *, start: dt.date | None = None, end: dt.date | None = None,
              include_deleted: bool = False) -> list[dict]:
    """Rows dated from `start` to `end` inclusive, in register order (date, then order of entry)."""
    where, params = dated_rows_where("date", start, end, include_deleted)
    sql = "SELECT * FROM outgoing" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY date, id"
    return reg.query(sql, params)


def recent_symbols(reg: Registry, limit: int = 30) -> list[str]:
    """The symbols of the documents issued last, newest first (what a reply most likely is)."""
    return [r["symbol"] for r in reg.query(
        "SELECT symbol FROM outgoing WHERE deleted_at IS NULL AND status = 'issued' ORDER BY date DESC, id DESC "
        "LIMIT ?", (limit,))]
