"""Reading a scanned PDF (pages that are pictures) with Tesseract, for the fields.

Only the pages that carry the fields are read: page 1 (the header, số, ngày, trích yếu,
Kính gửi) and the last page (Nơi nhận, the signature); the pages between are one
"lược bớt" line, as in a long text. Each page is rendered alone with pypdfium2 (already
installed with pdfplumber), at `DPI` dots per inch, its strongly red pixels (seals, the
"ĐẾN" stamp) made white, turned upright with Tesseract's OSD (90/180/270°), straightened
when it is a little skewed (a projection profile, at most `MAX_SKEW` degrees), then read
with `pytesseract.image_to_data` (Vietnamese model). The words and their boxes are laid
out into lines by the same code as a PDF's text layer (`text_of._page_lines`: the header's
two columns apart, the number and date lines, the signature block), so the parser reads
them as it reads a PDF with text. The words inside another office's framed stamp
(frames.py) are dropped. The lines of an e-office signing stamp ("Ký bởi:",
"Thời gian ký:", "Cơ quan:", "Email:") are dropped. The number and the day of page 1,
often written by hand, are read again as digits (handwriting.py): kept when the readings
agree, else left blank (`_blank_handwriting` blanks what is still marks), and said to be
handwritten.

Tesseract runs with a time limit per page (`PAGE_SECONDS`) and a page is never rendered
larger than `MAX_PIXELS`; when Tesseract or its Vietnamese model is missing, OcrUnavailable
says so in Vietnamese (the clerk types the fields).

`looks_garbled(lines)` judges a text layer that is there but unreadable (a scan with a bad
OCR layer, a font without a Unicode map): such a layer is read as a scan.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dirdesk.intake import frames, handwriting
from dirdesk.intake.tesseract_path import configure as configure_tesseract

DPI = 300
PAGE_SECONDS = 20.0  # Tesseract's limit for one page (a page of text takes 3–4 s here)
MAX_PIXELS = 40_000_000  # an A4 page at 300 dpi is 8.7 million; a poster is rendered smaller
MAX_SKEW = 3.0  # degrees a page is straightened by at most
LANG = "vie"
WORKERS = 2  # pages read side by side (this machine has two cores)

MISSING_TESSERACT = ("máy chưa cài chương trình đọc chữ Tesseract (gói tesseract-ocr, tesseract-ocr-vie) "
                     "nên không đọc được bản quét")
MISSING_PYTESSERACT = "thiếu thư viện pytesseract nên không đọc được bản quét"
MISSING_VIE = ("Tesseract chưa có bộ chữ tiếng Việt (gói tesseract-ocr-vie, tệp vie.traineddata) "
               "nên không đọc được bản quét")
NOTHING_READ = ("đã thử đọc chữ trên ảnh (OCR) nhưng không thấy chữ nào: trang trắng, ảnh quá mờ, "
                "hoặc ảnh trong tệp bị hỏng")

__all__ = ["OcrText", "OcrUnavailable", "looks_garbled", "ocr_lines", "ocr_read", "unavailable"]


class OcrUnavailable(Exception):
    """OCR cannot run here or read nothing; str() is the clerk's reason, in Vietnamese."""


def unavailable() -> str | None:
    """Why OCR cannot run on this machine (a Vietnamese reason), or None when it can."""
    configure_tesseract()  # the Tesseract a Windows bundle carries, or UB Mannheim's install
    if shutil.which("tesseract") is None:
        return MISSING_TESSERACT
    try:
        import pytesseract
    except ImportError:
        return MISSING_PYTESSERACT
    try:
        langs = pytesseract.get_languages(config="")
    except Exception:  # tesseract there but broken
        return MISSING_TESSERACT
    if LANG not in langs:
        return MISSING_VIE
    return None


# --- signing stamps -----------------------------------------------------------

_STAMP_LINE = re.compile(
    r"^\W*(Ký\s*bởi|Người\s*ký|Thời\s*gian\s*ký|Ngày\s*ký|Email|E-mail|Cơ\s*quan|Tổ\s*chức|Chức\s*vụ)\s*:",
    re.IGNORECASE)


def is_stamp_line(line: str) -> bool:
    """A line of an e-office signing stamp ("Ký bởi: …", "Thời gian ký: …", "Cơ quan: …")."""
    return bool(_STAMP_LINE.match(unicodedata.normalize("NFC", line)))


# --- garbled text -------------------------------------------------------------

_V = "aăâeêioôơuưy"
_VOWELS = _V + "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
# A Vietnamese syllable: an initial consonant (or none), a vowel group, a final consonant (or none).
_SYLLABLE = re.compile(
    rf"(ngh|gh|ng|nh|ch|tr|th|ph|kh|gi|qu|[bcdđghklmnpqrstvx])?[{_VOWELS}]{{1,3}}(ch|nh|ng|[cmnpt])?",
    re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS_ONLY = re.compile(r"^[^\W\d_]+$")


def _is_syllable(word: str) -> bool:
    return bool(_SYLLABLE.fullmatch(unicodedata.normalize("NFC", word).lower()))


def _marked(word: str) -> bool:
    return any(unicodedata.decomposition(c) or c in "ĐĂÂÊÔƠƯđ" for c in word)


def looks_garbled(lines: list[str], threshold: float = 0.7) -> bool:
    """Whether a text layer is gibberish (a bad OCR layer, a font without a Unicode map):
    fewer than `threshold` of its words are Vietnamese syllables, or its capitals have no
    tone marks at all where a Vietnamese header has many ("CQNG HOA XA HO!")."""
    words = []
    for line in lines:
        for token in line.split():
            token = token.strip(".,;:()[]\"“”'!?*")
            if len(token) < 2 or any(c.isdigit() for c in token) or "/" in token or "-" in token:
                continue
            words.append(token)
    if len(words) < 3:
        return bool(words) and not any(_is_syllable(w) for w in words)
    # A word with a stray character ("HO!", "NGHiA") is not a word of letters.
    broken = sum(1 for line in lines for t in line.split() if re.search(r"[a-zA-Z][!|$@#1l]$|[A-Z][a-z][A-Z]", t))
    # Acronyms (UBND, TTHC, NN&PTNT) are not syllables, and are no sign of a bad layer either.
    plain = [w for w in words if not (re.fullmatch(r"[A-ZĐ&]{2,8}", w) and not _is_syllable(w))]
    good = sum(1 for w in plain if _LETTERS_ONLY.match(w) and _is_syllable(w))
    if good < threshold * len(plain) or broken > 0.1 * len(words):
        return True
    # Capitals that are syllables or carry marks: acronyms (UBND, TTHC) say nothing either way.
    caps = [w for w in words if w.isupper() and len(w) >= 2 and (_is_syllable(w) or _marked(w))]
    if len(caps) >= 6:
        marked = sum(1 for w in caps if _marked(w))
        if marked < 0.15 * len(caps):  # Vietnamese capitals carry marks in most words of a header
            return True
    return False


# --- pages ---------------------------------------------------------------------

def _render(pdf, index: int, dpi: int):
    """Page `index` as a grayscale PIL image, its red marks made white, and its pixels per point."""
    import numpy as np
    from PIL import Image

    page = pdf[index]
    try:
        w, h = page.get_size()
        scale = dpi / 72
        if w * h * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (w * h)) ** 0.5
        rgb = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        page.close()
    a = np.asarray(rgb).astype(np.int16)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    red = (r > 120) & (r - np.maximum(g, b) > 60)  # a seal's red, not black or grey ink
    gray = np.asarray(rgb.convert("L")).copy()
    gray[red] = 255
    return Image.fromarray(gray, mode="L"), scale


def _upright(image, timeout: float):
    """Turn the page upright when Tesseract's OSD is sure it lies at 90/180/270°."""
    import pytesseract

    small = image.reduce(2)
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0 -c min_characters_to_try=10",
                                       output_type=pytesseract.Output.DICT, timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError):  # too little text to tell, or too slow
        return image
    rotate = int(osd.get("rotate", 0)) % 360
    if rotate and float(osd.get("orientation_conf", 0)) >= 2.0:
        return image.rotate(-rotate, expand=True, fillcolor=255)
    return image


def _skew(image) -> float:
    """The small angle (degrees) that makes the text lines of `image` level: the one whose
    rows of ink are the sharpest (the variance of row sums of a reduced, inked copy)."""
    import numpy as np

    small = image.reduce(max(1, image.width // 600))
    best, best_score = 0.0, -1.0
    steps = int(MAX_SKEW / 0.25)
    for k in range(-steps, steps + 1):
        angle = k * 0.25
        rotated = small.rotate(angle, fillcolor=255, resample=0)
        ink = np.asarray(rotated) < 128
        score = float(np.var(ink.sum(axis=1)))
        if score > best_score:
            best, best_score = angle, score
    return best


def _page_words(image, timeout: float, scale: float, first: bool = False) -> tuple[list[dict], float, list]:
    """Tesseract's words on `image`, as pdfplumber-like word dicts in points; on the `first` page
    the number and day blanks are read again (handwriting.py) and also returned."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=LANG, config="--psm 3", output_type=pytesseract.Output.DICT,
                                     timeout=timeout)
    frames.outside_frames(data, frames.stamp_frames(image, scale * 72))  # another office's ĐẾN stamp
    blanks = handwriting.read_blanks(image, data, timeout) if first else []
    handwriting.fill_blanks(data, blanks)
    k = 1 / scale
    lines: dict[tuple, list[int]] = {}
    for i, text in enumerate(data["text"]):
        if text and text.strip() and float(data["conf"][i]) >= 0 and not _noise(text.strip(), float(data["conf"][i])):
            lines.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    words = []
    for idx in lines.values():
        # One top and bottom for the words of a line: pdfplumber's rows are made of words of one top.
        top = min(data["top"][i] for i in idx) * k
        bottom = max(data["top"][i] + data["height"][i] for i in idx) * k
        size = max(8.0, min(20.0, (bottom - top) * 0.8))
        for i in idx:
            text = unicodedata.normalize("NFC", data["text"][i].strip())
            words.append({"text": text, "x0": data["left"][i] * k, "x1": (data["left"][i] + data["width"][i]) * k,
                          "top": top, "bottom": bottom, "size": size,
                          "chars": [{"text": c, "fontname": ""} for c in text]})
    return words, image.width * k, blanks


def _noise(text: str, conf: float) -> bool:
    """A "word" Tesseract made of a handwritten signature, a rule or a speck: a short one it is
    all but sure of not being ("SN", "AI" under a signature), or one mostly of dashes and marks
    ("—\\LauL————")."""
    if conf < 10 and len(text) <= 3:
        return True
    return len(text) >= 3 and sum(c.isalnum() for c in text) < 0.5 * len(text)


def _prepared(pdf, index: int, dpi: int, timeout: float):
    """Page `index` rendered, upright and level, and its pixels per point."""
    image, scale = _render(pdf, index, dpi)
    image = _upright(image, timeout)
    angle = _skew(image)
    if abs(angle) >= 0.25:
        image = image.rotate(angle, expand=False, fillcolor=255, resample=2)
    return image, scale


@dataclass
class OcrText:
    """What OCR read of a scan: its text lines, and which blanks of page 1 ("number", "day")
    were filled in by hand (handwriting.py)."""

    lines: list[str]
    handwritten: list[str] = field(default_factory=list)


def ocr_lines(source: str | Path | bytes, pages: tuple[int, ...] | None = None, dpi: int = DPI,
              timeout_s: float = PAGE_SECONDS) -> list[str]:
    """The text lines of a scanned PDF (see ocr_read)."""
    return ocr_read(source, pages, dpi, timeout_s).lines


def ocr_read(source: str | Path | bytes, pages: tuple[int, ...] | None = None, dpi: int = DPI,
             timeout_s: float = PAGE_SECONDS) -> OcrText:
    """The text lines of a scanned PDF (a path or its bytes), read with Tesseract.

    `pages`: the 1-based pages to read (negative from the end: -1 is the last); by default
    the first and the last, where the fields are. Pages left out become one "lược bớt" line.
    Raises OcrUnavailable (a Vietnamese reason) when OCR cannot run or reads nothing."""
    import pypdfium2

    from dirdesk.intake.budget import omitted_line
    from dirdesk.intake.text_of import _CENTRED, _page_lines, _spans_markup
    from dirdesk.text import clean

    reason = unavailable()
    if reason:
        raise OcrUnavailable(reason)
    import pytesseract

    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    except Exception as exc:
        raise OcrUnavailable(f"không mở được tệp PDF để đọc chữ trên ảnh ({type(exc).__name__})") from None
    try:
        count = len(pdf)
        wanted = pages if pages is not None else (1, -1)
        chosen = sorted({(p - 1 if p > 0 else count + p) for p in wanted} & set(range(count)))
        out = []
        state = {"first_page": True, "signature": False}
        previous = -1
        handwritten: list[str] = []
        # Tesseract's own threads fight each other on a small machine (a page takes 3–4 times
        # longer): one thread per Tesseract, and the pages (at most WORKERS at a time, so at most
        # that many page images in memory) side by side. pdfium renders in this thread only.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for start in range(0, len(chosen), WORKERS):
                batch = chosen[start:start + WORKERS]
                running = []
                for index in batch:
                    try:
                        image, scale = _prepared(pdf, index, dpi, timeout_s)
                    except Exception as exc:  # a damaged page pdfium cannot draw
                        raise OcrUnavailable(f"không dựng được ảnh trang {index + 1} để đọc chữ "
                                             f"({type(exc).__name__}: {str(exc)[:200]})") from None
                    running.append(pool.submit(_page_words, image, timeout_s, scale, index == 0))
                    del image
                for index, job in zip(batch, running, strict=True):
                    if index - previous > 1:
                        out.extend([[_span_line(omitted_line(index - previous - 1, "trang"))], []])
                    previous = index
                    try:
                        words, width, blanks = job.result()
                        handwritten += [b.name for b in blanks if b.handwritten]
                    except RuntimeError:  # pytesseract's "Tesseract process timeout"
                        out.extend([[_span_line(f"[… trang {index + 1}: đọc chữ quá {timeout_s:.0f} giây, "
                                                "bỏ qua …]")], []])
                        continue
                    except pytesseract.TesseractError as exc:
                        raise OcrUnavailable(f"Tesseract lỗi ở trang {index + 1}: {str(exc)[:200]}") from None
                    except Exception as exc:  # Tesseract gone while reading, its output not understood
                        raise OcrUnavailable(f"không đọc được chữ trang {index + 1} "
                                             f"({type(exc).__name__}: {str(exc)[:200]})") from None
                    out.extend(_page_lines(_without_stamps(words), width, state))
                    out.append([])
        if count - 1 > previous:
            out.extend([[_span_line(omitted_line(count - 1 - previous, "trang"))], []])
    finally:
        pdf.close()
    lines = [clean(_spans_markup(line[1:], centred=True) if line and line[0] is _CENTRED else _spans_markup(line))
             for line in out]
    lines = [_blank_handwriting(line) for line in lines if not is_stamp_line(line)]
    if not any(line.strip() and not line.startswith("[…") for line in lines):
        raise OcrUnavailable(NOTHING_READ)
    return OcrText(lines, handwritten)


_NUMBER_SLOT = re.compile(r"^(Số\s*:?)\s*([^/]*?)\s*(/\S.*)$")
_SPECK_BEFORE_SUBJECT = re.compile(r"^[-.,_~—–]+\s*(?=(Về việc|V/v)\b)")  # the rule under a title, read as "-"
_DAY_SLOT = re.compile(r"\b(ngày)\s*(\S*?)\s*(tháng\s+\S+\s+năm\s+\d{4})")


def _blank_handwriting(line: str) -> str:
    """The number and the day are often written by hand on a signed copy, and Tesseract reads
    them as marks ("Số: $+/UBND-KTTH", "ngày O†tháng 02"): a slot that is not digits is left
    blank, as on an unnumbered draft, so that the rest of the line is still read (the symbol's
    letters, the place, the month and year) and the clerk types the number."""
    number = _NUMBER_SLOT.match(line)
    if number:
        # a Party symbol's type comes before the slash: "Số 66-CV/ĐU", its slot "66"
        slot, rest = re.fullmatch(r"(.*?)\s*((?:-\s*[A-ZĐ][\wĐđ]*)?)", number[2]).groups()
        if not re.fullmatch(r"\d{1,6}\.?", slot):
            line = f"{number[1]} {rest}{number[3]}"
        elif slot.endswith("."):
            line = f"{number[1]} {slot[:-1]}{rest}{number[3]}"
    line = _SPECK_BEFORE_SUBJECT.sub("", line)
    day = _DAY_SLOT.search(line)
    if day and not re.fullmatch(r"\d{1,2}", day[2]):
        line = f"{line[:day.start()]}{day[1]}   {day[3]}{line[day.end():]}"
    return line


def _span_line(text: str):
    from dirdesk.markup import Span

    return Span(text)


def _without_stamps(words: list[dict]) -> list[dict]:
    """The words of `words` but those of a line that is a signing stamp's."""
    rows: dict[float, list[dict]] = {}
    for w in words:
        rows.setdefault(w["top"], []).append(w)
    keep = []
    for row in rows.values():
        row.sort(key=lambda w: w["x0"])
        if not is_stamp_line(" ".join(w["text"] for w in row)):
            keep.extend(row)
    return keep
