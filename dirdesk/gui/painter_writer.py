"""The third writer of a laid-out document: its pages drawn on a QPainter
(a QPrinter) as vector text and lines, beside the DOCX and PDF writers.

It draws the pages `dirdesk.render.pdf_flow.paginate` made, the very objects
the PDF writer draws, and never lays anything out again: every fragment
starts, every underline and the page number stand where the PDF writer puts
them (`fragment_starts`, `underline_spans`, `page_number_baseline` of
pdf_writer). Inside a fragment each word is placed at the position the
layout measured (reportlab's advances), so Qt's own text metrics cannot make
a long line drift; Qt only sets the glyphs of one word. The faces are the
files the PDF writer embeds (dirdesk.fonts.embedded: the system's Times New
Roman, or the bundled Liberation Serif), added to Qt once (`qt_families`). Points become device units at the
printer's resolution.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPen

from dirdesk.fonts import KEYS, embedded, text_width
from dirdesk.layout.model import PageSetup
from dirdesk.render.pdf_flow import Fragment, Page, PlacedFrame, PlacedLine, PlacedRule, PlacedText
from dirdesk.render.pdf_writer import (
    UNDERLINE_POSITION,
    UNDERLINE_THICKNESS,
    fragment_starts,
    frame_rect,
    page_number_baseline,
    rgb,
    underline_spans,
)

_WORDS = re.compile(r" +|[^ ]+ *")  # leading spaces, then each word with the spaces after it


class FontMissing(RuntimeError):
    """A bundled face could not be added to Qt."""


@cache
def qt_families() -> dict[tuple[bool, bool], str]:
    """Add the four faces the PDF embeds to Qt's font database once; their family name by (bold, italic).

    Called on the GUI thread before a print job starts (and again, cached, by the writer)."""
    families = {}
    choice = embedded()
    for key in KEYS:
        filename = choice.file(*key)
        font_id = QFontDatabase.addApplicationFont(filename)
        names = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not names:
            raise FontMissing(filename)
        families[key] = names[0]
    return families


@cache
def _font(bold: bool, italic: bool, size: float) -> QFont:
    font = QFont(qt_families()[(bold, italic)])
    font.setBold(bold)
    font.setItalic(italic)
    font.setPointSizeF(size)  # on a QPrinter a point is 1/72 inch at the device's resolution
    font.setKerning(False)  # the layout measured without kerning, as the PDF writer sets text
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    return font


def word_starts(x: float, frag: Fragment, word_space: float) -> list[tuple[float, str]]:
    """Each word of a fragment, with the spaces after it, and where it begins: the fragment's start
    plus the measured widths of the text before it (spaces widened by the line's justification)."""
    words = []
    for piece in _WORDS.findall(frag.text):
        words.append((x, piece))
        spaces = len(piece) - len(piece.rstrip(" "))
        x += text_width(piece, frag.size, frag.bold, frag.italic) + spaces * word_space
    return words


class PainterWriter:
    """Draws laid-out pages onto a painter whose device has `dpi` dots per inch, origin at the page's
    top left corner (a QPrinter with fullPage and no margins)."""

    def __init__(self, painter: QPainter, setup: PageSetup, dpi: float):
        self.painter = painter
        self.setup = setup
        self.k = dpi / 72  # device units per point
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)

    def _pen(self, thickness: float, color: str | None = None) -> None:
        pen = QPen(QColor.fromRgbF(*rgb(color)))
        pen.setWidthF(thickness * self.k)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)  # reportlab's default butt cap
        self.painter.setPen(pen)

    def _line(self, x0: float, y0: float, x1: float, y1: float, thickness: float, color: str | None = None) -> None:
        self._pen(thickness, color)
        k = self.k
        self.painter.drawLine(QLineF(x0 * k, y0 * k, x1 * k, y1 * k))

    def _words(self, x: float, baseline: float, frag: Fragment, word_space: float) -> None:
        self.painter.setFont(_font(bool(frag.bold), bool(frag.italic), frag.size))
        k = self.k
        for start, word in word_starts(x, frag, word_space):
            self.painter.drawText(QPointF(start * k, baseline * k), word)

    def _text(self, item: PlacedText) -> None:
        if not item.line.fragments:
            return
        self._pen(0, item.color)
        for x, frag in fragment_starts(item):
            self._words(x, item.baseline, frag, item.line.word_space)
        for x0, x1, size in underline_spans(item):
            y = item.baseline + UNDERLINE_POSITION * size
            self._line(x0, y, x1, y, UNDERLINE_THICKNESS * size, item.color)

    def _frame(self, item: PlacedFrame) -> None:
        self._pen(item.thickness, item.color)
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        left, top, width, height = frame_rect(item)
        k = self.k
        self.painter.drawRect(QRectF(left * k, top * k, width * k, height * k))

    def _page_number(self, page: Page) -> None:
        baseline = page_number_baseline(self.setup, page)
        if baseline is None:
            return
        size = self.setup.page_number_size
        label = str(page.number)
        x = self.setup.left + self.setup.text_width / 2 - text_width(label, size) / 2  # drawCentredString
        self._pen(0)
        self._words(x, baseline, Fragment(label, False, False, False, size), 0.0)

    def draw(self, page: Page) -> None:
        """One page, everything the PDF writer draws on it."""
        self._page_number(page)
        for item in page.items:
            if isinstance(item, PlacedText):
                self._text(item)
            elif isinstance(item, PlacedRule):
                self._line(item.x0, item.y, item.x1, item.y, item.thickness)
            elif isinstance(item, PlacedLine):
                self._line(item.x0, item.y0, item.x1, item.y1, item.thickness)
            elif isinstance(item, PlacedFrame):
                self._frame(item)
