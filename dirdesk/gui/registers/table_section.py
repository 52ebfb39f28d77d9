"""A register as a table with its filters: the shared part of the Văn bản đi
and Văn bản đến sections (forms/register_table.ui).

Filters: year and month ("Tháng 11/2026", "Cả năm"), type, status, text
(diacritic-insensitive, through the search index), "Hiện dòng đã xóa".
A click on a heading sorts; Enter or a double click opens the entry; Delete
deletes (soft, with confirmation) and "Hoàn tác" brings the row back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QRect, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui import dialogs
from dirdesk.gui.forms import load_form
from dirdesk.gui.operations import Change
from dirdesk.gui.registers import common
from dirdesk.gui.registers.entry_base import soft_delete_job, undelete_job
from dirdesk.gui.registers.models import RegisterModel
from dirdesk.gui.sections import SectionBase
from dirdesk.gui.workers import Debouncer
from dirdesk.registers import pages
from dirdesk.registers.audit import get_row
from dirdesk.registers.columns import month_period, year_period
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import load_profile
from dirdesk.rules import doc_types


def fit_columns(table: QTableView, columns) -> None:
    """Column widths from the spreadsheet widths (in characters), never narrower than the heading's
    longest word with room for the sort arrow; then a header tall enough for the wrapped headings."""
    metrics = table.horizontalHeader().fontMetrics()
    char = table.fontMetrics().horizontalAdvance("0")
    for i, column in enumerate(columns):
        word = max(metrics.horizontalAdvance(w) for w in column.heading.split())
        table.setColumnWidth(i, max(int(max(column.xlsx_width, 7) * char * 1.15) + 12, word + 34))
    fit_header(table)


def fit_header(table: QTableView) -> None:
    """Make the header as tall as its most wrapped heading (QHeaderView wraps but does not grow)."""
    header = table.horizontalHeader()
    model = table.model()
    metrics = header.fontMetrics()
    tallest = metrics.height()
    flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    for i in range(model.columnCount()):
        text = model.headerData(i, Qt.Orientation.Horizontal)
        width = max(20, header.sectionSize(i) - 28)  # margins and the sort arrow
        tallest = max(tallest, metrics.boundingRect(QRect(0, 0, width, 10_000), flags, text).height())
    header.setFixedHeight(tallest + metrics.height() // 2 + 8)


class RegisterSection(SectionBase):
    """One register in a table; subclasses name it, its entry dialog and add their buttons."""

    register = ""  # outgoing | incoming
    dialog_class: type  # the EntryDialog subclass a row opens in (set by each register)
    title = ""
    heading = ""
    noun = "văn bản"
    status_choices: tuple[tuple[str, str], ...] = ()

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.attach(context)
        self.dialog = None  # the entry dialog open now
        self._stale = False
        self._last_deleted: tuple[int, str] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("register_table", self)
        layout.addWidget(self.form)
        self.form.layout().setContentsMargins(12, 10, 12, 6)
        self.table: QTableView = self._child("table", QTableView)
        self.year: QComboBox = self._child("year", QComboBox)
        self.month: QComboBox = self._child("month", QComboBox)
        self.doc_type: QComboBox = self._child("doc_type", QComboBox)
        self.status: QComboBox = self._child("status", QComboBox)
        self.text: QLineEdit = self._child("text", QLineEdit)
        self.show_deleted: QCheckBox = self._child("show_deleted", QCheckBox)
        self.summary: QLabel = self._child("summary", QLabel)
        self.undo_label: QLabel = self._child("undo_label", QLabel)
        self.undo_button: QPushButton = self._child("undo_button", QPushButton)
        self.open_button: QPushButton = self._child("open_button", QPushButton)
        self.delete_button: QPushButton = self._child("delete_button", QPushButton)
        self.restore_button: QPushButton = self._child("restore_button", QPushButton)
        title = self._child("title", QLabel)
        title.setText(self.heading)
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        self._fill_choices()
        self.model = RegisterModel(lambda: self.context.registry, self.current_view(), self, read=self._read)
        self._setup_table()
        self._text_debouncer = Debouncer(self.apply_filters, 300, self)
        self.year.currentIndexChanged.connect(self._year_changed)
        for box in (self.month, self.doc_type, self.status):
            box.currentIndexChanged.connect(self.apply_filters)
        self.text.textChanged.connect(self._text_debouncer.poke)
        self.text.returnPressed.connect(self._text_debouncer.flush)
        self.show_deleted.toggled.connect(self.apply_filters)
        self.open_button.clicked.connect(self.open_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.restore_button.clicked.connect(self.restore_current)
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_label.hide()
        self.undo_button.hide()
        self.add_actions(self._child("actions", QHBoxLayout))
        self._update_summary()
        self._update_buttons()

    @property
    def registry(self):
        """The open register: read each time, as a restore from a backup replaces it."""
        return self.context.registry

    def _read(self, fn, *args, default=None):
        """A page of the table, read on the GUI thread through the operations' one error path."""
        return self.context.ops.read_here(self, "đọc sổ", fn, *args, default=default)

    def _child(self, name: str, cls=QWidget):
        found = self.form.findChild(cls, name)
        if found is None:
            raise LookupError(f"register_table.ui has no {name}")
        return found

    def add_actions(self, layout) -> None:
        """Subclasses add their buttons to the actions row (after "Mở…")."""

    def insert_action(self, layout: QHBoxLayout, button: QPushButton) -> None:
        """Put a button in the actions row, after "Mở…" and the buttons added before it."""
        self._added_actions = getattr(self, "_added_actions", 0) + 1
        layout.insertWidget(layout.indexOf(self.open_button) + self._added_actions, button)

    # ------------------------------------------------------------ table

    def _setup_table(self) -> None:
        table = self.table
        table.setSortingEnabled(False)
        table.setModel(self.model)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fit_columns(table, self.model.columns)
        header.sectionResized.connect(lambda *_: fit_header(table))
        header.setSortIndicator(self.model.sort_column(),
                                Qt.SortOrder.DescendingOrder if self.model.view.descending
                                else Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.activated.connect(lambda index: self.open_entry(self.model.row_id(index.row())))
        table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_summary)
        self.model.rowsInserted.connect(self._update_summary)
        self.model.rowsRemoved.connect(self._update_summary)
        QShortcut(QKeySequence.StandardKey.Delete, table, activated=self.delete_current,
                  context=Qt.ShortcutContext.WidgetShortcut)

    def _sort_indicator_changed(self, column: int, order) -> None:
        if not pages.sortable(self.register, self.model.fields[column]):
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder
                                    if self.model.view.descending else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
        self._update_buttons()

    # ------------------------------------------------------------ filters

    def _fill_choices(self) -> None:
        for box in (self.year, self.month, self.doc_type, self.status):
            box.blockSignals(True)
        self._fill_years()
        self._fill_months()
        self.doc_type.clear()
        self.doc_type.addItem("Mọi loại", None)
        for code, label in self.type_choices():
            self.doc_type.addItem(f"{label[:1].upper()}{label[1:]} ({code})", code)
        self.status.clear()
        self.status.addItem("Mọi trạng thái", None)
        for code, label in self.status_choices:
            self.status.addItem(label, code)
        for box in (self.year, self.month, self.doc_type, self.status):
            box.blockSignals(False)

    def type_choices(self) -> list[tuple[str, str]]:
        profile = self.context.ops.read_here(self, "đọc hồ sơ cơ quan", load_profile)
        style = (profile.style if profile else None) or "party"
        return [(code, t.label) for code, t in doc_types(style).items()]

    def _fill_years(self) -> None:
        chosen = self.year.currentData()
        years = self.context.ops.read_here(self, "đọc các năm của sổ", pages.year_range, self.register, default=[])
        this_year = dt.date.today().year
        if this_year not in years:
            years = sorted({*years, this_year}, reverse=True)
        self.year.clear()
        self.year.addItem("Tất cả các năm", None)
        for y in years:
            self.year.addItem(f"Năm {y}", y)
        self.year.setCurrentIndex(max(0, self.year.findData(chosen)))

    def _fill_months(self) -> None:
        year, chosen = self.year.currentData(), self.month.currentData()
        self.month.clear()
        if year is None:
            self.month.addItem("Cả năm", None)
            self.month.setEnabled(False)
            return
        self.month.setEnabled(True)
        self.month.addItem(f"Cả năm {year}", None)
        for m in range(1, 13):
            self.month.addItem(f"Tháng {m}/{year}", m)
        self.month.setCurrentIndex(max(0, self.month.findData(chosen)))

    def _year_changed(self) -> None:
        self.month.blockSignals(True)
        self._fill_months()
        self.month.blockSignals(False)
        self.apply_filters()

    def set_period(self, year: int | None, month: int | None = None) -> None:
        """Choose the year and month shown (None: every year / the whole year)."""
        self.year.blockSignals(True)
        self.year.setCurrentIndex(max(0, self.year.findData(year)))
        self.year.blockSignals(False)
        self.month.blockSignals(True)
        self._fill_months()
        self.month.setCurrentIndex(max(0, self.month.findData(month)))
        self.month.blockSignals(False)
        self.apply_filters()

    def current_view(self) -> pages.View:
        year, month = self.year.currentData(), self.month.currentData()
        start = end = None
        if year is not None:
            period = month_period(f"{year}-{month:02d}") if month else year_period(year)
            start, end = period.start, period.end
        old = getattr(self, "model", None)
        sort, descending = (old.view.sort, old.view.descending) if old is not None else (None, True)
        return pages.View(self.register, start=start, end=end, doc_type=self.doc_type.currentData(),
                          status=self.status.currentData(), text=common.line(self.text.text()),
                          include_deleted=self.show_deleted.isChecked(), sort=sort, descending=descending)

    def apply_filters(self) -> None:
        keep = self.current_row_id()
        self.model.set_view(self.current_view())
        if keep is not None:
            self._select_loaded(keep)
        self._update_buttons()

    def clear_filters(self) -> None:
        for box in (self.year, self.month, self.doc_type, self.status):
            box.blockSignals(True)
        self.year.setCurrentIndex(0)
        self._fill_months()
        self.doc_type.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        for box in (self.year, self.month, self.doc_type, self.status):
            box.blockSignals(False)
        self.text.blockSignals(True)
        self.text.clear()
        self.text.blockSignals(False)
        self.apply_filters()

    def _update_summary(self) -> None:
        total, loaded = self.model.total, self.model.loaded
        if total == 0:
            text = f"Không có {self.noun} nào khớp bộ lọc." if self._filtered() else f"Sổ chưa có {self.noun} nào."
        elif loaded < total:
            text = (f"{common.number_text(total)} {self.noun} (đã tải {common.number_text(loaded)}, "
                    "cuộn xuống để xem thêm)")
        else:
            text = f"{common.number_text(total)} {self.noun}"
        self.summary.setText(text)

    def _filtered(self) -> bool:
        view = self.model.view
        return any((view.start, view.doc_type, view.status, view.text))

    # ------------------------------------------------------------ rows

    def current_row_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row_id(index.row())

    def _select_loaded(self, row_id: int) -> bool:
        i = self.model.index_of(row_id)
        if i is None:
            return False
        index = self.model.index(i, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def select_row_id(self, row_id: int) -> bool:
        """Show a row: load the pages up to it, widening the filters when they hide it.

        False when there is no such row."""
        if self._stale:
            self.refresh()
        if self.model.ensure_loaded(row_id) is None:
            row = self.context.ops.read_here(None, "tìm dòng trong sổ", _row_or_none, self.register, row_id)
            if row is None:
                return False
            if row.get("deleted_at") and not self.show_deleted.isChecked():
                self.show_deleted.blockSignals(True)
                self.show_deleted.setChecked(True)
                self.show_deleted.blockSignals(False)
            self.clear_filters()
            if self.model.ensure_loaded(row_id) is None:
                return False
        self._select_loaded(row_id)
        self.table.setFocus()
        self._update_buttons()
        return True

    def open_current(self) -> None:
        row_id = self.current_row_id()
        if row_id is not None:
            self.open_entry(row_id)

    def open_entry(self, row_id: int):
        """Select the row and open its entry dialog (window-modal, returns at once); returns the dialog."""
        if not self.select_row_id(row_id):
            dialogs.show_error(self, f"Không tìm thấy dòng {row_id} trong sổ.")
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.close()
        with self.context.ops.guarded(self, "mở dòng trong sổ") as guard:
            dialog = self.entry_dialog(row_id)
        if guard.failed:
            return None
        dialog.changed.connect(self.row_changed)
        dialog.deleted.connect(self._offer_undo)
        dialog.finished.connect(lambda *_: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        self.table.setFocus()

    def entry_dialog(self, row_id: int):
        return self.dialog_class(self.context, row_id, self)

    def row_changed(self, row_id: int) -> None:
        """A row was written here (entry dialog, delete): show it again."""
        self.model.update_row(row_id)  # it leaves the table when the filters no longer hold it
        self._update_buttons()

    def register_changed(self, change: Change) -> None:
        """A write: this register's table shows it (the row itself when it came from this section's
        dialog); a change of the other register or the profile is read when next shown."""
        if change.origin is self or (change.origin is not None and change.origin is self.dialog):
            return
        super().register_changed(change)

    def _update_buttons(self) -> None:
        row_id = self.current_row_id()
        row = self.model.row(self.model.index_of(row_id)) if row_id is not None else None
        self.open_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None and not row.deleted_at)
        self.restore_button.setEnabled(row is not None and bool(row.deleted_at))
        self.restore_button.setVisible(self.show_deleted.isChecked())
        self.update_actions(row)

    def update_actions(self, row) -> None:
        """Subclasses enable their buttons for the selected row (a pages.PageRow or None)."""

    # ------------------------------------------------------------ delete, restore, undo

    def delete_current(self) -> None:
        row_id = self.current_row_id()
        if row_id is not None:
            self.delete_row(row_id)

    def delete_row(self, row_id: int, *, confirm: bool = True) -> bool:
        row = self.model.row(self.model.index_of(row_id)) if self.model.index_of(row_id) is not None else None
        label = row.label if row else f"dòng {row_id}"
        if confirm and not dialogs.ask_yes_no(
                self, "Xóa dòng", f"Xóa {label} khỏi sổ?\n\nDòng được ẩn đi, không mất: có thể khôi phục bằng "
                "«Hoàn tác» hoặc «Hiện dòng đã xóa» rồi «Khôi phục».", yes="Xóa", no="Thôi"):
            return False
        next_row = self._neighbour(row_id)

        def deleted(_result) -> None:
            self._offer_undo(row_id, label)
            self.context.window.status(f"Đã xóa {label} (có thể hoàn tác).")
            self.row_changed(row_id)
            if next_row is not None and self.model.index_of(row_id) is None:
                self._select_loaded(next_row)

        return self.context.ops.write(self, f"xóa {label}", soft_delete_job, self.register, row_id,
                                      changes=self.register, done=deleted)

    def _offer_undo(self, row_id: int, label: str) -> None:
        """"Đã xóa …  [Hoàn tác]" under the table, for the row deleted last."""
        self._last_deleted = (row_id, label)
        self.undo_label.setText(f"Đã xóa {label}.")
        self.undo_label.show()
        self.undo_button.show()

    def _neighbour(self, row_id: int) -> int | None:
        i = self.model.index_of(row_id)
        if i is None:
            return None
        if i + 1 < self.model.rowCount():
            return self.model.row_id(i + 1)
        return self.model.row_id(i - 1) if i > 0 else None

    def undo_delete(self) -> None:
        if self._last_deleted is None:
            return
        row_id, label = self._last_deleted
        if self.restore_row(row_id):
            self._last_deleted = None
            self.undo_label.hide()
            self.undo_button.hide()

    def restore_current(self) -> None:
        row_id = self.current_row_id()
        if row_id is not None:
            self.restore_row(row_id)

    def restore_row(self, row_id: int) -> bool:
        """Bring a deleted row back (in a worker); False when it cannot start now."""
        def restored(row: dict) -> None:
            if self._last_deleted and self._last_deleted[0] == row_id:
                self._last_deleted = None
                self.undo_label.hide()
                self.undo_button.hide()
            self.model.reload()  # the row comes back in its place
            self.select_row_id(row_id)
            self.context.window.status(f"Đã khôi phục {pages.row_label(self.register, row)}.")

        return self.context.ops.write(self, "khôi phục dòng đã xóa", undelete_job, self.register, row_id,
                                      changes=self.register, done=restored)

    # ------------------------------------------------------------ refresh

    def refresh(self) -> None:
        """Read the register again, keeping the filters, the order and the selected row."""
        keep = self.current_row_id()
        for box in (self.year, self.month):
            box.blockSignals(True)
        self._fill_years()
        self._fill_months()
        for box in (self.year, self.month):
            box.blockSignals(False)
        self.model.set_view(replace(self.current_view(), sort=self.model.view.sort,
                                    descending=self.model.view.descending))
        if keep is not None:
            self.model.ensure_loaded(keep)
            self._select_loaded(keep)
        self._stale = False
        self._update_buttons()


def _row_or_none(registry, register: str, row_id: int) -> dict | None:
    try:
        return get_row(registry, register, row_id)
    except RegisterError:  # no such row: the caller says so
        return None
