"""The draft form's "Chỉ dẫn bổ sung" box: the optional marks of a draft
(dirdesk/draft_marks.py; docs/draft-format-extensions.md) — dự thảo lần, phạm vi
lưu hành, "Không phổ biến …", người soạn thảo and số bản, thông tin liên hệ.

What a style's rules do not print is disabled and says why (NĐ 30 has no
draft mark and no "Không phổ biến …"). The contact lines can be filled from
the office profile (`contact`).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QWidget,
)

from dirdesk.draft_marks import MAX_ROUND
from dirdesk.limits import MAX_COPIES
from dirdesk.rules import rules_for
from dirdesk.text import clean

NONE_LABEL = "(không)"
NOT_IN_RULES = "Nghị định 30/2020 không quy định thành phần này: không in trên văn bản hành chính."


def contact_edit(parent: QWidget, name: str, accessible: str) -> QPlainTextEdit:
    """The few-line box for the contact lines (the draft form's, and the profile's in Cài đặt)."""
    edit = QPlainTextEdit(parent, objectName=name)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText("Địa chỉ; điện thoại; email")
    edit.setFixedHeight(int(3.6 * parent.fontMetrics().lineSpacing()))
    return edit


def _opt(text: str) -> str | None:
    text = clean(text or "").strip()
    return text or None


class MarksBox(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Chỉ dẫn bổ sung", parent)
        self.setObjectName("box_marks")
        self.profile_contact: str | None = None
        self._style: tuple[str, str | None] = ("party", None)
        self._rows = form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow screens: labels above
        # Folded unless the draft has a mark: most documents have none, and the form stays short.
        self.unfold = QToolButton(self, objectName="marks_unfold", checkable=True)
        self.unfold.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.unfold.setAutoRaise(True)
        self.unfold.setToolTip("Dự thảo lần, phạm vi lưu hành, không phổ biến, ký hiệu người soạn thảo và số bản, "
                               "thông tin liên hệ")
        self.unfold.toggled.connect(self._set_open)
        form.addRow(self.unfold)
        self.draft_round = QSpinBox(self, objectName="draft_round", minimum=0, maximum=MAX_ROUND)
        self.draft_round.setSpecialValueText(NONE_LABEL)
        self.draft_round.setAccessibleName("Dự thảo lần")
        form.addRow("Dự thảo lần:", self.draft_round)
        self.circulation = QComboBox(self, objectName="circulation", editable=True)
        self.circulation.setAccessibleName("Phạm vi lưu hành")
        self.circulation.lineEdit().setPlaceholderText(NONE_LABEL)
        form.addRow("Phạm vi lưu hành:", self.circulation)
        self.no_media = QCheckBox("Không phổ biến (in ở trang cuối)", self, objectName="no_media")
        self.no_media.setToolTip("In «Không phổ biến trên phương tiện thông tin đại chúng» ở trang cuối")
        self.no_media.setAccessibleName("Không phổ biến trên phương tiện thông tin đại chúng")
        form.addRow("", self.no_media)
        row = QHBoxLayout()
        self.drafter = QLineEdit(self, objectName="drafter", placeholderText="NguyenVanAn")
        self.drafter.setAccessibleName("Ký hiệu người soạn thảo")
        self.copies = QSpinBox(self, objectName="copies", minimum=0, maximum=MAX_COPIES)
        self.copies.setSpecialValueText(NONE_LABEL)
        self.copies.setAccessibleName("Số lượng bản phát hành")
        row.addWidget(self.drafter, 1)
        row.addWidget(self.copies)
        form.addRow("Soạn thảo, số bản:", row)
        self.contact = contact_edit(self, "contact", "Thông tin liên hệ")
        self.from_profile = QPushButton("Lấy từ hồ sơ cơ quan", self, objectName="contact_from_profile")
        self.from_profile.setAccessibleName("Lấy thông tin liên hệ từ hồ sơ cơ quan")
        self.from_profile.clicked.connect(self._fill_contact)
        form.addRow("Thông tin liên hệ:", self.contact)
        form.addRow("", self.from_profile)
        for signal in (self.draft_round.valueChanged, self.circulation.currentTextChanged, self.no_media.toggled,
                       self.drafter.textChanged, self.copies.valueChanged, self.contact.textChanged):
            signal.connect(lambda *_: self.changed.emit())
        self._set_open(False)

    def _set_open(self, open_: bool) -> None:
        with QSignalBlocker(self.unfold):
            self.unfold.setChecked(open_)
        self.unfold.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.unfold.setText("Ẩn bớt" if open_ else "Dự thảo, lưu hành, liên hệ…")
        for row in range(1, self._rows.rowCount()):
            self._rows.setRowVisible(row, open_)

    def focus_chain(self) -> list[QWidget]:
        return [self.unfold, self.draft_round, self.circulation, self.no_media, self.drafter, self.copies, self.contact,
                self.from_profile]

    def set_profile_contact(self, contact: str | None) -> None:
        self.profile_contact = contact
        self.from_profile.setEnabled(bool(contact) and self.contact.isEnabled())

    def _fill_contact(self) -> None:
        if self.profile_contact:
            self.contact.setPlainText(self.profile_contact)

    def set_style(self, style: str, edition: str | None) -> None:
        """Offer what the style's rules print; the rest disabled, with the reason as its tooltip."""
        self._style = (style, edition)
        try:
            rules = rules_for(style, edition, None)
        except (KeyError, ValueError):
            return
        for widget, role in ((self.draft_round, "draft_mark"), (self.no_media, "no_media")):
            shown = role in rules.elements
            widget.setEnabled(shown)
            widget.setToolTip("" if shown else NOT_IN_RULES)
        with QSignalBlocker(self.circulation):
            text = self.circulation.currentText()
            self.circulation.clear()
            self.circulation.addItems(["", *rules.marks.get("circulation_choices", [])])
            self.circulation.setEditText(text)

    def set_values(self, data: dict) -> None:
        blockers = [QSignalBlocker(w) for w in (self.draft_round, self.circulation, self.no_media, self.drafter,
                                                 self.copies, self.contact)]
        self.set_style(data.get("style") or "party", data.get("edition"))
        self.draft_round.setValue(int(data.get("draft_round") or 0))
        self.circulation.setEditText(data.get("circulation") or "")
        self.no_media.setChecked(bool(data.get("no_media")))
        self.drafter.setText(data.get("drafter") or "")
        self.copies.setValue(int(data.get("copies") or 0))
        self.contact.setPlainText(data.get("contact") or "")
        del blockers
        self._set_open(bool(self.values()))  # a draft with a mark shows it

    def values(self) -> dict:
        """The marks set, as draft-format fields (those not set are left out, as the file leaves them)."""
        out = {
            "draft_round": self.draft_round.value() or None,
            "circulation": _opt(self.circulation.currentText()),
            "no_media": self.no_media.isChecked(),
            "drafter": _opt(self.drafter.text()),
            "copies": self.copies.value() or None,
            "contact": _opt(self.contact.toPlainText()),
        }
        return {k: v for k, v in out.items() if v not in (None, False)}

    def set_read_only(self, read_only: bool) -> None:
        for w in (self.draft_round, self.circulation, self.no_media, self.copies, self.from_profile):
            w.setEnabled(not read_only)
        self.drafter.setReadOnly(read_only)
        self.contact.setReadOnly(read_only)
        if not read_only:
            self.set_style(*self._style)
            self.set_profile_contact(self.profile_contact)
