"""Văn bản đi: the outgoing register as a table; open a row to fill in the
columns written after issue, cancel its number or delete it; "Lấy số
trước…" reserves a number for a document still being signed."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton

from dirdesk.gui import dialogs
from dirdesk.gui.registers.copy_dialog import add_copy_button
from dirdesk.gui.registers.entry_outgoing import OutgoingEntryDialog
from dirdesk.gui.registers.reserve import ReserveDialog
from dirdesk.gui.registers.table_section import RegisterSection
from dirdesk.registers import outgoing


class OutgoingSection(RegisterSection):
    register = "outgoing"
    dialog_class = OutgoingEntryDialog
    title = "Văn bản đi"
    heading = "Sổ đăng ký văn bản đi"
    noun = "văn bản đi"
    status_choices = (("issued", "Đã ban hành"), ("reserved", "Giữ số (lấy số trước)"), ("cancelled", "Đã hủy"))

    def add_actions(self, layout: QHBoxLayout) -> None:
        self.reserve_button = QPushButton("Lấy &số trước…", self)
        self.reserve_button.setAccessibleName("Lấy số trước cho văn bản đang trình ký")
        self.reserve_button.setToolTip("Giữ một số cho văn bản đang trình ký; khi ban hành văn bản mang số này")
        self.reserve_button.clicked.connect(self.reserve_number)
        self.cancel_button = QPushButton("&Hủy số…", self)
        self.cancel_button.setAccessibleName("Hủy số văn bản đang chọn")
        self.cancel_button.setToolTip("Hủy số đã cấp, có ghi lý do; số đã hủy không được dùng lại")
        self.cancel_button.clicked.connect(self.cancel_current)
        self.insert_action(layout, self.reserve_button)
        self.insert_action(layout, self.cancel_button)
        self.copy_button = add_copy_button(self, layout)

    def update_actions(self, row) -> None:
        self.cancel_button.setEnabled(row is not None and row.status != "cancelled" and not row.deleted_at)
        self.copy_button.setEnabled(row is not None and row.status == "issued" and not row.deleted_at)

    def cancel_current(self) -> None:
        row_id = self.current_row_id()
        if row_id is None:
            return
        label = self.model.row(self.model.index_of(row_id)).label
        reason = dialogs.ask_text(self, "Hủy số", f"Lý do hủy số {label} (số đã hủy không được dùng lại):")
        if reason is None:
            return
        self.cancel_row(row_id, reason)

    def cancel_row(self, row_id: int, reason: str) -> bool:
        """Cancel the number (in a worker); False when it cannot start now."""
        def cancelled(row: dict) -> None:
            self.context.window.status(f"Đã hủy số {row['symbol']}: {row['cancel_reason']}")
            self.row_changed(row_id)

        return self.context.ops.write(self, "hủy số", outgoing.cancel, f"#{row_id}", reason, changes="outgoing",
                                      done=cancelled)

    def reserve_number(self):
        with self.context.ops.guarded(self, "mở phần lấy số trước") as guard:
            dialog = ReserveDialog(self.context, self)
        if guard.failed:
            return None
        dialog.reserved.connect(self._reserved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _reserved(self, row: dict) -> None:
        self.refresh()
        self.select_row_id(row["id"])
