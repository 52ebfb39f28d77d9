"""The draft form's second signature and the confirmation of the signature (draft fields `signer2`
and `signer_confirm`, docs/draft-format-extensions.md).

Each is a box the clerk ticks to use: a biên bản's thư ký / người ghi biên bản, or the other body's
signer of a joint document, printed on the left (Phụ lục III Mẫu 1.9; 05-HD 7.1.4.e, 7.1.4.g,
7.2.4); and, for a Party biên bản whose chủ trì's signature cannot be sealed, the office's
"Xác nhận chữ ký của đồng chí …" under it (05-HD 7.1.4.e (ii)). An unticked box is no field.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLineEdit, QPlainTextEdit, QWidget

from dirdesk.text import clean


class SignerBox(QGroupBox):
    """A checkable box with a signer's authority, title and name."""

    changed = Signal()

    def __init__(self, title: str, placeholders: tuple[str, str], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setCheckable(True)
        self.setChecked(False)
        self._offered, self._read_only = True, False
        self._rows = layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.authority = QPlainTextEdit(self)
        self.authority.setTabChangesFocus(True)
        self.authority.setFixedHeight(int(2.6 * self.fontMetrics().lineSpacing()))
        self.authority.setPlaceholderText(placeholders[0])
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(placeholders[1])
        self.name_edit = QLineEdit(self)
        for caption, widget, spoken in (("Quyền hạn ký:", self.authority, "Quyền hạn ký"),
                                        ("Chức vụ:", self.title_edit, "Chức vụ"),
                                        ("Họ và tên:", self.name_edit, "Họ và tên")):
            widget.setAccessibleName(f"{title}: {spoken}")
            layout.addRow(caption, widget)
        self.toggled.connect(self._set_open)
        self.toggled.connect(lambda _on: self.changed.emit())
        self._set_open(False)
        for signal in (self.authority.textChanged, self.title_edit.textChanged, self.name_edit.textChanged):
            signal.connect(lambda *_args: self.changed.emit())

    def focus_chain(self) -> list[QWidget]:
        return [self, self.authority, self.title_edit, self.name_edit]

    def set_value(self, signer: dict | None) -> None:
        self.blockSignals(True)
        try:
            self.setChecked(signer is not None)
            signer = signer or {}
            self.authority.setPlainText(signer.get("authority") or "")
            self.title_edit.setText(signer.get("title") or "")
            self.name_edit.setText(signer.get("name") or "")
        finally:
            self.blockSignals(False)
        self._set_open(self.isChecked())
        self._show()

    def value(self) -> dict | None:
        """The signer as the file format writes it, text cleaned (NFC); None when the box is not ticked."""
        if not self.isChecked():
            return None

        def line(text: str) -> str | None:
            return clean(text, keep_newlines=False).strip() or None

        return {"authority": clean(self.authority.toPlainText()).strip() or None,
                "title": line(self.title_edit.text()), "name": line(self.name_edit.text())}

    def set_offered(self, offered: bool) -> None:
        """Whether the style has this signature at all (the confirmation is 05-HD's)."""
        self._offered = offered
        self._show()

    def set_read_only(self, read_only: bool) -> None:
        """An issued document: a box in use shown with its fields read-only, an unused one hidden."""
        self._read_only = read_only
        for widget in (self.authority, self.title_edit, self.name_edit):
            widget.setReadOnly(read_only)
        self._show()

    def _set_open(self, open_: bool) -> None:
        """An unticked box is only its title: the form stays short for the documents (most) with one signer."""
        for row in range(self._rows.rowCount()):
            self._rows.setRowVisible(row, open_)

    def _show(self) -> None:
        self.setVisible(self.isChecked() or (self._offered and not self._read_only))
