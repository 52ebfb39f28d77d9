"""Lấy số trước: reserve the next number of a type for a document still
being signed (outgoing.reserve); the number about to be taken is shown first
(outgoing.preview_next)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui.forms import load_form
from dirdesk.gui.registers import common
from dirdesk.gui.workers import error_message
from dirdesk.registers import numbering, outgoing
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import load_profile
from dirdesk.rules import doc_types, edition_in_force


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
        self.secret.setText(numbering.SECRET_CHOICES[self.profile.style or "party"])
        self.note: QLineEdit = form.findChild(QLineEdit, "note")
        self.preview: QLabel = form.findChild(QLabel, "preview")
        self.error: QLabel = form.findChild(QLabel, "error")
        self.error.hide()
        style = self.profile.style or "party"
        edition = edition_in_force(style, None)
        for code, t in doc_types(style).items():
            self.doc_type.addItem(t.choice_label(edition), code)
        self.unit.addItem("không ghi", None)
        for unit in self.profile.units:
            self.unit.addItem(f"{unit.get('name') or unit.get('code')} ({unit.get('code')})", unit.get("code"))
        state = self.profile.style == "state"
        self.unit.setVisible(state)
        form.findChild(QLabel, "unit_label").setVisible(state)
        self.date.setDate(QDate.currentDate())
        # A document of the đại hội: the congress's one sequence, …/ĐH (05-HD I.3.1.1.a; registers/congress.py)
        self.congress = QCheckBox("Văn bản của đại hội (dãy số chung, ký hiệu ĐH)", self, objectName="congress")
        self.congress.setAccessibleName("Văn bản của đại hội")
        self.congress.setVisible(self.profile.style == "party" and bool(self.profile.congresses))
        form.findChild(QGridLayout, "form").addWidget(self.congress, 6, 0, 1, 2)
        for signal in (self.doc_type.currentIndexChanged, self.date.dateChanged, self.unit.currentIndexChanged,
                       self.secret.toggled, self.congress.toggled):
            signal.connect(self.update_preview)
        self.reserve_button: QPushButton = form.findChild(QPushButton, "reserve_button")
        self.reserve_button.clicked.connect(self.reserve)
        form.findChild(QWidget, "close_button").clicked.connect(self.reject)
        self.update_preview()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 42)
        self.reserve_button.setDefault(True)

    @property
    def registry(self):
        """The open register: read each time, as a restore from a backup replaces it."""
        return self.context.registry

    def _choice(self) -> dict:
        return {"on": self.date.date().toPython(), "secret": self.secret.isChecked(),
                "unit": self.unit.currentData() if self.unit.isVisible() else None,
                "congress": self.congress.isChecked() and not self.congress.isHidden()}

    def update_preview(self) -> None:
        code = self.doc_type.currentData()
        try:  # a quick read of the number sequences, on the GUI thread
            plan = outgoing.preview_next(self.registry, code, **self._choice())
        except Exception as exc:  # said under the choices, where the clerk is looking
            self._refused(exc)
            return
        self.error.hide()
        text = f"<b>{common.escape_html(plan.symbol)}</b> (dãy số: {common.escape_html(plan.sequence.label)})"
        if plan.sequence.note:
            text += f"<br><i>{common.escape_html(plan.sequence.note)}</i>"
        self.preview.setText(text)

    def _refused(self, exc: BaseException) -> None:
        self.preview.setText("")
        self.error.setText(error_message(exc))
        self.error.show()
        self.reserve_button.setEnabled(True)

    def reserve(self) -> bool:
        """Reserve the number in a worker; the dialog closes when it is done. False if it cannot start."""
        self.reserve_button.setEnabled(False)
        started = self.context.ops.write(
            self, "lấy số trước", outgoing.reserve, self.doc_type.currentData(), note=common.line(self.note.text()),
            **self._choice(), changes="outgoing", done=self._reserved, handle={RegisterError: self._refused},
            failed=lambda exc: self.reserve_button.setEnabled(True))
        if not started:
            self.reserve_button.setEnabled(True)
        return started

    def _reserved(self, row: dict) -> None:
        self.context.window.status(f"Đã lấy số {row['symbol']} ({dt.date.fromisoformat(row['date']):%d/%m/%Y}).")
        self.reserved.emit(row)
        self.accept()
