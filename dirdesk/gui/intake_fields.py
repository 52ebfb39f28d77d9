"""What the intake dialog (intake.py) does without widgets: reading the received
file (in a worker), typed dates, the type names offered, and the jobs that
write to the register on their own connection."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from dirdesk.dates import DateError, parse_typed_date
from dirdesk.draft import atomic_write
from dirdesk.registers import incoming
from dirdesk.registers.incoming import IncomingEntry
from dirdesk.registers.intake_entry import entry_from_file
from dirdesk.registers.outgoing import type_name
from dirdesk.rules import STYLES, doc_types

_MARKUP = re.compile(r"\*\*|\*|__|\\|^# ", re.MULTILINE)


class FieldError(ValueError):
    """A field the clerk must correct: `field` is the objectName of its widget; the message is Vietnamese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def parse_date(text: str, field: str, label: str) -> dt.date | None:
    """The date typed in a field (`dirdesk.dates.parse_typed_date`); None if empty; FieldError naming the field."""
    try:
        return parse_typed_date(text, label)
    except DateError as exc:
        raise FieldError(field, str(exc)) from None


def type_choices(style: str | None) -> list[tuple[str, str]]:
    """(tên loại, code) of the document types, the office's style first, each name once."""
    order = [style] if style in STYLES else []
    order += [s for s in STYLES if s not in order]
    seen, choices = set(), []
    for s in order:
        for code in doc_types(s):
            name = type_name(s, code)
            if name.casefold() not in seen:
                seen.add(name.casefold())
                choices.append((name, code))
    return choices


@dataclass
class Received:
    """A received file, read: the entry the clerk confirms, why its text could not be read (a scan),
    and its text for the preview beside the fields (not for PDFs, which are shown as they are)."""

    entry: IncomingEntry
    problem: str | None
    text: str
    is_pdf: bool


def is_pdf(path: Path) -> bool:
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False


def read_received(path: str | Path, trust=None) -> Received:
    """Read and parse a received file (worker thread: no widgets); its signatures are checked against
    `trust` (the register's trusted certificates, trust_store.trust_of)."""
    path = Path(path)
    entry, problem = entry_from_file(path, trust)
    if problem:
        problem = problem.replace(str(path), path.name)
    pdf = is_pdf(path)
    text = ""
    if not pdf:
        try:
            from dirdesk.intake import lines_of

            text = "\n".join(_MARKUP.sub("", line) for line in lines_of(path))
        except Exception:  # the preview is a help; a file it cannot show is still registered
            text = ""
    return Received(entry, problem, text, pdf)


def add_job(reg, entry: IncomingEntry, allow_duplicate: bool) -> tuple[dict, list[str]]:
    """Worker (through the window's operations): incoming.add, and what the clerk should be told of
    the new row (it came after its deadline, or it is backdated)."""
    row = incoming.add(reg, entry, allow_duplicate=allow_duplicate)
    return row, incoming.receipt_notes(reg, row)


def write_job(target: Path, data: bytes) -> Path:
    atomic_write(target, data)
    return target

