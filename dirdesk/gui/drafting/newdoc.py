"""A new document: the type picker; the template is filled in from the office
profile by the core (dirdesk.templates.draft_from_profile)."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from dirdesk.gui.forms import fit_to_screen, load_form
from dirdesk.rules import STYLES, doc_types, edition_in_force
from dirdesk.text import fold

STYLE_LABELS = {"party": "Văn bản của Đảng", "state": "Văn bản hành chính nhà nước"}
CODE_ROLE = Qt.ItemDataRole.UserRole


class _TypeDelegate(QStyledItemDelegate):
    """Two lines per type: its name (bold) and its purpose (wrapped)."""

    PAD = 4

    def _parts(self, index) -> tuple[str, str]:
        head, _, purpose = (index.data() or "").partition("\n")
        return head, purpose

    def _fonts(self, option) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        return bold, option.font

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        head, purpose = self._parts(index)
        bold, plain = self._fonts(option)
        view = self.parent()
        width = max((view.viewport().width() if view is not None else option.rect.width()) - 2 * self.PAD, 100)
        flags = int(Qt.TextFlag.TextWordWrap)
        h1 = QFontMetrics(bold).boundingRect(QRect(0, 0, width, 10_000), flags, head).height()
        h2 = QFontMetrics(plain).boundingRect(QRect(0, 0, width, 10_000), flags, purpose).height()
        return QSize(width, h1 + h2 + 3 * self.PAD)

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        head, purpose = self._parts(index)
        bold, plain = self._fonts(option)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(role))
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        flags = int(Qt.TextFlag.TextWordWrap)
        painter.setFont(bold)
        used = painter.boundingRect(rect, flags, head)
        painter.drawText(rect, flags, head)
        painter.setFont(plain)
        painter.drawText(rect.adjusted(0, used.height() + self.PAD, 0, 0), flags, purpose)
        painter.restore()


class NewDocumentDialog:
    """The picker of forms/draft_new_document.ui: the style's types, each with its purpose."""

    def __init__(self, style: str | None, parent: QWidget | None = None) -> None:
        self.dialog: QDialog = load_form("draft_new_document", parent)
        d = self.dialog
        d.setModal(True)
        ok = d.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Mở mẫu")
        ok.setAccessibleName("Mở mẫu của loại đã chọn")
        d.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        d.buttons.accepted.connect(d.accept)
        d.buttons.rejected.connect(d.reject)
        d.types.setItemDelegate(_TypeDelegate(d.types))
        for s in STYLES:
            d.style_combo.addItem(STYLE_LABELS[s], s)
        d.style_row.setVisible(style is None)  # the profile decides; only a first run without one asks
        d.style_combo.setCurrentIndex(STYLES.index(style) if style in STYLES else 0)
        d.style_combo.currentIndexChanged.connect(self._fill)
        d.filter.textChanged.connect(self._filter)
        d.types.itemDoubleClicked.connect(lambda _item: d.accept())
        d.types.currentItemChanged.connect(lambda *_: ok.setEnabled(d.types.currentItem() is not None))
        self._fill()
        fit_to_screen(d)
        d.filter.setFocus()
        d.filter.returnPressed.connect(self._accept_if_one)

    @property
    def style(self) -> str:
        return self.dialog.style_combo.currentData()

    def _fill(self) -> None:
        lst = self.dialog.types
        lst.clear()
        edition = edition_in_force(self.style, None)
        for code, t in doc_types(self.style).items():
            about = f"{t.purpose}\nLưu ý: {t.authority_note}" if t.authority_note else t.purpose
            item = QListWidgetItem(f"{t.choice_label(edition)}\n{about}")
            item.setData(CODE_ROLE, code)
            item.setToolTip(about)
            lst.addItem(item)
        lst.setCurrentRow(0)
        self._filter(self.dialog.filter.text())

    def _filter(self, text: str) -> None:
        wanted = fold(text)
        lst = self.dialog.types
        first = None
        for i in range(lst.count()):
            item = lst.item(i)
            hidden = bool(wanted) and wanted not in fold(item.text())
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if lst.currentItem() is None or lst.currentItem().isHidden():
            lst.setCurrentItem(first)

    def _visible(self) -> list[QListWidgetItem]:
        lst = self.dialog.types
        return [lst.item(i) for i in range(lst.count()) if not lst.item(i).isHidden()]

    def _accept_if_one(self) -> None:
        if self.dialog.types.currentItem() is not None and not self.dialog.types.currentItem().isHidden():
            self.dialog.accept()

    def select(self, code: str) -> None:
        for item in self._visible():
            if item.data(CODE_ROLE) == code:
                self.dialog.types.setCurrentItem(item)

    def chosen(self) -> str | None:
        item = self.dialog.types.currentItem()
        return item.data(CODE_ROLE) if item is not None and not item.isHidden() else None

    def exec(self) -> str | None:
        """Show the picker; the chosen type code, or None when cancelled."""
        if self.dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self.chosen()
