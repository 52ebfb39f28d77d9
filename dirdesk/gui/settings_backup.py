"""The "Dữ liệu và sao lưu" tab of Cài đặt: where the register file lives,
"Sao lưu ngay", the list of backups, restoring one, and the attached files
that went missing ("Tệp bị mất…", attachments_dialog.py).

Backing up is a read of the register through the operations layer
(`context.ops.read`: `write_backup` on a connection of its own, failures in
the one error dialog). A backup made while some attached files are missing
still holds everything else; the tab and a message then name the entries
whose files are missing (by số đến / số ký hiệu, never by hash paths) and
offer "Xem và sửa…". Checking a backup reads only the ZIP, so it runs on a
plain worker. Restoring goes through `MainWindow.replace_register`, which
closes the register first (restore_backup refuses a file still open),
restores on a worker, reopens the file and refreshes every section. Every
message goes through dirdesk.gui.dialogs (Vietnamese buttons).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from dirdesk.gui import dialogs
from dirdesk.gui.attachments_dialog import AttachmentsDialog
from dirdesk.gui.main_window import open_folder
from dirdesk.gui.settings_profile import ERROR_STYLE
from dirdesk.gui.workers import alive, error_message, run_in_background
from dirdesk.registers.attachments import DAMAGED
from dirdesk.registers.backup import list_backups, restore_backup, verify_backup, write_backup
from dirdesk.registers.database import backups_dir, files_dir
from dirdesk.text import human_size

KIND_NAMES = {"auto": "Tự động", "manual": "Sao lưu ngay", "migration": "Trước nâng cấp",
              "restore": "Trước khôi phục"}
COUNT_NAMES = {"outgoing": "văn bản đi", "incoming": "văn bản đến", "drafts": "dự thảo"}
NAMED_AT_MOST = 10  # missing files named in the message after a backup; then "và N tệp khác"


def describe_manifest(manifest) -> str:
    """What a backup holds, for the confirmation dialog."""
    parts = []
    if manifest.office:
        parts.append(f"Cơ quan: {manifest.office}")
    counts = [f"{manifest.counts[k]} {name}" for k, name in COUNT_NAMES.items() if k in manifest.counts]
    if counts:
        parts.append("Gồm: " + ", ".join(counts) + f", {len(manifest.file_members)} tệp đính kèm")
    try:
        created = dt.datetime.fromisoformat(manifest.created).strftime("%d/%m/%Y lúc %H:%M")
    except ValueError:
        created = manifest.created
    parts.append(f"Sao lưu ngày {created} (DirDesk {manifest.app_version})")
    if manifest.damaged:
        parts.append(f"Thiếu {len(manifest.damaged)} tệp đính kèm bị mất hoặc hỏng khi sao lưu")
    return "\n".join(parts)


def missing_text(damaged: list[dict], shown: int = NAMED_AT_MOST) -> str:
    """The entries whose files a backup lacks, one a line, by the label of their entries (never a hash)."""
    lines = [f"- {d.get('label') or 'Tệp không thuộc văn bản nào'}"
             + (" (tệp bị hỏng)" if d.get("problem") == DAMAGED else "") for d in damaged[:shown]]
    if len(damaged) > shown:
        lines.append(f"và {len(damaged) - shown} tệp khác")
    return "\n".join(lines)


class BackupPanel(QObject):
    """Behaviour of the data tab of the settings form; `section` is the SettingsSection holding it."""

    def __init__(self, section, context) -> None:
        super().__init__(section)
        self.section, self.context = section, context
        page = section.page
        self.db_path_edit: QLineEdit = page.findChild(QLineEdit, "dbPath")
        self.backups_path_edit: QLineEdit = page.findChild(QLineEdit, "backupsPath")
        self.files_label: QLabel = page.findChild(QLabel, "filesLabel")
        self.backup_button: QPushButton = page.findChild(QPushButton, "backupNow")
        self.progress: QProgressBar = page.findChild(QProgressBar, "backupProgress")
        self.status: QLabel = page.findChild(QLabel, "backupStatus")
        self.table: QTableWidget = page.findChild(QTableWidget, "backupsTable")
        self.restore_selected_button: QPushButton = page.findChild(QPushButton, "restoreSelected")
        self.restore_file_button: QPushButton = page.findChild(QPushButton, "restoreFromFile")
        self.busy = False
        self.last_backup: Path | None = None
        self.progress.setRange(0, 0)  # indeterminate while it runs
        self.progress.hide()
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())
        self.backup_button.clicked.connect(lambda: self.backup_now())
        self.backup_elsewhere_button: QPushButton = page.findChild(QPushButton, "backupElsewhere")
        self.backup_elsewhere_button.clicked.connect(self.backup_elsewhere)
        self.restore_selected_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        page.findChild(QPushButton, "refreshBackups").clicked.connect(self.refresh)
        self.missing_button = QPushButton("Tệp bị mất…")
        self.missing_button.setObjectName("missingFiles")
        self.missing_button.setAccessibleName("Xem và sửa các tệp đính kèm bị mất")
        self.missing_button.setToolTip("Các tệp đính kèm bị mất hoặc hỏng: tìm lại hoặc ghi nhận đã mất")
        self.missing_button.clicked.connect(self.show_missing)
        row = self.backup_elsewhere_button.parentWidget().findChild(QHBoxLayout, "backupNowRow")
        row.insertWidget(row.indexOf(self.backup_elsewhere_button) + 1, self.missing_button)
        self.attachments_dialog: AttachmentsDialog | None = None
        page.findChild(QPushButton, "openDbFolder").clicked.connect(lambda: self._open(self.db_path.parent))
        page.findChild(QPushButton, "openBackupsFolder").clicked.connect(
            lambda: self._open(backups_dir(self.db_path)))
        self._selection_changed()

    @property
    def db_path(self) -> Path:
        return Path(self.context.registry.path)

    def _open(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            dialogs.show_error(self.section, f"Không tạo được thư mục {folder}: {exc}", "Không mở được thư mục")
            return
        if not open_folder(folder):
            dialogs.show_info(self.section, f"Không mở được trình quản lý tệp. Thư mục nằm ở:\n{folder}",
                              "Không mở được thư mục")

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if error else "")
        self.status.setText(text)
        if self.context.window is not None:
            self.context.window.status(text.splitlines()[0], 10000)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        for button in (self.backup_button, self.backup_elsewhere_button, self.restore_file_button):
            button.setEnabled(not busy)
        self._selection_changed()
        if busy:
            self._say(text)
            self.section.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.section.unsetCursor()

    # --- the list -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        db_path = self.db_path
        self.db_path_edit.setText(str(db_path))
        self.backups_path_edit.setText(str(backups_dir(db_path)))
        self.files_label.setText(f"Tệp đính kèm (bản DOCX/PDF đã ban hành, văn bản đến) nằm trong thư mục "
                                 f"{files_dir(db_path)}.")
        self.table.setRowCount(0)
        for info in list_backups(db_path):
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (info.modified.strftime("%d/%m/%Y %H:%M"), KIND_NAMES.get(info.kind, info.kind),
                     human_size(info.size), info.path.name)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(info.path))
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self._selection_changed()

    def selected_path(self) -> Path | None:
        items = self.table.selectedItems()
        return Path(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def _selection_changed(self) -> None:
        path = self.selected_path()
        self.restore_selected_button.setEnabled(not self.busy and path is not None and path.suffix.lower() == ".zip")

    # --- backing up -----------------------------------------------------------------------------------------

    def backup_now(self, folder: Path | None = None) -> None:
        """Back up into the backups folder, or into `folder` (a USB drive, another disk)."""
        if self.busy:
            return
        self._set_busy(True, "Đang sao lưu sổ và tệp đính kèm…")
        if not self.context.ops.read(self.section, "sao lưu sổ", write_backup, folder, done=self._backed_up,
                                     failed=self._failed):
            self._set_busy(False)
            self._say("Chưa sao lưu: sổ đang được thay (khôi phục); hãy đợi rồi thử lại.", error=True)

    def backup_elsewhere(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.section, "Chọn thư mục để ghi bản sao lưu (ví dụ ổ USB)",
                                                  str(Path.home()))
        if folder:
            self.backup_now(Path(folder))

    def _backed_up(self, result) -> None:
        path, manifest = result
        self._set_busy(False)
        self.last_backup = Path(path)
        self.refresh()
        made = f"Đã sao lưu vào: {path} ({human_size(Path(path).stat().st_size)})."
        if not manifest.damaged:
            self._say(f"{made}\n{describe_manifest(manifest)}")
            return
        count = len(manifest.damaged)
        text = (f"{made}\nBản sao lưu có đủ sổ và mọi tệp khác, nhưng thiếu {count} tệp đính kèm bị mất hoặc "
                f"hỏng, của các văn bản:\n{missing_text(manifest.damaged)}")
        self._say(text + "\nBấm \"Tệp bị mất…\" để tìm lại hoặc ghi nhận đã mất.", error=True)
        if dialogs.ask_choice(self.section, "Sao lưu xong, thiếu tệp đính kèm", text + "\n\nTìm lại các tệp này "
                              "hoặc ghi nhận là đã mất?", [("fix", "Xem và sửa…")], cancel="Để sau") == "fix":
            self.show_missing()

    def _failed(self, exc: BaseException) -> None:
        """The error dialog has told the clerk (operations); the tab says it too."""
        self._set_busy(False)
        self._say(f"Chưa sao lưu được: {error_message(exc)}", error=True)

    def show_missing(self) -> AttachmentsDialog:
        """The dialog of missing attached files (it says so when there are none); one per tab, read
        again from the register each time it is shown."""
        dialog = self.attachments_dialog
        if dialog is None or not alive(dialog):
            dialog = self.attachments_dialog = AttachmentsDialog(self.context, self.section)
        elif not dialog.busy():
            dialog.reload()
        dialog.open()
        dialog.raise_()
        return dialog

    # --- restoring ------------------------------------------------------------------------------------------

    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is None or self.busy:
            return
        if path.suffix.lower() != ".zip":
            dialogs.show_info(
                self.section, f"{path.name} là bản chép tệp sổ (.sqlite) giữ lại trước khi nâng cấp hoặc khôi "
                "phục, không phải bản sao lưu ZIP. Hãy chọn một bản sao lưu ZIP.", "Không khôi phục từ tệp này")
            return
        self.start_restore(path)

    def restore_from_file(self) -> None:
        if self.busy:
            return
        name, _ = QFileDialog.getOpenFileName(self.section, "Chọn bản sao lưu DirDesk", str(backups_dir(self.db_path)),
                                              "Bản sao lưu DirDesk (*.zip);;Mọi tệp (*)")
        if name:
            self.start_restore(Path(name))

    def start_restore(self, zip_path: Path) -> None:
        """Check the backup on a worker (it reads only the ZIP, not the register), then ask, then restore
        (the register is closed meanwhile)."""
        self._set_busy(True, f"Đang kiểm tra bản sao lưu {zip_path.name}…")
        run_in_background(self.section, verify_backup, zip_path,
                          on_done=lambda manifest: self._verified(zip_path, manifest), on_error=self._not_restorable)

    def _not_restorable(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._say(f"Không khôi phục: {error_message(exc)}", error=True)
        dialogs.show_error(self.section, f"{error_message(exc)}\n\nSổ hiện tại được giữ nguyên.",
                           "Bản sao lưu không dùng được")

    def confirm_restore(self, zip_path: Path, manifest) -> bool:
        return dialogs.ask_yes_no(
            self.section, "Khôi phục từ bản sao lưu",
            f"Thay sổ hiện tại bằng sổ trong bản sao lưu này?\n\n{zip_path.name}\n{describe_manifest(manifest)}\n\n"
            f"Sổ hiện tại ({self.db_path}) sẽ được thay bằng sổ trong bản sao lưu: những gì ghi vào sổ sau ngày "
            "sao lưu sẽ không còn trong sổ. Một bản chép của sổ hiện tại được giữ lại trong thư mục sao lưu "
            "trước khi thay.", yes="Khôi phục", no="Thôi", danger=True)

    def _verified(self, zip_path: Path, manifest) -> None:
        self._set_busy(False)
        self._say(f"Bản sao lưu {zip_path.name} đọc tốt.")
        if not self.confirm_restore(zip_path, manifest):
            self._say("Đã hủy khôi phục; sổ hiện tại giữ nguyên.")
            return
        window = self.context.window
        if window is None:
            dialogs.show_error(self.section, "Chỉ khôi phục được từ cửa sổ chính của DirDesk.")
            return
        self._set_busy(True, "Đang khôi phục sổ…")
        started = window.replace_register(lambda db_path: restore_backup(zip_path, db_path),
                                          busy_text=f"Đang khôi phục sổ từ {zip_path.name}…",
                                          on_done=self._restored, on_error=self._restore_failed)
        if not started:
            self._set_busy(False)
            self._say("Chưa khôi phục: hãy lưu hoặc đóng việc đang làm dở rồi thử lại.", error=True)

    def _restored(self, result) -> None:
        self._set_busy(False)
        self.refresh()
        text = f"Đã khôi phục sổ từ bản sao lưu.\n{describe_manifest(result.manifest)}"
        if result.safety_copy:
            text += f"\nSổ trước khi khôi phục được giữ tại: {result.safety_copy}"
        self._say(text)
        dialogs.show_info(self.section, text, "Đã khôi phục")

    def _restore_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._say(f"Chưa khôi phục được: {error_message(exc)}", error=True)
        dialogs.show_error(self.section, f"{error_message(exc)}\n\nSổ hiện tại được giữ nguyên.",
                           "Chưa khôi phục được")
