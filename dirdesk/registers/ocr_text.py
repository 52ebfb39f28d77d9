"""The whole text of a scanned incoming document, read with OCR after it is registered.

At intake only page 1 and the last page of a scan are read (intake/ocr.py), so that the fields come
up in seconds. `read_entry_text(reg, row_id)` then reads every page (intake/searchable.py: a page
with its own text layer is taken as it is) and, in ONE transaction:

- keeps the searchable copy (the original pages with an invisible text layer) with the entry, as a
  file of role "ocr" named "<original> - Bản có lớp chữ (OCR).pdf", beside the received original
  (role "received"), which stays byte for byte as received (a signed original keeps its signature);
- puts the whole text into the entry's `body` (audited, action "ocr") and the search index, so the
  search finds a word of any page, typed with or without its marks.

Run again, it replaces the entry's previous copy (never a second one) and the file of the old copy
when nothing else refers to it. The số đến and the other columns are not touched. The reading runs
before the transaction (a 45-page scan takes minutes): the entry may be edited meanwhile, only its
body is set. A failure or a cancel (`cancelled()`, between two pages) writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from dirdesk import limits
from dirdesk.intake.ocr import OcrUnavailable
from dirdesk.intake.searchable import NoText, OcrCancelled, make_searchable, scan_pages
from dirdesk.registers import incoming
from dirdesk.registers.attachments import read_attachment, relative_path, store_bytes
from dirdesk.registers.audit import get_row, update_row
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError

OCR_ROLE = "ocr"
COPY_LABEL = "Bản có lớp chữ (OCR)"

__all__ = ["COPY_LABEL", "OCR_ROLE", "NothingRead", "OcrCancelled", "OcrResult", "copy_name", "entry_label",
           "is_pdf_bytes", "needs_reading", "read_entry_text", "scan_of"]


class NothingRead(RegisterError):
    """Every page is a picture and OCR found no word on any (a blank or a photo): nothing written."""


@dataclass
class OcrResult:
    """What `read_entry_text` wrote."""

    row: dict
    name: str  # the searchable copy's name in the entry
    sha256: str
    pages: int
    read: list[int] = field(default_factory=list)  # 0-based pages read with OCR
    skipped: list[int] = field(default_factory=list)  # pages OCR gave up on (time limit)
    seconds: float = 0.0  # OCR time, all pages

    def summary(self) -> str:
        """"đã đọc chữ 10 trang (8 trang bằng OCR) …", Vietnamese, for the clerk."""
        text = f"đã đọc chữ {self.pages} trang ({len(self.read)} trang bằng OCR, {self.seconds:.0f} giây)"
        if self.skipped:
            pages = ", ".join(str(i + 1) for i in self.skipped)
            text += f"; trang {pages} đọc quá lâu nên bỏ qua"
        return text


def entry_label(row: dict) -> str:
    """"05/2026": the entry's số đến as the clerk says it."""
    return f"{row['number']:02d}/{row['year']}"


def copy_name(original: str) -> str:
    """The searchable copy's name beside its original: "cv-12 - Bản có lớp chữ (OCR).pdf"."""
    stem = PurePath(original.replace("\\", "/")).stem or "van-ban"
    return f"{stem} - {COPY_LABEL}.pdf"


def scan_of(reg: Registry, row_id: int) -> dict | None:
    """The entry's received PDF to read (the first one kept), or None when it has none."""
    for f in incoming.files_of(reg, row_id):
        if f["role"] != OCR_ROLE and f["ext"] == ".pdf" and not f["lost_at"]:
            return f
    return None


def is_pdf_bytes(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def needs_reading(data: bytes) -> bool:
    """Whether a received file is a PDF with pages that are pictures (a scan): those read in the background."""
    return is_pdf_bytes(data) and bool(scan_pages(data))


def read_entry_text(reg: Registry, row_id: int, *, progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> OcrResult:
    """Read every page of the entry's received PDF and keep the searchable copy and the text (see the
    module's doc). RegisterError (Vietnamese) when it cannot; OcrCancelled when `cancelled()` said stop."""
    row = get_row(reg, "incoming", row_id)
    label = entry_label(row)
    original = scan_of(reg, row_id)
    if original is None:
        raise RegisterError(f"Văn bản đến số {label} không có tệp PDF để đọc chữ.")
    data = read_attachment(reg, original["sha256"])
    if not scan_pages(data):
        raise RegisterError(f"Tệp {original['name']} của văn bản đến số {label} đã có sẵn chữ ở mọi trang; "
                            "không cần đọc chữ (OCR).")
    try:
        made = make_searchable(data, progress=progress, cancelled=cancelled)
    except OcrCancelled:
        raise
    except NoText as exc:
        raise NothingRead(f"{exc}; sổ không thay đổi.") from None
    except OcrUnavailable as exc:
        raise RegisterError(f"Chưa đọc được chữ của văn bản đến số {label}: {exc}.") from None
    name = copy_name(original["name"])
    with reg.transaction():
        if scan_of(reg, row_id) != original:  # changed while it was read: another window, a restore
            raise RegisterError(f"Tệp của văn bản đến số {label} vừa thay đổi; hãy đọc chữ lại.")
        digest = store_bytes(reg, made.pdf, ".pdf")
        old = [r["sha256"] for r in reg.query("SELECT sha256 FROM incoming_files WHERE incoming_id = ? AND role = ?",
                                              [row_id, OCR_ROLE])]
        reg.db.execute("DELETE FROM incoming_files WHERE incoming_id = ? AND role = ?", [row_id, OCR_ROLE])
        reg.db.execute("INSERT OR REPLACE INTO incoming_files (incoming_id, sha256, name, role) VALUES (?, ?, ?, ?)",
                       [row_id, digest, name, OCR_ROLE])
        unused = _forget_unused(reg, [s for s in old if s != digest])
        row = update_row(reg, "incoming", row_id, {"body": made.text[:limits.BODY]}, action="ocr")
        incoming.index_row(reg, row)
    for path in unused:  # after the commit: a crash before leaves an unreferenced file, never a missing one
        try:
            path.unlink(missing_ok=True)
        except OSError:  # kept by the system a moment longer: an unreferenced file, as after a crash
            pass
    return OcrResult(row, name, digest, len(made.texts), made.read, made.skipped, sum(made.seconds.values()))


def _forget_unused(reg: Registry, sha256s: list[str]) -> list:
    """Drop the records of earlier copies no entry refers to any more; their paths, to remove after commit."""
    paths = []
    for sha256 in sha256s:
        used = reg.conn.execute(
            "SELECT (SELECT count(*) FROM incoming_files WHERE sha256 = :s)"
            " + (SELECT count(*) FROM outgoing WHERE docx_sha256 = :s OR pdf_sha256 = :s OR signed_pdf_sha256 = :s)",
            {"s": sha256}).fetchone()[0]
        if used:
            continue
        row = reg.one("SELECT ext FROM attachments WHERE sha256 = ?", [sha256])
        reg.db.execute("DELETE FROM attachments WHERE sha256 = ?", [sha256])
        if row is not None:
            paths.append(reg.files_dir / relative_path(sha256, row["ext"]))
    return paths
