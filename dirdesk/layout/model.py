"""Blocks of the laid-out document. All lengths are in points."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    text: str
    size: float
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Frame:
    """A rectangle round a paragraph (a mark's frame): outer size, border thickness, colour.

    The border lies outside the paragraph's box (between its indents, its one
    exact line): the builder sets indents and line so the outer size is exact.
    """

    width: float
    height: float
    thickness: float
    color: str  # "RRGGBB"


@dataclass
class Paragraph:
    """One paragraph. `role` names the element it prints (issuer, number, body, …).

    `line` is an exact line height. `rule_width` draws a solid line of that
    width, centred, `rule_gap` below the text (the paragraph's indents are
    set so that a bottom border has exactly that width). `frame` draws a
    rectangle round it (dirdesk.layout.frames); `color` colours its text.
    """

    role: str
    runs: list[Run]
    size: float
    line: float
    align: str = "left"  # left | center | right | justify
    first_indent: float = 0
    left_indent: float = 0
    right_indent: float = 0
    space_before: float = 0
    space_after: float = 0
    keep_with_next: bool = False
    keep_together: bool = False
    rule_width: float | None = None
    rule_gap: float = 0
    rule_thickness: float = 0.75
    frame: Frame | None = None
    color: str | None = None  # "RRGGBB" of all its text; None = black

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Cell:
    blocks: list[Paragraph]


@dataclass
class Table:
    """A table whose rows never split across pages; borderless with no cell padding by default.

    `header_rows` rows at the top are repeated at the top of every page the
    table runs onto. `borders` draws every cell's edges (a grid) with lines
    that wide; `padding` is the space between a cell's edges and its text on
    all four sides.
    """

    role: str
    col_widths: list[float]
    rows: list[list[Cell]]
    indent: float = 0  # offset of the table's left edge from the left margin (may be negative)
    header_rows: int = 0
    borders: float | None = None
    padding: float = 0


@dataclass
class SectionBreak:
    """What follows starts a new part on a new page (a document issued with a decision, a phụ lục).

    `restart_numbers`: its pages are numbered from 1 again, its first page not shown, like the
    document's own (NĐ 30 Phụ lục I IV.1.đ; 05-HD IV.5.2). Every writer makes the same break: the
    DOCX a section (its properties carried by a 1 pt empty paragraph, MARK), the PDF a new page.
    """

    restart_numbers: bool = True
    role: str = "section_break"

    MARK_LINE = 1.0  # the height of the empty paragraph that ends the part before, pt


Block = Paragraph | Table | SectionBreak


@dataclass(frozen=True)
class PageSetup:
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    page_number_size: float
    page_number_top: float  # distance of the page number's line from the top edge
    number_first_page: bool = False  # documents are numbered from page 2; registers from page 1

    @property
    def text_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def footer_distance(self) -> float:
        """From the bottom edge to the footer (the DOCX's; the foot of page 1 carries NĐ 30's ô 13)."""
        return self.bottom / 2

    @property
    def landscape(self) -> bool:
        return self.width > self.height


@dataclass
class PageMark:
    """Blocks fixed at a place on one page, outside the flow of the text: "first" or "last" page,
    `top` their distance from the page's top edge (the phạm vi lưu hành 10 mm from the top of page 1;
    "Không phổ biến …" 10 mm from the bottom of the last page). Laid out across the text width.
    "first_foot": the foot of page 1, ending at the footer distance from the bottom edge, the text of
    page 1 kept above it (NĐ 30's ô 13); its `top` follows from its height."""

    blocks: list[Block]
    page: str  # first | last | first_foot
    top: float = 0


@dataclass
class LaidOutDocument:
    page: PageSetup
    font: str  # the font the document names (Times New Roman)
    blocks: list[Block] = field(default_factory=list)
    title: str = ""  # document properties
    subject: str = ""
    author: str = ""
    keywords: str = ""
    marks: list[PageMark] = field(default_factory=list)

    def paragraphs(self):
        """Every paragraph in reading order, table cells left to right, row by row."""
        yield from _paragraphs_of(self.blocks)

    def all_paragraphs(self):
        """Every paragraph, those of the page marks (phạm vi lưu hành, …) after the flow's."""
        yield from self.paragraphs()
        for mark in self.marks:
            yield from _paragraphs_of(mark.blocks)


def _paragraphs_of(blocks: list[Block]):
    for block in blocks:
        if isinstance(block, SectionBreak):
            continue
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield from cell.blocks
        else:
            yield block
