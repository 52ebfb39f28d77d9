"""Write a laid-out document as PDF with reportlab.

Pages come from pdf_flow.paginate; this module only draws them. Every glyph is
set in the font dirdesk.fonts.embedded() chose: the system's Times New Roman,
or the bundled Liberation Serif where there is none (embedded, subset, with a
ToUnicode map so Vietnamese text can be searched and copied); no other font
is referenced.
Where a line's fragments, its underlines and the page number go is computed
here once (`fragment_starts`, `underline_spans`, `page_number_baseline`) and
shared with the window's print writer (dirdesk.gui.painter_writer).
"""

from __future__ import annotations

import io

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from dirdesk import __version__
from dirdesk.fonts import drawing, face, register_fonts, text_width
from dirdesk.layout.model import LaidOutDocument, PageSetup
from dirdesk.render.pdf_flow import (
    Fragment,
    Page,
    PlacedFrame,
    PlacedLine,
    PlacedRule,
    PlacedText,
    baseline_ratio,
    paginate,
)

UNDERLINE_POSITION = 0.109  # below the baseline, in em (post table; Times New Roman's = Liberation's)
UNDERLINE_THICKNESS = 0.049


def fragment_starts(item: PlacedText) -> list[tuple[float, Fragment]]:
    """Where each fragment of a placed line begins (points from the page's left edge)."""
    line = item.line
    x = item.x + line.x
    starts = []
    for frag in line.fragments:
        starts.append((x, frag))
        x += frag.width + frag.text.count(" ") * line.word_space
    return starts


def underline_spans(item: PlacedText) -> list[tuple[float, float, float]]:
    """(x0, x1, font size) of each underline of a placed line: its fragments' text without their edge spaces."""
    spans = []
    word_space = item.line.word_space
    for x, frag in fragment_starts(item):
        if not (frag.underline and frag.text.strip()):
            continue
        width = frag.width + frag.text.count(" ") * word_space
        lead = len(frag.text) - len(frag.text.lstrip(" "))
        trail = len(frag.text) - len(frag.text.rstrip(" "))
        skip = text_width(" " * lead, frag.size, frag.bold, frag.italic) + lead * word_space
        cut = text_width(" " * trail, frag.size, frag.bold, frag.italic) + trail * word_space
        spans.append((x + skip, x + width - cut, frag.size))
    return spans


def page_number_baseline(setup: PageSetup, page: Page) -> float | None:
    """The baseline of the page's number, from the top of the page; None when the page shows none."""
    if page.number == 1 and not setup.number_first_page:
        return None
    return setup.page_number_top + round(setup.page_number_size * 1.15, 2) * baseline_ratio()


def rgb(color: str | None) -> tuple[float, float, float]:
    """"RRGGBB" as three fractions; None is black."""
    if not color:
        return (0.0, 0.0, 0.0)
    return tuple(int(color[i:i + 2], 16) / 255 for i in (0, 2, 4))


def frame_rect(item: PlacedFrame) -> tuple[float, float, float, float]:
    """(left, top, width, height) of the stroke's centre line: the border lies inside the outer edges."""
    half = item.thickness / 2
    return item.x0 + half, item.y0 + half, item.x1 - item.x0 - item.thickness, item.y1 - item.y0 - item.thickness


def _draw_frame(canvas: Canvas, page_height: float, item: PlacedFrame) -> None:
    canvas.setStrokeColorRGB(*rgb(item.color))
    canvas.setLineWidth(item.thickness)
    left, top, width, height = frame_rect(item)
    canvas.rect(left, page_height - top - height, width, height, stroke=1, fill=0)
    canvas.setStrokeColorRGB(0, 0, 0)


def _draw_text(canvas: Canvas, page_height: float, item: PlacedText) -> None:
    line = item.line
    if not line.fragments:  # an empty paragraph or table cell
        return
    canvas.setFillColorRGB(*rgb(item.color))
    canvas.setStrokeColorRGB(*rgb(item.color))
    y = page_height - item.baseline
    text = canvas.beginText(item.x + line.x, y)
    text.setWordSpace(line.word_space)
    for _, frag in fragment_starts(item):
        text.setFont(face(frag.bold, frag.italic), frag.size)
        text.textOut(frag.text)
    canvas.drawText(text)
    for x0, x1, size in underline_spans(item):
        canvas.setLineWidth(UNDERLINE_THICKNESS * size)
        uy = y - UNDERLINE_POSITION * size
        canvas.line(x0, uy, x1, uy)
    if item.color:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setStrokeColorRGB(0, 0, 0)


def write_pdf(doc: LaidOutDocument) -> bytes:
    with drawing():  # reportlab is not thread-safe: one PDF at a time in the process
        # Streams are deflated only, not also ASCII85-encoded: a sixth smaller, and quicker to write.
        a85, rl_config.useA85 = rl_config.useA85, 0
        try:
            return _write_pdf(doc)
        finally:
            rl_config.useA85 = a85


def _write_pdf(doc: LaidOutDocument) -> bytes:
    register_fonts()
    setup = doc.page
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(setup.width, setup.height), initialFontName=face(False, False),
                    initialFontSize=setup.page_number_size, pageCompression=1, lang="vi-VN")
    canvas.setTitle(doc.title)
    canvas.setSubject(doc.subject)
    canvas.setAuthor(doc.author)
    canvas.setKeywords(doc.keywords)
    canvas.setCreator(f"DirDesk {__version__}")
    canvas.setProducer(f"DirDesk {__version__}")
    pages = paginate(doc)
    for page in pages:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setStrokeColorRGB(0, 0, 0)
        baseline = page_number_baseline(setup, page)
        if baseline is not None:
            size = setup.page_number_size
            canvas.setFont(face(False, False), size)
            canvas.drawCentredString(setup.left + setup.text_width / 2, setup.height - baseline, str(page.number))
        for item in page.items:
            if isinstance(item, PlacedText):
                _draw_text(canvas, setup.height, item)
            elif isinstance(item, PlacedRule):
                canvas.setLineWidth(item.thickness)
                y = setup.height - item.y
                canvas.line(item.x0, y, item.x1, y)
            elif isinstance(item, PlacedLine):
                canvas.setLineWidth(item.thickness)
                canvas.line(item.x0, setup.height - item.y0, item.x1, setup.height - item.y1)
            elif isinstance(item, PlacedFrame):
                _draw_frame(canvas, setup.height, item)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
