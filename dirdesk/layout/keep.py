"""What stays together across a page break.

- A title line (a paragraph all bold that fits on one line: "I. KẾT QUẢ THỰC HIỆN",
  "1. Mục đích") goes with the paragraph under it, as a "# " heading does.
- The signature keeps the body's last paragraph, whole, with it (build.py): a
  paragraph kept with a table goes whole in LibreOffice, so the PDF does the same.
- A Nơi nhận longer than the signer's block would make one row taller than what
  is left of a page (50 recipients: taller than a page with any body text), and
  rows never split: the recipients beyond the signer's block go into rows of
  their own under it, which break between pages like lines.
"""

from __future__ import annotations

import math

from dirdesk.fonts import text_width
from dirdesk.layout.model import Cell, Paragraph, Table


def is_title_line(p: Paragraph, width: float) -> bool:
    """All its printed text bold, on one line."""
    printed = [r for r in p.runs if r.text.strip()]
    if not printed or not all(r.bold for r in printed) or "\n" in p.text:
        return False
    box = width - p.left_indent - p.right_indent - p.first_indent
    return sum(text_width(r.text, r.size, r.bold, r.italic) for r in p.runs) <= box


def keep_titles(paragraphs: list[Paragraph], width: float) -> None:
    for p in paragraphs:
        if is_title_line(p, width):
            p.keep_with_next = p.keep_together = True


def _height(blocks: list[Paragraph], width: float) -> float:
    """About how tall these paragraphs stand in a cell `width` wide (lines by their text's width)."""
    total = 0.0
    for p in blocks:
        box = max(width - p.left_indent - p.right_indent, 1.0)
        widths = [sum(text_width(r.text, r.size, r.bold, r.italic) for r in p.runs)] if p.runs else [0.0]
        total += p.space_before + p.line * max(1, math.ceil(widths[0] / box))
    return total


def split_tall_left(table: Table) -> Table:
    """The signature table with the left cell's paragraphs beyond the right cell's height moved into
    rows of one paragraph each (empty on the right); unchanged when the left cell is not the taller."""
    if len(table.rows) != 1 or len(table.rows[0]) != 2:
        return table
    (left, right), (left_w, right_w) = table.rows[0], table.col_widths
    if not right.blocks:  # no signer: nothing to keep apart from the body
        return table
    room = _height(right.blocks, right_w)
    kept, height = [], 0.0
    for p in left.blocks:
        height += _height([p], left_w)
        if kept and height > room:
            break
        kept.append(p)
    rest = left.blocks[len(kept):]
    if not rest:
        return table
    rows = [[Cell(kept), right]] + [[Cell([p]), Cell([])] for p in rest]
    return Table(table.role, table.col_widths, rows, indent=table.indent, header_rows=table.header_rows,
                 borders=table.borders, padding=table.padding)
