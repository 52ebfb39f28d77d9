"""Every message box the window shows: Vietnamese buttons, one place.

Qt's standard buttons ("Yes", "Cancel", …) come out in English unless Qt's own
translations are installed, so no code of DirDesk uses `QMessageBox.question`,
`.warning`, `.information` or `.critical`: it calls these functions, which add
buttons with Vietnamese text. Tests answer the questions by monkeypatching
them (`dialogs.ask_yes_no`, `dialogs.ask_text`, …) and read `failures_shown`.

`show_failure` is the one error dialog of the register operations
(dirdesk.gui.operations): it opens without blocking, so a failure delivered
from a worker never stops the event loop, and it records what it said.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from dirdesk.text import one_line

log = logging.getLogger(__name__)

failures_shown: list[str] = []  # what show_failure told the clerk, newest last (tests read it)


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def show_failure(parent: QWidget | None, text: str, title: str = "Có lỗi") -> QMessageBox:
    """Tell the clerk that something failed, without blocking (the box deletes itself when closed)."""
    box = _box(parent, QMessageBox.Icon.Warning, title, text)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    failures_shown.append(text)
    del failures_shown[:-100]
    box.open()
    return box


def show_error(parent: QWidget | None, text: str, title: str = "Không thực hiện được") -> None:
    """A refusal the clerk must read before going on (a wrong date, a missing field)."""
    box = _box(parent, QMessageBox.Icon.Warning, title, text)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def show_info(parent: QWidget | None, text: str, title: str = "DirDesk") -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def ask_yes_no(parent: QWidget | None, title: str, text: str, *, yes: str = "Đồng ý", no: str = "Không",
               default_yes: bool = True, danger: bool = False) -> bool:
    """True when the clerk picks `yes`. `danger` makes `no` the default and shows a warning icon."""
    icon = QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question
    box = _box(parent, icon, title, text)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button if danger or not default_yes else yes_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_choice(parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]],
               cancel: str = "Thôi") -> str | None:
    """The key of the button picked among `choices` [(key, button text)], None for `cancel`."""
    box = _box(parent, QMessageBox.Icon.Question, title, text)
    buttons = {box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key for key, label in choices}
    cancel_button = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(next(iter(buttons)))
    box.setEscapeButton(cancel_button)
    box.exec()
    return buttons.get(box.clickedButton())


def ask_unsaved(parent: QWidget | None) -> str:
    """"save", "discard" or "cancel" for a dialog closed with unsaved changes."""
    box = _box(parent, QMessageBox.Icon.Question, "Chưa lưu", "Các thay đổi chưa được lưu. Lưu trước khi đóng?")
    save = box.addButton("Lưu", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Bỏ thay đổi", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Thôi", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked is save else "discard" if clicked is discard else "cancel"


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "", *,
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
    return one_line(dialog.textValue())


def about(parent: QWidget | None, title: str, rich_text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, rich_text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
