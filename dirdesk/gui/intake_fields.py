"""What the intake dialog (intake.py) does without widgets: reading the received
file (in a worker), typed dates, the type names offered, and the jobs that
write to the register on their own connection."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from dirdesk.registers.incoming import IncomingEntry
from dirdesk.text import clean

_MARKUP = re.compile(r"\*\*|\*|__|\\|^# ", re.MULTILINE)
_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class FieldError(ValueError):
    """A field the clerk must correct: `field` is the objectName of its widget; the message is Vietnamese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def parse_date(text: str, field: str, label: str) -> dt.date | None:
    """A date typed as ngày/tháng/năm (08/09/2021, 8/9/2021, 8.9.21, 08-09-2021) or 2021-09-08; None if empty."""
    text = clean(text or "", keep_newlines=False).strip()
    if not text:
        return None
    day = month = year = None
    if m := _DMY.fullmatch(text):
        day, month, year = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            year += 2000
    elif m := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
    if year is not None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise FieldError(field, f"{label} “{text}” không phải một ngày hợp lệ. Hãy gõ theo dạng ngày/tháng/năm, "
                            "ví dụ 08/09/2021.")


def date_text(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def type_choices(style: str | None) -> list[tuple[str, str]]:
    """(tên loại, code) of the document types, the office's style first, each name once."""
    from dirdesk.registers.outgoing import type_name
    from dirdesk.rules import STYLES, doc_types

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


def read_received(path: str | Path) -> Received:
    """Read and parse a received file (worker thread: no widgets)."""
    from dirdesk.registers.intake_entry import entry_from_file

    path = Path(path)
    entry, problem = entry_from_file(path)
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


def add_job(db_path: Path, entry: IncomingEntry, allow_duplicate: bool) -> dict:
    """incoming.add on a connection of its own (worker thread)."""
    from dirdesk.gui.workers import open_job_registry
    from dirdesk.registers import incoming

    with open_job_registry(db_path) as reg:
        return incoming.add(reg, entry, allow_duplicate=allow_duplicate)


def stamp_job(db_path: Path, row_id: int):
    """(stamped PDF bytes, placement, suggested name) for incoming row `row_id` (worker thread)."""
    from dirdesk.gui.workers import open_job_registry
    from dirdesk.intake.stamp import stamp_entry

    with open_job_registry(db_path) as reg:
        return stamp_entry(reg, f"#{row_id}")


def write_job(target: Path, data: bytes) -> Path:
    from dirdesk.draft import atomic_write

    atomic_write(target, data)
    return target


def safe_file_name(name: str) -> str:
    """A file name that every system accepts, for the copy opened in the system's viewer."""
    name = clean(Path(name).name, keep_newlines=False).strip()
    name = re.sub(r'[<>:"/\\|?*]', "_", name).strip(". ")
    return name or "van-ban-den"
