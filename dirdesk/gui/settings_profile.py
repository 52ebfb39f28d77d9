"""The office profile as a form (forms/first_run.ui): used by the first-run
dialog and by the "Hồ sơ cơ quan" tab of Cài đặt.

`ProfileEditor.values()` reads the widgets into profile values (NFC, lines
trimmed), `ProfileEditor.check()` validates them the way the core does
(`dirdesk.registers.profile.profile_problems`) and shows each message beside
its field; the core's `set_profile_values(reg, values)` writes them all in one
transaction, audited.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui.forms import load_form
from dirdesk.registers.profile import Profile, load_profile, profile_problems
from dirdesk.rules import editions_note
from dirdesk.text import clean, one_line

ERROR_STYLE = "color: #b00020;"

# What a new office of each style starts from; the clerk completes the names.
DEFAULTS = {
    "party": {
        "parent": "",
        "name": "ĐẢNG ỦY PHƯỜNG ",
        "code": "ĐU",
        "units": [("VP", "Văn phòng Đảng ủy")],
        # A cấp ủy's deputy signs T/M, as the secretary does, never K/T (05-HD 7.1.1.a, 7.1.4.b.iii:
        # "T/M BAN THƯỜNG VỤ / BÍ THƯ (hoặc PHÓ BÍ THƯ)").
        "signers": [("T/M BAN THƯỜNG VỤ", "BÍ THƯ", ""), ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "")],
    },
    "state": {
        "parent": "",
        "name": "ỦY BAN NHÂN DÂN\nPHƯỜNG ",
        "code": "UBND",
        "units": [("VP", "Văn phòng HĐND và UBND")],
        "signers": [("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ""), ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "")],
    },
}
BARE_NAMES = {" ".join(d["name"].split()) for d in DEFAULTS.values()}

# Which error label shows the message about which profile key.
ERROR_LABELS = {"style": "styleError", "issuer": "issuerError", "place": "placeError", "units": "unitsError",
                "signers": "signersError", "terms": "termsError", "state_sequence": "sequenceError"}


def lines(text: str) -> str:
    """Typed lines as stored: NFC, each line trimmed, blank lines dropped."""
    return "\n".join(part.strip() for part in clean(text).split("\n") if part.strip())


def office_name(profile: Profile | dict) -> str:
    """The issuing body's name on one line ("ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH")."""
    issuer = profile.issuer if isinstance(profile, Profile) else profile.get("issuer") or {}
    return " ".join(str(issuer.get("name") or "").split())


def profile_is_empty(reg) -> bool:
    """True until the first run has stored a style and the office's name."""
    profile = load_profile(reg)
    return not profile.style or not profile.issuer.get("name")


class MultiLineDelegate(QStyledItemDelegate):
    """Edits a cell in a QPlainTextEdit: Enter starts a new line, Ctrl+Enter (or leaving the cell) finishes."""

    def createEditor(self, parent, option, index):
        editor = QPlainTextEdit(parent)
        editor.setAccessibleName("Sửa ô (Ctrl+Enter để xong)")
        editor.installEventFilter(self)
        return editor

    def setEditorData(self, editor, index):
        editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):
        model.setData(index, lines(editor.toPlainText()), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index):
        rect = option.rect
        rect.setHeight(max(rect.height(), editor.fontMetrics().lineSpacing() * 3 + 12))
        editor.setGeometry(rect)

    def eventFilter(self, editor, event):
        if (event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)


def _rows(table: QTableWidget) -> list[list[str]]:
    out = []
    for row in range(table.rowCount()):
        cells = []
        for col in range(table.columnCount()):
            item = table.item(row, col)
            cells.append(lines(item.text()) if item else "")
        out.append(cells)
    return out


def _fill(table: QTableWidget, rows) -> None:
    table.setRowCount(0)
    for cells in rows:
        _append(table, cells)
    table.resizeRowsToContents()


def _append(table: QTableWidget, cells) -> int:
    row = table.rowCount()
    table.insertRow(row)
    for col in range(table.columnCount()):
        table.setItem(row, col, QTableWidgetItem(cells[col] if col < len(cells) else ""))
    return row


class ProfileEditor(QWidget):
    """The profile's widgets. `mode` is "first_run" (one term date, defaults
    follow the chosen style) or "settings" (terms listed, a new term recorded
    at once through `term_requested`)."""

    changed = Signal()
    term_requested = Signal(object)  # a datetime.date: "Ghi nhiệm kỳ mới…" was pressed

    def __init__(self, mode: str = "first_run", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.form = load_form("first_run", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        f = self.form
        self.style_party: QRadioButton = f.findChild(QRadioButton, "styleParty")
        self.style_state: QRadioButton = f.findChild(QRadioButton, "styleState")
        self.parent_edit: QPlainTextEdit = f.findChild(QPlainTextEdit, "parent")
        self.name_edit: QPlainTextEdit = f.findChild(QPlainTextEdit, "name")
        self.code_edit: QLineEdit = f.findChild(QLineEdit, "code")
        self.place_edit: QLineEdit = f.findChild(QLineEdit, "place")
        self.units: QTableWidget = f.findChild(QTableWidget, "units")
        self.signers: QTableWidget = f.findChild(QTableWidget, "signers")
        self.term_start: QDateEdit = f.findChild(QDateEdit, "termStart")
        self.seq_shared: QRadioButton = f.findChild(QRadioButton, "seqShared")
        self.seq_per_type: QRadioButton = f.findChild(QRadioButton, "seqPerType")
        self.terms_list: QLabel = f.findChild(QLabel, "termsList")
        self.add_term_button: QPushButton = f.findChild(QPushButton, "addTerm")
        self.errors = {key: f.findChild(QLabel, name) for key, name in ERROR_LABELS.items()}
        for label in self.errors.values():
            label.setStyleSheet(ERROR_STYLE)
            label.hide()
        self._style: str | None = None
        self._loading = False
        self._place_follows_name = True
        self._issuer_field: QWidget | None = None
        self._setup_widgets()
        self._connect()
        self.set_values(Profile())

    # --- set-up ---------------------------------------------------------------------------------------------

    def _setup_widgets(self) -> None:
        f = self.form
        line = self.fontMetrics().lineSpacing()
        for edit in (self.parent_edit, self.name_edit):
            edit.setFixedHeight(line * 2 + 14)  # two printed lines; grows with the font (200 %)
        for table in (self.units, self.signers):
            table.verticalHeader().hide()
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers
                                  & ~QAbstractItemView.EditTrigger.CurrentChanged)
            table.setWordWrap(False)  # a signer's authority keeps its own line breaks
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setMinimumHeight(line * 6)
            table.setMaximumHeight(line * (9 if table is self.units else 12))
        self.units.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.signers.setItemDelegateForColumn(0, MultiLineDelegate(self.signers))
        self.term_start.setDate(QDate.currentDate())
        for name in ("issuerHelp", "issuerError", "placeError", "termsList", "termHelp", "termsError"):
            # wrapped text in a form's field column takes the column's whole width
            f.findChild(QLabel, name).setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # A radio button does not wrap: the rules in force, and those before, on lines of their own (200 %).
        for radio, style, office in ((self.style_party, "party", "Đảng ủy phường — văn bản của Đảng"),
                                     (self.style_state, "state", "Ủy ban nhân dân phường — văn bản hành chính")):
            note = editions_note(style).replace("; ", ";\n")
            radio.setText(f"{office}\n({note})")
        first_run = self.mode == "first_run"
        f.findChild(QLabel, "intro").setVisible(first_run)
        f.findChild(QLabel, "termsListLabel").setVisible(not first_run)
        self.terms_list.setVisible(not first_run)
        self.add_term_button.setVisible(not first_run)
        if not first_run:
            f.findChild(QLabel, "termStartLabel").setText("Nhiệm kỳ mới bắt đầu từ:")
            self.term_start.setAccessibleName("Ngày bắt đầu nhiệm kỳ mới")

    def _connect(self) -> None:
        self.style_party.toggled.connect(lambda on: on and self._style_chosen("party"))
        self.style_state.toggled.connect(lambda on: on and self._style_chosen("state"))
        for edit in (self.parent_edit, self.name_edit):
            edit.textChanged.connect(self._edited)
        self.name_edit.textChanged.connect(self._name_edited)
        for edit in (self.code_edit, self.place_edit):
            edit.textEdited.connect(self._edited)
        self.place_edit.textEdited.connect(self._place_typed)
        for table in (self.units, self.signers):
            table.itemChanged.connect(self._table_edited)
        self.seq_shared.toggled.connect(self._edited)
        self.term_start.dateChanged.connect(lambda _d: self.mode == "first_run" and self._edited())
        f = self.form
        f.findChild(QPushButton, "addUnit").clicked.connect(lambda: self._add_row(self.units))
        f.findChild(QPushButton, "removeUnit").clicked.connect(lambda: self._remove_row(self.units))
        f.findChild(QPushButton, "addSigner").clicked.connect(lambda: self._add_row(self.signers))
        f.findChild(QPushButton, "removeSigner").clicked.connect(lambda: self._remove_row(self.signers))
        f.findChild(QPushButton, "signerUp").clicked.connect(lambda: self._move_row(self.signers, -1))
        f.findChild(QPushButton, "signerDown").clicked.connect(lambda: self._move_row(self.signers, 1))
        self.add_term_button.clicked.connect(lambda: self.term_requested.emit(self.term_start.date().toPython()))

    def _edited(self, *_args) -> None:
        if not self._loading:
            self.changed.emit()

    def _name_edited(self) -> None:
        """First run: the place follows the ward's name ("… PHƯỜNG BÁCH QUANG" -> "Bách Quang") until typed."""
        if self._loading or self.mode != "first_run" or not self._place_follows_name:
            return
        name = " ".join(lines(self.name_edit.toPlainText()).split())
        at = name.upper().rfind("PHƯỜNG ")
        ward = name[at + len("PHƯỜNG "):].strip() if at >= 0 else ""
        self.place_edit.setText(ward.title() if ward.isupper() else ward)

    def _place_typed(self) -> None:
        self._place_follows_name = not self.place_edit.text().strip()

    def _table_edited(self, item) -> None:
        item.tableWidget().resizeRowToContents(item.row())
        self._edited()

    # --- rows -----------------------------------------------------------------------------------------------

    def _add_row(self, table: QTableWidget) -> None:
        row = _append(table, [])
        table.setCurrentCell(row, 0)
        table.setFocus()
        table.editItem(table.item(row, 0))
        self._edited()

    def _remove_row(self, table: QTableWidget) -> None:
        row = table.currentRow()
        if row >= 0:
            table.removeRow(row)
            self._edited()

    def _move_row(self, table: QTableWidget, step: int) -> None:
        row = table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < table.rowCount():
            return
        rows = _rows(table)
        rows[row], rows[target] = rows[target], rows[row]
        self._loading = True
        try:
            _fill(table, rows)
        finally:
            self._loading = False
        table.setCurrentCell(target, table.currentColumn() if table.currentColumn() >= 0 else 0)
        self._edited()

    # --- style ----------------------------------------------------------------------------------------------

    def _style_chosen(self, style: str) -> None:
        previous, self._style = self._style, style
        self.form.findChild(QGroupBox, "partyNumberingBox").setVisible(style == "party")
        self.form.findChild(QGroupBox, "stateNumberingBox").setVisible(style == "state")
        if self._loading or self.mode != "first_run":
            self._edited()
            return
        # First run: fields the clerk has not changed follow the chosen style's defaults.
        old = DEFAULTS.get(previous, {"parent": "", "name": "", "code": "", "units": [], "signers": []})
        new = DEFAULTS[style]
        self._loading = True
        try:
            for edit, key in ((self.parent_edit, "parent"), (self.name_edit, "name")):
                if lines(edit.toPlainText()) in ("", lines(old[key])):
                    edit.setPlainText(new[key])
            if self.code_edit.text().strip() in ("", old["code"]):
                self.code_edit.setText(new["code"])
            for table, key in ((self.units, "units"), (self.signers, "signers")):
                if _rows(table) in ([], [list(r) for r in old[key]]):
                    _fill(table, new[key])
        finally:
            self._loading = False
        self.name_edit.setFocus()
        self.name_edit.moveCursor(self.name_edit.textCursor().MoveOperation.End)
        self._edited()

    @property
    def style(self) -> str | None:
        return self._style

    # --- values ---------------------------------------------------------------------------------------------

    def set_values(self, profile: Profile) -> None:
        """Show a stored profile (no defaults are filled in for the fields it lacks)."""
        self._loading = True
        try:
            self._style = None
            for radio in (self.style_party, self.style_state):
                radio.setAutoExclusive(False)
                radio.setChecked(False)
                radio.setAutoExclusive(True)
            if profile.style == "party":
                self.style_party.setChecked(True)
            elif profile.style == "state":
                self.style_state.setChecked(True)
            else:
                self.form.findChild(QGroupBox, "partyNumberingBox").hide()
                self.form.findChild(QGroupBox, "stateNumberingBox").hide()
            self._style = profile.style
            issuer = profile.issuer or {}
            self.parent_edit.setPlainText(issuer.get("parent") or "")
            self.name_edit.setPlainText(issuer.get("name") or "")
            self.code_edit.setText(issuer.get("code") or "")
            self.place_edit.setText(profile.place or "")
            self._place_follows_name = not profile.place
            _fill(self.units, [(u.get("code", ""), u.get("name", "")) for u in profile.units])
            _fill(self.signers, [(s.get("authority", ""), s.get("title", ""), s.get("name", ""))
                                 for s in profile.signers])
            (self.seq_per_type if profile.state_sequence == "per_type" else self.seq_shared).setChecked(True)
            starts = sorted(profile.terms)
            self.show_terms(starts)
            if self.mode == "first_run" and starts:
                self.term_start.setDate(QDate.fromString(starts[-1], "yyyy-MM-dd"))
        finally:
            self._loading = False
        self.show_errors({})

    def show_terms(self, terms: list[str]) -> None:
        self.terms_list.setText(", ".join(dt.date.fromisoformat(t).strftime("%d/%m/%Y") for t in sorted(terms))
                                or "chưa ghi nhiệm kỳ nào (văn bản Đảng chưa đánh số được)")

    def values(self) -> dict:
        """The profile keys as typed (NFC, trimmed); terms only in first-run mode."""
        values = {
            "style": self._style,
            "issuer": {"parent": lines(self.parent_edit.toPlainText()) or None,
                       "name": lines(self.name_edit.toPlainText()), "code": one_line(self.code_edit.text())},
            "place": one_line(self.place_edit.text()),
            "units": [{"code": one_line(c), "name": one_line(n)} for c, n in _rows(self.units) if c or n],
            "signers": [{"authority": a, "title": one_line(t), "name": one_line(n)}
                        for a, t, n in _rows(self.signers) if a or t or n],
        }
        if self._style == "state":
            values["state_sequence"] = "per_type" if self.seq_per_type.isChecked() else "shared"
        if self._style == "party" and self.mode == "first_run":
            values["terms"] = [self.term_start.date().toPython().isoformat()]
        return values

    def problems(self, values: dict) -> dict[str, str]:
        """What is wrong with `values`, by profile key (the core's own messages, and a few of ours)."""
        found: dict[str, str] = {}
        self._issuer_field = self.name_edit
        if not values.get("style"):
            found["style"] = "Chọn loại cơ quan: Đảng ủy phường hay Ủy ban nhân dân phường."
        name = values["issuer"]["name"]
        if values.get("style") == "party" and name and not values["issuer"]["parent"]:
            found["issuer"] = ("Văn bản của Đảng ghi cả tên đảng bộ cấp trên, ví dụ ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG: "
                               "nhập vào ô Cơ quan cấp trên.")
            self._issuer_field = self.parent_edit
        elif " ".join(name.split()) in BARE_NAMES:
            found["issuer"] = "Ghi đủ tên cơ quan ban hành, kể cả tên phường."
        elif not name:
            found["issuer"] = "Nhập tên cơ quan ban hành."
        elif not values["issuer"]["code"]:
            found["issuer"] = "Nhập chữ viết tắt của cơ quan (ví dụ ĐU hoặc UBND)."
            self._issuer_field = self.code_edit
        if not values["place"]:
            found["place"] = "Nhập địa danh in ở dòng ngày tháng, ví dụ: Bách Quang."
        for n, unit in enumerate(values["units"], 1):
            if not unit["code"] or not unit["name"]:
                found["units"] = f"Đơn vị ở dòng {n}: cần cả chữ viết tắt và tên đơn vị."
                break
        for n, signer in enumerate(values["signers"], 1):
            if not signer["title"] or not signer["name"]:
                found["signers"] = f"Người ký ở dòng {n}: cần cả chức vụ và họ tên (hoặc xóa dòng đó)."
                break
        if values.get("style") and not values["signers"]:
            found["signers"] = "Thêm ít nhất một người ký."
        return profile_problems({k: v for k, v in values.items() if k not in found}) | found

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        first = next((key for key in ERROR_LABELS if key in errors), None)
        widget = {"style": self.style_party, "issuer": self._issuer_field or self.name_edit,
                  "place": self.place_edit,
                  "units": self.units, "signers": self.signers, "terms": self.term_start,
                  "state_sequence": self.seq_shared}.get(first)
        if widget is not None:  # the first field at fault gets the focus
            widget.setFocus()

    def check(self) -> dict | None:
        """The values when they are all valid (errors cleared); None after showing what is wrong."""
        values = self.values()
        errors = self.problems(values)
        self.show_errors(errors)
        return None if errors else values
