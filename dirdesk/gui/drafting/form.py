"""The draft form (forms/draft_form.ui): every field a clerk edits, read and
written as a draft-format dict (shared/spec/draft-format.md).

The form keeps what the clerk does not edit here (style, edition, issuer,
number, symbol) as it came in. `data()` never raises: a half-typed draft is
still a dict (autosave keeps it); `dirdesk.draft.draft_from_dict` decides
whether it is a valid draft.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

from PySide6.QtCore import QDate, QEvent, QSignalBlocker, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QComboBox, QPlainTextEdit, QVBoxLayout, QWidget

from dirdesk.draft import FORMAT_VERSION, SECRECIES, URGENCIES, Draft, Issuer
from dirdesk.gui.drafting.address_list import AddressList
from dirdesk.gui.drafting.attached_list import AttachedList, attachments_of
from dirdesk.gui.drafting.body_editor import BodyEditor
from dirdesk.gui.drafting.marks_box import MarksBox
from dirdesk.gui.drafting.more_signers import SignerBox
from dirdesk.gui.forms import load_form
from dirdesk.registers.profile import Profile
from dirdesk.rules import doc_types, edition_in_force, rules_for
from dirdesk.symbols import symbol_text
from dirdesk.text import clean

NOT_NUMBERED = "chưa cấp số"
NONE_LABEL = "(không)"
OWN_SIGNER = "(tự nhập)"

# Vietnamese names of the draft fields, for messages ("Trích yếu: không được để trống").
FIELD_LABELS = {
    "dirdesk": "Phiên bản tệp", "style": "Kiểu văn bản", "edition": "Phiên bản quy định", "type": "Loại văn bản",
    "issuer": "Cơ quan ban hành", "issuer.name": "Tên cơ quan ban hành", "issuer.code": "Chữ viết tắt cơ quan",
    "issuer.parent": "Cơ quan cấp trên", "issuer.unit": "Đơn vị soạn thảo", "number": "Số", "symbol": "Ký hiệu",
    "place": "Địa danh", "date": "Ngày ban hành", "title": "Tên loại", "subject": "Trích yếu",
    "recipients": "Kính gửi", "preamble": "Căn cứ, mở đầu", "body": "Nội dung", "cc": "Nơi nhận",
    "cc_note": "Ghi chú nơi nhận", "signer": "Người ký", "signer.authority": "Quyền hạn ký",
    "signer.title": "Chức vụ người ký", "signer.name": "Họ tên người ký", "urgency": "Độ khẩn", "secrecy": "Độ mật",
    "signer2": "Người ký thứ hai", "signer2.authority": "Quyền hạn ký (người ký thứ hai)",
    "signer2.title": "Chức vụ (người ký thứ hai)", "signer2.name": "Họ tên (người ký thứ hai)",
    "signer_confirm": "Xác nhận chữ ký", "signer_confirm.authority": "Quyền hạn ký (xác nhận chữ ký)",
    "signer_confirm.title": "Chức vụ (xác nhận chữ ký)", "signer_confirm.name": "Họ tên (xác nhận chữ ký)",
    "co_issuer": "Cơ quan cùng ban hành",
    "draft_round": "Dự thảo lần", "circulation": "Phạm vi lưu hành", "no_media": "Không phổ biến",
    "drafter": "Người soạn thảo", "copies": "Số bản phát hành", "contact": "Thông tin liên hệ",
}

BODY_LINES = 12  # the least room the body editor gets, in lines of its font


def base_field(name: str) -> tuple[str, int | None]:
    """("recipients", 2) for "recipients[2]"; (name, None) otherwise."""
    m = re.fullmatch(r"(.+)\[(\d+)\]", name or "")
    return (m.group(1), int(m.group(2))) if m else (name, None)


def field_label(name: str) -> str:
    base, index = base_field(name)
    label = FIELD_LABELS.get(base, base)
    return f"{label} (dòng {index + 1})" if index is not None else label


def _opt(text: str | None) -> str | None:
    text = clean(text or "").strip()
    return text or None


def _line(text: str | None) -> str:
    return clean(text or "", keep_newlines=False).strip()


class DraftForm(QWidget):
    changed = Signal()

    def __init__(self, book: QStringListModel, keep_address=None, parent: QWidget | None = None, *,
                 read_book=None) -> None:
        super().__init__(parent)
        self.ui = load_form("draft_form", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ui)
        u = self.ui
        self._loading = False
        self._read_only = False
        self._kept: dict = {}
        self._profile = Profile()

        self.recipients = AddressList("Kính gửi", book, keep_address, self, read_book=read_book)
        self.cc = AddressList("Nơi nhận", book, keep_address, self, read_book=read_book)
        self.preamble = BodyEditor(self, "Căn cứ, mở đầu")
        self.body = BodyEditor(self, "Nội dung")
        self.attached = AttachedList(self)  # printed after the signature: the box comes last
        u.fields_layout.insertWidget(u.fields_layout.indexOf(u.box_signer) + 1, self.attached)
        for host, child in ((u.recipients_host, self.recipients), (u.cc_host, self.cc),
                            (u.preamble_host, self.preamble), (u.body_host, self.body)):
            box = QVBoxLayout(host)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(child)
        self._last_editor = self.body
        self.signer2 = SignerBox("Người ký bên trái", ("Thường để trống", "Ví dụ: THƯ KÝ"), self)
        self.signer2.setToolTip("Người ký thứ hai, in bên trái: thư ký, người ghi biên bản, hoặc người ký "
                                "của cơ quan cùng ban hành (văn bản liên tịch).")
        self.confirm = SignerBox("Xác nhận chữ ký", ("Ví dụ: T/L BAN THƯỜNG VỤ", "Ví dụ: CHÁNH VĂN PHÒNG"), self)
        self.confirm.setToolTip("Xác nhận chữ ký của người chủ trì hội nghị khi chữ ký đó không được "
                                "đóng dấu (Hướng dẫn 05-HD/VPTW).")
        at = u.fields_layout.indexOf(u.box_signer) + 1
        for offset, box in enumerate((self.signer2, self.confirm)):
            u.fields_layout.insertWidget(at + offset, box)
            box.changed.connect(self._edited)
        self.marks = MarksBox(u.fields)  # after the signatures, before the attached parts
        u.fields_layout.insertWidget(u.fields_layout.indexOf(self.confirm) + 1, self.marks)
        QApplication.instance().focusChanged.connect(self._focus_moved)

        lines = self.fontMetrics().lineSpacing()
        self.body.set_minimum_lines(BODY_LINES)
        u.fields_layout.setStretchFactor(u.box_content, 1)  # the room left in the form goes to the body
        u.content_layout.setStretchFactor(u.body_host, 1)
        u.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # never cut sideways:
        self._fit_width()  # the splitter gives the preview only what the fields leave,
        u.fields.installEventFilter(self)  # and again each time the fields are laid out
        self.preamble.setMinimumHeight(5 * lines)
        self.preamble.setMaximumHeight(9 * lines)
        u.subject.setFixedHeight(int(3.6 * lines))
        u.authority.setFixedHeight(int(2.6 * lines))

        for combo, values in ((u.urgency, URGENCIES), (u.secrecy, SECRECIES)):
            combo.addItem(NONE_LABEL, None)
            for v in values:
                combo.addItem(v, v)
        u.date_edit.setDate(QDate.currentDate())
        u.date_set.toggled.connect(u.date_edit.setEnabled)

        u.bold_button.clicked.connect(lambda: self._format("bold"))
        u.italic_button.clicked.connect(lambda: self._format("italic"))
        u.underline_button.clicked.connect(lambda: self._format("underline"))
        u.heading_button.clicked.connect(lambda: self._format("heading"))
        u.signer_combo.activated.connect(self._signer_chosen)
        u.type_combo.currentIndexChanged.connect(self._type_changed)

        for signal in (u.type_combo.currentIndexChanged, u.date_set.toggled, u.date_edit.dateChanged,
                       u.place.textChanged, u.unit_combo.currentIndexChanged, u.urgency.currentIndexChanged,
                       u.secrecy.currentIndexChanged, u.title_edit.textChanged, u.subject.textChanged,
                       u.cc_note.textChanged, u.signer_title.textChanged, u.signer_name.textChanged,
                       u.authority.textChanged, self.recipients.changed, self.cc.changed,
                       self.preamble.markupChanged, self.body.markupChanged, self.attached.changed,
                       self.marks.changed):
            signal.connect(self._edited)
        for signal in (u.signer_title.textChanged, u.signer_name.textChanged, u.authority.textChanged):
            signal.connect(self._sync_signer_combo)
        self._fields = {
            "type": u.type_combo, "edition": u.type_combo, "style": u.type_combo, "number": u.number_label,
            "symbol": u.number_label, "date": u.date_edit, "place": u.place, "title": u.title_edit,
            "subject": u.subject, "recipients": self.recipients.list, "preamble": self.preamble, "body": self.body,
            "cc": self.cc.list, "cc_note": u.cc_note, "signer": u.signer_combo, "signer.authority": u.authority,
            "signer.title": u.signer_title, "signer.name": u.signer_name, "urgency": u.urgency,
            "secrecy": u.secrecy, "issuer.unit": u.unit_combo, "issuer": u.issuer_label,
            "issuer.name": u.issuer_label, "issuer.code": u.issuer_label, "issuer.parent": u.issuer_label,
            "signer2": self.signer2, "signer_confirm": self.confirm, "co_issuer": u.issuer_label,
            "attachments": self.attached.list, "issued_by": self.attached.list,
            **{name: getattr(self.marks, name) for name in ("draft_round", "circulation", "no_media", "drafter",
                                                            "copies", "contact")},
        }
        self._set_tab_order()
        self.set_data({"dirdesk": FORMAT_VERSION, "style": "party", "type": "CV", "issuer": {}})

    def _set_tab_order(self) -> None:
        """Top to bottom as the fields are seen (the lists and editors are built after the .ui's widgets)."""
        u = self.ui
        chain = [u.type_combo, u.date_set, u.date_edit, u.place, u.unit_combo, u.urgency, u.secrecy, u.title_edit,
                 u.subject, *self.recipients.focus_chain(), self.preamble, u.bold_button, u.italic_button,
                 u.underline_button, u.heading_button, self.body, u.cc_note, *self.cc.focus_chain(),
                 u.signer_combo, u.authority, u.signer_title, u.signer_name, *self.signer2.focus_chain(),
                 *self.confirm.focus_chain(),
                 *self.attached.focus_chain(), *self.marks.focus_chain()]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.tab_chain = chain

    # --- profile ---------------------------------------------------------------

    def set_profile(self, profile: Profile) -> None:
        """The signers and drafting units offered (the address book is the shared model)."""
        self._profile = profile
        self.marks.set_profile_contact(profile.contact)
        with QSignalBlocker(self.ui.signer_combo):
            combo = self.ui.signer_combo
            combo.clear()
            combo.addItem(OWN_SIGNER, None)
            for s in profile.signers:
                authority = " / ".join((s.get("authority") or "").split("\n"))
                text = " — ".join(filter(None, [s.get("title"), s.get("name")]))
                combo.addItem(f"{text} ({authority})" if authority else text, s)
        self._fill_units(self._kept.get("issuer", {}).get("unit"))
        self._sync_signer_combo()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.ui.fields and event.type() == QEvent.Type.LayoutRequest:
            self._fit_width()
        return super().eventFilter(watched, event)

    def _fit_width(self) -> None:
        """The form as wide as its fields need with their content now, and room for the vertical scroll bar."""
        scroll = self.ui.form_scroll
        bar = scroll.style().pixelMetric(scroll.style().PixelMetric.PM_ScrollBarExtent, None, scroll)
        scroll.setMinimumWidth(self.ui.fields.minimumSizeHint().width() + bar + 2 * scroll.frameWidth())

    def _fill_units(self, current: str | None) -> None:
        combo = self.ui.unit_combo
        with QSignalBlocker(combo):
            combo.clear()
            combo.addItem(NONE_LABEL, None)
            codes = []
            for unit in self._profile.units:
                if unit.get("code"):
                    codes.append(unit["code"])
                    combo.addItem(f"{unit['code']} — {unit.get('name') or ''}".rstrip(" —"), unit["code"])
            if current and current not in codes:
                combo.addItem(current, current)
            combo.setCurrentIndex(max(combo.findData(current), 0) if current else 0)

    # --- data in -----------------------------------------------------------------

    def set_data(self, data: dict) -> None:
        """Show a draft-format dict (a valid draft's `to_dict()`, or an autosave that may not be valid)."""
        self._loading = True
        try:
            self._set_data(data)
        finally:
            self._loading = False
        self.changed.emit()

    def set_draft(self, draft: Draft) -> None:
        self.set_data(draft.to_dict())

    def _set_data(self, data: dict) -> None:
        u = self.ui
        issuer = dict(data.get("issuer") or {})
        self._kept = {"style": data.get("style") or "party", "edition": data.get("edition"),
                      "issuer": {k: issuer.get(k) for k in ("parent", "name", "code", "unit")},
                      "number": data.get("number"), "symbol": data.get("symbol"),
                      "co_issuer": data.get("co_issuer"),  # a joint document's second body, shown with the issuer
                      # what the form has no field for (docs/draft-format-extensions.md) goes out unchanged
                      "extensions": {k: data[k] for k in ("issued_by",) if data.get(k)}}
        style = self._kept["style"]
        with QSignalBlocker(u.type_combo):
            u.type_combo.clear()
            types = doc_types(style) if style in ("party", "state") else {}
            edition = self._kept["edition"] or (edition_in_force(style, None) if types else "")
            for code, t in types.items():
                u.type_combo.addItem(t.choice_label(edition), code)
            code = data.get("type")
            if code and u.type_combo.findData(code) < 0:
                u.type_combo.addItem(str(code), code)
            u.type_combo.setCurrentIndex(max(u.type_combo.findData(code), 0))
        parent = " / ".join((issuer.get("parent") or "").split("\n"))
        name = " / ".join((issuer.get("name") or "").split("\n"))
        co_issuer = (data.get("co_issuer") or {}).get("name")
        name = f"{name} - {' / '.join(co_issuer.split(chr(10)))}" if co_issuer else name
        u.issuer_label.setText("\n".join(filter(None, [parent, name])) or "(chưa có: đặt trong Cài đặt)")
        date = data.get("date")
        try:
            day = dt.date.fromisoformat(date) if isinstance(date, str) else None
        except ValueError:
            day = None
        u.date_set.setChecked(day is not None)
        u.date_edit.setEnabled(day is not None and not self._read_only)
        u.date_edit.setDate(QDate(day.year, day.month, day.day) if day else QDate.currentDate())
        u.place.setText(data.get("place") or "")
        self._fill_units(issuer.get("unit"))
        for combo, value in ((u.urgency, data.get("urgency")), (u.secrecy, data.get("secrecy"))):
            index = combo.findData(value) if value else 0
            if index < 0:
                combo.addItem(str(value), value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        u.title_edit.setText(data.get("title") or "")
        u.subject.setPlainText(data.get("subject") or "")
        self.recipients.set_items(list(data.get("recipients") or []))
        self.preamble.set_markup(data.get("preamble") or "")
        self.body.set_markup(data.get("body") or "")
        self.cc.set_items(list(data.get("cc") or []))
        self.attached.set_items(attachments_of(data), style)
        u.cc_note.setText(data.get("cc_note") or "")
        signer = data.get("signer") or {}
        u.authority.setPlainText(signer.get("authority") or "")
        u.signer_title.setText(signer.get("title") or "")
        u.signer_name.setText(signer.get("name") or "")
        self._sync_signer_combo()
        self.signer2.set_value(data.get("signer2"))
        self.confirm.set_value(data.get("signer_confirm"))
        self.confirm.set_offered(style == "party")  # 05-HD 7.1.4.e (ii); shown anyway when a draft has one
        self.marks.set_values(data)
        self._type_changed()
        self._show_number()

    # --- data out ----------------------------------------------------------------

    def data(self) -> dict:
        """The draft as the form holds it, in the file format's shape, text cleaned (NFC)."""
        u = self.ui
        kept = copy.deepcopy(self._kept)
        issuer = kept["issuer"]
        issuer["unit"] = u.unit_combo.currentData()
        date = u.date_edit.date()
        return {
            "dirdesk": FORMAT_VERSION,
            "style": kept["style"],
            "edition": kept["edition"],
            "type": u.type_combo.currentData(),
            "issuer": issuer,
            "number": kept["number"],
            "symbol": kept["symbol"],
            "place": _line(u.place.text()),
            "date": dt.date(date.year(), date.month(), date.day()).isoformat() if u.date_set.isChecked() else None,
            "title": _opt(u.title_edit.text()),
            "subject": clean(u.subject.toPlainText()).strip(),
            "recipients": self.recipients.items(),
            "preamble": _opt(self.preamble.markup()),
            "body": self.body.markup().strip(),
            "cc": self.cc.items(),
            "cc_note": _opt(_line(u.cc_note.text())),
            "signer": {"authority": _opt(u.authority.toPlainText()), "title": _opt(_line(u.signer_title.text())),
                       "name": _opt(_line(u.signer_name.text()))},
            "urgency": u.urgency.currentData(),
            "secrecy": u.secrecy.currentData(),
            **self._extensions(kept),
            **({"attachments": [a.to_dict() for a in self.attached.items]} if self.attached.items else {}),
            **kept.get("extensions", {}),
            **self.marks.values(),
        }

    def _extensions(self, kept: dict) -> dict:
        """The optional fields the draft has (written only when set, as Draft.to_dict does)."""
        values = {"signer2": self.signer2.value(), "signer_confirm": self.confirm.value(),
                  "co_issuer": kept.get("co_issuer")}
        return {key: value for key, value in values.items() if value is not None}

    def set_number(self, number: int | None, symbol: str | None = None) -> None:
        self._kept["number"], self._kept["symbol"] = number, symbol
        self._show_number()

    # --- behaviour ---------------------------------------------------------------

    def _edited(self, *_args) -> None:
        if not self._loading:
            self.changed.emit()

    def _focus_moved(self, _old, new) -> None:
        if new in (self.body, self.preamble):
            self._last_editor = new

    def _format(self, kind: str) -> None:
        editor = self._last_editor
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        editor.toggle(kind)

    def _type_changed(self, *_args) -> None:
        code = self.ui.type_combo.currentData()
        t = doc_types(self._kept["style"]).get(code) if self._kept.get("style") in ("party", "state") else None
        if t is None:
            self.ui.title_edit.setPlaceholderText("")
        elif t.print_name:
            self.ui.title_edit.setPlaceholderText(t.name)
        else:
            self.ui.title_edit.setPlaceholderText(f"{t.label[:1].upper() + t.label[1:]} không in tên loại")
        self._show_number()

    def _show_number(self) -> None:
        number, symbol = self._kept.get("number"), self._kept.get("symbol")
        label = self.ui.number_label
        if not number:
            label.setText(NOT_NUMBERED)
            return
        text = symbol
        if not text:
            try:
                data = self.data()
                issuer = data["issuer"]
                date = dt.date.fromisoformat(data["date"]) if data["date"] else None
                draft = Draft(style=data["style"], type=data["type"], place=data["place"] or "-", subject="-",
                              body="-", issuer=Issuer(name=issuer.get("name") or "-", code=issuer.get("code") or "",
                                                      unit=issuer.get("unit")),
                              number=number, date=date, edition=data["edition"])
                text = symbol_text(draft, rules_for(draft.style, draft.edition, date))
            except (KeyError, ValueError, TypeError):
                text = f"{number:02d}"
        label.setText(f"Số {text}")

    def _signer_chosen(self, index: int) -> None:
        s = self.ui.signer_combo.itemData(index)
        if not s:
            return
        u = self.ui
        with QSignalBlocker(u.authority), QSignalBlocker(u.signer_title), QSignalBlocker(u.signer_name):
            u.authority.setPlainText(s.get("authority") or "")
            u.signer_title.setText(s.get("title") or "")
            u.signer_name.setText(s.get("name") or "")
        self._edited()

    def _sync_signer_combo(self, *_args) -> None:
        u = self.ui
        now = (clean(u.authority.toPlainText()).strip(), _line(u.signer_title.text()), _line(u.signer_name.text()))
        index = 0
        for i in range(1, u.signer_combo.count()):
            s = u.signer_combo.itemData(i)
            if (s.get("authority") or "", s.get("title") or "", s.get("name") or "") == now:
                index = i
                break
        with QSignalBlocker(u.signer_combo):
            u.signer_combo.setCurrentIndex(index)

    # --- read-only and focus -------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        """An issued document: shown, selectable, not editable."""
        self._read_only = read_only
        u = self.ui
        for w in (u.place, u.title_edit, u.cc_note, u.signer_title, u.signer_name):
            w.setReadOnly(read_only)
        for w in (u.subject, u.authority, self.body, self.preamble):
            w.setReadOnly(read_only)
        for w in (u.type_combo, u.unit_combo, u.urgency, u.secrecy, u.signer_combo, u.date_set,
                  u.bold_button, u.italic_button, u.underline_button, u.heading_button):
            w.setEnabled(not read_only)
        u.date_edit.setEnabled(not read_only and u.date_set.isChecked())
        self.recipients.set_read_only(read_only)
        self.cc.set_read_only(read_only)
        for box in (self.signer2, self.confirm):
            box.set_read_only(read_only)
        for w in self.attached.buttons():
            w.setEnabled(not read_only)
        self.marks.set_read_only(read_only)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def field_widget(self, name: str) -> QWidget | None:
        base, _ = base_field(name)
        return self._fields.get(base) or self._fields.get(base.split(".")[0])

    def show_top(self) -> None:
        """A new document: the form scrolled to its top, the focus in its first field."""
        self._scroll_to_top()
        self.tab_chain[0].setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, self._scroll_to_top)  # again once the new content is laid out

    def _scroll_to_top(self) -> None:
        bar = self.ui.form_scroll.verticalScrollBar()
        bar.setValue(bar.minimum())

    def focus_field(self, name: str) -> QWidget | None:
        """Bring the field a finding or an error names into view and give it the focus."""
        base, index = base_field(name)
        widget = self.field_widget(name)
        if widget is None:
            return None
        if base == "date" and not self.ui.date_set.isChecked():
            widget = self.ui.date_set
        if index is not None and base in ("recipients", "cc"):
            widget.setCurrentRow(min(index, widget.count() - 1))
        self.ui.form_scroll.ensureWidgetVisible(widget, 0, 40)
        if isinstance(widget, (QComboBox, QPlainTextEdit)) or widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget
