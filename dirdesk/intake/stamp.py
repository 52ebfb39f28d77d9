"""The "ĐẾN" stamp on a copy of a received document.

The form is the one of Nghị định 30/2020/NĐ-CP, Phụ lục IV, mục V ("Mẫu dấu
'ĐẾN'": pre-cut, rectangular, 35 mm × 50 mm), read in the transcription of the
decree's Word files (GitHub ericphan28/van-ban-plus,
docs/van-ban-phap-quy/nghi-dinh/30-2020-ND-CP/van-ban-goc/.../Phuluc4.md).
That transcription gives the stamp as a table whose rows are::

    TÊN CƠ QUAN, TỔ CHỨC
    ĐẾN | Số: ...........
        | Ngày: .........
    Chuyển: .............
    Số và ký hiệu HS: ...

so "ĐẾN" stands on the left beside Số and Ngày. NĐ 30 has no "Giờ" line (the
older stamps of Thông tư 07/2012/TT-BNV had one); this one follows NĐ 30 and
leaves it out. Điều 23 khoản 3 says the handling instruction is written in
"Chuyển". The decree sets no ink colour or type size for this stamp: the text
here is the documents' own font (dirdesk.fonts: the system's Times New Roman,
as Phụ lục I asks of documents, or the metric-compatible bundled Liberation
Serif), the office name in bold capitals under which a
rule closes the top row, in a dark red like a stamp pad's, so the stamp stands
apart from the black text of the document.

Where it goes on page 1. NĐ 30 does not say (Điều 21 only requires the stamp
and points to Phụ lục IV for its form). The places below are the clerks'
custom as guidance before NĐ 30 worded it ("vào khoảng giấy trống, dưới số,
ký hiệu … dưới trích yếu … hoặc dưới ngày, tháng, năm"; Thông tư
07/2012/TT-BNV as remembered, not re-read here). The first of these that
overlaps nothing printed on page 1 (words, images, lines, shapes,
annotations; 1 mm clear of them; 4 mm inside the page edges) is taken:

1. the top margin, right, then left (a received page seldom leaves 35 mm free
   there: NĐ 30 and 05-HD/VPTW put the header 20 mm from the top edge);
2. under the left header column (số, ký hiệu and, for a công văn, the trích
   yếu "V/v …"), then under the place-and-date line;
3. any other free 50 × 35 mm area of page 1, nearest the top, then rightmost;
4. else the top-right corner, on a white ground 90 % opaque, so the stamp
   stays legible and what is beneath stays faintly visible
   (`StampPlacement.overlapped` is then true). On a state document that is the
   Quốc hiệu and Tiêu ngữ, printed on every document, and the top of the date
   line; on a Party document, "ĐẢNG CỘNG SẢN VIỆT NAM" and part of the date.
   A scanned page 1 (one large image, no text) goes there directly: its blank
   areas cannot be told from its text.

The stamp is vector text in the embedded font, drawn on a one-page overlay the
size of the page as displayed and merged onto page 1 through the transformation
that undoes the page's /Rotate and box origin. The received file is never
changed: the stamped document is a new PDF. A digitally signed PDF is stamped
by an incremental update, so the copy still holds the signed revision byte for
byte and its signatures still verify (as signatures followed by a change).

DOCX and text files get a reading copy instead: their text (as
`dirdesk.intake.text_of.lines_of` reads it, markup removed) set as plain
paragraphs on A4 in the embedded serif at 13 pt within the official margins
(top 20, bottom 20, left 30, right 15 mm), starting under the stamp on page 1,
with a footer on every page that says it is a reading copy.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import PurePath

from dirdesk import __version__
from dirdesk.dates import date_text
from dirdesk.intake.parse import plain
from dirdesk.intake.text_of import IntakeError
from dirdesk.text import clean, one_line, upper_vi

MM = 72 / 25.4
WIDTH_MM = 50.0
HEIGHT_MM = 35.0
EDGE_MM = 4.0  # kept free at the page edges (printers do not print there)
CLEAR_MM = 1.0  # kept between the stamp and anything printed
ROOMY_MM = 5.0  # the room a stamp in blank space gets first, so that it does not touch the text
INK = (0.72, 0.05, 0.09)  # dark red
WHITE_ALPHA = 0.9  # the white ground of a stamp that has to cover something

STAMPABLE = (".pdf", ".docx", ".txt")

# Reading copies: A4 and the official margins (NĐ 30 / 05-HD: top 20, bottom 20, left 30, right 15 mm).
A4 = (210 * MM, 297 * MM)
TOP, BOTTOM, LEFT, RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
BODY_SIZE = 13.0
LEADING = 16.0
PARAGRAPH_GAP = 6.0
FOOTER_SIZE = 9.0
READING_COPY_PAGES = 200  # a reading copy sets at most this many pages; the last line says so
READING_COPY_CUT = f"[… bản đọc dừng ở trang {READING_COPY_PAGES}; phần sau xem trong tệp gốc …]"

PLACES = {
    "top-right": "lề trên, bên phải",
    "top-left": "lề trên, bên trái",
    "below-symbol": "dưới số, ký hiệu, ở cột trái phần đầu",
    "below-date": "dưới dòng địa danh, ngày tháng",
    "blank": "khoảng trống trên trang 1",
    "reserved": "đầu trang 1, chỗ để sẵn trong bản đọc",
    "covering": "góc trên bên phải, trên nền trắng",
    "scanned": "góc trên bên phải, trên nền trắng; trang 1 là ảnh quét nên không dò được chỗ trống",
}


class StampError(IntakeError):
    """A received file that cannot be stamped; the message is in Vietnamese."""


@dataclass(frozen=True)
class StampFields:
    """What the stamp says. `office` is printed in capitals; `handler` and
    `file_code` left empty are dotted lines for handwriting."""

    office: str
    number: int
    received: dt.date
    handler: str = ""
    file_code: str = ""

    @property
    def number_text(self) -> str:
        return f"{int(self.number):02d}"

    @property
    def date_text(self) -> str:
        return date_text(self.received)


@dataclass(frozen=True)
class StampPlacement:
    """Where the stamp went: page number, the top-left corner in mm from the
    top-left corner of the page as displayed, its size, whether it covers
    something printed, and which rule placed it (a key of PLACES)."""

    page: int
    x: float
    y: float
    overlapped: bool
    where: str
    width: float = WIDTH_MM
    height: float = HEIGHT_MM

    @property
    def label(self) -> str:
        return PLACES.get(self.where, self.where)

    def describe(self) -> str:
        """One line for the clerk, in Vietnamese."""
        def mm(value: float) -> str:
            return f"{value:.1f}".replace(".", ",")

        text = (f"dấu ĐẾN: trang {self.page}, cách mép trái {mm(self.x)} mm, cách mép trên {mm(self.y)} mm "
                f"({self.label})")
        if self.overlapped and self.where != "scanned":
            text += "; trang 1 không có chỗ trống đủ 50 × 35 mm nên dấu che một phần chữ của bản sao này"
        return text

    def to_dict(self) -> dict:
        return {**asdict(self), "label": self.label}


# --------------------------------------------------------------- drawing


def _fit_lines(text: str, bold: bool, size: float, min_size: float, width: float,
               max_lines: int, *, one_line_min: float | None = None) -> tuple[list[str], float]:
    """`text` on one line no wider than `width`, at the largest size from `size`
    down to `one_line_min` (default `min_size`); else, if `max_lines` is 2, on
    two lines of balanced length, from `size` down to `min_size`. At the
    smallest size the text is cut with "…" if it still does not fit."""
    from dirdesk.fonts import text_width  # lazy: reportlab, see _new_canvas

    def sizes(low: float):
        s = size
        while s >= low - 1e-6:
            yield s
            s -= 0.25

    text = " ".join(text.split())
    for s in sizes(one_line_min if one_line_min is not None else min_size):
        if text_width(text, s, bold) <= width:
            return [text], s
    words = text.split(" ")
    if max_lines >= 2 and len(words) > 1:
        splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        for s in sizes(min_size):
            best = min(splits, key=lambda pair: max(text_width(part, s, bold) for part in pair))
            if max(text_width(part, s, bold) for part in best) <= width:
                return list(best), s
        first = next((pair for pair in reversed(splits) if text_width(pair[0], min_size, bold) <= width),
                     (words[0], " ".join(words[1:])))
        return [_cut(first[0], min_size, bold, width), _cut(first[1], min_size, bold, width)], min_size
    return [_cut(text, min_size, bold, width)], min_size


def _cut(text: str, size: float, bold: bool, width: float) -> str:
    from dirdesk.fonts import text_width  # lazy: reportlab, see _new_canvas

    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1].rstrip()
    return text + "…"


def draw_stamp(canvas, x: float, top: float, page_height: float, fields: StampFields,
               *, white_background: bool = False) -> None:
    """Draw the stamp on a reportlab canvas; (x, top) is its top-left corner
    in points from the page's left and top edges."""
    from dirdesk.fonts import face, text_width  # lazy: reportlab, see _new_canvas

    w, h = WIDTH_MM * MM, HEIGHT_MM * MM
    bottom = page_height - top - h
    pad = 2.2 * MM
    inner = w - 2 * pad

    def baseline(mm_from_top: float) -> float:
        return page_height - top - mm_from_top * MM

    canvas.saveState()
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.8)
    if white_background:
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFillAlpha(WHITE_ALPHA)  # what lies beneath stays faintly readable
        canvas.rect(x, bottom, w, h, stroke=1, fill=1)
        canvas.setFillAlpha(1)
    else:
        canvas.rect(x, bottom, w, h, stroke=1, fill=0)
    canvas.setFillColorRGB(*INK)

    # Row 1: the office, bold capitals, centred, one or two lines; a rule under it.
    office = upper_vi(one_line(fields.office))
    lines, size = _fit_lines(office, True, 9.5, 6.5, inner, 2, one_line_min=8.5)
    canvas.setFont(face(True, False), size)
    if len(lines) == 1:
        canvas.drawCentredString(x + w / 2, baseline(6.6), lines[0])
    else:
        for i, line in enumerate(lines):
            canvas.drawCentredString(x + w / 2, baseline(4.6 + i * size * 1.12 / MM), line)
    canvas.setLineWidth(0.6)
    rule_y = baseline(10.0)
    canvas.line(x, rule_y, x + w, rule_y)

    # Rows 2-3: ĐẾN, large, beside Số and Ngày.
    field_size = 10.0
    canvas.setFont(face(True, False), 17)
    canvas.drawString(x + pad, baseline(19.2), "ĐẾN")
    col = x + pad + text_width("ĐẾN", 17, True) + 2.6 * MM
    right = x + w - pad

    def field(label: str, value: str, left: float, mm_from_top: float, *, bold_value: bool) -> None:
        """"Label: value", or "Label: ……" to the right edge for handwriting; one text
        object with a real space, so that the copy's text reads as printed."""
        label += " "
        start = left + text_width(label, field_size)
        text = canvas.beginText(left, baseline(mm_from_top))
        text.setFont(face(False, False), field_size)
        text.textOut(label)
        if value:
            value_lines, value_size = _fit_lines(value, bold_value, field_size, 6.5, right - start, 1)
            text.setFont(face(bold_value, False), value_size)
            text.textOut(value_lines[0])
        else:
            text.textOut("." * max(3, int((right - start) / text_width(".", field_size))))
        canvas.drawText(text)

    field("Số:", fields.number_text, col, 15.6, bold_value=True)
    field("Ngày:", fields.date_text, col, 21.6, bold_value=True)
    field("Chuyển:", fields.handler.strip(), x + pad, 27.6, bold_value=False)
    field("Số và ký hiệu HS:", fields.file_code.strip(), x + pad, 33.0, bold_value=False)
    canvas.restoreState()


def _new_canvas(out, size: tuple[float, float]):
    # lazy: reportlab (also through dirdesk.fonts) only when a stamp is drawn, not on importing the registers
    from reportlab.pdfgen.canvas import Canvas

    from dirdesk.fonts import face, register_fonts

    register_fonts()
    canvas = Canvas(out, pagesize=size, initialFontName=face(False, False), initialFontSize=10,
                    pageCompression=1, lang="vi-VN", invariant=1)
    canvas.setCreator(f"DirDesk {__version__}")
    canvas.setProducer(f"DirDesk {__version__}")
    return canvas


def _overlay(size: tuple[float, float], x: float, top: float, fields: StampFields, white: bool) -> bytes:
    from dirdesk.fonts import drawing  # lazy: reportlab, as _new_canvas

    with drawing():  # reportlab is not thread-safe: one PDF at a time in the process
        out = io.BytesIO()
        canvas = _new_canvas(out, size)
        draw_stamp(canvas, x, top, size[1], fields, white_background=white)
        canvas.showPage()
        canvas.save()
        return out.getvalue()


# --------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Frame:
    """Page 1 as displayed: the visible box (crop box ∩ media box) after /Rotate."""

    rotation: int
    ex0: float  # the visible box, user space
    ey0: float
    ew: float
    eh: float
    mx0: float  # the media box, user space
    my0: float
    mx1: float
    my1: float

    @property
    def size(self) -> tuple[float, float]:
        return (self.eh, self.ew) if self.rotation in (90, 270) else (self.ew, self.eh)

    def ctm(self) -> tuple[float, float, float, float, float, float]:
        """Maps display space (origin bottom-left of the visible box as shown, y up) to user space."""
        r, x0, y0, w, h = self.rotation, self.ex0, self.ey0, self.ew, self.eh
        if r == 90:
            return (0, 1, -1, 0, x0 + w, y0)
        if r == 180:
            return (-1, 0, 0, -1, x0 + w, y0 + h)
        if r == 270:
            return (0, -1, 1, 0, x0, y0 + h)
        return (1, 0, 0, 1, x0, y0)

    def media_display(self, x: float, y: float) -> tuple[float, float]:
        """A user-space point in the displayed media box: (from its left, from its top)
        — the frame pdfminer/pdfplumber measure in."""
        r = self.rotation
        if r == 90:
            return y - self.my0, x - self.mx0
        if r == 180:
            return self.mx1 - x, y - self.my0
        if r == 270:
            return self.my1 - y, self.mx1 - x
        return x - self.mx0, self.my1 - y

    def visible_origin(self) -> tuple[float, float]:
        """The top-left corner of the visible box in the displayed media box."""
        a = self.media_display(self.ex0, self.ey0)
        b = self.media_display(self.ex0 + self.ew, self.ey0 + self.eh)
        return min(a[0], b[0]), min(a[1], b[1])


def _frame(page) -> _Frame:
    def box(b) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = (float(v) for v in (b.left, b.bottom, b.right, b.top))
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    media = box(page.mediabox)
    crop = box(page.cropbox)
    vis = (max(media[0], crop[0]), max(media[1], crop[1]), min(media[2], crop[2]), min(media[3], crop[3]))
    if vis[2] - vis[0] <= 1 or vis[3] - vis[1] <= 1:
        vis = media
    rotation = int(round(float(page.get("/Rotate", 0) or 0) / 90.0)) * 90 % 360
    return _Frame(rotation, vis[0], vis[1], vis[2] - vis[0], vis[3] - vis[1], *media)


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points, display space of the visible box


def _is_white(color) -> bool:
    if color is None:
        return False
    values = tuple(color) if isinstance(color, (list, tuple)) else (color,)
    if len(values) == 4:
        return all(v == 0 for v in values)
    return bool(values) and all(isinstance(v, (int, float)) and v >= 0.99 for v in values)


@dataclass
class _Page1:
    """What is printed on page 1, in display space of the visible box."""

    size: tuple[float, float]
    words: list[tuple[Box, str]]
    obstacles: list[Box]  # the words' boxes and every image, line, shape and annotation
    scanned: bool  # an image over most of the page and no words


def _read_page1(pdf_bytes: bytes, frame: _Frame) -> _Page1:
    import pdfplumber  # lazy: heavy (pdfminer), only to read a page

    ox, oy = frame.visible_origin()
    width, height = frame.size
    try:
        pdf = pdfplumber.open(io.BytesIO(pdf_bytes))
    except Exception as exc:
        raise StampError(f"không đọc được tệp PDF ({exc})") from None
    with pdf:
        try:
            return _read_words_and_shapes(pdf.pages[0], pdf_bytes, frame, ox, oy, width, height)
        except Exception as exc:  # pdfminer on a malformed page (a reference loop, a broken stream)
            ink = _ink_boxes(pdf_bytes, (width, height))  # the page may still render: place by its pixels
            if ink is None:
                raise StampError(f"không đọc được trang 1 của tệp PDF ({type(exc).__name__})") from None
            return _Page1((width, height), [], ink, scanned=False)


def _read_words_and_shapes(page, pdf_bytes: bytes, frame: _Frame, ox: float, oy: float, width: float,
                           height: float) -> _Page1:
    """Page 1's words and every shape to keep clear of; a scan's ink found from its pixels."""
    words: list[tuple[Box, str]] = []
    obstacles: list[Box] = []
    big_images = 0
    # pdfplumber measures from the top-left of the media box as displayed, offset by its own origin
    mx, mtop = page.mediabox[0], page.mediabox[1]

    def box(obj) -> Box | None:
        b = (obj["x0"] - mx - ox, obj["top"] - mtop - oy, obj["x1"] - mx - ox, obj["bottom"] - mtop - oy)
        if b[2] < 0 or b[3] < 0 or b[0] > width or b[1] > height:
            return None  # outside the visible box
        return b

    for w in page.extract_words(keep_blank_chars=False, use_text_flow=False):
        if (b := box(w)) is not None:
            words.append((b, unicodedata.normalize("NFC", w["text"])))
            obstacles.append(b)
    for kind in ("images", "rects", "curves", "lines", "annots"):
        for obj in getattr(page, kind):
            b = box(obj)
            if b is None:
                continue
            if (b[2] - b[0]) >= 0.5 * width and (b[3] - b[1]) >= 0.5 * height:
                big_images += kind == "images"
                continue  # a page frame, a background or a scan, not something to keep clear of
            if kind in ("rects", "curves") and not obj.get("stroke") and _is_white(obj.get("non_stroking_color")):
                continue  # white fill: invisible on paper
            obstacles.append(b)
    if big_images:  # a scan or a background: what is printed on it is found from its pixels
        ink = _ink_boxes(pdf_bytes, (width, height))
        if ink is not None:
            return _Page1((width, height), words, obstacles + ink, scanned=False)
    return _Page1((width, height), words, obstacles, scanned=big_images > 0 and not words)


INK_DPI = 30  # coarse: a stamp needs 50 × 35 mm of blank paper, not the letters' shapes
INK_LEVEL = 170  # grey below this is ink (a red seal included: its grey is about 80)
INK_CELL = 2  # pixels: a cell with any ink is an obstacle


def _ink_boxes(pdf_bytes: bytes, size: tuple[float, float]) -> list[Box] | None:
    """The inked parts of page 1 as boxes (points, display space), from a coarse rendering; None when
    it cannot be rendered (the page is then treated as a scan whose blank space is unknown)."""
    try:
        import pypdfium2  # lazy: only for a page that is a picture

        pdf = pypdfium2.PdfDocument(pdf_bytes)
        try:
            image = pdf[0].render(scale=INK_DPI / 72, grayscale=True).to_pil().convert("L")
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 (a page that does not render: fall back to the white-ground corner)
        return None
    px_w, px_h = image.size
    sx, sy = size[0] / px_w, size[1] / px_h
    pixels = image.load()
    boxes: list[Box] = []
    for cy in range(0, px_h, INK_CELL):
        run = None
        for cx in range(0, px_w + INK_CELL, INK_CELL):
            inked = cx < px_w and any(pixels[x, y] < INK_LEVEL for x in range(cx, min(cx + INK_CELL, px_w))
                                      for y in range(cy, min(cy + INK_CELL, px_h)))
            if inked and run is None:
                run = cx
            elif not inked and run is not None:
                boxes.append((run * sx, cy * sy, cx * sx, min(cy + INK_CELL, px_h) * sy))
                run = None
    return boxes


def _free_spans(obstacles: list[Box], top: float, bottom: float, lo: float, hi: float,
                clear_mm: float = CLEAR_MM) -> list[tuple[float, float]]:
    """The x-intervals in [lo, hi] that no obstacle comes within `clear_mm` of between `top` and `bottom`."""
    clear = clear_mm * MM
    busy = sorted((b[0] - clear, b[2] + clear) for b in obstacles if b[1] - clear < bottom and b[3] + clear > top)
    spans, x = [], lo
    for a, b in busy:
        if a > x:
            spans.append((x, min(a, hi)))
        x = max(x, b)
        if x >= hi:
            break
    if x < hi:
        spans.append((x, hi))
    return [s for s in spans if s[1] > s[0]]


def _text_lines(words: list[tuple[Box, str]]) -> list[tuple[Box, str]]:
    """Words grouped into lines, top to bottom: (box, text). A gap wider than
    3 em splits a line, so the two header columns make two lines."""
    lines: list[list[tuple[Box, str]]] = []
    for word in sorted(words, key=lambda w: (round(w[0][1]), w[0][0])):
        b = word[0]
        if lines and abs(lines[-1][-1][0][1] - b[1]) < 3 and b[0] - lines[-1][-1][0][2] < 3 * (b[3] - b[1]):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [((min(w[0][0] for w in ln), min(w[0][1] for w in ln), max(w[0][2] for w in ln),
              max(w[0][3] for w in ln)), " ".join(w[1] for w in ln)) for ln in lines]


_DATE_LINE = re.compile(r"ngày\s+\S*\s*tháng\s+\S*\s*năm", re.IGNORECASE)


def _header_spots(page: _Page1) -> list[tuple[str, float, float]]:
    """(rule, centre x, top y) in points of the places under the left header
    column and under the place-and-date line, found by their wording."""
    width, height = page.size
    mid = width / 2
    gap = 2 * MM
    lines = _text_lines([w for w in page.words if w[0][3] < height * 0.45])
    spots: list[tuple[str, float, float]] = []
    # Under the left column: the line beginning "Số" in the left half, then the lines
    # under it that stay in that half (the trích yếu of a công văn) down to the first gap.
    for i, (ln, text) in enumerate(lines):
        if ln[2] < mid + 10 and re.match(r"^Số\b", text):
            block = [ln]
            for nxt, _ in lines[i + 1:]:
                if nxt[2] >= mid + 10 and nxt[0] >= mid - 10:
                    continue  # the right column beside it
                if nxt[1] - block[-1][3] > (ln[3] - ln[1]) * 1.2 or nxt[2] >= mid + 10:
                    break
                block.append(nxt)
            centre = (min(b[0] for b in block) + max(b[2] for b in block)) / 2
            spots.append(("below-symbol", centre, max(b[3] for b in block) + gap))
            break
    for ln, text in lines:
        if (ln[0] + ln[2]) / 2 >= mid - 20 and _DATE_LINE.search(text):
            spots.append(("below-date", (ln[0] + ln[2]) / 2, ln[3] + gap))
            break
    return spots


def choose_place(pdf_bytes: bytes, frame: _Frame) -> tuple[str, float, float, bool]:
    """(rule, x, top, overlapped) of the stamp on page 1, in points, display space."""
    page = _read_page1(pdf_bytes, frame)
    size, obstacles = page.size, page.obstacles
    w, h = WIDTH_MM * MM, HEIGHT_MM * MM
    edge = EDGE_MM * MM
    if page.scanned:
        return "scanned", max(0.0, size[0] - edge - w), min(edge, max(0.0, size[1] - h)), True
    if size[0] < w + 2 * edge or size[1] < h + 2 * edge:
        return "covering", max(0.0, size[0] - edge - w), min(edge, max(0.0, size[1] - h)), True

    def spans_at(top: float) -> list[tuple[float, float]]:
        return [s for s in _free_spans(obstacles, top, top + h, edge, size[0] - edge) if s[1] - s[0] >= w - 0.01]

    # 1. Where NĐ 30/2020 Phụ lục IV puts it: under the số, ký hiệu (and the trích yếu of a công văn)
    #    in the left header column, or under the place-and-date line; as near under its centre as the
    #    free space allows, up to 6 mm lower.
    for rule, centre, below in _header_spots(page):
        for dy in range(0, 7):
            top = below + dy * MM
            if top + h > size[1] - edge:
                break
            choices = []
            for a, b in spans_at(top):
                x = min(max(centre - w / 2, a), b - w)
                choices.append((abs(x + w / 2 - centre), x))
            if choices and min(choices)[0] <= 40 * MM:
                return rule, min(choices)[1], top, False
    # 2. The top margin: the stamp's top at the page's top edge, right half, then left half.
    spans = spans_at(edge)
    for _, b in reversed(spans):
        if b - w / 2 >= size[0] / 2:
            return "top-right", b - w, edge, False
    for a, _ in spans:
        if a + w / 2 < size[0] / 2:
            return "top-left", a, edge, False
    # 3. Any blank space, nearest the top, then rightmost: first with room around it (so that it does not
    #    touch the text), then with the least clearance.
    for clear in (ROOMY_MM, CLEAR_MM):
        top = edge
        while top + h <= size[1] - edge + 0.01:
            roomy = [sp for sp in _free_spans(obstacles, top, top + h, edge, size[0] - edge, clear)
                     if sp[1] - sp[0] >= w - 0.01]
            if roomy:
                return "blank", roomy[-1][1] - w, top, False
            top += 1 * MM
    # 4. The top-right corner, on a white ground.
    return "covering", size[0] - edge - w, edge, True


# --------------------------------------------------------------- stamping


LOCKED = ("tệp PDF có mật khẩu, không mở được để đóng dấu ĐẾN; hãy xin bản không đặt mật khẩu hoặc in ra và "
          "đóng dấu trên giấy")


def _open_pdf(pdf_bytes: bytes, locked: str = LOCKED, error=StampError):
    """The PDF opened with pypdf (with the empty password when it has one); `locked` and `error` say
    what the clerk is told when it cannot be opened."""
    try:
        from pypdf import PdfReader  # lazy: only when a PDF is stamped
    except ImportError:  # pragma: no cover
        raise StampError("thiếu thư viện pypdf để đóng dấu tệp PDF") from None
    try:
        reader = PdfReader(io.BytesIO(pdf_bytes))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # a cipher pypdf cannot use (missing `cryptography`), a damaged dictionary
                opened = 0
            if not opened:
                raise error(locked)
        if len(reader.pages) == 0:
            raise error("tệp PDF không có trang nào")
        reader.pages[0]  # flattens inherited /Rotate, /MediaBox and /CropBox into the pages
    except StampError:
        raise
    except Exception as exc:  # pypdf raises many kinds on a damaged file
        raise error(f"không đọc được tệp PDF ({exc})") from None
    return reader


def _signed(reader) -> bool:
    """Whether the PDF carries a filled signature field."""
    try:
        fields = reader.get_fields() or {}
    except Exception:
        return False
    return any(f.get("/FT") == "/Sig" and f.get("/V") is not None for f in fields.values())


def _incremental(pdf_bytes: bytes, pages: int, overlay, ctm) -> bytes | None:
    """The stamp appended as an incremental update: the received bytes stay the
    file's first revision, so its digital signatures still verify (as signatures
    followed by a change). None when pypdf cannot do it for this file."""
    from pypdf import PdfReader, PdfWriter, Transformation  # lazy: only when a PDF is stamped

    try:
        writer = PdfWriter(io.BytesIO(pdf_bytes), incremental=True)
        writer.pages[0].merge_transformed_page(overlay, Transformation(ctm), over=True, expand=False)
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
        if data.startswith(pdf_bytes) and len(PdfReader(io.BytesIO(data)).pages) == pages:
            return data
    except Exception:  # an older pypdf, or a file pypdf cannot append to: rewrite it whole
        pass
    return None


def stamp_pdf(pdf_bytes: bytes, fields: StampFields) -> tuple[bytes, StampPlacement]:
    """A copy of the PDF with the stamp on page 1, and where it went.

    A digitally signed PDF gets the stamp as an incremental update, so the copy
    keeps the received bytes (and their signatures) as its first revision."""
    reader = _open_pdf(pdf_bytes)
    from pypdf import PdfReader, PdfWriter, Transformation  # lazy: only when a PDF is stamped

    frame = _frame(reader.pages[0])
    plain_bytes = pdf_bytes
    if reader.is_encrypted:  # opened with the empty password: give the analysis an unencrypted copy
        buf = io.BytesIO()
        try:
            PdfWriter(clone_from=reader).write(buf)
        except Exception as exc:
            raise StampError(f"không đọc được tệp PDF ({exc})") from None
        plain_bytes = buf.getvalue()
    rule, x, top, overlapped = choose_place(plain_bytes, frame)
    overlay = PdfReader(io.BytesIO(_overlay(frame.size, x, top, fields, overlapped))).pages[0]
    placement = StampPlacement(page=1, x=round(x / MM, 1), y=round(top / MM, 1), overlapped=overlapped, where=rule)
    if not reader.is_encrypted and _signed(reader):
        data = _incremental(pdf_bytes, len(reader.pages), overlay, frame.ctm())
        if data is not None:
            return data, placement
    try:
        writer = PdfWriter(clone_from=reader)
        writer.pages[0].merge_transformed_page(overlay, Transformation(frame.ctm()), over=True, expand=False)
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:  # a damaged file pypdf could open but not copy
        raise StampError(f"không ghi được bản có dấu của tệp PDF ({exc})") from None
    return out.getvalue(), placement


# --------------------------------------------------------------- reading copies


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Words of `text` in lines no wider than `width`; a word too long for a line is cut.
    Widths add up (the font is set without kerning), so each word is measured once."""
    from dirdesk.fonts import text_width  # lazy: reportlab, see _new_canvas

    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    space = text_width(" ", size)
    for word in text.split(" "):
        if not word:
            continue
        word_w = text_width(word, size)
        if current and used + space + word_w <= width:
            current.append(word)
            used += space + word_w
            continue
        if current:
            lines.append(" ".join(current))
        while word_w > width:
            cut = _fitting(word, width, size)
            lines.append(word[:cut])
            word = word[cut:]
            word_w = text_width(word, size)
        current, used = [word], word_w
    if current:
        lines.append(" ".join(current))
    return lines


def _fitting(word: str, width: float, size: float) -> int:
    """How many characters of `word` (at least one) fit in `width`: found by doubling, then
    halving, so a very long word costs a few measures of one line each."""
    from dirdesk.fonts import text_width  # lazy: reportlab, see _new_canvas

    high = 1
    while high < len(word) and text_width(word[:high * 2], size) <= width:
        high *= 2
    low, high = high, min(high * 2, len(word))  # word[:low] fits (or low is 1); word[:high] does not
    while high - low > 1:
        mid = (low + high) // 2
        if text_width(word[:mid], size) <= width:
            low = mid
        else:
            high = mid
    return low


def stamped_rendering(lines: list[str], fields: StampFields, *, source_name: str = "") -> tuple[bytes, StampPlacement]:
    """A reading copy of a DOCX or text file as PDF, stamped on page 1 (see _stamped_rendering)."""
    from dirdesk.fonts import drawing  # lazy: reportlab, as _new_canvas

    with drawing():  # reportlab is not thread-safe: one PDF at a time in the process
        return _stamped_rendering(lines, fields, source_name=source_name)


def _stamped_rendering(lines: list[str], fields: StampFields, *, source_name: str = "") -> tuple[bytes, StampPlacement]:
    """A reading copy of a DOCX or text file as PDF, stamped on page 1.

    `lines` are the markup lines of `text_of.lines_of`; each non-empty line is a
    paragraph, empty lines are one paragraph gap. Every word is kept, in order;
    emphasis, alignment, tables and pictures are not reproduced."""
    from dirdesk.fonts import face  # lazy: reportlab, see _new_canvas

    page_w, page_h = A4
    text_w = page_w - LEFT - RIGHT
    w, h = WIDTH_MM * MM, HEIGHT_MM * MM
    stamp_x, stamp_top = page_w - RIGHT - w, 8 * MM
    first_top = max(TOP, stamp_top + h + 3 * MM)  # page 1 starts under the stamp

    paragraphs: list[str | None] = []
    for line in lines:
        text = plain(clean(line, keep_newlines=False))
        if text:
            paragraphs.append(text)
        elif paragraphs and paragraphs[-1] is not None:
            paragraphs.append(None)
    while paragraphs and paragraphs[-1] is None:
        paragraphs.pop()

    # Lay out: each page's (baseline from the top, text), at most READING_COPY_PAGES pages;
    # paragraphs are wrapped only as far as pages are set.
    placed: list[list[tuple[float, str]]] = [[]]
    y = first_top
    ascent = BODY_SIZE * 0.891  # Liberation Serif ascender
    for para in paragraphs:
        if para is None:
            y += PARAGRAPH_GAP
            continue
        wrapped = _wrap(para, text_w, BODY_SIZE)
        for text in wrapped:
            if y + LEADING > page_h - BOTTOM + 0.01:
                if len(placed) == READING_COPY_PAGES:  # the last line of the last page says what is not set
                    placed[-1][-1] = (placed[-1][-1][0], READING_COPY_CUT)
                    break
                placed.append([])
                y = TOP
            placed[-1].append((y + ascent, text))
            y += LEADING
        else:
            continue
        break
    pages = len(placed)

    out = io.BytesIO()
    canvas = _new_canvas(out, A4)
    name = PurePath(source_name).name if source_name else ""
    note = "Bản đọc dựng lại từ tệp " + (name + " " if name else "") + "(chỉ giữ chữ, không giữ định dạng)"
    for index in range(pages):
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(face(False, False), BODY_SIZE)
        for baseline, text in placed[index]:
            canvas.drawString(LEFT, page_h - baseline, text)
        canvas.setFont(face(False, True), FOOTER_SIZE)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        canvas.drawString(LEFT, 10 * MM, _wrap(note, text_w - 25 * MM, FOOTER_SIZE)[0])
        canvas.drawRightString(page_w - RIGHT, 10 * MM, f"trang {index + 1}/{pages}")
        if index == 0:
            draw_stamp(canvas, stamp_x, stamp_top, page_h, fields)
        canvas.showPage()
    canvas.save()
    placement = StampPlacement(page=1, x=round(stamp_x / MM, 1), y=round(stamp_top / MM, 1), overlapped=False,
                               where="reserved")
    return out.getvalue(), placement
