"""Every page of a scanned PDF read with OCR, and a searchable copy of it (a text layer over the pages).

`make_searchable(data)` reads each page of a PDF: a page with a real text layer (words that are
Vietnamese, not only an e-office signing stamp) is taken as it is; any other page is prepared as
ocr.py prepares the field pages (pypdfium2 at 300 dpi, red seals made white, turned upright with
Tesseract's OSD, a small skew straightened) and read by ONE Tesseract run that writes both its
plain text and a text-only PDF page (`-c textonly_pdf=1`: invisible words, no picture). That page
is laid over the original page with pypdf, mapped back through the turn, the deskew and the page's
own /Rotate, so a word selected in a viewer sits on the word of the picture: OCRmyPDF's "sandwich",
without its Ghostscript, its qpdf and a dozen packages.

The original bytes are never changed: the copy is a new PDF (a signature of the original is not
carried into it, and the original keeps it). One page image is in memory at a time, and one
Tesseract runs at a time, with one thread, so the other core stays free for the window. Each page
has a time limit (a page Tesseract cannot read in time gets no text layer, and says so); the caller
is told page i of n before each page (`progress`) and may stop the work between pages
(`cancelled`): OcrCancelled, nothing returned.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dirdesk.intake import ocr
from dirdesk.intake.ocr import (
    DPI,
    LANG,
    MAX_SKEW,
    PAGE_SECONDS,
    OcrUnavailable,
    _render,
    _skew,
    _upright,
    is_stamp_line,
    looks_garbled,
)
from dirdesk.text import clean

MIN_LAYER_WORDS = 3  # a page's text layer with fewer words (a signing stamp aside) is read as a scan
CANCELLED = "đã dừng đọc chữ theo yêu cầu; sổ không thay đổi"

__all__ = ["NoText", "OcrCancelled", "Searchable", "make_searchable", "scan_pages"]


class OcrCancelled(OcrUnavailable):
    """The caller asked to stop (between two pages); nothing is returned."""


class NoText(OcrUnavailable):
    """OCR ran on every page of pictures and read no word at all."""


@dataclass
class Searchable:
    """What `make_searchable` made: the text of each page, the searchable copy, and how."""

    texts: list[str]  # one per page, in order (a page's own text layer, or what OCR read)
    pdf: bytes  # a new PDF: the original pages, an invisible text layer over those read with OCR
    read: list[int] = field(default_factory=list)  # the 0-based pages read with OCR
    skipped: list[int] = field(default_factory=list)  # pages OCR gave up on (time limit)
    seconds: dict[int, float] = field(default_factory=dict)  # OCR time of each page read

    @property
    def text(self) -> str:
        """The whole document's text, pages apart by a blank line."""
        return "\n\n".join(t.strip() for t in self.texts if t.strip())


# --- which pages are pictures ---------------------------------------------------------------------

def _layer_lines(page) -> list[str]:
    """The lines of a pdfium page's own text layer, without the signing stamp's."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_bounded()
    finally:
        textpage.close()
    lines = [clean(line, keep_newlines=False).strip() for line in text.replace("\r", "\n").split("\n")]
    return [line for line in lines if line and not is_stamp_line(line)]


def _real_layer(lines: list[str]) -> bool:
    words = sum(len(re.findall(r"[^\W\d_]{2,}", line)) for line in lines)
    return words >= MIN_LAYER_WORDS and not looks_garbled(lines)


def scan_pages(data: bytes) -> list[int]:
    """The 0-based pages of a PDF that have no real text layer (pictures, a signing stamp alone, or
    a garbled layer): those `make_searchable` reads with OCR. [] for a PDF with text, or not a PDF."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    except Exception:  # not a PDF, or one pdfium cannot open: nothing to read here
        return []
    try:
        found = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                if not _real_layer(_layer_lines(page)):
                    found.append(index)
            finally:
                page.close()
        return found
    finally:
        pdf.close()


# --- one page ----------------------------------------------------------------------------------------

def _turn_of(image, upright) -> int:
    """The clockwise turn (0, 90, 180, 270) `ocr._upright` gave the page: it returns the page itself
    when it leaves it, and a turned copy otherwise (told apart by its pixels)."""
    from PIL import ImageChops

    if upright is image:
        return 0
    for turn in (90, 180, 270):
        turned = image.rotate(-turn, expand=True)
        if turned.size == upright.size and ImageChops.difference(turned, upright).getbbox() is None:
            return turn
    raise ValueError("the upright page is no turn of the rendered one")


def _prepared(pdf, index: int, dpi: int, timeout: float):
    """Page `index` as ocr.py prepares it, and what was done to it: (the image, the size pdfium drew
    it at, the clockwise turn, the deskew angle in degrees counter-clockwise)."""
    image, _ = _render(pdf, index, dpi)
    upright = _upright(image, timeout)
    turn = _turn_of(image, upright)
    rendered = image.size
    del image
    angle = _skew(upright)
    if abs(angle) >= 0.25 and abs(angle) <= MAX_SKEW:
        upright = upright.rotate(angle, expand=False, fillcolor=255, resample=2)
    else:
        angle = 0.0
    return upright, rendered, turn, angle


def _tesseract(image, dpi: int, timeout: float) -> tuple[bytes, str]:
    """One Tesseract run on a page image: (its text-only PDF page, its plain text)."""
    from pytesseract.pytesseract import run_tesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one thread: Tesseract's own threads fight here
    with tempfile.TemporaryDirectory(prefix="dirdesk-ocr-") as folder:
        source, base = Path(folder) / "page.png", Path(folder) / "page"
        image.save(source, dpi=(dpi, dpi), compress_level=1)  # its dpi tells Tesseract the page's size
        run_tesseract(str(source), str(base), "pdf txt", LANG, config="--psm 3 -c textonly_pdf=1",
                      timeout=timeout)
        return (base.with_suffix(".pdf").read_bytes(),
                clean(base.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")))


def _layer_transform(page, text_size, rendered, final_size, turn: int, angle: float):
    """The pypdf Transformation taking the text-only page (points of the prepared image) onto the
    original page's own space: back through the deskew, the turn and the page's /Rotate."""
    from pypdf import Transformation

    tw, th = text_size
    fw, fh = final_size
    t = Transformation().scale(fw / tw, fh / th)  # to pixels of the prepared image, y up
    if angle:
        t = t.translate(-fw / 2, -fh / 2).rotate(-angle).translate(fw / 2, fh / 2)
    rw, rh = rendered  # the image as pdfium drew it, before the turn
    t = _unturn(t, turn, rw, rh)
    box = page.cropbox
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    cw, ch = float(box.width), float(box.height)
    shown_w, shown_h = (ch, cw) if rotate in (90, 270) else (cw, ch)
    t = t.scale(shown_w / rw, shown_h / rh)  # pixels to points of the page as shown
    t = _unturn(t, rotate, cw, ch)  # the page as shown is its box turned clockwise by /Rotate
    return t.translate(float(box.left), float(box.bottom))


def _unturn(t, turn: int, w: float, h: float):
    """`t` followed by undoing a clockwise turn by `turn` degrees of a w × h picture (y up): the turned
    picture's points back onto the unturned one's."""
    if turn == 90:  # turned: (x, y) -> (y, w - x); back: (a, b) -> (w - b, a)
        return t.translate(0, -w).rotate(90)
    if turn == 180:
        return t.translate(-w, -h).rotate(180)
    if turn == 270:  # turned: (x, y) -> (h - y, x); back: (a, b) -> (b, h - a)
        return t.translate(-h, 0).rotate(270)
    return t


# --- the document ------------------------------------------------------------------------------------

def make_searchable(data: bytes, *, progress: Callable[[int, int], None] | None = None,
                    cancelled: Callable[[], bool] | None = None, dpi: int = DPI,
                    timeout_s: float = PAGE_SECONDS) -> Searchable:
    """Read every page of the PDF `data` and make its searchable copy (see the module's doc).

    `progress(i, n)` is called before page i (1-based) of n; `cancelled()` true between two pages
    stops with OcrCancelled. Raises OcrUnavailable (a Vietnamese reason) when OCR cannot run, the PDF
    cannot be opened, or no page gives any text."""
    import pypdfium2
    import pytesseract
    from pypdf import PdfReader, PdfWriter

    if reason := ocr.unavailable():  # looked up here: a test stands a missing Tesseract in
        raise OcrUnavailable(reason)
    try:
        pdf = pypdfium2.PdfDocument(io.BytesIO(data))
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:
        raise OcrUnavailable(f"không mở được tệp PDF để đọc chữ ({type(exc).__name__})") from None
    writer = PdfWriter()
    result = Searchable(texts=[], pdf=b"")
    try:
        count = len(pdf)
        for index in range(count):
            if cancelled is not None and cancelled():
                raise OcrCancelled(CANCELLED)
            if progress is not None:
                progress(index + 1, count)
            page = pdf[index]
            try:
                layer = _layer_lines(page)
            finally:
                page.close()
            target = writer.add_page(reader.pages[index])
            if _real_layer(layer):
                result.texts.append("\n".join(layer))
                continue
            started = time.monotonic()
            try:
                image, rendered, turn, angle = _prepared(pdf, index, dpi, timeout_s)
            except Exception as exc:  # a damaged page pdfium cannot draw
                raise OcrUnavailable(f"không dựng được ảnh trang {index + 1} để đọc chữ "
                                     f"({type(exc).__name__}: {str(exc)[:200]})") from None
            try:
                text_pdf, text = _tesseract(image, dpi, timeout_s)
            except RuntimeError:  # pytesseract's "Tesseract process timeout"
                result.skipped.append(index)
                result.texts.append("")
                continue
            except pytesseract.TesseractError as exc:
                raise OcrUnavailable(f"Tesseract lỗi ở trang {index + 1}: {str(exc)[:200]}") from None
            except OSError as exc:
                raise OcrUnavailable(f"không đọc được chữ trang {index + 1} ({exc.strerror or exc})") from None
            text_page = PdfReader(io.BytesIO(text_pdf)).pages[0]
            size = (float(text_page.mediabox.width), float(text_page.mediabox.height))
            target.merge_transformed_page(
                text_page, _layer_transform(target, size, rendered, image.size, turn, angle), over=True)
            del image
            result.read.append(index)
            result.texts.append(text)
            result.seconds[index] = time.monotonic() - started
    finally:
        pdf.close()
    if not any(t.strip() for t in result.texts):
        raise NoText("đã thử đọc chữ trên ảnh (OCR) ở mọi trang nhưng không thấy chữ nào")
    result.pdf = _written(writer, data)
    return result


def _written(writer, original: bytes) -> bytes:
    """The copy's bytes; its file ID is made from the original's, so the same reading gives the same copy."""
    import hashlib

    from pypdf.generic import ArrayObject, ByteStringObject

    digest = hashlib.md5(original, usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    writer.add_metadata({"/Producer": "DirDesk (Tesseract OCR)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
