"""A reorderable list of recipients ("Kính gửi") or "Nơi nhận" lines, typed
with completion from the office's address book.

Suggestions match what is typed folded (no diacritics, any case, đ = d) anywhere
in a name: "uy" finds "Ủy ban MTTQ phường". Picking one adds it and clears the
box. New lines go above the "Lưu …" line, which stays last in Nơi nhận. A
pasted list becomes one line per name, without its bullets ("-", "+") and
endings (";", ",", "."). A name typed that the address book does not hold is
added to the list and offered, in a line under it, for keeping in the address
book. The address book is read again when the box gets the focus and when its
suggestions pop up, so names added in Cài đặt reach an open draft.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dirdesk.registers.search import fold
from dirdesk.text import clean

# Lines that are not names of a body: never offered for the address book.
_NOT_NAMES = ("như trên", "như kính gửi", "như điều", "lưu")
_BULLET = re.compile(r"^[\s\-+•*–—]+")
_ENDING = re.compile(r"[\s;,.]+$")


def clean_line(text: str) -> str:
    return clean(text, keep_newlines=False).strip()


def pasted_lines(text: str) -> list[str]:
    """The names in typed or pasted text, one a line, without bullets ("-", "+") and endings (";", ",", ".")."""
    names = (_ENDING.sub("", _BULLET.sub("", clean_line(raw))) for raw in re.split(r"[\r\n\u2028\u2029]+", text))
    return [name for name in names if name]


def is_archive_line(text: str) -> bool:
    """The "Lưu VT" / "Lưu: VT, VP" line of Nơi nhận, which stays last."""
    folded = fold(clean_line(text))
    return folded.startswith("luu") and not folded[3:4].isalnum()


class _Matches(QSortFilterProxyModel):
    """The address book's names that hold the typed text, both folded, anywhere in the name."""

    def __init__(self, book: QStringListModel, parent: QObject) -> None:
        super().__init__(parent)
        self.setSourceModel(book)
        self.typed = ""

    def set_typed(self, text: str) -> None:
        self.beginFilterChange()
        self.typed = fold(clean_line(text))
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        return self.typed in fold(self.sourceModel().index(row, 0, parent).data() or "")


class AddressList(QWidget):
    changed = Signal()

    def __init__(self, what: str, book: QStringListModel, keep: Callable[[str], None] | None = None,
                 parent: QWidget | None = None, *, read_book: Callable[[], list[str]] | None = None) -> None:
        """`what` names the list for the clerk ("Kính gửi"); `book` is the shared address book model;
        `keep(name)` stores a new name in the address book; `read_book()` reads the address book as
        it now stands (Cài đặt may have changed it)."""
        super().__init__(parent)
        self.what = what
        self.book = book
        self._keep = keep
        self._read_book = read_book
        self._offered: str | None = None
        self._read_only = False
        self.setAccessibleName(what)

        self.list = QListWidget(self)
        self.list.setAccessibleName(f"Danh sách {what}")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setWordWrap(True)
        self.list.model().rowsMoved.connect(lambda *_: self.changed.emit())
        self.list.itemChanged.connect(self._edited)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())

        self.entry = QLineEdit(self)
        self.entry.setAccessibleName(f"Thêm vào {what}")
        self.entry.setPlaceholderText("Gõ tên để chọn trong sổ địa chỉ, Enter để thêm")
        self.entry.setClearButtonEnabled(True)
        # The completer shows the rows _Matches keeps (folded matching, which QCompleter cannot do);
        # it is driven here rather than by the line edit, which would filter again by prefix.
        self.matches = _Matches(book, self)
        self.completer = QCompleter(self.matches, self)
        self.completer.setWidget(self.entry)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.activated[str].connect(self.pick)
        self.entry.textEdited.connect(self._typed)
        self.entry.returnPressed.connect(self.add_from_entry)
        self.entry.installEventFilter(self)

        self.add_button = self._button("Thêm", f"Thêm vào {what}", self.add_from_entry)
        self.up_button = self._button("Lên", "Chuyển dòng đã chọn lên (Ctrl+Up)", lambda: self.move(-1))
        self.down_button = self._button("Xuống", "Chuyển dòng đã chọn xuống (Ctrl+Down)", lambda: self.move(1))
        self.remove_button = self._button("Xóa", "Xóa dòng đã chọn (Delete)", self.remove_current)

        self.offer_label = QLabel(self)
        self.offer_label.setWordWrap(True)
        self.offer_button = self._button("Lưu vào sổ địa chỉ", "Lưu tên vừa thêm vào sổ địa chỉ", self._keep_offered)
        offer_row = QHBoxLayout()
        offer_row.addWidget(self.offer_label, 1)
        offer_row.addWidget(self.offer_button)
        self._set_offer(None)

        entry_row = QHBoxLayout()
        entry_row.addWidget(self.entry, 1)
        entry_row.addWidget(self.add_button)
        buttons = QHBoxLayout()
        for b in (self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addLayout(entry_row)
        layout.addLayout(offer_row)

        for keys, fn in ((QKeySequence.StandardKey.Delete, self.remove_current),
                         ("Ctrl+Up", lambda: self.move(-1)), ("Ctrl+Down", lambda: self.move(1))):
            sc = QShortcut(QKeySequence(keys), self.list)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(fn)
        self._fit_height()
        self._update_buttons()

    def focus_chain(self) -> list[QWidget]:
        """Its controls in the order they are seen (for the form's tab order)."""
        return [self.list, self.up_button, self.down_button, self.remove_button, self.entry, self.add_button,
                self.offer_button]

    def _button(self, text: str, accessible: str, slot) -> QPushButton:
        b = QPushButton(text, self)
        b.setAccessibleName(accessible)
        b.setToolTip(accessible)
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        return b

    # --- content ---------------------------------------------------------------

    def items(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            text = clean_line(self.list.item(i).text())
            if text:
                out.append(text)
        return out

    def set_items(self, lines: list[str]) -> None:
        self.list.blockSignals(True)
        try:
            self.list.clear()
            for line in lines:
                self.list.addItem(self._item(line))
        finally:
            self.list.blockSignals(False)
        self._set_offer(None)
        self._fit_height()
        self._update_buttons()

    def _item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
        return item

    def add(self, text: str) -> bool:
        """Add a line above the "Lưu …" line (or last, for the "Lưu" line itself)."""
        text = clean_line(text)
        if not text:
            return False
        row = self.list.count()
        if not is_archive_line(text):
            while row > 0 and is_archive_line(self.list.item(row - 1).text()):
                row -= 1
        self.list.insertItem(row, self._item(text))
        self.list.setCurrentRow(row)
        known = {n.casefold() for n in self.book.stringList()}
        offer = self._keep is not None and text.casefold() not in known \
            and not text.casefold().startswith(_NOT_NAMES)
        self._set_offer(text if offer else None)
        self._fit_height()
        self.changed.emit()
        return True

    def add_from_entry(self) -> None:
        """Enter or "Thêm": the typed text, one line per name (a suggestion highlighted is the completer's)."""
        popup = self.completer.popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            return  # the completer picks the highlighted suggestion (pick)
        popup.hide()
        added = [self.add(name) for name in pasted_lines(self.entry.text())]
        if any(added):
            self.entry.clear()

    def pick(self, name: str) -> None:
        """A suggestion clicked or chosen with Enter: added, and the box cleared for the next."""
        self.completer.popup().hide()
        if self.add(name):
            self.entry.clear()

    def _typed(self, text: str) -> None:
        if "\n" in text or "\r" in text:  # a pasted list: one line per name
            self.add_from_entry()
            return
        popup = self.completer.popup()
        if not popup.isVisible():
            self.read_book()  # the suggestions about to pop up are the address book as it is now
        self.matches.set_typed(text)
        if clean_line(text) and self.matches.rowCount():
            self.completer.complete()
            popup.setCurrentIndex(QModelIndex())  # Enter adds what is typed unless a suggestion is chosen
        else:
            popup.hide()

    def read_book(self) -> None:
        """Take the address book as it now stands (only when it changed: resetting the model closes the popup)."""
        if self._read_book is None:
            return
        names = list(self._read_book())
        if names != self.book.stringList():
            self.book.setStringList(names)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.entry and event.type() == QEvent.Type.FocusIn:
            self.read_book()
        return super().eventFilter(watched, event)

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.list.takeItem(row)
        self._fit_height()
        self._update_buttons()
        self.changed.emit()

    def move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        self.list.blockSignals(True)
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.blockSignals(False)
        self.list.setCurrentRow(target)
        self.changed.emit()

    def _edited(self, item: QListWidgetItem) -> None:
        text = clean_line(item.text())
        if text != item.text():
            self.list.blockSignals(True)
            item.setText(text)
            self.list.blockSignals(False)
        self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        self.entry.setEnabled(not read_only)
        self.add_button.setEnabled(not read_only)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop if read_only
                                  else QAbstractItemView.DragDropMode.InternalMove)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if read_only
                                  else QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self._read_only = read_only
        self._update_buttons()

    def _update_buttons(self) -> None:
        ro = self._read_only
        row = self.list.currentRow()
        self.up_button.setEnabled(not ro and row > 0)
        self.down_button.setEnabled(not ro and 0 <= row < self.list.count() - 1)
        self.remove_button.setEnabled(not ro and row >= 0)

    def _fit_height(self) -> None:
        """Tall enough for the lines it holds (3 to 8), in the font's own line height."""
        rows = min(max(self.list.count(), 3), 8)
        line = self.list.fontMetrics().lineSpacing() + 6
        self.list.setFixedHeight(rows * line + 2 * self.list.frameWidth() + 4)

    # --- the address book offer ------------------------------------------------

    def _set_offer(self, name: str | None) -> None:
        self._offered = name
        visible = name is not None
        if visible:
            self.offer_label.setText(f"«{name}» chưa có trong sổ địa chỉ.")
        self.offer_label.setVisible(visible)
        self.offer_button.setVisible(visible)

    def _keep_offered(self) -> None:
        if self._offered and self._keep is not None:
            self._keep(self._offered)
        self._set_offer(None)
