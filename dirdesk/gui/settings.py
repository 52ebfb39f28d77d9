"""Cài đặt (the settings section) and the first-run setup.

- `FirstRunDialog(registry)`: the office profile when the register has none yet.
- `SettingsSection(context)`: tabs "Hồ sơ cơ quan" (the same form, plus the
  Party terms), "Sổ địa chỉ" (the address book, saved at each change),
  "Dữ liệu và sao lưu" (settings_backup.py), "Chứng thư tin cậy" (settings_trust.py) and "Ký số"
  (settings_signing.py).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui import dialogs
from dirdesk.gui.forms import load_form
from dirdesk.gui.operations import Operations
from dirdesk.gui.sections import SectionBase
from dirdesk.gui.settings_backup import BackupPanel
from dirdesk.gui.settings_congress import CongressPanel
from dirdesk.gui.settings_profile import ERROR_STYLE, ProfileEditor
from dirdesk.gui.settings_signing import SigningPanel
from dirdesk.gui.settings_trust import TrustPanel
from dirdesk.gui.workers import error_message
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import add_term, load_profile, set_profile_value, set_profile_values
from dirdesk.text import fold, one_line

STYLE_NAMES = {"party": "Đảng ủy phường", "state": "Ủy ban nhân dân phường"}


class FirstRunDialog(QDialog):
    """The first-run setup: the office profile, saved in one transaction."""

    def __init__(self, registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setWindowTitle("DirDesk — Thiết lập cơ quan")
        self.editor = ProfileEditor("first_run")
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.editor)
        self.scroll.setAccessibleName("Thông tin cơ quan")
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("Lưu và bắt đầu", QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton("Thoát", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setAccessibleName("Lưu thông tin cơ quan và bắt đầu")
        self.quit_button.setAccessibleName("Thoát, không lưu")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.editor.set_values(load_profile(registry))
        self.ops = Operations(lambda: self.registry)  # no window yet: the dialog's own operations
        self._size_to_screen()

    def _size_to_screen(self) -> None:
        hint = self.editor.sizeHint()
        width, height = max(hint.width() + 60, 780), hint.height() + 120
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width, height = min(width, int(available.width() * 0.9)), min(height, int(available.height() * 0.9))
        self.resize(max(width, 560), max(height, 420))

    def accept(self) -> None:
        values = self.editor.check()
        if values is None:
            self.error.setText("Còn mục chưa đúng (ghi màu đỏ bên cạnh); hãy sửa rồi lưu lại.")
            self.error.show()
            focused = QApplication.focusWidget()
            if focused is not None and self.editor.isAncestorOf(focused):
                self.scroll.ensureWidgetVisible(focused)
            return
        self.save_button.setEnabled(False)

        def refused(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.error.setText(f"Chưa lưu được: {exc}")
            self.error.show()

        if not self.ops.write(self, "lưu thông tin cơ quan", set_profile_values, values, changes="profile",
                              done=lambda _none: QDialog.accept(self), handle={RegisterError: refused},
                              failed=lambda exc: self.save_button.setEnabled(True)):
            self.save_button.setEnabled(True)


class SettingsSection(SectionBase):
    """Cài đặt: profile, address book, data file and backups."""

    title = "Cài đặt"

    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.attach(context)
        self.page = load_form("settings", self)
        self.page.layout().setContentsMargins(12, 10, 12, 6)  # as the register sections
        self.scroll = QScrollArea(self)  # "Lưu hồ sơ" stays reachable on a small screen (960×540 at 200 %)
        self.scroll.setObjectName("settingsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setWidget(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        p = self.page
        self.tabs: QTabWidget = p.findChild(QTabWidget, "tabs")
        self.editor = ProfileEditor("settings")
        p.findChild(QWidget, "profileHolder").layout().addWidget(self.editor)
        self.congress = CongressPanel(self)  # contact lines, Party congress (settings_congress.py)
        p.findChild(QWidget, "profileHolder").layout().addWidget(self.congress)
        self.profile_status: QLabel = p.findChild(QLabel, "profileStatus")
        self.save_button: QPushButton = p.findChild(QPushButton, "saveProfile")
        self.revert_button: QPushButton = p.findChild(QPushButton, "revertProfile")
        self.recipients: QListWidget = p.findChild(QListWidget, "recipients")
        self.new_recipient: QLineEdit = p.findChild(QLineEdit, "newRecipient")
        self.address_status: QLabel = p.findChild(QLabel, "addressStatus")
        self.dirty = False
        self._loading = False
        self._recipients_again = False
        self.recipients.setAlternatingRowColors(True)
        self.recipients.setSpacing(2)

        self.editor.changed.connect(self._profile_edited)
        self.editor.term_requested.connect(self.add_term)
        self.save_button.clicked.connect(self.save_profile)
        self.revert_button.clicked.connect(self.revert_profile)
        self.new_recipient.returnPressed.connect(self.add_recipient)
        p.findChild(QPushButton, "addRecipient").clicked.connect(self.add_recipient)
        p.findChild(QPushButton, "removeRecipient").clicked.connect(self.remove_recipient)
        p.findChild(QPushButton, "recipientUp").clicked.connect(lambda: self.move_recipient(-1))
        p.findChild(QPushButton, "recipientDown").clicked.connect(lambda: self.move_recipient(1))
        self.recipients.itemChanged.connect(lambda _item: self._save_recipients())
        self.backups = BackupPanel(self, context)
        self.trust = TrustPanel(context)  # the certificates received signatures are checked against
        self.tabs.addTab(self.trust, "Chứng thư tin cậy")
        self.signing = SigningPanel(context, self)  # Ký số: the token's library, the seal and signature images
        self.tabs.addTab(self.signing, "Ký số")
        self.refresh()

    @property
    def registry(self):
        return self.context.registry

    def _window(self):
        return self.context.window

    def _status(self, text: str) -> None:
        self.context.window.status(text)

    # --- contract -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        profile = self.context.ops.read_here(self, "đọc hồ sơ cơ quan", load_profile)
        if profile is None:
            return
        if not self.dirty:  # typed changes are never thrown away by a refresh
            self.editor.set_values(profile)
            self._set_dirty(False)
        self._load_recipients(profile.recipients)
        self.congress.show_profile(profile)
        self.backups.refresh()
        self.trust.refresh()

    def can_close(self) -> bool:
        if not self.dirty:
            return True
        answer = dialogs.ask_choice(self, "Hồ sơ cơ quan chưa lưu",
                                    "Hồ sơ cơ quan có thay đổi chưa lưu. Lưu lại không?",
                                    [("save", "Lưu"), ("discard", "Bỏ thay đổi")], cancel="Quay lại")
        if answer == "save":
            if not self.save_profile():
                return False
            self.context.ops.wait_for(self)  # the answer needs the outcome: closed only once it is saved
            return not self.dirty
        if answer == "discard":
            self.revert_profile()
            return True
        return False

    # --- profile --------------------------------------------------------------------------------------------

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self.revert_button.setEnabled(dirty)
        self.profile_status.setStyleSheet("")
        self.profile_status.setText("Có thay đổi chưa lưu." if dirty else "")

    def _profile_edited(self) -> None:
        self._set_dirty(True)

    def revert_profile(self) -> None:
        profile = self.context.ops.read_here(self, "đọc hồ sơ cơ quan", load_profile)
        if profile is not None:
            self.editor.set_values(profile)
            self._set_dirty(False)

    def save_profile(self) -> bool:
        values = self.editor.check()
        if values is None:
            self.tabs.setCurrentIndex(0)
            self.profile_status.setStyleSheet(ERROR_STYLE)
            self.profile_status.setText("Chưa lưu: còn mục chưa đúng (ghi màu đỏ).")
            return False
        stored = self.context.ops.read_here(self, "đọc hồ sơ cơ quan", load_profile)
        if stored is None:
            return False
        if stored.style and values["style"] != stored.style and not dialogs.ask_yes_no(
                self, "Đổi loại cơ quan",
                f"Đổi từ {STYLE_NAMES[stored.style]} sang {STYLE_NAMES[values['style']]}? Các văn bản soạn từ nay "
                "theo thể thức và cách đánh số của loại mới; văn bản đã vào sổ giữ nguyên.",
                yes="Đổi loại cơ quan", no="Thôi", danger=True):
            return False

        def saved(_none) -> None:
            self._set_dirty(False)
            self.profile_status.setText("Đã lưu hồ sơ cơ quan.")
            self._status("Đã lưu hồ sơ cơ quan.")  # every section hears of it (Change "profile")

        def refused(exc: BaseException) -> None:
            self.profile_status.setStyleSheet(ERROR_STYLE)
            self.profile_status.setText(f"Chưa lưu được hồ sơ: {exc}")

        return self.context.ops.write(self, "lưu hồ sơ cơ quan", set_profile_values, values, changes="profile",
                                      done=saved, handle={RegisterError: refused})

    def add_term(self, start: dt.date) -> None:
        profile = self.context.ops.read_here(self, "đọc hồ sơ cơ quan", load_profile)
        if profile is None:
            return
        if start.isoformat() in profile.terms:
            self._status(f"Nhiệm kỳ bắt đầu {start:%d/%m/%Y} đã được ghi.")
            return
        if not dialogs.ask_yes_no(
                self, "Ghi nhiệm kỳ mới",
                f"Ghi nhiệm kỳ mới bắt đầu từ ngày {start:%d/%m/%Y}? Văn bản của Đảng đề ngày từ hôm đó trở đi "
                "được đánh số lại từ 01 cho mỗi loại.", yes="Ghi nhiệm kỳ mới", no="Thôi", danger=True):
            return

        def added(profile) -> None:
            if self.dirty:  # keep what was typed; only the list of terms changes
                self.editor.show_terms(profile.terms)
            else:
                self.editor.set_values(profile)
            self._status(f"Đã ghi nhiệm kỳ mới bắt đầu từ {start:%d/%m/%Y}.")

        self.context.ops.write(self.editor, "ghi nhiệm kỳ mới", add_term, start, changes="profile", done=added)

    # --- address book ---------------------------------------------------------------------------------------

    def _load_recipients(self, names: list[str]) -> None:
        self._loading = True
        try:
            self.recipients.clear()
            for name in names:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.recipients.addItem(item)
        finally:
            self._loading = False

    def recipient_names(self) -> list[str]:
        return [one_line(self.recipients.item(i).text()) for i in range(self.recipients.count())]

    def _save_recipients(self, select: int | None = None) -> bool:
        """Write the list as shown (a worker, through the operations). Edits made while a save runs are
        written by one more save when it ends, so quick edits are never refused or lost."""
        if self._loading:
            return True
        if self.context.ops.busy(self.recipients):
            self._recipients_again = True
            return True
        self._recipients_again = False
        names = [n for n in self.recipient_names() if n]

        def saved(profile) -> None:
            if self._recipients_again:
                self._save_recipients(select=self.recipients.currentRow())
                return
            self._load_recipients(profile.recipients)
            if select is not None and 0 <= select < self.recipients.count():
                self.recipients.setCurrentRow(select)
            self.address_status.setStyleSheet("")
            self.address_status.setText(f"Đã lưu sổ địa chỉ ({len(profile.recipients)} nơi nhận).")

        def unsaved(exc: BaseException) -> None:  # the list stays as typed, for the clerk to try again
            self.address_status.setStyleSheet(ERROR_STYLE)
            self.address_status.setText(f"Chưa lưu được sổ địa chỉ: {error_message(exc)}")

        return self.context.ops.write(self.recipients, "lưu sổ địa chỉ", set_profile_value, "recipients", names,
                                      changes="profile", done=saved, failed=unsaved,
                                      handle={RegisterError: unsaved})

    def add_recipient(self) -> None:
        name = one_line(self.new_recipient.text())
        if not name:
            self.new_recipient.setFocus()
            return
        existing = [fold(n) for n in self.recipient_names()]
        if fold(name) in existing:
            self.address_status.setStyleSheet(ERROR_STYLE)
            self.address_status.setText(f"«{name}» đã có trong sổ địa chỉ.")
            self.recipients.setCurrentRow(existing.index(fold(name)))
            return
        self._loading = True
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.recipients.addItem(item)
        self.recipients.setCurrentRow(self.recipients.count() - 1)
        self._loading = False
        if self._save_recipients(select=self.recipients.count() - 1):
            self.new_recipient.clear()
        self.new_recipient.setFocus()

    def remove_recipient(self) -> None:
        row = self.recipients.currentRow()
        if row < 0:
            return
        self._loading = True
        self.recipients.takeItem(row)
        self.recipients.setCurrentRow(min(row, self.recipients.count() - 1))
        self._loading = False
        self._save_recipients(select=min(row, self.recipients.count() - 1))

    def move_recipient(self, step: int) -> None:
        row = self.recipients.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.recipients.count():
            return
        self._loading = True
        item = self.recipients.takeItem(row)
        self.recipients.insertItem(target, item)
        self.recipients.setCurrentRow(target)  # the selection moves with the row, before the save ends
        self._loading = False
        self._save_recipients(select=target)
        self.recipients.setFocus()
