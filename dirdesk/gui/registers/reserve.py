"""Lấy số trước: reserve the next number of a type for a document still
being signed (outgoing.reserve); the number about to be taken is shown first
(outgoing.preview_next)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from dirdesk.gui.forms import load_form
from dirdesk.gui.registers import common
from dirdesk.registers import outgoing
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import load_profile
from dirdesk.rules import doc_types


class ReserveDialog(QDialog):
    reserved = Signal(dict)  # the reserved row

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Lấy số trước")
        QVBoxLayout(self).addWidget(form := load_form("entry_reserve", self))
        self.form = form
        self.profile = load_profile(self.registry)
        self.doc_type: QComboBox = form.findChild(QComboBox, "doc_type")
        self.date: QDateEdit = form.findChild(QDateEdit, "date")
        self.unit: QComboBox = form.findChild(QComboBox, "unit")
        self.secret: QCheckBox = form.findChild(QCheckBox, "secret")
        self.note: QLineEdit = form.findChild(QLineEdit, "note")
        self.preview: QLabel = form.findChild(QLabel, "preview")
        self.error: QLabel = form.findChild(QLabel, "error")
        self.error.hide()
        for code, t in doc_types(self.profile.style or "party").items():
            self.doc_type.addItem(f"{t.label[:1].upper()}{t.label[1:]} ({code})", code)
        self.unit.addItem("không ghi", None)
        for unit in self.profile.units:
            self.unit.addItem(f"{unit.get('name') or unit.get('code')} ({unit.get('code')})", unit.get("code"))
        state = self.profile.style == "state"
        self.unit.setVisible(state)
        form.findChild(QLabel, "unit_label").setVisible(state)
        self.date.setDate(QDate.currentDate())
        for signal in (self.doc_type.currentIndexChanged, self.date.dateChanged, self.unit.currentIndexChanged,
                       self.secret.toggled):
            signal.connect(self.update_preview)
        form.findChild(QWidget, "reserve_button").clicked.connect(self.reserve)
        form.findChild(QWidget, "close_button").clicked.connect(self.reject)
        self.update_preview()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 42)
        form.findChild(QWidget, "reserve_button").setDefault(True)

    @property
    def registry(self):
        """The open register: read each time, as a restore from a backup replaces it."""
        return self.context.registry

    def _choice(self) -> dict:
        return {"on": self.date.date().toPython(), "secret": self.secret.isChecked(),
                "unit": self.unit.currentData() if self.unit.isVisible() else None}

    def update_preview(self) -> None:
        code = self.doc_type.currentData()
        try:
            plan = outgoing.preview_next(self.registry, code, **self._choice())
        except RegisterError as exc:
            self.preview.setText("")
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        text = f"<b>{common.escape_html(plan.symbol)}</b> (dãy số: {common.escape_html(plan.sequence.label)})"
        if plan.sequence.note:
            text += f"<br><i>{common.escape_html(plan.sequence.note)}</i>"
        self.preview.setText(text)

    def reserve(self) -> dict | None:
        try:
            row = outgoing.reserve(self.registry, self.doc_type.currentData(), note=common.line(self.note.text()),
                                   **self._choice())
        except RegisterError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return None
        common.tell_window(self.context, f"Đã lấy số {row['symbol']} ({dt.date.fromisoformat(row['date']):%d/%m/%Y}).")
        self.reserved.emit(row)
        self.accept()
        return row
