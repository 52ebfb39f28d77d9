"""The slow work of the drafting section, as plain functions for the worker
threads (dirdesk.gui.workers.run_in_background): no widgets, plain data in
and out, and a register connection of their own when they need one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from dirdesk.checks import Finding, check_draft
from dirdesk.draft import Draft, atomic_write, draft_from_dict
from dirdesk.registers import outgoing
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.congress import is_congress_document
from dirdesk.registers.errors import NumberTaken
from dirdesk.rules import rules_for
from dirdesk.symbols import symbol_text


def render_preview(data: dict) -> tuple[bytes, list[Finding]]:
    """The PDF of a draft-format dict and its `dirdesk check` findings; DraftError when it is not a draft."""
    # lazy: reportlab and python-docx load with the first preview, not with the window
    from dirdesk.layout import build_layout
    from dirdesk.render import render_pdf_bytes

    draft = draft_from_dict(data)
    findings = check_draft(draft)
    return render_pdf_bytes(build_layout(draft)), findings


def render_bytes(data: dict, kind: str) -> bytes:
    """A draft rendered as "docx" or "pdf"."""
    from dirdesk.layout import build_layout
    from dirdesk.render import render_docx_bytes, render_pdf_bytes

    laid_out = build_layout(draft_from_dict(data))
    return render_docx_bytes(laid_out) if kind == "docx" else render_pdf_bytes(laid_out)


def write_file(path: Path, data: bytes) -> Path:
    atomic_write(path, data)
    return path


def export_draft(path: Path, kind: str, data: dict) -> Path:
    """Write the draft rendered now to `path` (a worker; the register is not read)."""
    return write_file(path, render_bytes(data, kind))


def export_stored(reg, sha256: str, path: Path) -> Path:
    """Write the issued file the register keeps to `path` (a worker, through the operations)."""
    return write_file(path, read_attachment(reg, sha256))


# --- issuing -------------------------------------------------------------------


@dataclasses.dataclass
class NextNumber:
    number: int
    symbol: str
    sequence: str  # the sequence's label for the clerk
    note: str | None = None


@dataclasses.dataclass
class IssueOutcome:
    row: dict | None = None  # the register row when issued
    changed: NextNumber | None = None  # the number now next, when the one shown was taken: nothing was issued


def issue_date(draft: Draft) -> dt.date:
    return draft.date or dt.date.today()


def next_number(reg, draft: Draft) -> NextNumber:
    """The number and symbol this draft would get now (the core's `outgoing.preview_next`)."""
    if draft.number is not None:  # a number reserved beforehand (lấy số trước): issued with it
        rules = rules_for(draft.style, draft.edition, issue_date(draft))
        return NextNumber(draft.number, symbol_text(dataclasses.replace(draft, date=issue_date(draft)), rules),
                          "số đã ghi trong dự thảo")
    preview = outgoing.preview_next(reg, draft.type, on=issue_date(draft), secret=draft.secrecy is not None,
                                    unit=draft.issuer.unit,
                                    congress=is_congress_document(draft.style, draft.issuer.code))
    return NextNumber(preview.number, preview.symbol, preview.sequence.label, preview.sequence.note)


def issue(reg, data: dict, expected: int, copies: int | None, skip_numbers: bool = False) -> IssueOutcome:
    """Issue the draft with the number the clerk was shown, or issue nothing (a worker, through the
    window's operations: `reg` is the job's own connection).

    The core checks, under its write lock, that the next number is still the
    one shown (`expect_number`); if another window took it (issued or
    reserved), nothing is written and the number now next is returned for the
    clerk to confirm. The same draft issued before raises AlreadyIssued with
    its row (`once`): a second click or a retry never takes a second number. A
    number of the draft's own past the next raises NumbersSkipped unless the
    clerk agreed (`skip_numbers`).
    """
    draft = draft_from_dict(data)
    try:
        row = outgoing.issue(reg, draft, copies=copies, expect_number=expected if draft.number is None else None,
                             skip_numbers=skip_numbers, once=True)
    except NumberTaken:
        return IssueOutcome(changed=next_number(reg, draft))
    return IssueOutcome(row=row)


def file_stem(data: dict, symbol: str | None = None) -> str:
    """A file name for an exported document: its symbol, else its type and subject."""
    if symbol:
        text = symbol
    else:
        subject = " ".join((data.get("subject") or "").split()[:8])
        text = f"{data.get('type') or 'VB'} {subject}".strip()
    text = re.sub(r'[\\/:*?"<>|\s]+', "-", text).strip("-.")
    return text[:80] or "van-ban"
