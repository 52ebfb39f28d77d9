"""Cài đặt → Ký số: the USB token's PKCS#11 driver library (chosen once, kept in the window's settings
on this machine; the PIN is asked at each signing and never kept), the office's seal image and each
signer's signature image (kept in the profile, checked: PNG, size, transparent background)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui.signing_dialog import KEYS, LIBRARIES, file_row, signing_settings
from dirdesk.gui.workers import error_message
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import load_profile
from dirdesk.registers.signing import save_seal, save_signature

PNG_FILTER = "Ảnh PNG nền trong suốt (*.png)"


def _named(widget, name: str):
    widget.setAccessibleName(name)
    return widget


class SigningPanel(QWidget):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.profile = None
        self.settings = signing_settings(context.data_dir)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Ký số của cơ quan lên văn bản đã ban hành (Văn bản đi → Ký số…). Mã PIN được hỏi "
                                "mỗi lần ký và không bao giờ được lưu."))
        form = QFormLayout()
        self.library = file_row(form, "Thư viện USB token:", str(self.settings.value(KEYS["pkcs11"], "")), LIBRARIES,
                                chosen=lambda path: self.settings.setValue(KEYS["pkcs11"], path))
        self.library.editingFinished.connect(lambda: self.settings.setValue(KEYS["pkcs11"], self.library.text()))
        self.seal_state = QLabel()
        seal = _named(QPushButton("Chọn ảnh con dấu…"), "Chọn ảnh con dấu của cơ quan")
        seal.clicked.connect(self.choose_seal)
        row = QHBoxLayout()
        row.addWidget(self.seal_state, 1)
        row.addWidget(seal)
        form.addRow("Ảnh con dấu:", row)
        self.signer = _named(QComboBox(), "Người ký")
        self.signer.view().setAccessibleName("Danh sách người ký")
        self.signer.currentIndexChanged.connect(lambda _i: self._show_signature())
        self.signature_state = QLabel()
        signature = _named(QPushButton("Chọn ảnh chữ ký…"), "Chọn ảnh chữ ký của người ký")
        signature.clicked.connect(self.choose_signature)
        row = QHBoxLayout()
        row.addWidget(self.signer)
        row.addWidget(self.signature_state, 1)
        row.addWidget(signature)
        form.addRow("Ảnh chữ ký:", row)
        layout.addLayout(form)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        profile = self.context.ops.read_here(self, "đọc hồ sơ cơ quan", load_profile)
        if profile is None:
            return
        self.profile = profile
        seal = profile.seal
        self.seal_state.setText("Đã có" + (f" ({seal['diameter_mm']} mm)" if seal.get("diameter_mm") else "")
                                if seal.get("sha256") else "Chưa có")
        current = self.signer.currentText()
        names = [s["name"] for s in profile.signers if s.get("name")]
        self.signer.blockSignals(True)
        self.signer.clear()
        self.signer.addItems(names)
        if current in names:
            self.signer.setCurrentText(current)
        self.signer.blockSignals(False)
        self._show_signature()

    def _show_signature(self) -> None:
        has = self.profile is not None and self.signer.currentText() in self.profile.signature_images
        self.signature_state.setText("Đã có" if has else "Chưa có")

    def _png(self, title: str) -> bytes | None:
        path, _ = QFileDialog.getOpenFileName(self, title, "", PNG_FILTER)
        if not path:
            return None
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            self.status.setText(f"Không đọc được {path}: {exc.strerror or exc}.")
            return None

    def choose_seal(self) -> None:
        data = self._png("Ảnh con dấu")
        if data is not None:
            self._save("lưu ảnh con dấu", save_seal, data)

    def choose_signature(self) -> None:
        name = self.signer.currentText()
        if not name:
            self.status.setText("Hãy ghi người ký trong hồ sơ cơ quan trước.")
            return
        data = self._png(f"Ảnh chữ ký của {name}")
        if data is not None:
            self._save(f"lưu ảnh chữ ký của {name}", save_signature, name, data)

    def _save(self, what: str, fn, *args) -> None:
        def saved(_result) -> None:
            self.status.setText(f"Đã {what}.")
            self.refresh()

        def refused(exc: BaseException) -> None:
            self.status.setText(error_message(exc))

        self.context.ops.write(self, what, fn, *args, changes="profile", done=saved,
                               handle={RegisterError: refused})
