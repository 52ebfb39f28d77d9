"""The body markup (dirdesk/markup.py) to a QTextDocument and back.

The editor shows what the markup means: **bold**, *italic*, __underline__ as
character formats, a "# " line as a centred paragraph marked HEADING (the
editor's highlighter draws it bold; the "# " itself is not shown), and every
other line as it is written ("- " items and "1." lines keep their text).
One markup line is one text block; a blank line is an empty block, so
markup -> document -> markup gives the same text back.

Going back, emphasis is written per kind: a kind opens where it starts and
closes where it ends, never at a space (the markup opens a marker only
before a non-space and closes it only after one), and the three kinds need
not nest, which is how `dirdesk.markup.parse_inline` reads them. Literal
`*`, `_` and `\\` are escaped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat

from dirdesk.markup import escape, parse_inline
from dirdesk.text import clean

HEADING = QTextFormat.Property.UserProperty + 1  # block property: a "# " line
HEADING_PREFIX = "# "
_KINDS = (("bold", "**"), ("italic", "*"), ("underline", "__"))
_LINE_BREAKS = ("\u2028", "\u2029")


PARAGRAPH_GAP = 4  # pixels under each paragraph on screen (the printed spacing is the rule set's)


def heading_block_format(heading: bool) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(PARAGRAPH_GAP)
    if heading:
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        fmt.setProperty(HEADING, True)
    else:
        fmt.setAlignment(Qt.AlignmentFlag.AlignLeft)
        fmt.setProperty(HEADING, False)
    return fmt


def is_heading(block) -> bool:
    return bool(block.blockFormat().property(HEADING))


def char_format(bold: bool = False, italic: bool = False, underline: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    fmt.setFontItalic(italic)
    fmt.setFontUnderline(underline)
    return fmt


def fill_document(doc: QTextDocument, markup: str | None) -> None:
    """Replace the document's content with the markup's lines."""
    doc.clear()
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    lines = (markup or "").split("\n")
    for i, raw in enumerate(lines):
        heading = raw.lstrip().startswith(HEADING_PREFIX)
        text = raw.lstrip()[len(HEADING_PREFIX):] if heading else raw
        if i == 0:
            cursor.setBlockFormat(heading_block_format(heading))
        else:
            cursor.insertBlock(heading_block_format(heading), char_format())
        if text.strip():
            for span in parse_inline(text):
                cursor.insertText(span.text, char_format(span.bold, span.italic, span.underline))
        elif text:
            cursor.insertText(text, char_format())
    cursor.endEditBlock()


def document_from_markup(markup: str | None) -> QTextDocument:
    doc = QTextDocument()
    fill_document(doc, markup)
    return doc


def _flags(fmt: QTextCharFormat) -> tuple[bool, bool, bool]:
    return (fmt.fontWeight() >= QFont.Weight.DemiBold, fmt.fontItalic(), fmt.fontUnderline())


def block_chars(block) -> list[tuple[str, tuple[bool, bool, bool]]]:
    """The block's characters, each with its (bold, italic, underline)."""
    chars = []
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        if frag.isValid():
            flags = _flags(frag.charFormat())
            for ch in frag.text():
                if ch == "\ufffc":  # an object (image) has no markup
                    continue
                chars.append(("\n" if ch in _LINE_BREAKS else ch, flags))
        it += 1
    return chars


def chars_to_markup(chars: list[tuple[str, tuple[bool, bool, bool]]]) -> str:
    """One line's characters as inline markup (see the module's note on markers)."""
    flags = [list(f) for _, f in chars]
    text = [c for c, _ in chars]
    n = len(text)
    for k in range(3):  # a run of one kind never starts or ends on a space
        i = 0
        while i < n:
            if not flags[i][k]:
                i += 1
                continue
            j = i
            while j < n and flags[j][k]:
                j += 1
            a, b = i, j - 1
            while a <= b and text[a].isspace():
                flags[a][k] = False
                a += 1
            while b >= a and text[b].isspace():
                flags[b][k] = False
                b -= 1
            i = j
    out: list[str] = []
    opened: list[int] = []  # kinds open, in the order they opened
    for i in range(n + 1):
        now = flags[i] if i < n else [False, False, False]
        closing = [k for k in reversed(opened) if not now[k]]
        for k in closing:
            out.append(_KINDS[k][1])
            opened.remove(k)
        if i == n:
            break
        for k in range(3):
            if now[k] and k not in opened:
                out.append(_KINDS[k][1])
                opened.append(k)
        out.append(escape(text[i]))
    return "".join(out)


def block_markup(block) -> str:
    """The block's markup line; a soft line break (Shift+Enter) starts a line of its own."""
    parts: list[list] = [[]]
    for ch, flags in block_chars(block):
        if ch == "\n":
            parts.append([])
        else:
            parts[-1].append((ch, flags))
    lines = [chars_to_markup(part) for part in parts]
    if is_heading(block):
        lines[0] = HEADING_PREFIX + lines[0]
    return "\n".join(lines)


def document_to_markup(doc: QTextDocument) -> str:
    """The markup of the whole document: one line per block, NFC, no trailing blank lines."""
    lines = []
    block = doc.begin()
    while block.isValid():
        lines.append(block_markup(block))
        block = block.next()
    while lines and not lines[-1].strip():
        lines.pop()
    return clean("\n".join(lines))
