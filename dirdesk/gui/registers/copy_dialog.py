"""Sao văn bản…: a copy (sao y, sao lục, trích sao) of the selected outgoing or incoming row.

The clerk picks the form, the pages of a trích sao, the signer (the profile's signers), Nơi nhận and the
file; the copy is made, numbered and written in one worker write (registers.copies.make_copy: the file
is written inside the transaction that takes the number, so a failed write uses no number).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dirdesk.draft import atomic_write
from dirdesk.gui.registers.common import escape_html
from dirdesk.gui.signing_dialog import SignDialog, signing_settings
from dirdesk.gui.workers import error_message
from dirdesk.intake import IntakeError
from dirdesk.layout.copy_block import copy_rules
from dirdesk.registers import copies
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import load_profile
from dirdesk.registers.signing import make_signed_copy
from dirdesk.signing import SigningProblem
from dirdesk.text import one_line

KIND_CHOICES = (("sao-y", "Sao y"), ("sao-luc", "Sao lục (in từ bản sao y)"),
                ("trich-sao", "Trích sao (các trang chọn)"))


class CopyDialog(QDialog):
    copied = Signal(dict)  # the copy's row

    def __init__(self, context, source: str, row_id: int, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.context, self.source, self.row_id = context, source, row_id
        self.setWindowTitle(f"Sao văn bản {label}")
        form = QFormLayout()
        self.kind = QComboBox(self, objectName="kind")
        for code, text in KIND_CHOICES:
            self.kind.addItem(text, code)
        self.pages = QLineEdit(self, objectName="pages", placeholderText="ví dụ: 1-2")
        self.signer = QComboBox(self, objectName="signer")
        for i, s in enumerate(load_profile(context.registry).signers, start=1):
            self.signer.addItem(" — ".join(v.replace("\n", " ") for v in (s.get("authority"), s.get("title"),
                                                                            s.get("name")) if v), i)
        style = load_profile(context.registry).style or "state"
        self.recipients = QPlainTextEdit("\n".join(copy_rules()["recipients"].get(style, [])), self,
                                         objectName="recipients")
        self.recipients.setFixedHeight(70)
        self.path = QLineEdit(self, objectName="path")
        choose = QPushButton("Chọn…", self)
        choose.clicked.connect(self.choose_path)
        where = QHBoxLayout()
        where.addWidget(self.path)
        where.addWidget(choose)
        form.addRow("Hình thức sao:", self.kind)
        form.addRow("Trang được trích:", self.pages)
        form.addRow("Người ký bản sao:", self.signer)
        form.addRow("Nơi nhận (mỗi dòng một nơi):", self.recipients)
        form.addRow("Tệp PDF của bản sao:", where)
        self.electronic = QCheckBox("Bản sao điện tử: ký số của cơ quan (góc trên, bên phải trang đầu)", self,
                                    objectName="electronic")
        self.electronic.setToolTip("Nghị định 30/2020, Phụ lục I Phần II mục I.3 (ô 14): mã PIN hỏi khi sao, "
                                   "không được lưu")
        form.addRow("", self.electronic)
        self.preview = QLabel(self, objectName="preview")
        form.addRow("Số bản sao sẽ cấp:", self.preview)
        self.error = QLabel(self, objectName="error", wordWrap=True)
        self.error.setStyleSheet("color: #a00000")
        self.error.hide()
        self.make_button = QPushButton("Sao và cấp &số", self, objectName="make")
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.make)
        close = QPushButton("Đóng", self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.make_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.pages.setEnabled(self.kind.currentData() == "trich-sao")
        symbol = self.context.ops.read_here(self, "xem số bản sao", copies.preview_symbol, self.kind.currentData(),
                                            default="")
        self.preview.setText(f"<b>{escape_html(symbol)}</b>" if symbol else "")

    def choose_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu bản sao", self.path.text() or "ban-sao.pdf",
                                              "Tệp PDF (*.pdf)")
        if path:
            self.path.setText(path)

    def _refused(self, exc: BaseException) -> None:
        self.error.setText(error_message(exc))
        self.error.show()
        self.make_button.setEnabled(True)

    def make(self) -> bool:
        """Make the copy in a worker; the dialog closes when it is written. False if it cannot start."""
        path = Path(one_line(self.path.text()))
        if not one_line(self.path.text()) or path.is_dir() or not path.parent.is_dir():
            self._refused(RegisterError("Hãy chọn tệp PDF để ghi bản sao (trong một thư mục có sẵn)."))
            return False
        kind = self.kind.currentData()
        pages = one_line(self.pages.text()) if kind == "trich-sao" else None
        recipients = [line for line in self.recipients.toPlainText().splitlines() if line.strip()]
        key = self._key() if self.electronic.isChecked() else None
        if self.electronic.isChecked() and key is None:
            return False  # the clerk closed the key dialog: nothing started
        call = (copies.make_copy,) if key is None else (make_signed_copy, *key)
        self.error.hide()
        self.make_button.setEnabled(False)
        started = self.context.ops.write(
            self, "sao văn bản", *call, self.source, f"#{self.row_id}", kind, pages=pages or None,
            signer=self.signer.currentData(), recipients=recipients, write=partial(atomic_write, path),
            changes=self.source, row_id_of=lambda _: self.row_id, done=partial(self._made, path),
            handle={RegisterError: self._refused, IntakeError: self._refused},
            failed=lambda exc: self.make_button.setEnabled(True))
        if not started:
            self.make_button.setEnabled(True)
        return started

    def _key(self):
        """(KeySource, PIN) from the signing dialog (the PIN asked each time, never kept), or None."""
        dialog = SignDialog(signing_settings(self.context.data_dir), "bản sao", self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        try:
            return dialog.source(), dialog.secret.text()
        except SigningProblem as exc:  # KeySource refuses an empty choice: said in the dialog, nothing written
            self._refused(exc)
            return None

    def _made(self, path: Path, made) -> None:
        self.context.window.status(f"Đã sao: bản sao số {made.row['symbol']}, ghi vào {path}")
        self.copied.emit(made.row)
        self.accept()


def add_copy_button(section, layout) -> QPushButton:
    """The "Sao văn bản…" button of a register section (outgoing or incoming): opens CopyDialog on the row."""
    button = QPushButton("Sao &văn bản…", section)
    button.setAccessibleName("Sao y, sao lục hoặc trích sao văn bản đang chọn")
    button.setToolTip("Làm bản sao có số (sao y, sao lục, trích sao) của văn bản đang chọn")
    button.clicked.connect(lambda: open_copy_dialog(section))
    section.insert_action(layout, button)
    return button


def open_copy_dialog(section) -> CopyDialog | None:
    row_id = section.current_row_id()
    if row_id is None:
        return None
    label = section.model.row(section.model.index_of(row_id)).label
    with section.context.ops.guarded(section, "mở phần sao văn bản") as guard:
        dialog = CopyDialog(section.context, section.register, row_id, label, section)
    if guard.failed:
        return None
    section.dialog = dialog
    dialog.open()
    return dialog
