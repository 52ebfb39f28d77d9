"""A row of the incoming register (Văn bản đến), or a new one typed by hand.

Every column the core lets change (incoming.EDITABLE) is editable; the
"Giải quyết" tab holds the follow-up: handler, deadline, status, progress
notes (incoming.add_progress) and "Đã giải quyết" with the reply's symbol
(incoming.mark_done links it to our outgoing row when it is one). The files
open as reading copies; "Đóng dấu ĐẾN" opens a stamped copy. A new entry
(row_id None) is entered with incoming.add, which warns of a duplicate.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
)

from dirdesk.draft import SECRECIES, URGENCIES
from dirdesk.gui import dialogs
from dirdesk.gui.intake_fields import add_job
from dirdesk.gui.registers import common
from dirdesk.gui.registers.entry_base import FILE_ROLE, EntryDialog
from dirdesk.intake.source import received_bytes
from dirdesk.registers import incoming
from dirdesk.registers.audit import get_row
from dirdesk.registers.errors import DuplicateEntry
from dirdesk.registers.signature_check import recheck
from dirdesk.registers.stamping import stamp_entry

LINE_FIELDS = ("author", "symbol", "type_name", "recipient", "receipt", "note", "handler", "reply_symbol")
DATE_FIELDS = ("received_date", "doc_date", "sent_date", "deadline")
NEW_FIELDS = ("received_date", "author", "symbol", "doc_date", "type_name", "subject", "recipient", "urgency",
              "secrecy", "handler", "deadline", "note")


class IncomingEntryDialog(EntryDialog):
    form_name = "entry_incoming"
    table = "incoming"
    edit_fields = (*LINE_FIELDS, *DATE_FIELDS, "subject", "urgency", "secrecy", "status")

    def __init__(self, context, row_id: int | None, parent=None):
        super().__init__(context, row_id, parent)
        self.new_files: list[tuple[str, bytes]] = []
        self.added_row: dict | None = None
        for name in DATE_FIELDS:
            common.setup_date_field(self.child(name, QLineEdit))
        for name, choices in (("urgency", URGENCIES), ("secrecy", SECRECIES)):
            box: QComboBox = self.child(name, QComboBox)
            box.addItem("không", None)
            for choice in choices:
                box.addItem(choice, choice)
        status: QComboBox = self.child("status", QComboBox)
        for code, text in incoming.STATUS_LABELS.items():
            status.addItem(text[:1].upper() + text[1:], code)
        subject: QPlainTextEdit = self.child("subject", QPlainTextEdit)
        subject.setFixedHeight(subject.fontMetrics().lineSpacing() * 4 + 12)
        self.child("open_file_button").clicked.connect(self.open_selected_file)
        self.child("files", QListWidget).itemActivated.connect(self.open_file_item)
        if row_id is None:
            self._setup_new()
        else:
            self.child("attach_button").hide()
            self.child("detach_button").hide()
            self.child("stamp_button").clicked.connect(self.stamp_selected_file)
            self.child("recheck_button").clicked.connect(self.recheck_signatures)
            self.child("done_button").clicked.connect(self.mark_done)
            self.child("add_progress_button").clicked.connect(self.add_progress)
            self.child("progress_text", QLineEdit).returnPressed.connect(self.add_progress)
            self.reload()
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(max(self.sizeHint().width(), em * 62), max(self.sizeHint().height(), em * 40))

    # ------------------------------------------------------------ a new entry

    def _setup_new(self) -> None:
        self.setWindowTitle("Vào sổ văn bản đến")
        self.child("heading", QLabel).setText("<b>Vào sổ văn bản đến</b> — gõ các cột như trên văn bản nhận được")
        self.child("save_button", QPushButton).setText("Vào sổ (Ctrl+S)")
        self.child("close_button", QPushButton).setText("Thôi")
        for name in ("delete_button", "restore_button", "stamp_button", "recheck_button", "progress_box"):
            self.child(name).hide()
        for name in ("status", "done_date", "reply_symbol"):
            self._hide_row(name)
        tabs = self.child("tabs")
        tabs.removeTab(tabs.indexOf(self.child("history_tab")))
        self.child("attach_button").clicked.connect(self.attach_files)
        self.child("detach_button").clicked.connect(self.detach_file)
        self.child("received_date", QLineEdit).setText(common.date_text(dt.date.today()))
        self.row = None
        self._show_next_number()
        self.child("received_date", QLineEdit).editingFinished.connect(self._show_next_number)
        self._fill_new_files()

    def _hide_row(self, name: str) -> None:
        self.child(name).hide()
        self.child(f"{name}_label").hide()
        if name == "reply_symbol":
            self.child("done_button").hide()

    def _show_next_number(self) -> None:
        try:
            on = common.parse_date(self.child("received_date", QLineEdit).text()) or dt.date.today()
        except common.DateError:
            return
        plan = incoming.preview(self.registry, incoming.IncomingEntry(received_date=on, signatures=[]))
        self.child("number", QLabel).setText(f"{plan.row['number']:02d}/{plan.row['year']} (cấp khi vào sổ)")

    def attach_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Chọn tệp đính kèm", "",
                                                "Văn bản (*.pdf *.docx *.doc *.odt *.txt *.jpg *.jpeg *.png *.tif "
                                                "*.tiff);;Mọi tệp (*)")
        for name in names:
            self.attach_path(Path(name))

    def attach_path(self, path: Path) -> None:
        try:
            self.new_files.append((path.name, received_bytes(path)))
        except OSError as exc:
            self.show_error(f"Không đọc được tệp {path}: {exc.strerror or exc}")
        self._fill_new_files()

    def detach_file(self) -> None:
        row = self.child("files", QListWidget).currentRow()
        if 0 <= row < len(self.new_files):
            del self.new_files[row]
            self._fill_new_files()

    def _fill_new_files(self) -> None:
        files: QListWidget = self.child("files", QListWidget)
        files.clear()
        for name, data in self.new_files:
            files.addItem(f"{name} ({len(data):,} byte)".replace(",", "."))
        self.child("open_file_button").setEnabled(False)
        self.child("detach_button").setEnabled(bool(self.new_files))
        self.child("signatures", QLabel).setText("" if self.new_files else
                                                 "Chưa có tệp. Bản quét hoặc tệp nhận được có thể đính kèm ở đây.")

    def entry(self) -> incoming.IncomingEntry:
        values = self.values()
        fields = {k: values[k] for k in NEW_FIELDS}
        for name in ("received_date", "doc_date", "deadline"):
            fields[name] = dt.date.fromisoformat(fields[name]) if fields[name] else None
        return incoming.IncomingEntry(**fields, files=list(self.new_files))

    def _add(self, allow_duplicate: bool = False) -> bool:
        """Enter the typed document (in a worker: the files' signatures are read there too); the dialog
        closes once it is entered. A duplicate is asked about; False when it cannot start."""
        try:
            entry = self.entry()
        except common.DateError as exc:
            self.show_error(str(exc))
            return False
        if not (entry.subject or entry.symbol):
            self.show_error("Cần ít nhất trích yếu hoặc số, ký hiệu của văn bản đến.")
            return False

        def duplicate(exc: BaseException) -> None:
            if dialogs.ask_yes_no(self, "Văn bản đã có trong sổ", f"{exc}\n\nVẫn vào sổ bản này như một văn bản riêng?",
                                  yes="Vẫn vào sổ", no="Thôi"):
                self._add(allow_duplicate=True)

        return self.run_write("vào sổ văn bản đến", add_job, entry, allow_duplicate, done=self._added,
                              handle={DuplicateEntry: duplicate})

    def _added(self, result: tuple[dict, list[str]]) -> None:
        row, notes = result
        self.added_row = row
        self.row_id, self.row = row["id"], row
        said = f"Đã vào sổ văn bản đến số {row['number']:02d}/{row['year']}."
        self.context.window.status(said)
        if notes:  # came after its deadline, or backdated
            dialogs.show_info(self, "\n".join([said, *notes]), "Đã vào sổ")
        self.changed.emit(row["id"])
        self.done(1)

    # ------------------------------------------------------------ an existing row

    def label(self) -> str:
        if not self.row:
            return "văn bản đến mới"
        return f"văn bản đến số {self.row['number']:02d}/{self.row['year']}"

    def reload(self) -> None:
        self.row = row = get_row(self.registry, "incoming", self.row_id)
        what = " ".join(p for p in (row["author"], row["symbol"]) if p)
        self.child("heading", QLabel).setText(f"<b>Số đến {row['number']:02d}/{row['year']}</b>"
                                              + (f" — {common.escape_html(what)}" if what else ""))
        self.setWindowTitle(f"Văn bản đến số {row['number']:02d}/{row['year']}")
        self.child("number", QLabel).setText(f"{row['number']:02d}/{row['year']}")
        for name in LINE_FIELDS:
            self.child(name, QLineEdit).setText(row[name] or "")
        for name in DATE_FIELDS:
            self.child(name, QLineEdit).setText(common.date_text(row[name]))
        self.child("subject", QPlainTextEdit).setPlainText(row["subject"])
        for name in ("urgency", "secrecy", "status"):
            box: QComboBox = self.child(name, QComboBox)
            box.setCurrentIndex(max(0, box.findData(row[name])))
        done = common.date_text(row["done_date"])
        self.child("done_date", QLabel).setText(done or "chưa")
        self.child("done_button").setEnabled(row["status"] != "done" and not row["deleted_at"])
        self.update_delete_buttons()
        self.fill_progress()
        self.fill_files()
        self.fill_history()

    def fill_progress(self) -> None:
        box: QListWidget = self.child("progress_list", QListWidget)
        box.clear()
        for p in incoming.progress_of(self.registry, self.row_id):
            box.addItem(f"{common.date_text(p['date'])}: {p['text']}")
        if not box.count():
            box.addItem("Chưa ghi tiến độ nào.")

    def fill_files(self) -> None:
        files: QListWidget = self.child("files", QListWidget)
        files.clear()
        kept = 0
        listed = incoming.files_of(self.registry, self.row_id)
        for f in listed:
            if f["lost_at"]:  # recorded as lost in Cài đặt → Tệp bị mất…: said, not opened
                item = QListWidgetItem(f"{f['name']}: đã mất (ghi nhận {common.date_text(f['lost_at'][:10])}"
                                       f"{': ' + f['lost_reason'] if f['lost_reason'] else ''})")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                files.addItem(item)
                continue
            item = QListWidgetItem(f"{f['name']} ({f['size']:,} byte)".replace(",", "."))
            item.setData(FILE_ROLE, (f["sha256"], f["name"], f["ext"]))
            files.addItem(item)
            kept += 1
        has = kept > 0
        if has:
            files.setCurrentRow(next(i for i in range(files.count()) if files.item(i).data(FILE_ROLE)))
        elif files.count() == 0:
            files.addItem("Văn bản này không có tệp kèm theo.")
        self.child("open_file_button").setEnabled(has)
        self.child("stamp_button").setEnabled(has)
        self.child("recheck_button").setEnabled(any(f["ext"] == ".pdf" and not f["lost_at"] for f in listed))
        signatures = incoming.signatures_in(self.row)
        lines = [f"Chữ ký số: {s.get('summary', '')}" for s in signatures]
        self.child("signatures", QLabel).setText("\n".join(lines))

    def values(self) -> dict:
        values = {name: common.line(self.child(name, QLineEdit).text()) for name in LINE_FIELDS}
        for name in DATE_FIELDS:
            day = common.parse_date(self.child(name, QLineEdit).text())
            values[name] = day.isoformat() if day else None
        values["subject"] = common.line(self.child("subject", QPlainTextEdit).toPlainText())
        for name in ("urgency", "secrecy", "status"):
            values[name] = self.child(name, QComboBox).currentData()
        return values

    def stored_values(self) -> dict:
        if self.row is None:  # a new entry: everything typed is a change
            return {"status": "new", "received_date": dt.date.today().isoformat()}
        return super().stored_values()

    def save(self) -> bool:
        if self.row_id is None:
            self.clear_error()
            return self._add()
        return super().save()

    def edit_job(self):
        return functools.partial(_edit_job, stored_reply=self.row["reply_symbol"])

    def is_dirty(self) -> bool:
        if self.row_id is None and self.added_row is None:
            return bool(self.new_files) or any(
                common.line(self.child(n, QLineEdit).text()) for n in LINE_FIELDS if n != "reply_symbol") or bool(
                common.line(self.child("subject", QPlainTextEdit).toPlainText()))
        return super().is_dirty()

    def mark_done(self) -> None:
        """Đã giải quyết: what was typed is saved and the entry closed with the reply's symbol, in one
        worker job; on a failure everything typed stays in the dialog."""
        self.clear_error()
        reply = common.line(self.child("reply_symbol", QLineEdit).text())
        try:
            changes = self.changes()
        except common.DateError as exc:
            self.show_error(str(exc))
            return
        changes.pop("reply_symbol", None)
        changes.pop("status", None)

        def finished(_result) -> None:
            self.context.window.status(f"Đã đánh dấu {self.label()} đã giải quyết.")
            self.written()

        self.run_write("đánh dấu đã giải quyết", _edit_job, self.row_id, {**changes, "status": "done",
                       "reply_symbol": reply}, stored_reply=None, done=finished)

    def add_progress(self) -> None:
        edit: QLineEdit = self.child("progress_text", QLineEdit)
        text = common.line(edit.text())
        if not text:
            self.show_error("Hãy gõ nội dung tiến độ trước khi ghi.")
            return

        def noted(row: dict) -> None:
            self.clear_error()
            edit.clear()
            status: QComboBox = self.child("status", QComboBox)
            shown = status.currentData() == self.row["status"]  # other typed changes stay as they are
            self.row = get_row(self.registry, "incoming", self.row_id)
            if shown:
                status.setCurrentIndex(max(0, status.findData(self.row["status"])))
            self.fill_progress()
            self.fill_history()
            self.changed.emit(self.row_id)

        self.run_write("ghi tiến độ", incoming.add_progress, self.row_id, text, done=noted)

    # ------------------------------------------------------------ files

    def stamp_selected_file(self) -> None:
        item = self.child("files", QListWidget).currentItem()
        data = item.data(FILE_ROLE) if item is not None else None
        if not data:
            return
        button = self.child("stamp_button")
        button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.child("signatures", QLabel).setText("Đang đóng dấu ĐẾN…")

        def finished() -> None:
            button.setEnabled(True)
            self.unsetCursor()

        def done(result) -> None:
            finished()
            data_bytes, placement, name = result
            where = placement.describe()
            self.fill_files()
            path = common.reading_copy(data_bytes, name)
            self.child("signatures", QLabel).setText(f"Đã ghi bản có dấu ĐẾN: {path}\n{where}")
            self.stamped_path = path
            common.open_file(path)

        def failed(_exc) -> None:  # the error dialog has said why
            finished()
            self.fill_files()

        self.context.ops.read(self, "đóng dấu ĐẾN", stamp_entry, f"#{self.row_id}", file_name=data[1], done=done,
                              failed=failed)

    def recheck_signatures(self) -> None:
        """The kept PDFs' signatures read again against today's trusted certificates (a write: the row keeps them)."""
        button = self.child("recheck_button")
        button.setEnabled(False)
        self.child("signatures", QLabel).setText("Đang kiểm tra lại chữ ký số…")
        self.context.ops.write(self, "kiểm tra lại chữ ký số", recheck, self.row_id, changes="incoming",
                               done=self._rechecked, failed=lambda _exc: self.fill_files())

    def _rechecked(self, row: dict) -> None:
        self.row = {**self.row, "signatures": row["signatures"], "updated_at": row["updated_at"]}
        self.fill_files()  # shows the signatures anew; fields typed meanwhile are left as they are


# ---------------------------------------------------------------- the writes, run in a worker


def _edit_job(registry, row_id: int, changes: dict, stored_reply: str | None) -> dict:
    """The typed changes; setting the status to done goes through mark_done, which records the day and
    the reply (linked to our outgoing row when it is one)."""
    changes = dict(changes)
    finishing = changes.get("status") == "done"
    reply = changes.pop("reply_symbol", None) if finishing else None
    if finishing:
        changes.pop("status")
    row = incoming.edit(registry, row_id, **changes) if changes else None
    if finishing:
        row = incoming.mark_done(registry, row_id, reply=reply or stored_reply or None)
    return row
