"""Line breaking and pagination for the PDF writer.

The page flow follows what a word processor does with the DOCX written from
the same laid-out document (measured against LibreOffice): greedy line
breaking at spaces and after hyphens; justified lines widen their spaces only;
exact line heights with the baseline at ascent/(ascent+descent) of the line;
spacing between paragraphs is the larger of space-after and space-before,
none above the first paragraph of a page; table rows never split and include
their cells' first space-before and last space-after; widows and orphans of
one line are not allowed; keep-with-next and keep-together are honoured.
A table's cell padding narrows its cells' text and adds to its rows' height,
as does the width of its grid lines (once a row); its header rows are
repeated at the top of every page it continues on, and never stand at the
foot of a page without the first row under them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from reportlab.pdfbase import pdfmetrics

from dirdesk.fonts import measure_face, text_width
from dirdesk.layout.model import LaidOutDocument, Paragraph, SectionBreak, Table

EPS = 0.01
# Lines are measured with the fonts' exact advances. LibreOffice positions
# glyphs on a device grid, so a line within a few hundredths of a point of
# the margin may break differently there; no constant slack models that
# (tried: scale factors and 0.1-0.3 pt slack each broke more lines than they
# fixed over the seeds and templates), so none is applied.
FIT_SLACK = EPS


@cache
def baseline_ratio() -> float:
    """Where the baseline sits in an exact-height line, as a fraction of it."""
    font = pdfmetrics.getFont(measure_face(False, False)).face
    return font.ascent / (font.ascent - font.descent)


@dataclass
class Fragment:
    text: str
    bold: bool
    italic: bool
    underline: bool
    size: float

    @property
    def width(self) -> float:
        return _text_width(self.text, self.size, self.bold, self.italic)


# Vietnamese is written in short syllables that recur: a register of a thousand
# rows measures the same few thousand words over and over.
_text_width = lru_cache(maxsize=1 << 16)(text_width)


@dataclass
class TextLine:
    fragments: list[Fragment]
    x: float  # offset of the line's start within the paragraph box
    word_space: float  # extra width added to every space (justification)


@dataclass
class PlacedText:
    x: float
    baseline: float  # from the top of the page
    line: TextLine
    color: str | None = None  # "RRGGBB"; None = black


@dataclass
class PlacedFrame:
    """A rectangle round a framed paragraph: its outer edges (from the top left of the page)."""

    x0: float
    y0: float
    x1: float
    y1: float
    thickness: float
    color: str


@dataclass
class PlacedRule:
    x0: float
    x1: float
    y: float  # centre of the stroke, from the top of the page
    thickness: float


@dataclass
class PlacedLine:
    """A straight line between two points (from the top left of the page): a table's grid."""

    x0: float
    y0: float
    x1: float
    y1: float
    thickness: float


@dataclass
class Page:
    number: int  # as printed: from 1 in each part whose numbers restart (a SectionBreak)
    items: list = field(default_factory=list)
    first_texts: list[str] = field(default_factory=list)  # roles/texts of paragraphs begun here
    # Where blank boxes some later step fills land (x0, top, x1, bottom from the top left), by role: the
    # "sign_space" a signature image goes into (dirdesk/signing/placement.py). Nothing is printed for them.
    boxes: list[tuple[str, float, float, float, float]] = field(default_factory=list)


# -- line breaking -----------------------------------------------------------------

_TOKENS = re.compile(r"[^ \n]+|[ \n]")


def _words(p: Paragraph) -> list[list[Fragment] | str]:
    """The paragraph as words (lists of fragments), "space" and "newline" markers.

    A break is allowed after a run of spaces and after a hyphen that stands
    between two non-space characters ("COVID-19", "SARS-CoV-2").
    """
    out: list = []
    word: list[Fragment] = []
    text = p.text
    start = 0  # of the run in the paragraph's text

    def push(chunk: str, run) -> None:
        if word and (word[-1].bold, word[-1].italic, word[-1].underline, word[-1].size) == (
                run.bold, run.italic, run.underline, run.size):
            word[-1].text += chunk
        else:
            word.append(Fragment(chunk, run.bold, run.italic, run.underline, run.size))

    def breaks_after(i: int) -> bool:  # text[i] is a hyphen
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        return not prev.isspace() and not nxt.isspace() and nxt != "-"

    for run in p.runs:
        for match in _TOKENS.finditer(run.text):
            token = match.group()
            if token == "\n" or token == " ":
                if word:
                    out.append(word)
                    word = []
                out.append("newline" if token == "\n" else Fragment(" ", run.bold, run.italic, run.underline,
                                                                      run.size))
                continue
            at = start + match.start()
            cut = 0
            for k in (k for k, ch in enumerate(token) if ch == "-"):
                if breaks_after(at + k):
                    push(token[cut:k + 1], run)
                    out.append(word)
                    word = []
                    cut = k + 1
            if cut < len(token):
                push(token[cut:], run)
        start += len(run.text)
    if word:
        out.append(word)
    return out


def _line_width(items) -> float:
    return sum(f.width for f in items)


def break_lines(p: Paragraph, width: float) -> list[TextLine]:
    """Break a paragraph into lines for a box `width` points wide."""
    if not p.runs or not p.text:
        return [TextLine([], 0, 0)]
    lines: list[tuple[list[Fragment], bool]] = []  # (fragments, ends paragraph or forced break)
    current: list[Fragment] = []
    pending_spaces: list[Fragment] = []
    current_w = pending_w = 0.0  # the widths of `current` and of `pending_spaces`
    first = True

    def avail() -> float:
        return width - p.left_indent - p.right_indent - (p.first_indent if first else 0)

    def flush(forced: bool) -> None:
        nonlocal current, pending_spaces, first, current_w, pending_w
        lines.append((current, forced))
        current, pending_spaces, first = [], [], False
        current_w = pending_w = 0.0

    for item in _words(p):
        if item == "newline":
            flush(True)
            continue
        if isinstance(item, Fragment):  # a space
            if current:
                pending_spaces.append(item)
                pending_w += item.width
            continue
        word_w = _line_width(item)
        if current and current_w + pending_w + word_w > avail() + FIT_SLACK:
            flush(False)
        if not current and word_w > avail() + EPS:
            # A word longer than the line: cut it where it overflows.
            for frag in item:
                for ch in frag.text:
                    piece = Fragment(ch, frag.bold, frag.italic, frag.underline, frag.size)
                    if current and current_w + piece.width > avail() + EPS:
                        flush(False)
                    current.append(piece)
                    current_w += piece.width
            continue
        current.extend(pending_spaces)
        current.extend(item)
        current_w += pending_w + word_w
        pending_spaces, pending_w = [], 0.0
    lines.append((current, True))

    out = []
    for i, (frags, last) in enumerate(lines):
        box = width - p.left_indent - p.right_indent - (p.first_indent if i == 0 else 0)
        natural = _line_width(frags)
        start = p.left_indent + (p.first_indent if i == 0 else 0)
        spaces = sum(f.text.count(" ") for f in frags)
        word_space = 0.0
        if p.align == "center":
            start += (box - natural) / 2
        elif p.align == "right":
            start += box - natural
        elif p.align == "justify" and not last and spaces:
            word_space = (box - natural) / spaces
        out.append(TextLine(_merge(frags), start, word_space))
    return out


def _merge(frags: list[Fragment]) -> list[Fragment]:
    merged: list[Fragment] = []
    for f in frags:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].underline, merged[-1].size) == (
                f.bold, f.italic, f.underline, f.size):
            merged[-1] = Fragment(merged[-1].text + f.text, f.bold, f.italic, f.underline, f.size)
        else:
            merged.append(Fragment(f.text, f.bold, f.italic, f.underline, f.size))
    return merged


# -- pagination ---------------------------------------------------------------------

def rule_height(p: Paragraph) -> float:
    return p.line + p.rule_gap + p.rule_thickness


def _par_height(p: Paragraph, n_lines: int) -> float:
    if p.rule_width is not None:
        return rule_height(p)
    return n_lines * p.line + (2 * p.frame.thickness if p.frame else 0)  # a frame's border lies outside


def _frame_at(p: Paragraph, x: float, width: float, top: float) -> PlacedFrame:
    """The frame of a paragraph whose box begins `top`: the border outside its indents and its line."""
    t = p.frame.thickness
    return PlacedFrame(x + p.left_indent - t, top, x + width - p.right_indent + t, top + p.line + 2 * t, t,
                       p.frame.color)


class _Flow:
    def __init__(self, doc: LaidOutDocument):
        self.doc = doc
        self.page_setup = doc.page
        self.pages: list[Page] = []
        self.bottom = doc.page.height - doc.page.bottom
        self._lines: dict[tuple, list[TextLine]] = {}
        self.first_bottom = min([self.bottom] + [self.foot_top(m) for m in doc.marks if m.page == "first_foot"])
        self._grid = None  # (table, page, bottom, vertical lines) of the last row drawn with a grid
        self.part_start = 0  # index of the first page of the part being laid out
        self.new_page()

    def foot_top(self, mark) -> float:
        """Where a mark at the foot of page 1 begins: its height above the footer distance (as the
        DOCX's first-page footer grows upward from there)."""
        setup = self.page_setup
        return setup.height - setup.footer_distance - self.cell_height(mark.blocks, setup.text_width)

    def new_page(self) -> None:
        self.pages.append(Page(len(self.pages) - self.part_start + 1))
        normal = self.page_setup.height - self.page_setup.bottom
        self.bottom = self.first_bottom if len(self.pages) == 1 else normal  # page 1's text above its foot mark
        self.y = self.page_setup.top
        self.pending_after = 0.0
        self.at_top = True

    @property
    def page(self) -> Page:
        return self.pages[-1]

    # measuring ------------------------------------------------------------------
    def lines_of(self, p: Paragraph, width: float) -> list[TextLine]:
        """A paragraph's lines, broken once however often the flow asks (and once for
        paragraphs alike: a register repeats its dates, signers and recipients)."""
        key = (tuple(p.runs), p.align, p.first_indent, p.left_indent, p.right_indent, width)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = break_lines(p, width)
        return lines

    def gap_before(self, p: Paragraph) -> float:
        return 0.0 if self.at_top else max(self.pending_after, p.space_before)

    def fit_lines(self, p: Paragraph, n: int, room: float) -> int:
        """How many of n lines go on this page under the widow/orphan and keep rules."""
        s = max(int(math.floor(room / p.line + EPS)), 0)
        if s >= n:
            return n
        if p.keep_together or p.rule_width is not None:
            return 0
        if s < 2:
            return 0
        if n - s < 2:
            s = n - 2
            return s if s >= 2 else 0
        return s

    def cell_height(self, blocks: list[Paragraph], width: float) -> float:
        height, after = 0.0, None
        for p in blocks:
            height += p.space_before if after is None else max(after, p.space_before)
            height += _par_height(p, len(self.lines_of(p, width)))
            after = p.space_after
        return height + (after or 0.0)

    def row_height(self, table: Table, row) -> float:
        """The tallest cell, its padding above and below, and (as in LibreOffice) one grid line."""
        pad = table.padding
        widths = zip(row, table.col_widths, strict=True)
        content = max(self.cell_height(cell.blocks, w - 2 * pad) for cell, w in widths)
        return content + 2 * pad + (table.borders or 0)

    def starts_here(self, blocks: list, index: int, y: float, pending: float) -> bool:
        """Can blocks[index] begin on this page at y (keeping its own keep-with-next chain)?"""
        if index >= len(blocks) or isinstance(blocks[index], SectionBreak):
            return True
        block = blocks[index]
        if isinstance(block, Table):
            return y + pending + self.row_height(block, block.rows[0]) <= self.bottom + EPS
        p = block
        width = self.page_setup.text_width
        n = len(self.lines_of(p, width))
        top = y + max(pending, p.space_before)
        if p.keep_with_next:
            end = top + _par_height(p, n)
            return end <= self.bottom + EPS and self.starts_here(blocks, index + 1, end, p.space_after)
        return self.fit_lines(p, n, self.bottom - top) > 0

    # placing --------------------------------------------------------------------
    def place_paragraph(self, p: Paragraph, x: float, width: float, lines=None) -> None:
        lines = lines if lines is not None else self.lines_of(p, width)
        self.y += self.gap_before(p)
        self.page.first_texts.append(p.text)
        if p.rule_width is not None:
            self.draw_rule(p, x, width, self.y)
            self.y += rule_height(p)
            self.pending_after, self.at_top = p.space_after, False
            return
        if p.frame:
            if not self.at_top and self.y + _par_height(p, len(lines)) > self.bottom + EPS:
                self.new_page()
                self.page.first_texts.append(p.text)
            self.y = self.place_framed(p, lines, x, width, self.y)
            self.pending_after, self.at_top = p.space_after, False
            return
        while lines:
            n = self.fit_lines(p, len(lines), self.bottom - self.y)
            if n == 0 and self.at_top:
                n = max(1, min(len(lines), int((self.bottom - self.y) // p.line)))
            if n == 0:
                self.new_page()
                self.page.first_texts.append(p.text)
                continue
            for line in lines[:n]:
                self.page.items.append(PlacedText(x, self.y + p.line * baseline_ratio(), line, p.color))
                self.y += p.line
            lines = lines[n:]
            self.at_top = False
            if lines:
                self.new_page()
                self.page.first_texts.append(p.text)
        self.pending_after = p.space_after

    def place_framed(self, p: Paragraph, lines: list[TextLine], x: float, width: float, top: float) -> float:
        """A framed paragraph, its border round its lines; returns where it ends."""
        self.page.items.append(_frame_at(p, x, width, top))
        y = top + p.frame.thickness
        for line in lines:
            self.page.items.append(PlacedText(x, y + p.line * baseline_ratio(), line, p.color))
            y += p.line
        return y + p.frame.thickness

    def draw_rule(self, p: Paragraph, x: float, width: float, top: float) -> None:
        x0 = x + p.left_indent
        x1 = x + width - p.right_indent
        self.page.items.append(PlacedRule(x0, x1, top + p.line + p.rule_gap + p.rule_thickness / 2,
                                          p.rule_thickness))

    def place_table(self, table: Table, x: float) -> None:
        heads = table.rows[:table.header_rows]
        for i, row in enumerate(table.rows):
            height = self.row_height(table, row)
            top = self.y + (0 if self.at_top else self.pending_after)
            need = height
            if heads and i == 0:  # the header goes over with the first row under it
                need = sum(self.row_height(table, r) for r in table.rows[:len(heads) + 1])
            elif i < len(heads):
                need = 0
            if top + need > self.bottom + EPS and not self.at_top:
                self.new_page()
                top = self.y
                if i >= len(heads):
                    for head in heads:
                        head_height = self.row_height(table, head)
                        self.place_row(table, head, x, top, head_height)
                        top += head_height
            self.place_row(table, row, x, top, height)
            self.y = top + height
            self.pending_after, self.at_top = 0.0, False

    def place_row(self, table: Table, row, x: float, top: float, height: float) -> None:
        pad = table.padding
        left = cell_x = x + table.indent
        for cell, width in zip(row, table.col_widths, strict=True):
            self.place_cell(cell.blocks, cell_x + pad, width - 2 * pad, top + pad + (table.borders or 0) / 2)
            cell_x += width
        if table.borders:
            self.draw_grid(table, left, top, top + height)

    def draw_grid(self, table: Table, left: float, top: float, bottom: float) -> None:
        """A row's cell edges; a row right under the last one drawn shares its top line and verticals."""
        last = self._grid
        if last is not None and last[0] is table and last[1] is self.page and abs(last[2] - top) < EPS:
            verticals = last[3]
            for line in verticals:
                line.y1 = bottom
        else:
            edges = [left]
            for width in table.col_widths:
                edges.append(edges[-1] + width)
            verticals = [PlacedLine(x, top, x, bottom, table.borders) for x in edges]
            self.page.items.append(self.grid_line(table, left, edges[-1], top))
            self.page.items.extend(verticals)
        self.page.items.append(self.grid_line(table, left, verticals[-1].x0, bottom))
        self._grid = (table, self.page, bottom, verticals)

    @staticmethod
    def grid_line(table: Table, left: float, right: float, y: float) -> PlacedLine:
        """A horizontal grid line, run on over the verticals' half width so that the corners close."""
        half = table.borders / 2
        return PlacedLine(left - half, y, right + half, y, table.borders)

    def place_cell(self, blocks: list[Paragraph], x: float, width: float, top: float) -> None:
        y, after = top, None
        for p in blocks:
            y += p.space_before if after is None else max(after, p.space_before)
            self.page.first_texts.append(p.text)
            if p.rule_width is not None:
                self.draw_rule(p, x, width, y)
                y += rule_height(p)
            elif p.frame:
                y = self.place_framed(p, self.lines_of(p, width), x, width, y)
            else:
                start = y
                for line in self.lines_of(p, width):
                    self.page.items.append(PlacedText(x, y + p.line * baseline_ratio(), line, p.color))
                    y += p.line
                if p.role == "sign_space":
                    self.page.boxes.append((p.role, x, start, x + width, y))
            after = p.space_after

    def section_break(self, block: SectionBreak, x: float) -> None:
        """The 1 pt paragraph that ends the part in the DOCX (it carries the section's properties),
        then a new page, numbered from 1 again when the break says so."""
        mark = Paragraph(role="section_mark", runs=[], size=1, line=SectionBreak.MARK_LINE)
        self.place_paragraph(mark, x, self.page_setup.text_width)
        if block.restart_numbers:
            self.part_start = len(self.pages)
        self.new_page()

    def run(self) -> list[Page]:
        blocks = self.doc.blocks
        x = self.page_setup.left
        for i, block in enumerate(blocks):
            if isinstance(block, SectionBreak):
                self.section_break(block, x)
                continue
            if isinstance(block, Table):
                self.place_table(block, x)
                continue
            if block.keep_with_next and not self.at_top:
                if not self.starts_here(blocks, i, self.y, self.pending_after):
                    self.new_page()
            self.place_paragraph(block, x, self.page_setup.text_width)
        return self.pages


def place_marks(doc: LaidOutDocument, pages: list[Page]) -> None:
    """Draw each page mark on its page (the first or the last), its top where the mark says:
    laid out like the flow's blocks, outside the flow (nothing moves for it)."""
    for mark in doc.marks:
        flow = _Flow(doc)
        flow.y = flow.foot_top(mark) if mark.page == "first_foot" else mark.top
        flow.bottom = doc.page.height  # a mark is where it is said to be, margins or not
        x = doc.page.left
        for block in mark.blocks:
            if isinstance(block, Table):
                flow.place_table(block, x)
            else:
                flow.place_paragraph(block, x, doc.page.text_width)
        target = pages[0] if mark.page in ("first", "first_foot") else pages[-1]
        target.items.extend(flow.pages[0].items)


def paginate(doc: LaidOutDocument) -> list[Page]:
    pages = _Flow(doc).run()
    place_marks(doc, pages)
    return pages
