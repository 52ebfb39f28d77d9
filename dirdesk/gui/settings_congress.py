"""Cài đặt, "Hồ sơ cơ quan" tab: the office's contact lines and the Party congress.

- Thông tin liên hệ: the lines a draft can take for its contact block
  (05-HD II.6; NĐ 30 Phụ lục I ô 13), saved into the profile (`contact`).
- Đại hội (Party only): the opening and the closing day of a congress. From
  the opening to the close, the documents of the đại hội (issuer code ĐH) are
  numbered in one sequence from 01 for all types, "Số 01-BC/ĐH"
  (05-HD I.3.1.1.a, I.3.1.2.b.i; dirdesk/registers/congress.py).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui import dialogs
from dirdesk.gui.drafting.marks_box import contact_edit
from dirdesk.registers.congress import describe, open_congress
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import Profile, end_congress, set_profile_values, start_congress
from dirdesk.text import clean

CONGRESS_HELP = ("Từ ngày khai mạc (kể cả phiên trù bị) đến ngày bế mạc, văn bản của đại hội, đoàn chủ tịch, đoàn "
                 "thư ký, ban thẩm tra tư cách đại biểu, ban kiểm phiếu ghi cơ quan ban hành có ký hiệu ĐH và được "
                 "đánh số chung mọi loại từ 01: Số 01-BC/ĐH (Hướng dẫn 05-HD/VPTW, mục 3.1.1.a). Văn bản soạn mới "
                 "trong kỳ đại hội mang tên đại hội ghi ở đây.")


class CongressPanel(QWidget):
    """The contact lines and the congress, under the profile form; `section` is the SettingsSection."""

    def __init__(self, section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        contact_box = QGroupBox("Thông tin liên hệ in cuối văn bản", self)
        box = QVBoxLayout(contact_box)
        self.contact = contact_edit(contact_box, "profileContact", "Thông tin liên hệ của cơ quan")
        self.save_contact = QPushButton("Lưu thông tin liên hệ", contact_box, objectName="saveContact")
        self.save_contact.setAccessibleName("Lưu thông tin liên hệ của cơ quan")
        box.addWidget(self.contact)
        box.addWidget(self.save_contact)
        layout.addWidget(contact_box)

        self.congress_box = QGroupBox("Đại hội", self, objectName="congressBox")
        form = QFormLayout(self.congress_box)
        self.state = QLabel(self.congress_box, objectName="congressState", wordWrap=True)
        form.addRow("Hiện nay:", self.state)
        self.name = QPlainTextEdit(self.congress_box, objectName="congressName")
        self.name.setAccessibleName("Tên đại hội, in ở chỗ cơ quan ban hành")
        self.name.setPlaceholderText("ĐẠI HỘI ĐẠI BIỂU\nĐẢNG BỘ PHƯỜNG … LẦN THỨ …")
        self.name.setFixedHeight(int(2.8 * self.fontMetrics().lineSpacing()))
        form.addRow("Tên đại hội:", self.name)
        row = QHBoxLayout()
        self.day = QDateEdit(QDate.currentDate(), self.congress_box, objectName="congressDay", calendarPopup=True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setAccessibleName("Ngày khai mạc hoặc bế mạc đại hội")
        self.start_button = QPushButton("Ghi ngày khai mạc", self.congress_box, objectName="congressStart")
        self.end_button = QPushButton("Ghi ngày bế mạc", self.congress_box, objectName="congressEnd")
        self.start_button.setAccessibleName("Ghi ngày khai mạc đại hội")
        self.end_button.setAccessibleName("Ghi ngày bế mạc đại hội")
        row.addWidget(self.day)
        row.addWidget(self.start_button)
        row.addWidget(self.end_button)
        form.addRow("Ngày:", row)
        help_label = QLabel(CONGRESS_HELP, self.congress_box, wordWrap=True)
        form.addRow("", help_label)
        layout.addWidget(self.congress_box)
        self.save_contact.clicked.connect(self._save_contact)
        self.start_button.clicked.connect(lambda: self._congress(True))
        self.end_button.clicked.connect(lambda: self._congress(False))

    def show_profile(self, profile: Profile) -> None:
        self.contact.setPlainText(profile.contact or "")
        self.congress_box.setVisible(profile.style != "state")
        running = open_congress(profile.congresses)
        last = profile.congresses[-1] if profile.congresses else None
        self.state.setText(describe(running) if running else
                           (f"không có đại hội đang diễn ra (lần gần nhất: {describe(last)})" if last
                            else "không có đại hội đang diễn ra"))
        self.name.setPlainText((running or {}).get("name") or "")
        self.name.setReadOnly(running is not None)
        self.start_button.setEnabled(running is None)
        self.end_button.setEnabled(running is not None)

    def _done(self, profile: Profile, text: str) -> None:
        self.show_profile(profile)
        self.section._status(text)

    def _save_contact(self) -> None:
        text = clean(self.contact.toPlainText()).strip()
        ops = self.section.context.ops
        ops.write(self, "lưu thông tin liên hệ", set_profile_values, {"contact": text}, changes="profile",
                  done=lambda _none: self.section._status("Đã lưu thông tin liên hệ."),
                  handle={RegisterError: lambda exc: dialogs.show_error(self, str(exc), "Chưa lưu được")})

    def _congress(self, opening: bool) -> None:
        day: dt.date = self.day.date().toPython()
        what = "khai mạc" if opening else "bế mạc"
        if opening and not dialogs.ask_yes_no(
                self, "Ghi ngày khai mạc đại hội",
                f"Ghi đại hội khai mạc ngày {day:%d/%m/%Y}? {CONGRESS_HELP}", yes="Ghi ngày khai mạc", no="Thôi"):
            return
        name = clean(self.name.toPlainText()).strip() or None
        fn, args = (start_congress, (day, name)) if opening else (end_congress, (day,))
        self.section.context.ops.write(
            self, f"ghi ngày {what} đại hội", fn, *args, changes="profile",
            done=lambda profile: self._done(profile, f"Đã ghi ngày {what} đại hội: {day:%d/%m/%Y}."),
            handle={RegisterError: lambda exc: dialogs.show_error(self, str(exc), f"Chưa ghi được ngày {what}")})
