"""The page marks of a laid-out document in the DOCX (see dirdesk/layout/marks.py).

A mark of the first page goes into the first page's header, which Word and
LibreOffice set at the header distance (the page number's 10 mm) from the top
edge: the phạm vi lưu hành, 10 mm from the top (05-HD II.4.1). A mark of the
foot of the first page is the first page's footer, which grows upward from the
footer distance and keeps page 1's text above it (NĐ 30 ô 13). A mark of the
last page is a paragraph framed at a fixed place on the page (w:framePr,
anchored to the page), written after the last block, so that it lands on the
last page without moving any text: "Không phổ biến …", 10 mm from the bottom.
The PDF writer draws both at the same places (pdf_flow.place_marks).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from dirdesk.layout.model import Paragraph, Table

# pPr children that come after w:framePr in the schema's order.
_AFTER_FRAME = ("widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
                "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
                "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
                "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
                "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def _twips(points: float) -> str:
    return str(round(points * 20))


def write_first_page(writer, header, marks) -> None:
    """The first page's header (or footer) holds the marks' blocks in order (its empty paragraph goes)."""
    for p in list(header.paragraphs):
        p._p.getparent().remove(p._p)
    last = None
    for mark in marks:
        for block in mark.blocks:
            if isinstance(block, Table):
                writer.write_table(block, container=header)
            else:
                writer.write_paragraph(header.add_paragraph(), block)
            last = block
    if isinstance(last, Table):  # a header ends with a paragraph: one a point high
        writer.write_paragraph(header.add_paragraph(), Paragraph(role="empty", runs=[], size=1, line=1))


def _frame(par, x: float, y: float, width: float) -> None:
    frame = OxmlElement("w:framePr")
    for attr, value in (("w:w", _twips(width)), ("w:hSpace", "0"), ("w:wrap", "around"), ("w:vAnchor", "page"),
                        ("w:hAnchor", "page"), ("w:x", _twips(x)), ("w:y", _twips(y))):
        frame.set(qn(attr), value)
    ppr = par._p.get_or_add_pPr()
    after = next((c for c in ppr if c.tag.split("}")[1] in _AFTER_FRAME), None)
    if after is None:
        ppr.append(frame)
    else:
        after.addprevious(frame)


def write_last_page(writer, marks) -> None:
    page = writer.doc.page
    for mark in marks:
        top = mark.top
        for block in mark.blocks:
            if isinstance(block, Table):  # no mark of the last page is a table
                raise ValueError("a last-page mark holds paragraphs only")
            par = writer.document.add_paragraph()
            writer.write_paragraph(par, block)
            _frame(par, page.left, top, page.text_width)
            top += block.line
