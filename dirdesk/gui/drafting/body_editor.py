"""The body editor: formatted text on screen, body markup in the draft.

Ctrl+B, Ctrl+I and Ctrl+U toggle bold, italic and underline on the selection
(or for what is typed next); Ctrl+E makes the line a centred bold heading
(the markup's "# " line) and back. Typing "# " at the start of a line does
the same. Pasted text keeps only bold, italic and underline.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import QSizePolicy, QTextEdit

from dirdesk.gui.drafting.body_markup import (
    char_format,
    document_from_markup,
    document_to_markup,
    fill_document,
    heading_block_format,
    is_heading,
)
from dirdesk.markup import escape

_SHORTCUTS = {Qt.Key.Key_B: "bold", Qt.Key.Key_I: "italic", Qt.Key.Key_U: "underline", Qt.Key.Key_E: "heading"}


class _HeadingHighlighter(QSyntaxHighlighter):
    """Draws heading lines bold on screen without changing their character formats."""

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        if text and is_heading(self.currentBlock()):
            fmt = QTextCharFormat()
            fmt.setFontWeight(QFont.Weight.Bold)
            self.setFormat(0, len(text), fmt)


class BodyEditor(QTextEdit):
    """A QTextEdit whose content is read and written as body markup."""

    markupChanged = Signal()

    def __init__(self, parent=None, accessible_name: str = "Nội dung") -> None:
        super().__init__(parent)
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)  # Tab moves on to the next field, as in the rest of the form
        self.setAccessibleName(accessible_name)
        self._highlighter = _HeadingHighlighter(self.document())
        self.textChanged.connect(self.markupChanged)

    def set_minimum_lines(self, lines: int) -> None:
        """At least `lines` lines of text in view, its frame and document margins added; it grows beyond."""
        margins = 2 * (self.frameWidth() + int(self.document().documentMargin()))
        self.setMinimumHeight(lines * self.fontMetrics().lineSpacing() + margins)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # --- markup in and out ---------------------------------------------------

    def set_markup(self, markup: str | None) -> None:
        self.blockSignals(True)
        try:
            fill_document(self.document(), markup)
            self.document().setModified(False)
        finally:
            self.blockSignals(False)
        self._highlighter.rehighlight()
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.markupChanged.emit()

    def markup(self) -> str:
        return document_to_markup(self.document())

    # --- formatting ----------------------------------------------------------

    def toggle(self, kind: str) -> None:
        """Bold, italic or underline on the selection (or the next typed text), or a heading line."""
        if kind == "heading":
            self.toggle_heading()
            return
        cursor = self.textCursor()
        fmt = cursor.charFormat() if not cursor.hasSelection() else self._selection_format(cursor)
        on = {
            "bold": fmt.fontWeight() < QFont.Weight.DemiBold,
            "italic": not fmt.fontItalic(),
            "underline": not fmt.fontUnderline(),
        }[kind]
        change = QTextCharFormat()
        if kind == "bold":
            change.setFontWeight(QFont.Weight.Bold if on else QFont.Weight.Normal)
        elif kind == "italic":
            change.setFontItalic(on)
        else:
            change.setFontUnderline(on)
        if cursor.hasSelection():
            cursor.mergeCharFormat(change)
        self.mergeCurrentCharFormat(change)
        self.markupChanged.emit()

    @staticmethod
    def _selection_format(cursor: QTextCursor) -> QTextCharFormat:
        """A format that is bold (italic, underlined) only if the whole selection is."""
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        probe = QTextCursor(cursor.document())
        bold = italic = underline = True
        for pos in range(start, end):
            probe.setPosition(pos + 1)
            if probe.document().characterAt(pos).isspace():
                continue
            fmt = probe.charFormat()
            bold &= fmt.fontWeight() >= QFont.Weight.DemiBold
            italic &= fmt.fontItalic()
            underline &= fmt.fontUnderline()
        out = QTextCharFormat()
        out.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        out.setFontItalic(italic)
        out.setFontUnderline(underline)
        return out

    def toggle_heading(self) -> None:
        cursor = self.textCursor()
        cursor.setBlockFormat(heading_block_format(not is_heading(cursor.block())))
        self._highlighter.rehighlightBlock(cursor.block())
        self.markupChanged.emit()

    # --- keys ------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Ctrl+B/I/U/E belong to the editor while it has the focus, whatever the window binds.
        if event.type() == QEvent.Type.ShortcutOverride and self._shortcut_kind(event):
            event.accept()
            return True
        return super().event(event)

    @staticmethod
    def _shortcut_kind(event: QKeyEvent) -> str | None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.ControlModifier:
            return _SHORTCUTS.get(Qt.Key(event.key()))
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        kind = self._shortcut_kind(event)
        if kind:
            self.toggle(kind)
            return
        cursor = self.textCursor()
        block = cursor.block()
        if event.key() == Qt.Key.Key_Space and not cursor.hasSelection() and cursor.positionInBlock() == 1 \
                and block.text().startswith("#") and not is_heading(block):
            cursor.deletePreviousChar()  # "# " typed at the start of a line: a heading line
            cursor.setBlockFormat(heading_block_format(True))
            self.setTextCursor(cursor)
            self._highlighter.rehighlightBlock(block)
            self.markupChanged.emit()
            return
        if event.key() == Qt.Key.Key_Backspace and not cursor.hasSelection() and cursor.positionInBlock() == 0 \
                and is_heading(block):
            self.toggle_heading()  # first Backspace at a heading's start makes it an ordinary line
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and is_heading(block) \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier and cursor.atBlockEnd():
            cursor.insertBlock(heading_block_format(False), char_format())
            self.setTextCursor(cursor)  # the line after a heading is an ordinary one
            return
        super().keyPressEvent(event)

    # --- paste -------------------------------------------------------------------

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802
        """Paste keeping only what the markup can hold (bold, italic, underline, lines)."""
        if source.hasHtml():
            markup = document_to_markup(_document_from_html(source.html()))
        elif source.hasText():
            markup = plain_text_markup(source.text())
        else:
            return
        self.textCursor().insertFragment(QTextDocumentFragment(document_from_markup(markup)))
        self.ensureCursorVisible()


def plain_text_markup(text: str) -> str:
    """Plain text as markup: every character literal, except that a "# " line stays a heading line
    (the markup has no other way to read it, so the editor shows it as one at once)."""
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.lstrip()
        lines.append("# " + escape(stripped[2:]) if stripped.startswith("# ") else escape(line))
    return "\n".join(lines)


def _document_from_html(html: str) -> QTextDocument:
    """Pasted HTML; a centred paragraph (a heading in Word) becomes a heading line."""
    doc = QTextDocument()
    doc.setHtml(html)
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter:
            QTextCursor(block).setBlockFormat(heading_block_format(True))
        block = block.next()
    return doc
