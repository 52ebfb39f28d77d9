"""Words of a PDF page as laid out, for `text_of`: the page's own text and the text an
e-office system stamps on it after signing.

A digitally signed received document carries part of its text in the appearance of its
signature fields (widget annotations), not in the page: the number ("Số: 507 /…") and the
day of the date the văn thư stamps when issuing it, and the signing stamps ("Ký bởi: …",
"Thời gian ký: …", the signing organisation, its e-mail, "24.01.2025 20:01:14 +07:00").
pdfplumber reads only the page, so the number and the day were lost. Here each widget's
appearance is read at its place on the page; a widget whose text is a signing stamp is
left out (the signature summary comes from the signatures themselves, `signatures.py`),
the others join the page's characters, and the words are built from all of them.
"""

from __future__ import annotations

import re

from dirdesk.markup import Span

__all__ = ["is_signing_stamp", "join_spans", "joins_number", "leading_stamp", "page_rows", "page_words",
           "spans_text"]

_STAMP_LINE = re.compile(
    r"(Ký\s*bởi|Người\s*ký|Thời\s*gian\s*ký|Ngày\s*ký|Cơ\s*quan\s*:|Email\s*:|E-mail\s*:|"
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+|"  # an e-mail address
    r"\d{1,2}[./-]\d{1,2}[./-]\d{4}\s+\d{1,2}:\d{2}(:\d{2})?|"  # 24.01.2025 20:01:14
    r"[+-]\d{2}:\d{2}\s*$)",  # +07:00
    re.IGNORECASE)


def is_signing_stamp(lines: list[str]) -> bool:
    """Whether the text `lines` of one block (a widget's appearance) is an e-office signing
    stamp: at least one of its lines says who signed or when ("Ký bởi:", "Thời gian ký:",
    "Email:", "Cơ quan:", an e-mail address, a time with its zone "+07:00"). The number or
    the day a văn thư stamps ("507", "24") has none of these."""
    return any(_STAMP_LINE.search(line) for line in lines if line.strip())


_SIGNING_TIME = re.compile(r"(Ký\s*bởi|Thời\s*gian\s*ký|Ngày\s*ký|\d{1,2}[./-]\d{1,2}[./-]\d{4}\s+\d{1,2}:\d{2}|"
                           r"[+-]\d{2}:\d{2}\s*$)", re.IGNORECASE)
_STAMP_SCAN = 6  # a signing stamp drawn in the page has at most this many lines


def leading_stamp(lines: list[tuple[str, float]], page_width: float) -> int:
    """How many of the first lines of a page (text, width each) are a signing stamp drawn in
    the page itself, above the header: a run of narrow lines (a box, less than half the page
    wide) ending with one that says when it was signed ("Thời gian ký: …", "24.01.2025
    20:01:14", "+07:00"). A letterhead's "Email:" line has no time, and the header's row
    (issuer and quốc hiệu) is as wide as the page: neither is taken."""
    count = 0
    for k, (text, width) in enumerate(lines[:_STAMP_SCAN]):
        if width > 0.45 * page_width:
            break
        if _SIGNING_TIME.search(text):
            count = k + 1
    return count if count and is_signing_stamp([text for text, _ in lines[:count]]) else 0


_NUMBER_HEAD = re.compile(r"^Số\s*:?\s*\d*[\s._…]*$")
_SYMBOL_TAIL = re.compile(r"^[-/]\s*[0-9A-Za-zĐđ]")


def joins_number(left: str, right: str) -> bool:
    """Whether `right` is the rest of a number line whose blank was padded for the number
    a văn thư writes or stamps: "Số: 507" (or "Số:", "Số: ....") and then "/UBND-KGVX",
    however wide the gap. The two are one line of the header's left column."""
    return bool(_NUMBER_HEAD.match(left.strip()) and _SYMBOL_TAIL.match(right.strip()))


def page_words(page, **options) -> list[dict]:
    """pdfplumber words of `page` (`options` as for `extract_words`) with the text of its
    widgets' appearances that is not a signing stamp, in page coordinates. A page with no
    text of its own (a scan) gets none: a stamped number alone is no text layer."""
    if not page.chars:
        return page.extract_words(**options)
    extra = [c for block in _widget_chars(page) if not is_signing_stamp(_block_lines(block)) for c in block]
    if not extra:
        return page.extract_words(**options)
    from pdfplumber.utils.text import WordExtractor  # lazy, with pdfplumber

    chars = list(page.chars) + extra
    return WordExtractor(**{k: v for k, v in options.items() if k != "return_chars"}).extract_words(
        chars, return_chars=options.get("return_chars", False))


# --- words -> lines ------------------------------------------------------------

Segment = tuple  # (x0, x1, spans): the words of a line that stand together (one column)


def page_rows(words: list[dict]) -> list[tuple[float, float, list[Segment]]]:
    """The lines of a page, top to bottom, each (top, bottom, segments left to right).

    Words on one baseline (within 3 pt) make one line; in it, words closer than a space
    (10 pt, or 0.8 of the font size) make one segment, so the header's two columns and
    the Nơi nhận / signature columns stay apart. A blank left for a hand-written or
    stamped field ("Số: … /UBND", "ngày … tháng") does not split its line. A line that
    is only a number of up to three digits (a page number) is left out."""
    lines = []
    for row in _on_one_line(words, 3.0):
        segs = _segments(sorted(row, key=lambda w: w["x0"]))
        text = " ".join(spans_text(s[2]) for s in segs).strip()
        if text.isdigit() and len(text) <= 3:  # page number
            continue
        lines.append((min(w["top"] for w in row), max(w["bottom"] for w in row), segs))
    return lines


def _on_one_line(items: list[dict], tolerance: float) -> list[list[dict]]:
    """Words (or characters) grouped top to bottom into those whose tops are within
    `tolerance` of the first of their line's, each line in the order of the page."""
    rows: list[list[dict]] = []
    for item in sorted(items, key=lambda item: (round(item["top"]), item["x0"])):
        if rows and abs(rows[-1][0]["top"] - item["top"]) < tolerance:
            rows[-1].append(item)
        else:
            rows.append([item])
    return rows


def _segments(row: list[dict]) -> list[Segment]:
    segs: list[Segment] = []
    for w in row:
        gap = w["x0"] - segs[-1][1] if segs else None
        blank_field = segs and spans_text(segs[-1][2]).rstrip().endswith(("Số", "Số:", "ngày", "tháng"))
        number_rest = segs and joins_number(spans_text(segs[-1][2]), w["text"])
        if segs and (gap < max(10.0, w["size"] * 0.8) or blank_field or number_rest):
            x0, _, spans = segs[-1]
            segs[-1] = (x0, w["x1"], join_spans(spans, word_spans(w), "" if number_rest else " "))
        else:
            segs.append((w["x0"], w["x1"], word_spans(w)))
    return segs


def word_spans(word: dict) -> list[Span]:
    """The spans of one pdfplumber word (with its chars), bold and italic from the font names."""
    spans: list[Span] = []
    for ch in word["chars"]:
        font = ch.get("fontname", "")
        bold = "Bold" in font or "bold" in font
        italic = "Italic" in font or "Oblique" in font or "italic" in font
        if spans and (spans[-1].bold, spans[-1].italic) == (bold, italic):
            spans[-1] = Span(spans[-1].text + ch["text"], bold=bold, italic=italic)
        else:
            spans.append(Span(ch["text"], bold=bold, italic=italic))
    return spans


def join_spans(a: list[Span], b: list[Span], sep: str = " ") -> list[Span]:
    """Concatenate two span lists; the separator takes the emphasis both sides share."""
    if not a:
        return list(b)
    if not b:
        return list(a)
    left, right = a[-1], b[0]
    mid = [Span(sep, bold=left.bold and right.bold, italic=left.italic and right.italic)] if sep else []
    return list(a) + mid + list(b)


def spans_text(spans: list[Span]) -> str:
    return "".join(s.text for s in spans)


# --- widgets ------------------------------------------------------------------

def _block_lines(chars: list[dict]) -> list[str]:
    """The text of one widget's characters, a line for each run of characters on one baseline."""
    return ["".join(c["text"] for c in line) for line in _on_one_line(chars, 2.0)]


def _widget_chars(page) -> list[list[dict]]:
    """For each widget annotation of `page` with an appearance, its characters (pdfplumber's
    char dicts, page coordinates); a widget whose appearance cannot be read gives none."""
    from pdfminer.pdftypes import resolve1  # lazy: pdfminer, only for a PDF

    blocks = []
    for ref in resolve1(page.page_obj.attrs.get("Annots")) or []:
        try:
            annot = resolve1(ref)
            if resolve1(annot.get("Subtype")).name != "Widget":
                continue
            chars = _appearance_chars(page, annot)
        except Exception:  # a damaged annotation: the page's own text is still read
            continue
        if chars:
            blocks.append(chars)
    return blocks


def _appearance_chars(page, annot: dict) -> list[dict]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.utils import mult_matrix

    ap = resolve1(resolve1(annot.get("AP") or {}).get("N"))
    if not isinstance(ap, PDFStream):
        return []
    x0, y0, x1, y1 = (float(v) for v in resolve1(annot["Rect"]))
    bx0, by0, bx1, by1 = (float(v) for v in resolve1(ap.get("BBox") or [0, 0, x1 - x0, y1 - y0]))
    sx = (x1 - x0) / (bx1 - bx0) if bx1 != bx0 else 1.0
    sy = (y1 - y0) / (by1 - by0) if by1 != by0 else 1.0
    # Form coordinates to the annotation's rectangle (PDF 32000 §12.5.5), after the form's own Matrix.
    to_rect = (sx, 0.0, 0.0, sy, x0 - bx0 * sx, y0 - by0 * sy)
    form_matrix = tuple(float(v) for v in resolve1(ap.get("Matrix") or (1, 0, 0, 1, 0, 0)))
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, pageno=page.page_number)
    interpreter = PDFPageInterpreter(manager, device)
    mediabox = page.page_obj.mediabox
    device.begin_page(page.page_obj, (1, 0, 0, 1, 0, 0))
    interpreter.render_contents(resolve1(ap.get("Resources")) or {}, [ap], ctm=mult_matrix(form_matrix, to_rect))
    device.end_page(page.page_obj)
    top_edge = float(mediabox[3])

    out: list[dict] = []

    def walk(item) -> None:
        if isinstance(item, LTChar):
            out.append({"text": item.get_text(), "x0": item.x0, "x1": item.x1,
                        "top": top_edge - item.y1, "bottom": top_edge - item.y0,
                        "doctop": top_edge - item.y1, "size": item.size, "fontname": item.fontname,
                        "upright": item.upright, "width": item.width, "height": item.height,
                        "matrix": item.matrix, "y0": item.y0, "y1": item.y1,
                        "page_number": page.page_number})
        elif isinstance(item, LTContainer):
            for child in item:
                walk(child)

    walk(device.get_result())
    return [c for c in out if c["text"].strip() or c["text"] == " "]
