"""The register tables' models: rows read a page at a time (dirdesk.registers.pages).

`RegisterModel` shows a `pages.View` of a register. It starts with one page
(200 rows) and the view asks for more (`canFetchMore`/`fetchMore`) as the
clerk scrolls down; a click on a heading sorts in SQL and starts again from
the first page. Cancelled rows are grey with "Đã hủy: lý do" in Ghi chú;
deleted rows (shown only on request) are struck through; follow-up rows past
their deadline are red.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from dirdesk.registers import pages

Reader = Callable[..., Any]
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PARENT = QModelIndex()
CENTRED = {"date", "doc_date", "received_date", "sent_date", "deadline", "number", "copies"}
GREY = QColor("#6b6b6b")
RED = QColor("#b00020")
DELETED_BACKGROUND = QColor("#f3e5e5")


class RegisterModel(QAbstractTableModel):
    """A register's rows for a view, fetched lazily in pages of `page_size`."""

    def __init__(self, registry, view: pages.View, parent=None, page_size: int = pages.PAGE_SIZE,
                 read: Reader | None = None):
        """`registry` is the open register, or a function returning it (read at each query, so a
        register reopened after a restore is used). `read(fn, *args, default=…)` makes each query
        (`Operations.read_here` in a section: the one error path); by default `fn(registry, *args)`."""
        super().__init__(parent)
        self._registry = registry
        self._read = read or (lambda fn, *args, default=None: fn(self.registry, *args))
        self._view = view
        self.page_size = page_size
        self.columns = pages.columns(view.register)
        self.fields = [c.field for c in self.columns]
        self._rows: list[pages.PageRow] = []
        self._done = False
        self._total = 0
        self.fetch_count = 0  # rows read from the register since the last reset (tests, status line)
        self.reload()

    @property
    def registry(self):
        return self._registry() if callable(self._registry) else self._registry

    # ------------------------------------------------------------ the view

    @property
    def view(self) -> pages.View:
        return self._view

    def set_view(self, view: pages.View) -> None:
        """Show another view (filters or order changed): start again from the first page."""
        self._view = view
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows, self._done, self.fetch_count = [], False, 0
        self._total = self._read(pages.count, self._view, default=0)
        self._fetch(self.page_size, announce=False)
        self.endResetModel()

    @property
    def total(self) -> int:
        """Rows in the view (loaded or not)."""
        return self._total

    @property
    def loaded(self) -> int:
        return len(self._rows)

    # ------------------------------------------------------------ lazy fetching

    def canFetchMore(self, parent=NO_PARENT) -> bool:  # noqa: N802 (Qt's name)
        return not parent.isValid() and not self._done

    def fetchMore(self, parent=NO_PARENT) -> None:  # noqa: N802
        if parent.isValid() or self._done:
            return
        self._fetch(self.page_size)

    def _fetch(self, limit: int, *, announce: bool = True) -> None:
        after = self._rows[-1].key if self._rows else None
        batch = self._read(pages.fetch_page, self._view, after, limit, default=None)
        if batch is None:  # the read failed and the clerk was told: stop asking for more
            self._done = True
            return
        self.fetch_count += len(batch)
        if len(batch) < limit:
            self._done = True
        if not batch:
            return
        if announce:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(batch) - 1)
        self._rows.extend(batch)
        if announce:
            self.endInsertRows()

    def ensure_loaded(self, row_id: int) -> int | None:
        """Load pages until the row is in the model; its index, or None when the view leaves it out."""
        found = self.index_of(row_id)
        if found is not None:
            return found
        where = self._read(pages.position, self._view, row_id, default=None)
        if where is None:
            return None
        if where < len(self._rows):  # the row is new to the register since the model was read
            self.reload()
        if where >= len(self._rows) and not self._done:
            self._fetch(where - len(self._rows) + self.page_size)
        return self.index_of(row_id)

    # ------------------------------------------------------------ rows

    def row(self, index: int) -> pages.PageRow:
        return self._rows[index]

    def row_id(self, index: int) -> int:
        return self._rows[index].id

    def index_of(self, row_id: int) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == row_id:
                return i
        return None

    def update_row(self, row_id: int) -> None:
        """Re-read one row after it was edited; it leaves the table if the view no longer holds it."""
        i = self.index_of(row_id)
        if i is None:
            return
        fresh = self._read(pages.get, self._view, row_id, default=self._rows[i])
        if fresh is None:
            self.beginRemoveRows(QModelIndex(), i, i)
            del self._rows[i]
            self._total = max(0, self._total - 1)
            self.endRemoveRows()
            return
        self._rows[i] = fresh
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))

    # ------------------------------------------------------------ Qt model

    def rowCount(self, parent=NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=NO_PARENT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.heading
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = column.heading
                if not pages.sortable(self._view.register, column.field):
                    tip += " (không sắp xếp theo cột này)"
                return tip
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        field = self.fields[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[index.column()]
        if role == ROW_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.deleted_at or row.status == "cancelled":
                return QBrush(GREY)
            if self._overdue(row):
                return QBrush(RED)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(DELETED_BACKGROUND) if row.deleted_at else None
        if role == Qt.ItemDataRole.FontRole:
            struck = row.deleted_at or (row.status == "cancelled" and field in ("symbol", "type_and_subject"))
            if struck or self._overdue(row):
                font = QFont()
                font.setStrikeOut(bool(struck))
                font.setBold(self._overdue(row) and field == "deadline")
                return font
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignHCenter if field in CENTRED else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _overdue(self, row: pages.PageRow) -> bool:
        if not row.deadline or row.status == "done" or row.deleted_at:
            return False
        return row.deadline < (self._view.today or dt.date.today()).isoformat()

    def _tooltip(self, row: pages.PageRow, column: int) -> str:
        text = row.cells[column]
        notes = []
        if row.deleted_at:
            notes.append(f"Đã xóa lúc {row.deleted_at}; chọn dòng rồi bấm «Khôi phục» để lấy lại.")
        if row.status == "cancelled":
            notes.append(f"Đã hủy: {row.cancel_reason}")
        if self._overdue(row):
            late = ((self._view.today or dt.date.today()) - dt.date.fromisoformat(row.deadline)).days
            notes.append(f"Quá hạn xử lý {late} ngày.")
        return "\n".join(filter(None, [text, *notes]))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        field = self.fields[column]
        if not pages.sortable(self._view.register, field):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if self._view.sort == field and self._view.descending == descending:
            return
        self.set_view(replace(self._view, sort=field, descending=descending))

    def sort_column(self) -> int:
        """The column the view is sorted by (for the header's indicator)."""
        field = self._view.sort or pages.DEFAULT_SORT[self._view.register]
        return self.fields.index(field) if field in self.fields else -1
