"""Text lines of a received document (.txt, .docx, .pdf), in reading order.

Lines are in body markup where the source says so (bold/italic runs of a DOCX
become `**…**`/`*…*`; literal `*` are escaped). An empty line separates blocks
(paragraphs of a DOCX, table cells, widely spaced lines of a PDF).
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

from dirdesk.intake.attached import starts_attached_part
from dirdesk.intake.budget import (
    PDF_HEAD_PAGES,
    PDF_SECONDS,
    PDF_TAIL_PAGES,
    bound_bytes,
    bound_lines,
    check_zip,
    omitted_line,
)
from dirdesk.intake.layout import join_spans as _join
from dirdesk.intake.layout import leading_stamp, page_rows, page_words
from dirdesk.intake.layout import spans_text as _text
from dirdesk.intake.source import IntakeError, received_bytes
from dirdesk.markup import Span, escape, spans_to_markup
from dirdesk.text import clean

SCANNED_PDF = ("PDF không có lớp chữ (bản quét): hãy nhập các trường bằng tay "
               "hoặc đính kèm như bản quét")
NO_TEXT = "tệp không có chữ nào đọc được (trống): hãy nhập các trường bằng tay"
EMPTY_FILE = "tệp trống (0 byte): không có chữ nào, không đọc được; hãy xin lại tệp, hoặc nhập các trường bằng tay"

__all__ = ["IntakeError", "NO_TEXT", "ReadLines", "SCANNED_PDF", "lines_of", "unwrap_lines"]


class ReadLines(list):
    """The text lines of a received file (a list of str), and how they were read: `scan` when
    they come from OCR of page images, `handwritten` the blanks of page 1 ("number", "day")
    that were filled in by hand there."""

    def __init__(self, lines=(), *, scan: bool = False, handwritten: list[str] | None = None) -> None:
        super().__init__(lines)
        self.scan = scan
        self.handwritten = list(handwritten or [])


def lines_of(path: str | Path, data: bytes | None = None) -> ReadLines:
    """The text lines of the received file `path` (its bytes `data` when the caller has read
    them already; else read with `source.received_bytes`), within the bounds of `budget`.

    Raises IntakeError (a Vietnamese message) for a file that is not read or has no text."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".docx", ".pdf", ".txt", ".md", ""):
        raise IntakeError(f"{path}: chỉ đọc được tệp .txt, .docx hoặc .pdf")
    if data is None:
        data = received_bytes(path)
    if not data:
        raise IntakeError(f"{path}: {EMPTY_FILE}")
    if suffix == ".docx":
        lines = _docx_lines(path, data)
    elif suffix == ".pdf":
        lines = _pdf_lines(path, data)
    else:
        lines = _txt_lines(path, data)
    read = lines if isinstance(lines, ReadLines) else ReadLines()
    lines = bound_lines(lines)
    if not any(line.strip() for line in lines):
        raise IntakeError(f"{path}: {NO_TEXT}")
    return ReadLines(lines, scan=read.scan, handwritten=read.handwritten)


def _txt_lines(path: Path, raw: bytes) -> list[str]:
    head, dropped, tail = bound_bytes(raw)
    try:
        parts = [head.decode("utf-8-sig"), tail.decode("utf-8")]
    except UnicodeDecodeError:
        try:
            parts = [head.decode("cp1258"), tail.decode("cp1258")]
        except UnicodeDecodeError:
            raise IntakeError(f"{path}: tệp không phải văn bản UTF-8") from None
    lines = clean(parts[0].replace("\f", "\n")).split("\n")
    if dropped:
        lines += ["", omitted_line(dropped), ""] + clean(parts[1].replace("\f", "\n")).split("\n")
    return unwrap_lines(bound_lines(lines))


_ITEM = re.compile(r"^([-–—•+]\s|\d+(\.\d+)*[.)]\s|[a-zđ][.)]\s|[IVXLC]+\.\s|Điều\s+\d+[a-zđ]?\.|"
                   r"(Chương|Mục|Phần)\s+[IVXLC\d]+\b)")
_OWN_LINE = re.compile(r"^(Kính gửi|Kính trình|Nơi nhận|Căn cứ|Số\s*:?\s*[\d._…]*\s*[-/]|[-*_ ]+$)", re.IGNORECASE)
_FULL, _NEARLY_FULL, _NEARLY_FULL_FIRST = 0.97, 0.9, 0.85


def unwrap_lines(lines: list[str]) -> list[str]:
    """Rejoin the lines of text extracted from a PDF (or an e-mail), which are
    cut at the page width, into one line per paragraph.

    Lines are measured in the document font (Times New Roman metrics): in
    justified text every line of a paragraph but its last fills the width, and
    its first line fills all but the first-line indent. Text whose lines do
    not fill one width often enough (a converted document with a paragraph on
    each line, a DOCX) is left as it is. A line continues the paragraph above
    when the line above is full, or nearly full without ending a sentence
    before a capital, and the line is not a new item ("1.", "a)", "- ",
    "Điều 2."), a heading in capitals, or a page number. A hyphen that ends a
    line inside a word ("COVID-" / "19") is kept and joined without a space.
    """
    from dirdesk.fonts import text_width  # lazy: reportlab, only for converted PDF text

    stripped = [line.strip() for line in lines]
    widths = {line: text_width(line, 13) for line in stripped if line}
    measured = sorted(widths.values())
    if len(measured) < 8 or max(len(line) for line in widths) > 400:
        return lines
    width = measured[-3]  # the full lines are the longest; not the very longest, which may overrun
    full = [w for w in measured if w >= _NEARLY_FULL * width]
    if len(full) < 5 or len(full) < 0.15 * len(measured) or sum(len(x) for x in widths) / len(widths) > 130:
        return lines
    # Each paragraph is built as a list of parts joined once at the end, and what the
    # next line's decision needs of it (its last part, whether it is in capitals) is
    # kept as it grows: the work is linear in the length of the text.
    paras: list[list[str]] = []
    letters = [0, True]  # letters of the last paragraph, and whether all are capitals
    prev_ratio, prev_nearly = 0.0, False
    for line in stripped:
        if line.isdigit() and len(line) <= 3:  # a page number between pages
            continue
        last = paras[-1][-1] if paras else ""
        line_letters = _letters(line)
        # A nearly full line that ends a sentence, followed by a capital, ends its paragraph.
        ends_sentence = bool(last and last.rstrip(_CLOSERS)[-1:] in _STOPS
                             and line.lstrip("\"“‘'([")[:1].isupper())
        joins = (line and last and not _ITEM.match(line) and not _OWN_LINE.match(line)
                 and not (len(paras[-1]) == 1 and re.fullmatch(r"[-*_ ]+", last))
                 and not _all_capitals(line_letters) and not _all_capitals(letters)
                 and (prev_ratio >= _FULL or (prev_nearly and not ends_sentence)))
        if joins:
            hyphen = last.endswith("-") and not last.endswith(" -") and line[:1].isalnum()
            paras[-1].append(line if hyphen else " " + line)
            letters = [letters[0] + line_letters[0], letters[1] and line_letters[1]]
        else:
            paras.append([line])
            letters = line_letters
        prev_ratio = widths.get(line, 0) / width
        prev_nearly = prev_ratio >= (_NEARLY_FULL if joins else _NEARLY_FULL_FIRST)
    return ["".join(parts) for parts in paras]


_CLOSERS = ")]\"”'"
_STOPS = tuple(".:;!?")


def _letters(line: str) -> list:
    """[number of letters, whether all of them are capitals] of `line`."""
    alpha = [c for c in line if c.isalpha()]
    return [len(alpha), all(c.isupper() for c in alpha)]


def _all_capitals(letters: list) -> bool:
    return letters[0] >= 2 and letters[1]


# --- DOCX -------------------------------------------------------------------

def _spans_markup(spans: list[Span], centred: bool = False) -> str:
    """Markup of one paragraph's spans, emphasis kept. A centred paragraph
    wholly in bold is a heading line: "# " and its text. Emphasis the layout
    puts on a whole element (a header line, "Kính gửi", the căn cứ of a state
    decision) is the parser's to drop: it knows which element a line is."""
    spans = [s for s in spans if s.text]
    if not spans:
        return ""
    solid = [s for s in spans if s.text.strip()] or spans
    heading = centred and all(s.bold for s in solid)
    merged: list[Span] = []
    for s in spans:
        s = Span(s.text, bold=s.bold and not heading, italic=s.italic, underline=s.underline)
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].underline) == (s.bold, s.italic, s.underline):
            merged[-1] = Span(merged[-1].text + s.text, bold=s.bold, italic=s.italic, underline=s.underline)
        else:
            merged.append(s)
    text = spans_to_markup(merged)
    return "# " + text.strip() if heading else text


def _paragraph_markup(par) -> str:
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # lazy: python-docx, only for a DOCX

    spans = [Span(run.text, bold=bool(run.bold), italic=bool(run.italic), underline=bool(run.underline))
             for run in par.runs if run.text]
    if not spans:
        return escape(par.text)
    centred = par.alignment == WD_ALIGN_PARAGRAPH.CENTER or (
        par.alignment is None and par.style is not None and par.style.paragraph_format.alignment
        == WD_ALIGN_PARAGRAPH.CENTER)
    return _spans_markup(spans, centred)


def _docx_lines(path: Path, data: bytes) -> list[str]:
    try:
        import docx  # lazy: python-docx, only for a DOCX
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover
        raise IntakeError("thiếu thư viện python-docx để đọc tệp .docx") from None
    check_zip(data, str(path))
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise IntakeError(f"{path}: không đọc được tệp DOCX (tệp bị hỏng hoặc có mật khẩu: {exc})") from None
    out: list[str] = []

    def paragraph_lines(par) -> list[str]:
        return [clean(part) for part in _paragraph_markup(par).split("\n")]

    def walk_table(table) -> None:
        seen = []
        for row in table.rows:
            for cell in row.cells:
                if any(cell._tc is tc for tc in seen):  # merged cells repeat
                    continue
                seen.append(cell._tc)
                for par in cell.paragraphs:
                    out.extend(line for line in paragraph_lines(par) if line.strip())
                for inner in cell.tables:
                    walk_table(inner)
                out.append("")

    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            for box in _text_boxes(child):  # a header set in text boxes: each box's lines, in order
                for par in box.iterchildren(f"{{{W_NS}}}p"):
                    out.extend(line for line in paragraph_lines(Paragraph(par, document)) if line.strip())
                out.append("")
            lines = paragraph_lines(Paragraph(child, document))
            if any(line.strip() for line in lines):
                out.extend(lines)
                out.append("")
        elif tag == "tbl":
            walk_table(Table(child, document))
            out.append("")
    return out


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _text_boxes(paragraph) -> list:
    """The text boxes anchored in a paragraph (w:txbxContent), each once: Word writes a box twice, as a
    drawing and as its VML fallback (mc:Fallback), and only the first is read."""
    boxes = []
    for box in paragraph.iter(f"{{{W_NS}}}txbxContent"):
        if any(a.tag == MC_FALLBACK for a in box.iterancestors()):
            continue
        if any(b is a for b in boxes for a in box.iterancestors()):
            continue  # a box inside a box: its lines come with the outer one
        boxes.append(box)
    return boxes


# --- PDF --------------------------------------------------------------------

def _pdf_lines(path: Path, data: bytes) -> list[str]:
    """The lines of a PDF's text layer: of a long PDF its first PDF_HEAD_PAGES and last
    PDF_TAIL_PAGES pages, within PDF_SECONDS (budget.py)."""
    try:
        import pdfplumber  # lazy: heavy (pdfminer), only for a PDF
    except ImportError:  # pragma: no cover
        raise IntakeError("thiếu thư viện pdfplumber để đọc tệp .pdf") from None
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        count = len(pdf.pages)
    except Exception as exc:
        raise IntakeError(f"{path}: {_pdf_problem(exc)}") from None
    out: list[list[Span]] = []
    started = time.monotonic()
    with pdf:
        any_text = False
        state = {"first_page": True, "signature": False}
        if count > PDF_HEAD_PAGES + PDF_TAIL_PAGES:
            chosen = [*range(PDF_HEAD_PAGES), None, *range(count - PDF_TAIL_PAGES, count)]
        else:
            chosen = list(range(count))
        for index in chosen:
            if index is None:
                out.extend([[Span(omitted_line(count - PDF_HEAD_PAGES - PDF_TAIL_PAGES, "trang"))], []])
                continue
            if time.monotonic() - started > PDF_SECONDS:
                raise IntakeError(f"{path}: tệp PDF quá nặng, đọc quá {PDF_SECONDS:.0f} giây mới được "
                                  f"{index}/{count} trang; hãy nhập các trường bằng tay")
            page = pdf.pages[index]
            try:
                words = page_words(page, keep_blank_chars=False, use_text_flow=False,
                                   extra_attrs=["size"], return_chars=True)
                width, height = float(page.width), float(page.height)
            except Exception as exc:  # a damaged page
                raise IntakeError(f"{path}: trang {index + 1}: {_pdf_problem(exc)}") from None
            finally:
                page.close()  # drop the page's cached objects
            if words:
                any_text = True
            if state["signature"] and starts_attached_part(words, height):
                out.append([])  # a part issued with the document: read as a document of its own
                state.update(first_page=True, signature=False, left_margin=None)
            out.extend(_page_lines(words, width, state))
            out.append([])
    if not any_text:
        return _scan_lines(path, data)
    lines = [clean(_spans_markup(line[1:], centred=True) if line and line[0] is _CENTRED else _spans_markup(line))
             for line in out]
    return _scan_lines(path, data, lines) if _garbled(lines) else lines


def _garbled(lines: list[str]) -> bool:
    from dirdesk.intake.ocr import looks_garbled

    return looks_garbled(lines)


def _scan_lines(path: Path, data: bytes, layer: list[str] | None = None) -> list[str]:
    """A PDF with no text layer (or a garbled one, `layer`) is read with OCR (ocr.py) when it
    can be; else a garbled layer is kept as it is, and a PDF with none refused, saying why."""
    from dirdesk.intake.correct import correct_lines
    from dirdesk.intake.ocr import OcrUnavailable, ocr_read

    try:
        read = ocr_read(data)
        return ReadLines(correct_lines(read.lines), scan=True, handwritten=read.handwritten)
    except OcrUnavailable as exc:
        if layer is not None:
            return layer
        raise IntakeError(f"{path}: {SCANNED_PDF} ({exc})") from None


def _pdf_problem(exc: Exception) -> str:
    """The clerk's words for what pdfplumber/pdfminer raised."""
    name = type(exc).__name__
    if "Password" in name or "Encrypt" in name or "password" in str(exc).lower():
        return ("tệp PDF có mật khẩu, không đọc được; hãy xin bản không đặt mật khẩu "
                "hoặc nhập các trường bằng tay")
    return f"tệp PDF bị hỏng, không đọc được ({name}: {exc})"[:300]


_CENTRED = Span("")  # first span of a body line set centred: a heading if it is bold


def _signature_pair(segs, mid: float) -> bool:
    """Two capital segments, one each side of the page: the titles of two signatures."""
    if len(segs) != 2:
        return False
    (l0, l1, left), (r0, r1, right) = segs
    return ((l0 + l1) / 2 < mid < (r0 + r1) / 2
            and all(_all_capitals(_letters(_text(spans))) for spans in (left, right)))


def _page_lines(words: list[dict], width: float, state: dict) -> list[list[Span]]:
    """Group words into lines; read the header and signature tables column by
    column; rejoin the wrapped lines of body paragraphs."""
    lines = page_rows(words)  # (top, bottom, segments [(x0, x1, spans)])
    if state["first_page"]:  # a signing stamp drawn in the page, above the header
        del lines[:leading_stamp([(" ".join(_text(s[2]) for s in ln[2]), ln[2][-1][1] - ln[2][0][0])
                                  for ln in lines], width)]
    if not lines:
        return []
    mid = width / 2

    def header_like(segs) -> bool:
        if len(segs) > 1:
            return True
        x0, x1, _ = segs[0]
        return x1 < mid + 10 or (x0 + x1) / 2 > mid + 50

    def is_right(seg, first) -> bool:
        return not first or (seg[0] + seg[1]) / 2 > mid + 20

    head_end = 0  # the header table's lines, on the first page
    if state["first_page"]:
        while (head_end < len(lines) and header_like(lines[head_end][2])
               and not _text(lines[head_end][2][0][2]).startswith("Kính gửi")):
            head_end += 1
    # Margins of the text below the header: the leftmost start of a line (first
    # lines are indented, so the commonest start may be the indent) and the
    # right edge most lines reach.
    body = [ln for ln in lines[head_end:] if len(ln[2]) == 1] or lines
    if len(body) >= 8 or state.get("left_margin") is None:
        state["left_margin"] = min(ln[2][0][0] for ln in body)
        ends = sorted(ln[2][-1][1] for ln in body)
        shared_ends = [e for e in ends if sum(1 for f in ends if abs(f - e) <= 1) >= 2]
        state["right_edge"] = max(shared_ends) if shared_ends else ends[-1]
        # Justified text: a line reaching the right edge is one a paragraph goes on from.
        state["justified"] = sum(1 for e in ends if e >= state["right_edge"] - 2) >= max(3, 0.3 * len(ends))
    left_margin, right_edge = state["left_margin"], state["right_edge"]
    full_from = right_edge - (3 if state["justified"] else 0.12 * (right_edge - left_margin))
    text_mid = (left_margin + right_edge) / 2
    starts = [round(ln[2][0][0]) for ln in body]
    common_starts = {x for x in starts if starts.count(x) >= 3}  # the margin and the first-line indent
    heights = sorted(ln[1] - ln[0] for ln in lines)
    line_h = heights[len(heights) // 2] or 12.0

    out: list[list[Span]] = []

    def emit_block(block) -> None:
        if out and out[-1]:
            out.append([])
        left = [s[2] for segs_ in block for k, s in enumerate(segs_) if not is_right(s, k == 0)]
        right = [s[2] for segs_ in block for k, s in enumerate(segs_) if is_right(s, k == 0)]
        out.extend(left)
        if left and right:
            out.append([])
        out.extend(right)
        out.append([])

    i = 0
    if state["first_page"]:
        if head_end:
            emit_block([ln[2] for ln in lines[:head_end]])
        i = head_end
        state["first_page"] = False
    if state["signature"]:
        emit_block([ln[2] for ln in lines[i:]])
        return out
    prev_bottom = None
    prev_body = False
    while i < len(lines):
        top, bottom, segs = lines[i]
        spans: list[Span] = []
        for seg in segs:
            spans = _join(spans, seg[2])
        text = _text(spans)
        if ((text.startswith("Nơi nhận") and len(segs) > 1) or text.strip() == "Nơi nhận:"
                or _signature_pair(segs, mid)):  # two signatures side by side, Nơi nhận below (Mẫu 1.9)
            state["signature"] = True
            emit_block([ln[2] for ln in lines[i:]])
            return out
        wide_gap = prev_bottom is not None and top - prev_bottom > line_h * 0.9
        x0 = segs[0][0]
        continues = (prev_body and not wide_gap and x0 <= left_margin + 2 and out and out[-1]
                     and not (_ITEM.match(text) and re.search(r"[.:;]\W*$", _text(out[-1]))))
        if continues:
            last = _text(out[-1])
            hyphen = last.endswith("-") and not last.endswith(" -") and text[:1].isalnum()
            out[-1] = _join(out[-1], spans, "" if hyphen else " ")
        else:
            if wide_gap and out and out[-1]:
                out.append([])
            x1 = segs[-1][1]
            centred = (len(segs) == 1 and x0 > left_margin + 15 and abs((x0 + x1) / 2 - text_mid) < 8
                       and not {round(x0) - 1, round(x0), round(x0) + 1} & common_starts)
            out.append([_CENTRED] + spans if centred else spans)
        prev_body = x0 <= left_margin + 40 and segs[-1][1] >= full_from
        prev_bottom = bottom
        i += 1
    return out
