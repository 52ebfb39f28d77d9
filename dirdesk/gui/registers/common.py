"""What the register screens share: questions to the clerk, dates typed as
dd/mm/yyyy, opening a kept file, telling the window something changed.

The questions are module functions so that tests can answer them
(monkeypatch `common.ask_yes_no`, `common.ask_text`, `common.open_file`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from dirdesk.dates import DateError, date_text  # noqa: F401  (the register screens' dates, from the core)
from dirdesk.dates import parse_typed_date as parse_date  # noqa: F401
from dirdesk.text import one_line as line  # noqa: F401  (a one-line field as the core stores it)
from dirdesk.text import safe_file_name

DATE_PLACEHOLDER = "ngày/tháng/năm"


def setup_date_field(edit: QLineEdit) -> None:
    edit.setPlaceholderText(DATE_PLACEHOLDER)
    edit.setToolTip("Gõ ngày dạng ngày/tháng/năm, ví dụ 08/09/2026; để trống nếu chưa có.")


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def number_text(n: int) -> str:
    """100000 -> "100.000" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


# ---------------------------------------------------------------- questions (tests replace these)


def ask_yes_no(parent: QWidget, title: str, text: str, *, yes: str = "Đồng ý", no: str = "Không") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_text(parent: QWidget, title: str, label: str, text: str = "", *,
             suggestions: list[str] | None = None) -> str | None:
    """One line typed by the clerk (or picked from `suggestions`), or None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    if suggestions:
        dialog.setComboBoxItems([text, *[s for s in suggestions if s != text]])
        dialog.setComboBoxEditable(True)
    dialog.setTextValue(text)
    dialog.setOkButtonText("Đồng ý")
    dialog.setCancelButtonText("Thôi")
    dialog.resize(dialog.fontMetrics().horizontalAdvance("M") * 36, dialog.sizeHint().height())
    if dialog.exec() != QInputDialog.DialogCode.Accepted:
        return None
    return line(dialog.textValue())


def ask_unsaved(parent: QWidget) -> str:
    """"save", "discard" or "cancel" for a dialog closed with unsaved changes."""
    box = QMessageBox(QMessageBox.Icon.Question, "Chưa lưu", "Các thay đổi chưa được lưu. Lưu trước khi đóng?",
                      parent=parent)
    save = box.addButton("Lưu", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Bỏ thay đổi", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Thôi", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def show_error(parent: QWidget, text: str, title: str = "Không thực hiện được") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_info(parent: QWidget, text: str, title: str = "DirDesk") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


# ---------------------------------------------------------------- files


def open_file(path: Path) -> bool:
    """Open a file in the system's viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def reading_copy(data: bytes, name: str) -> Path:
    """A copy of a kept file in a temporary folder, under a readable name: the clerk may change
    the copy in the viewer, the register's file stays as it was."""
    folder = Path(tempfile.mkdtemp(prefix="dirdesk-"))
    path = folder / safe_file_name(name)
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- the window


def tell_window(context, text: str) -> None:
    """A line in the window's status bar (when the section sits in a window)."""
    window = getattr(context, "window", None)
    status = getattr(window, "status", None)
    if callable(status):
        status(text)


def registers_changed(context, sender=None) -> None:
    """Let the other register sections and the side bar's badge know the register changed."""
    window = getattr(context, "window", None)
    for name in ("refresh_badges", "update_badges"):
        hook = getattr(window, name, None)
        if callable(hook):
            hook()
            break
    listeners = context.extras.setdefault("register_listeners", [])
    for listener in list(listeners):
        if listener is not sender:
            try:
                listener.mark_stale()
            except RuntimeError:  # a section already destroyed
                listeners.remove(listener)


class RefreshedWhenShown(QWidget):
    """A section that another section's change makes stale: it reads the register
    again at once if shown, else the next time it is shown. Subclasses provide refresh()."""

    _stale = False

    def mark_stale(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self.refresh()
