"""Ký số…: the office's key for signing an issued document, asked each time.

The clerk picks the .p12/.pfx file or the USB token's PKCS#11 driver library once (remembered in the
window's settings, never the PIN), and types the PIN or password each time. The signing itself runs in
the register's worker (dirdesk.gui.operations) through the entry dialog's one write path."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from dirdesk.signing.keys import KeySource

KEYS = {"kind": "signing/kind", "p12": "signing/p12", "pkcs11": "signing/pkcs11_library", "token": "signing/token"}


LIBRARIES = "Thư viện (*.so *.dll *.dylib)"


def file_row(form: QFormLayout, label: str, value: str, filters: str, chosen=None) -> QLineEdit:
    """A line for a file's path with its "Chọn…" button, added to `form`; `chosen(path)` after a choice."""
    line = QLineEdit(value)
    line.setAccessibleName(label.rstrip(":"))
    choose = QPushButton("Chọn…")
    choose.setAccessibleName(f"Chọn {label.rstrip(':').lower()}")

    def pick() -> None:
        path, _ = QFileDialog.getOpenFileName(line.window(), "Chọn tệp", line.text(), filters)
        if path:
            line.setText(path)
            if chosen is not None:
                chosen(path)

    choose.clicked.connect(pick)
    row = QHBoxLayout()
    row.addWidget(line)
    row.addWidget(choose)
    form.addRow(label, row)
    return line


def signing_settings(data_dir: Path) -> QSettings:
    """The window's settings file (dirdesk-gui.ini in the data folder), where the key's place is kept."""
    return QSettings(str(Path(data_dir) / "dirdesk-gui.ini"), QSettings.Format.IniFormat)


class SignDialog(QDialog):
    def __init__(self, settings: QSettings, symbol: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(f"Ký số {symbol}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Ký số của cơ quan lên bản PDF đã ban hành (ngoại tuyến, không có dấu thời gian). "
                                "Ảnh con dấu và ảnh chữ ký lấy từ hồ sơ cơ quan."))
        self.use_token = QRadioButton("USB &token (PKCS#11)")
        self.use_p12 = QRadioButton("Tệp chứng thư số .&p12/.pfx")
        for button in (self.use_token, self.use_p12):
            button.setAccessibleName(button.text().replace("&", ""))
        form = QFormLayout()
        self.library = file_row(form, "Thư viện PKCS#11:", str(settings.value(KEYS["pkcs11"], "")), LIBRARIES)
        self.token = QLineEdit(str(settings.value(KEYS["token"], "")))
        self.token.setAccessibleName("Nhãn của USB token")
        self.token.setPlaceholderText("để trống nếu chỉ cắm một token")
        form.addRow("Nhãn token:", self.token)
        self.p12 = file_row(form, "Tệp .p12/.pfx:", str(settings.value(KEYS["p12"], "")), "Chứng thư số (*.p12 *.pfx)")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Mã PIN hoặc mật khẩu (không được lưu)")
        form.addRow("Mã PIN / mật khẩu:", self.secret)
        layout.addWidget(self.use_token)
        layout.addWidget(self.use_p12)
        layout.addLayout(form)
        (self.use_p12 if settings.value(KEYS["kind"]) == "p12" else self.use_token).setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Ký số")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thôi")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.secret.setFocus()

    def source(self) -> KeySource:
        """The key chosen (remembered for next time, without the PIN); KeySource refuses an empty choice."""
        kind = "p12" if self.use_p12.isChecked() else "pkcs11"
        self.settings.setValue(KEYS["kind"], kind)
        self.settings.setValue(KEYS["p12"], self.p12.text().strip())
        self.settings.setValue(KEYS["pkcs11"], self.library.text().strip())
        self.settings.setValue(KEYS["token"], self.token.text().strip())
        if kind == "p12":
            return KeySource(p12=Path(self.p12.text().strip()))
        return KeySource(pkcs11=self.library.text().strip(), token=self.token.text().strip() or None)
