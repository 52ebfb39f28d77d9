"""What the entry dialogs of both registers share: the form, the error line,
the history tab (the audit log of the row), unsaved changes kept or saved on
close, soft delete and restore."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui import dialogs, workers
from dirdesk.gui.forms import fit_to_screen, load_form
from dirdesk.gui.registers import common
from dirdesk.gui.workers import error_message
from dirdesk.registers import audit, incoming, outgoing
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.errors import RegisterError

FILE_ROLE = Qt.ItemDataRole.UserRole + 1  # on an item of the files list: (sha256, file name, …)

ACTIONS = {"insert": "Vào sổ", "update": "Sửa", "issue": "Ban hành", "cancel": "Hủy số", "delete": "Xóa dòng",
           "undelete": "Khôi phục dòng"}
FIELD_LABELS = {
    "symbol": "Số, ký hiệu", "date": "Ngày tháng", "subject": "Trích yếu", "type_name": "Tên loại",
    "signer": "Người ký", "recipients": "Nơi nhận", "copy_holder": "Bản lưu", "copies": "Số lượng bản",
    "sent_date": "Ngày chuyển", "receipt": "Ký nhận", "note": "Ghi chú", "status": "Trạng thái",
    "cancel_reason": "Lý do hủy", "received_date": "Ngày đến", "author": "Tác giả", "doc_date": "Ngày văn bản",
    "recipient": "Đơn vị, người nhận", "urgency": "Độ khẩn", "secrecy": "Độ mật", "secret": "Độ mật",
    "handler": "Người xử lý", "deadline": "Hạn xử lý", "done_date": "Ngày giải quyết xong",
    "reply_symbol": "Văn bản trả lời", "reply_outgoing_id": "Dòng văn bản trả lời", "deleted_at": "Đã xóa lúc",
    "number": "Số", "type": "Loại", "body": "Toàn văn", "docx_sha256": "Bản DOCX", "pdf_sha256": "Bản PDF",
    "signatures": "Chữ ký số", "year": "Năm", "seq_key": "Dãy số",
}
HIDDEN_FIELDS = {"body", "signatures", "docx_sha256", "pdf_sha256", "seq_key", "style", "draft_json",
                 "reply_outgoing_id"}
STATUS_WORDS = {"reserved": "giữ số", "issued": "đã ban hành", "cancelled": "đã hủy", "new": "chưa xử lý",
                "in_progress": "đang xử lý", "done": "đã xử lý"}


def _shown(field: str, value) -> str:
    if value is None or value == "":
        return "(trống)"
    if field == "status":
        return STATUS_WORDS.get(value, str(value))
    if field.endswith("date") and isinstance(value, str) and len(value) == 10:
        try:
            return common.date_text(value)
        except ValueError:
            pass
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"


def describe_change(entry: dict) -> str:
    """One audit entry as the clerk reads it: "Ghi chú: (trống) → Đã gửi bản giấy"."""
    old, new = entry.get("old") or {}, entry.get("new") or {}
    if entry["action"] == "insert":
        picked = [f for f in ("symbol", "number", "date", "received_date", "subject") if new.get(f)]
        return "; ".join(f"{FIELD_LABELS.get(f, f)}: {_shown(f, new[f])}" for f in picked)
    parts = []
    for field in new:
        if field in HIDDEN_FIELDS or field == "deleted_at":
            continue
        parts.append(f"{FIELD_LABELS.get(field, field)}: {_shown(field, old.get(field))} → {_shown(field, new[field])}")
    return "\n".join(parts)


def when_text(stamp: str) -> str:
    """"2026-11-22 07:40:12" -> "22/11/2026 07:40"."""
    try:
        return f"{common.date_text(stamp[:10])} {stamp[11:16]}".strip()
    except ValueError:
        return stamp


class EntryDialog(QDialog):
    """A dialog over one register row, built from forms/<form_name>.ui.

    A register's dialog names its form, table and `edit_fields` (the columns
    the clerk may change, as the core's edit() takes them) and provides:
    `reload()` (read the row and show it), `values()` (those fields as typed,
    NFC and trimmed) and `label()` (how the clerk names the row). Saving,
    unsaved changes on close, delete/restore, history and opening the row's
    files are shared here.
    """

    form_name = ""
    table = ""
    edit_fields: tuple[str, ...] = ()
    changed = Signal(int)  # the row id, after anything about the row was written
    deleted = Signal(int, str)  # the row id and how the clerk names it, after a soft delete

    def __init__(self, context, row_id: int | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.row_id = row_id
        self.row: dict | None = None
        layout = QVBoxLayout(self)
        self.form = load_form(self.form_name, self)
        self.scroll = QScrollArea(self)  # a 1920×1080 screen at 200 % leaves ~490 px: the form scrolls
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.form)
        layout.addWidget(self.scroll)
        self.error: QLabel = self.child("error")
        self.error.hide()
        self.setSizeGripEnabled(True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self.child("save_button").clicked.connect(self.save)
        self.child("close_button").clicked.connect(self.reject)
        if self.row_id is not None:
            self.child("delete_button").clicked.connect(self.delete_row)
            self.child("restore_button").clicked.connect(self.restore_row)

    @property
    def registry(self):
        """The open register: read each time, as a restore from a backup replaces it."""
        return self.context.registry

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not getattr(self, "_fitted", False):  # once: the clerk's own resizing is kept
            self._fitted = True
            fit_to_screen(self)

    def child(self, name: str, cls=QWidget):
        found = self.form.findChild(cls, name)
        if found is None:
            raise LookupError(f"form {self.form_name} has no {name}")
        return found

    # ------------------------------------------------------------ state

    def stored_values(self) -> dict:
        """The editable fields as the register holds them."""
        return {name: self.row[name] for name in self.edit_fields}

    def changes(self) -> dict:
        """What the clerk changed; raises common.DateError for a date that cannot be read."""
        stored = self.stored_values()
        return {k: v for k, v in self.values().items() if stored.get(k) != v}

    def is_dirty(self) -> bool:
        try:
            return bool(self.changes())
        except common.DateError:
            return True

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def fail(self, exc: BaseException) -> None:
        self.show_error(error_message(exc))

    def written(self, _result=None) -> None:
        """Something about the row was written: show it again and tell the section."""
        with self.context.ops.guarded(self, "đọc lại dòng vừa ghi"):
            self.reload()
        self.changed.emit(self.row_id)

    def run_write(self, what: str, fn, *args, done, handle=None, **kwargs) -> bool:
        """A write of this row through the window's operations (a worker; dirdesk.gui.operations): the
        buttons wait meanwhile; a refusal of the core is said on the dialog's error line, any other
        failure in the error dialog; the dialog and what was typed stay. False if it did not start."""
        buttons = [b for b in self.findChildren(QPushButton) if b.isEnabled()]
        for button in buttons:
            button.setEnabled(False)

        def finish() -> None:
            for button in buttons:
                if workers.alive(button):
                    button.setEnabled(True)

        def ok(result) -> None:
            finish()
            done(result)

        def refused(exc: BaseException) -> None:
            finish()
            self.fail(exc)

        def finishing(handler):
            return lambda exc: (finish(), handler(exc))

        handlers = {kind: finishing(handler) for kind, handler in (handle or {}).items()}  # the caller's first
        handlers.setdefault(RegisterError, refused)
        started = self.context.ops.write(self, what, fn, *args, changes=self.table, done=ok, handle=handlers,
                                         failed=lambda exc: finish(), **kwargs)
        if not started:
            finish()
        return started

    # ------------------------------------------------------------ saving and closing

    def save(self, *, then_close: bool = False) -> bool:
        """Write the changed fields through the core (audited, in a worker); False and a message when a
        typed value is refused. With `then_close` the dialog closes once the write is done."""
        self.clear_error()
        try:
            changes = self.changes()
        except common.DateError as exc:
            self.show_error(str(exc))
            return False
        if not changes:
            if then_close:
                super().reject()
            return True

        def saved(_result) -> None:
            self.context.window.status(f"Đã lưu {self.label()}.")
            self.written()
            if then_close:
                super(EntryDialog, self).reject()

        return self.run_write(f"lưu {self.label()}", self.edit_job(), self.row_id, changes, done=saved)

    def edit_job(self):
        """The worker function `fn(registry, row_id, changes)` that writes this register's edit."""
        return _edit_outgoing if self.table == "outgoing" else _edit_incoming

    def reject(self) -> None:
        """Đóng, Esc or the window's close button: unsaved changes are saved, dropped or kept open."""
        if self.is_dirty():
            answer = dialogs.ask_unsaved(self)
            if answer == "save":
                self.save(then_close=True)
            if answer != "discard":
                return
        super().reject()

    # ------------------------------------------------------------ delete and restore

    def delete_row(self) -> None:
        label = self.label()
        if not dialogs.ask_yes_no(self, "Xóa dòng", f"Xóa {label} khỏi sổ?\n\nDòng được ẩn đi, không mất: có thể "
                                 "khôi phục bằng «Hoàn tác» hoặc «Hiện dòng đã xóa» rồi «Khôi phục».",
                                 yes="Xóa", no="Thôi"):
            return

        def deleted(_result) -> None:
            self.context.window.status(f"Đã xóa {label}.")
            self.written()
            self.deleted.emit(self.row_id, label)

        self.run_write(f"xóa {label}", soft_delete_job, self.table, self.row_id, done=deleted)

    def restore_row(self) -> None:
        def restored(_result) -> None:
            self.context.window.status(f"Đã khôi phục {self.label()}.")
            self.written()

        self.run_write(f"khôi phục {self.label()}", undelete_job, self.table, self.row_id, done=restored)

    def update_delete_buttons(self) -> None:
        deleted = bool(self.row and self.row.get("deleted_at"))
        self.child("delete_button").setVisible(not deleted)
        self.child("restore_button").setVisible(deleted)

    # ------------------------------------------------------------ files

    def open_selected_file(self) -> None:
        item = self.child("files", QListWidget).currentItem()
        if item is not None:
            self.open_file_item(item)

    def open_file_item(self, item: QListWidgetItem) -> None:
        """Open an attached file in the system's viewer, from a reading copy (the kept file stays untouched)."""
        data = item.data(FILE_ROLE)
        if not data:
            return
        sha256, name = data[:2]
        try:
            path = common.reading_copy(read_attachment(self.registry, sha256), name)
        except (RegisterError, OSError) as exc:
            self.fail(exc)
            return
        if not common.open_file(path):
            self.show_error(f"Không mở được {path}: máy chưa có chương trình xem tệp loại này.")

    # ------------------------------------------------------------ history

    def fill_history(self) -> None:
        tree: QTreeWidget = self.child("history", QTreeWidget)
        tree.clear()
        for entry in audit.history(self.registry, self.table, self.row_id, limit=200):
            item = QTreeWidgetItem([when_text(entry["at"]), ACTIONS.get(entry["action"], entry["action"]),
                                    describe_change(entry)])
            item.setToolTip(2, describe_change(entry))
            tree.addTopLevelItem(item)
        tree.resizeColumnToContents(0)
        tree.resizeColumnToContents(1)
        tree.setColumnWidth(1, tree.columnWidth(1) + tree.fontMetrics().horizontalAdvance("M"))
        tree.header().setStretchLastSection(True)

    def history_texts(self) -> list[str]:
        """The history as shown, one line per change (tests, accessibility)."""
        tree: QTreeWidget = self.child("history", QTreeWidget)
        return [" | ".join(tree.topLevelItem(i).text(c).replace("\n", "; ") for c in range(3))
                for i in range(tree.topLevelItemCount())]


# ---------------------------------------------------------------- the writes, run in a worker


def _edit_outgoing(registry, row_id: int, changes: dict) -> dict:
    return outgoing.edit(registry, row_id, **changes)


def _edit_incoming(registry, row_id: int, changes: dict) -> dict:
    return incoming.edit(registry, row_id, **changes)


def soft_delete_job(registry, table: str, row_id: int) -> None:
    """Delete a row (hidden, kept, with its audit line) as one transaction."""
    with registry.transaction():
        audit.soft_delete(registry, table, row_id)


def undelete_job(registry, table: str, row_id: int) -> dict:
    with registry.transaction():
        return audit.undelete(registry, table, row_id)
