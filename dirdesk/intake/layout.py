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

__all__ = ["is_signing_stamp", "joins_number", "leading_stamp", "page_words"]

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


def _block_lines(chars: list[dict]) -> list[str]:
    """The text of one widget's characters, a line for each run of characters on one baseline."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])):
        if lines and abs(lines[-1][0]["top"] - c["top"]) < 2:
            lines[-1].append(c)
        else:
            lines.append([c])
    return ["".join(c["text"] for c in line) for line in lines]


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
