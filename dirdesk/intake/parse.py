"""Read a received document's text into a draft-format dict.

The parser recognises the parts of an official document by their wording, not
by their position, because converted documents put the two header columns in
either order or interleave them. A field the document does not show is null
(or an empty list): nothing is invented.

It runs in phases: the file's text and word positions become lines (text_of.py, and OCR for a
scan: ocr.py, handwriting.py, correct.py), the lines are repaired (wording.py: lines a narrow
column wrapped, a number line run into the date line), and the zones of the document are read
one after the other (zones.py), each with its own tests.
"""

from __future__ import annotations

from pathlib import Path

from dirdesk.intake import zones
from dirdesk.intake.attached import fill_from_note, read_parts, split_parts, take_note
from dirdesk.intake.budget import is_omitted_line
from dirdesk.intake.confidence import reading_of
from dirdesk.intake.issuer import infer_issuer
from dirdesk.intake.marks_of import take_marks
from dirdesk.intake.text_of import lines_of
from dirdesk.intake.wording import is_upper, join_wrapped, plain, split_merged
from dirdesk.text import clean

__all__ = ["is_upper", "parse_file", "parse_text", "plain"]


def parse_text(lines: list[str], notes: list[str] | None = None) -> dict:
    """Parse text lines (in body markup) into a draft-format dict.

    What was inferred rather than read (an issuer named from its symbol, place
    and "Lưu" line) is appended to `notes`, in Vietnamese, when it is given.
    """
    raw = [clean(line).rstrip().rstrip("\\").rstrip() for line in lines]
    raw, marks = take_marks(raw)  # "Dự thảo lần 2", "TÀI LIỆU HỘI NGHỊ", contact lines… (marks_of.py)
    raw, parts = split_parts(raw)
    raw = join_wrapped([part for line in raw for part in split_merged(line.strip())])
    raw, note = take_note(raw)
    doc = zones.Doc(raw=raw, plains=[plain(line) for line in raw])
    for phase in zones.PHASES:
        phase(doc)
    result = doc.result
    fill_from_note(result, note)
    attachments = read_parts(parts, result.get("style"))
    if attachments:
        result["attachments"] = attachments
    result.update(marks)
    inferred = infer_issuer(result, [p for i, p in enumerate(doc.plains) if i < doc.limit])
    if notes is not None:
        notes.extend(f"Văn bản dài: {line[2:-2].strip()}; các trường lấy từ phần đầu và phần cuối."
                     for line in doc.plains if is_omitted_line(line))
        notes.extend(inferred)
    return result


def parse_file(path: str | Path, notes: list[str] | None = None, data: bytes | None = None,
               reading: dict | None = None) -> dict:
    """Read a .txt, .docx or .pdf received document into a draft-format dict (see parse_text for
    `notes`); `data` are its bytes when the caller has read them (see text_of.lines_of).
    `reading`, when given, is filled with how it was read (confidence.reading_of: "ocr",
    "handwritten", "confidence"), which is no part of the draft format."""
    lines = lines_of(path, data)
    parsed = parse_text(lines, notes)
    if reading is not None:
        reading.update(reading_of(parsed, scan=lines.scan, handwritten=lines.handwritten))
    return parsed
