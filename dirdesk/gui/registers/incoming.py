"""Văn bản đến: the incoming register as a table. "Thêm từ tệp…" reads a
received file (dirdesk.gui.intake.start_intake: the fields come up prefilled
for confirmation); "Thêm…" types an entry by hand; a row opens with its
columns, follow-up, files and history."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton

from dirdesk.gui import dialogs
from dirdesk.gui.registers.copy_dialog import add_copy_button
from dirdesk.gui.registers.entry_incoming import IncomingEntryDialog
from dirdesk.gui.registers.table_section import RegisterSection
from dirdesk.registers import incoming
from dirdesk.rules import doc_types

RECEIVED_FILES = "Văn bản nhận được (*.pdf *.docx *.txt);;Mọi tệp (*)"


class IncomingSection(RegisterSection):
    register = "incoming"
    dialog_class = IncomingEntryDialog
    title = "Văn bản đến"
    heading = "Sổ đăng ký văn bản đến"
    noun = "văn bản đến"
    status_choices = tuple((code, label[:1].upper() + label[1:]) for code, label in incoming.STATUS_LABELS.items())

    def add_actions(self, layout: QHBoxLayout) -> None:
        self.add_file_button = QPushButton("Thêm từ tệ&p…", self)
        self.add_file_button.setAccessibleName("Thêm văn bản đến từ tệp nhận được")
        self.add_file_button.setToolTip("Đọc tệp PDF, DOCX hoặc TXT nhận được; các cột được điền sẵn để kiểm tra")
        self.add_file_button.clicked.connect(self.add_from_file)
        self.add_button = QPushButton("Thêm…", self)
        self.add_button.setAccessibleName("Thêm văn bản đến bằng cách gõ")
        self.add_button.setToolTip("Vào sổ một văn bản đến bằng cách gõ các cột (văn bản giấy, bản quét)")
        self.add_button.clicked.connect(self.add_by_hand)
        self.insert_action(layout, self.add_file_button)
        self.insert_action(layout, self.add_button)
        self.copy_button = add_copy_button(self, layout)

    def update_actions(self, row) -> None:
        self.copy_button.setEnabled(row is not None and not row.deleted_at)

    def type_choices(self) -> list[tuple[str, str]]:
        """Received documents come from Party and state bodies alike: the types of both styles."""
        seen: dict[str, str] = {}
        for style in ("party", "state"):
            for code, t in doc_types(style).items():
                seen.setdefault(code, t.label)
        return list(seen.items())

    def add_by_hand(self) -> IncomingEntryDialog:
        """The "Thêm" dialog over an empty entry; the new row is selected once entered."""
        with self.context.ops.guarded(self, "mở phần vào sổ văn bản đến") as guard:
            dialog = IncomingEntryDialog(self.context, None, self)
        if guard.failed:
            return None
        dialog.changed.connect(self._added)
        dialog.finished.connect(lambda *_: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _added(self, row_id: int) -> None:
        self.refresh()
        self.select_row_id(row_id)

    def add_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn văn bản nhận được", "", RECEIVED_FILES)
        if path:
            self.start_intake(Path(path))

    def start_intake(self, path: Path):
        """Hand a received file to the intake dialog (dirdesk.gui.intake)."""
        try:
            from dirdesk.gui.intake import start_intake
        except ImportError:
            dialogs.show_error(self, "Chức năng đọc tệp văn bản đến chưa có trong bản DirDesk này. "
                                    "Hãy dùng «Thêm…» để gõ các cột, rồi đính kèm tệp.")
            return None
        return start_intake(self.context, path)
