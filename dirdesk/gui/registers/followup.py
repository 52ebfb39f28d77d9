"""Theo dõi giải quyết: received documents past their deadline (quá hạn, in
red, most overdue first) and those due by Sunday (đến hạn trong tuần). A row
opens its entry; "Ghi tiến độ…" notes progress; "Đã giải quyết…" closes it
with the reply's symbol, which the core links to our outgoing row when it is
one. The side bar's badge is the overdue count."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from dirdesk.gui import dialogs
from dirdesk.gui.forms import load_form
from dirdesk.gui.operations import Change
from dirdesk.gui.registers import common
from dirdesk.gui.registers.entry_incoming import IncomingEntryDialog
from dirdesk.gui.registers.models import RegisterModel
from dirdesk.gui.registers.table_section import fit_columns
from dirdesk.gui.sections import SectionBase
from dirdesk.registers import incoming, outgoing, pages

LISTS = (("overdue", "overdue_table", "overdue_box", "Quá hạn"),
         ("week", "week_table", "week_box", "Đến hạn trong tuần"))


class FollowupSection(SectionBase):
    title = "Theo dõi giải quyết"

    def __init__(self, context, parent: QWidget | None = None, *, today: dt.date | None = None):
        super().__init__(parent)
        self.attach(context)
        self.today = today
        self.dialog = None
        self._stale = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("register_followup", self)
        self.form.layout().setContentsMargins(12, 10, 12, 6)
        layout.addWidget(self.form)
        title = self.form.findChild(QLabel, "title")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        self.models: dict[str, RegisterModel] = {}
        self.tables: dict[str, QTableView] = {}
        self.boxes: dict[str, QGroupBox] = {}
        for due, table_name, box_name, _ in LISTS:
            table = self.form.findChild(QTableView, table_name)
            model = RegisterModel(lambda: self.context.registry, self._view(due), self, read=self._read)
            table.setSortingEnabled(False)
            table.setModel(model)
            header = table.horizontalHeader()
            header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
            header.setHighlightSections(False)
            fit_columns(table, model.columns)
            header.moveSection(header.visualIndex(model.fields.index("deadline")), 1)  # the deadline first
            header.setSortIndicator(model.sort_column(), Qt.SortOrder.AscendingOrder)
            table.setSortingEnabled(True)
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
            table.activated.connect(lambda index, m=model: self.open_entry(m.row_id(index.row())))
            # selectionChanged, not currentRowChanged: a click moves the current row before it selects it
            table.selectionModel().selectionChanged.connect(lambda *_, t=table: self._selection_changed(t))
            model.modelReset.connect(self._update_titles)
            self.models[due], self.tables[due] = model, table
            self.boxes[due] = box = self.form.findChild(QGroupBox, box_name)
            bold = QFont(box.font())
            bold.setBold(True)
            box.setFont(bold)
            normal = QFont(bold)
            normal.setBold(False)  # explicit, so the table does not inherit the title's bold
            table.setFont(normal)
        self.active = self.tables["overdue"]
        self.open_button: QPushButton = self.form.findChild(QPushButton, "open_button")
        self.progress_button: QPushButton = self.form.findChild(QPushButton, "progress_button")
        self.done_button: QPushButton = self.form.findChild(QPushButton, "done_button")
        self.open_button.clicked.connect(self.open_current)
        self.progress_button.clicked.connect(self.progress_current)
        self.done_button.clicked.connect(self.done_current)
        self._update_titles()
        self._update_buttons()

    @property
    def registry(self):
        """The open register: read each time, as a restore from a backup replaces it."""
        return self.context.registry

    def _read(self, fn, *args, default=None):
        return self.context.ops.read_here(self, "đọc danh sách theo dõi", fn, *args, default=default)

    def _view(self, due: str) -> pages.View:
        return pages.View("followup", due=due, today=self.today, sort="deadline", descending=False)

    # ------------------------------------------------------------ lists

    def _focus(self, table: QTableView) -> None:
        self.active = table
        for other in self.tables.values():
            if other is not table:
                other.selectionModel().clearSelection()
        self._update_buttons()

    def _selection_changed(self, table: QTableView) -> None:
        """A row selected in one list makes that list the active one; a selection cleared only updates."""
        if table.selectionModel().hasSelection() and table is not self.active:
            self._focus(table)
        else:
            self._update_buttons()

    def _update_titles(self) -> None:
        for due, _, _, heading in LISTS:
            total = self.models[due].total
            self.boxes[due].setTitle(f"{heading} ({common.number_text(total)})")
        day = self.today or dt.date.today()
        sunday = day + dt.timedelta(days=6 - day.weekday())
        self.form.findChild(QLabel, "today").setText(
            f"Hôm nay {day:%d/%m/%Y}; tuần này đến hết Chủ nhật {sunday:%d/%m/%Y}")
        overdue, week = self.models["overdue"].total, self.models["week"].total
        if overdue == 0 and week == 0:
            text = "Không có văn bản nào quá hạn hay đến hạn trong tuần."
        else:
            text = (f"{common.number_text(overdue)} văn bản quá hạn, {common.number_text(week)} văn bản đến hạn "
                    "trong tuần. Chọn một dòng rồi ghi tiến độ hoặc đánh dấu đã giải quyết.")
        self.form.findChild(QLabel, "summary").setText(text)

    def current_row_id(self) -> int | None:
        index = self.active.currentIndex()
        if not index.isValid() or not self.active.selectionModel().isRowSelected(index.row()):
            return None
        return self.active.model().row_id(index.row())

    def _update_buttons(self) -> None:
        has = self.current_row_id() is not None
        for button in (self.open_button, self.progress_button, self.done_button):
            button.setEnabled(has)

    def badge(self) -> str:
        """The count of overdue documents for the side bar ("3"), or "" when none."""
        n = self.models["overdue"].total  # counted when the list was last read
        return str(n) if n else ""

    def refresh(self) -> None:
        keep = self.current_row_id()
        for due, model in self.models.items():
            model.set_view(self._view(due))
        if keep is not None:
            self.select_row_id(keep)
        self._stale = False
        self._update_titles()
        self._update_buttons()

    def select_row_id(self, row_id: int) -> bool:
        for due, model in self.models.items():
            i = model.ensure_loaded(row_id)
            if i is not None:
                table = self.tables[due]
                table.selectRow(i)
                table.scrollTo(model.index(i, 0))
                self._focus(table)
                return True
        return False

    # ------------------------------------------------------------ actions

    def open_current(self) -> None:
        row_id = self.current_row_id()
        if row_id is not None:
            self.open_entry(row_id)

    def open_entry(self, row_id: int):
        with self.context.ops.guarded(self, "mở văn bản đến") as guard:
            dialog = IncomingEntryDialog(self.context, row_id, self)
        if guard.failed:
            return None
        dialog.changed.connect(self._changed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _changed(self, row_id: int | None = None) -> None:
        self.refresh()

    def register_changed(self, change: Change) -> None:
        if change.origin is not None and change.origin is self.dialog:
            return  # its `changed` signal has refreshed the lists already
        super().register_changed(change)

    def progress_current(self) -> None:
        row_id = self.current_row_id()
        if row_id is None:
            return
        text = dialogs.ask_text(self, "Ghi tiến độ", "Tiến độ giải quyết (ví dụ: Đã giao Văn phòng tham mưu):")
        if text is None:
            return
        self.add_progress(row_id, text)

    def add_progress(self, row_id: int, text: str) -> bool:
        """Write a progress note in a worker; False when it cannot start."""
        def noted(row: dict) -> None:
            self.context.window.status(f"Đã ghi tiến độ cho văn bản đến số {row['number']:02d}/{row['year']}.")
            self._changed(row_id)

        return self.context.ops.write(self, "ghi tiến độ", incoming.add_progress, row_id, text, changes="incoming",
                                      done=noted)

    def done_current(self) -> None:
        row_id = self.current_row_id()
        if row_id is None:
            return
        recent = self.context.ops.read_here(self, "đọc văn bản đi gần đây", outgoing.recent_symbols, default=[])
        reply = dialogs.ask_text(self, "Đã giải quyết",
                                "Số, ký hiệu văn bản trả lời (để trống nếu không có văn bản trả lời):",
                                suggestions=recent)
        if reply is None:
            return
        self.mark_done(row_id, reply)

    def mark_done(self, row_id: int, reply: str = "") -> bool:
        """Close the entry (in a worker) with the reply's symbol; False when it cannot start."""
        return self.context.ops.write(self, "đánh dấu đã giải quyết", incoming.mark_done, row_id,
                                      reply=reply or None, changes="incoming", done=self._done)

    def _done(self, row: dict) -> None:
        text = f"Văn bản đến số {row['number']:02d}/{row['year']} đã giải quyết"
        if row["reply_outgoing_id"]:
            text += f", trả lời bằng văn bản đi {row['reply_symbol']} (đã liên kết với sổ đi)"
        elif row["reply_symbol"]:
            text += f", trả lời bằng {row['reply_symbol']} (văn bản không có trong sổ đi)"
        self.context.window.status(text + ".")
        self._changed(row["id"])
