"""A received file into the incoming register (vào sổ văn bản đến).

`start_intake(context, path)` opens the IntakeDialog at once, with the
received document shown beside the fields, and reads the file in a worker
(`intake_entry.entry_from_file`: parse, signatures); the fields then come up
prefilled for the clerk to confirm or correct, with the số đến the entry would
get. A scan (no text) says so and leaves the fields to type. A document
already in the register (`incoming.find_duplicates`, checked again as the
clerk edits) is named in a warning; it is registered only with "Vẫn vào sổ
(bản thứ hai)". "Vào sổ" adds the entry in a worker on its own connection; if
another window registered it meanwhile, the transaction's own check refuses
and the dialog says so. After that: "Đóng dấu ĐẾN…" (a stamped PDF copy, saved
where the clerk chooses) and "Mở tệp".
"""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import html
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dirdesk.dates import date_text
from dirdesk.draft import SECRECIES, URGENCIES
from dirdesk.gui import background_ocr, dialogs
from dirdesk.gui.forms import load_form
from dirdesk.gui.intake_fields import (
    FieldError,
    Received,
    add_job,
    is_pdf,
    parse_date,
    read_received,
    type_choices,
    write_job,
)
from dirdesk.gui.sections import Detached
from dirdesk.gui.workers import Debouncer, error_message, run_in_background
from dirdesk.intake.source import received_bytes
from dirdesk.registers import incoming
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.errors import DuplicateEntry, RegisterError
from dirdesk.registers.incoming import IncomingEntry
from dirdesk.registers.intake_entry import CHECK_TIP, field_names, handwritten_message
from dirdesk.registers.profile import load_profile
from dirdesk.registers.stamping import stamp_entry
from dirdesk.registers.trust_store import trust_of
from dirdesk.text import clean, one_line, safe_file_name

UNREAD_STYLE = "border:2px solid #c87800;border-radius:3px;padding:1px"  # a field the file did not give
CHECK_STYLE = "background:#fff4ce"  # a field read, but the reading is not sure (a scan): to check
UNREAD_TIP = "Chưa đọc được từ tệp: xin xem văn bản và gõ vào"
HANDWRITTEN_STYLE = "color:#3b2f00;padding:2px 6px"
NOTICE_STYLE = "background:#fff4ce;color:#3b2f00;border:1px solid #d9a800;border-radius:3px;padding:6px"
ERROR_STYLE = "background:#fde7e9;color:#8a0010;border:1px solid #c50f1f;border-radius:3px;padding:6px"
DUPLICATE_STYLE = ("QFrame#duplicateFrame{background:#fde7e9;border:2px solid #c50f1f;border-radius:3px}"
                   "QLabel{color:#5c0000}")
DONE_STYLE = "QFrame#doneFrame{background:#dff6dd;border:1px solid #107c10;border-radius:3px}QLabel{color:#0b3d0b}"
STAMPABLE = (".pdf", ".docx", ".txt")
IMAGES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif")

_TEMP_DIRS: list[Path] = []  # copies opened in the system's viewer; removed when DirDesk exits


@atexit.register
def _remove_temp_dirs() -> None:
    for folder in _TEMP_DIRS:
        shutil.rmtree(folder, ignore_errors=True)


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return widget.currentText() if isinstance(widget, QComboBox) else widget.text()


def start_intake(context, path) -> IntakeDialog | None:
    """Open the intake of a received .pdf/.docx/.txt file (dropped on the window, or chosen with
    "Thêm từ tệp…"). Returns the dialog, shown and reading the file; None if there is no such file."""
    path = Path(path)
    parent = context.window if isinstance(context.window, QWidget) else None
    if not path.is_file():
        message = (f"“{path}” là một thư mục, không phải tệp văn bản." if path.is_dir()
                   else f"Không tìm thấy tệp “{path}”.")
        dialogs.show_error(parent, message, "Không vào sổ được")
        return None
    dialog = IntakeDialog(context, path, parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


class IntakeDialog(QDialog):
    """Vào sổ văn bản đến: the fields read from a received file, to confirm, then register."""

    loaded = Signal()  # the file has been read and the fields filled
    saved = Signal(dict)  # the new incoming row
    stamped = Signal(str)  # the path the stamped copy was written to

    def __init__(self, context, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path = Path(path)
        self.received: Received | None = None
        self.duplicates: list[incoming.Duplicate] = []
        self.row: dict | None = None
        self.allowed_duplicate = False
        self._loading = True
        self._working = False
        self._dirty = False
        self._filling = False
        self._marked: set[QWidget] = set()
        self.setWindowTitle(f"Vào sổ văn bản đến — {self.path.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, parent is not None)
        self.form = load_form("intake", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.form.layout().setContentsMargins(0, 0, 0, 0)
        self._find_widgets()
        self._set_up()
        self._show_preview_of_pdf()
        trust = context.ops.read_here(self, "đọc danh sách chứng thư tin cậy", trust_of)  # for the signatures
        run_in_background(self, read_received, self.path, trust, on_done=self._loaded, on_error=self._load_failed)

    # ------------------------------------------------------------ building

    def _find_widgets(self) -> None:
        f = self.form
        self.file_label = f.findChild(QLabel, "fileLabel")
        self.busy_label, self.busy = f.findChild(QLabel, "busyLabel"), f.findChild(QProgressBar, "busy")
        self.notice, self.error = f.findChild(QLabel, "notice"), f.findChild(QLabel, "error")
        self.handwritten = f.findChild(QLabel, "handwritten")
        self.duplicate_frame = f.findChild(QFrame, "duplicateFrame")
        self.duplicate_text = f.findChild(QLabel, "duplicateText")
        self.allow_button = f.findChild(QPushButton, "allowDuplicate")
        self.open_existing_button = f.findChild(QPushButton, "openExisting")
        self.splitter = f.findChild(QSplitter, "splitter")
        self.fields = f.findChild(QWidget, "fields")
        self.number = f.findChild(QLabel, "number")
        self.received_date = f.findChild(QLineEdit, "receivedDate")
        self.author, self.symbol = f.findChild(QLineEdit, "author"), f.findChild(QLineEdit, "symbol")
        self.doc_date, self.deadline = f.findChild(QLineEdit, "docDate"), f.findChild(QLineEdit, "deadline")
        self.note = f.findChild(QLineEdit, "note")
        self.type_name = f.findChild(QComboBox, "typeName")
        self.subject = f.findChild(QPlainTextEdit, "subject")
        self.recipient, self.handler = f.findChild(QComboBox, "recipient"), f.findChild(QComboBox, "handler")
        self.urgency, self.secrecy = f.findChild(QComboBox, "urgency"), f.findChild(QComboBox, "secrecy")
        self.signatures = f.findChild(QListWidget, "signatures")
        self.preview_holder = f.findChild(QWidget, "previewHolder")
        self.done_frame, self.done_text = f.findChild(QFrame, "doneFrame"), f.findChild(QLabel, "doneText")
        self.stamp_button = f.findChild(QPushButton, "stamp")
        self.open_stamped_button = f.findChild(QPushButton, "openStamped")
        self.open_button = f.findChild(QPushButton, "openFile")
        self.save_button = f.findChild(QPushButton, "save")
        self.cancel_button = f.findChild(QPushButton, "cancel")

    def _set_up(self) -> None:
        profile = load_profile(self.context.registry)
        self.file_label.setText(f"<b>Tệp nhận được:</b> {html.escape(self.path.name)}"
                                f" <span style='color:#555'>({html.escape(str(self.path.parent))})</span>")
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.error.setStyleSheet(ERROR_STYLE)
        self.duplicate_frame.setStyleSheet(DUPLICATE_STYLE)
        self.done_frame.setStyleSheet(DONE_STYLE)
        self.handwritten.setStyleSheet(HANDWRITTEN_STYLE)
        for widget in (self.notice, self.handwritten, self.error, self.duplicate_frame, self.done_frame):
            widget.hide()
        self.received_date.setText(date_text(dt.date.today()))
        self._types = type_choices(profile.style)
        self.type_name.addItems(["", *(name for name, _ in self._types)])
        units = [u.get("name", "") for u in profile.units if u.get("name")]
        signers = [s.get("name", "") for s in profile.signers if s.get("name")]
        self.recipient.addItems(["", *dict.fromkeys(units)])
        self.handler.addItems(["", *dict.fromkeys(signers + units)])
        self.urgency.addItem("Không khẩn", None)
        for value in URGENCIES:
            self.urgency.addItem(value.capitalize() if value != "HỎA TỐC" else "Hỏa tốc", value)
        self.secrecy.addItem("Không mật", None)
        for value in SECRECIES:
            self.secrecy.addItem(value.capitalize(), value)
        lines = self.fontMetrics().lineSpacing()
        self.subject.setMinimumHeight(lines * 4)
        self.subject.setMaximumHeight(lines * 7)
        self.signatures.setMinimumHeight(lines * 3)
        for label in (self.number, self.form.findChild(QLabel, "numberLabel")):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.fields.setEnabled(False)
        self.save_button.setEnabled(False)
        self.open_existing_button.setVisible(not isinstance(self.context.window, Detached))

        self.save_button.clicked.connect(lambda: self.save())
        self.allow_button.clicked.connect(lambda: self.save(allow_duplicate=True))
        self.open_existing_button.clicked.connect(self.open_existing)
        self.cancel_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self.open_file)
        self.stamp_button.clicked.connect(self.stamp)
        self.open_stamped_button.clicked.connect(self.open_stamped)
        self.open_stamped_button.hide()
        self.stamped_path: Path | None = None
        self._duplicate_check = Debouncer(self.check_duplicates, 400, self)
        for edit in (self.author, self.symbol, self.doc_date):
            edit.textChanged.connect(lambda _: self._duplicate_check.poke())
        for edit in (self.author, self.symbol, self.doc_date, self.deadline, self.note):
            edit.textChanged.connect(self._edited)
        for combo in (self.type_name, self.recipient, self.handler):
            combo.currentTextChanged.connect(self._edited)
        for combo in (self.urgency, self.secrecy):
            combo.currentIndexChanged.connect(self._edited)
        self.subject.textChanged.connect(self._edited)
        self.saved.connect(lambda _: self.handwritten.hide())  # as the notice: said before vào sổ only
        for widget in self._read_fields().values():  # a mark goes as soon as the clerk edits the field
            changed = widget.currentTextChanged if isinstance(widget, QComboBox) else widget.textChanged
            changed.connect(lambda *_, w=widget: self._unmark(w))
        self.received_date.textChanged.connect(self._update_number)
        self.received_date.textChanged.connect(self._edited)

        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = self.fontMetrics().averageCharWidth() * 180, lines * 50
        if screen is not None:
            width, height = min(width, int(screen.width() * 0.95)), min(height, int(screen.height() * 0.9))
        self.resize(width, height)
        self.splitter.setSizes([width * 11 // 20, width * 9 // 20])

    def _show_preview_of_pdf(self) -> None:
        if not is_pdf(self.path):
            return
        # lazy: QtPdf only when a received PDF is shown
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.pdf_document = QPdfDocument(self)
        if self.pdf_document.load(str(self.path)) != QPdfDocument.Error.None_:
            self._show_preview_text("Không xem trước được tệp PDF này; hãy bấm “Mở tệp” để xem.")
            return
        view = QPdfView(self.preview_holder)
        view.setAccessibleName("Xem trước văn bản nhận được")
        view.setDocument(self.pdf_document)
        view.setPageMode(QPdfView.PageMode.MultiPage)
        view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.preview_holder.layout().addWidget(view)
        self.pdf_view = view

    def _show_preview_text(self, text: str) -> None:
        view = QPlainTextEdit(self.preview_holder)
        view.setReadOnly(True)
        view.setAccessibleName("Nội dung văn bản nhận được")
        view.setPlainText(text)
        self.preview_holder.layout().addWidget(view)
        self.text_view = view

    def _show_preview_image(self) -> bool:
        """A photographed or scanned page sent as a picture, shown as it is."""
        if self.path.suffix.lower() not in IMAGES:
            return False
        pixmap = QPixmap(str(self.path))
        if pixmap.isNull():
            return False
        label = QLabel()
        label.setPixmap(pixmap)
        label.setAccessibleName("Ảnh văn bản nhận được")
        area = QScrollArea(self.preview_holder)
        area.setWidget(label)
        self.preview_holder.layout().addWidget(area)
        return True

    # ------------------------------------------------------------ reading the file

    @property
    def ready(self) -> bool:
        """The file has been read (or could not be) and nothing is being written."""
        return not self._loading and not self._working

    def _loaded(self, received: Received) -> None:
        self.received = received
        self._set_busy(None)
        self._loading = False
        if not received.is_pdf and not self._show_preview_image():
            self._show_preview_text(received.text or "Không xem trước được nội dung tệp này; hãy bấm “Mở tệp” để xem.")
        self.fill(received.entry, received.problem)
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self._set_busy(None)
        self._loading = False
        self._show_error(f"Không đọc được tệp {self.path.name}: {exc}")
        self.loaded.emit()

    def fill(self, entry: IncomingEntry, problem: str | None) -> None:
        """Show an entry's fields (as read from the file) for the clerk to confirm."""
        self._filling = True
        try:
            self.author.setText(entry.author)
            self.symbol.setText(entry.symbol)
            self.doc_date.setText(date_text(entry.doc_date))
            self.type_name.setCurrentText(entry.type_name)
            self.subject.setPlainText(entry.subject)
            self.recipient.setCurrentText(entry.recipient)
            self.handler.setCurrentText(entry.handler)
            self.deadline.setText(date_text(entry.deadline))
            self.note.setText(entry.note)
            self.urgency.setCurrentIndex(max(0, self.urgency.findData(entry.urgency)))
            self.secrecy.setCurrentIndex(max(0, self.secrecy.findData(entry.secrecy)))
            self.signatures.clear()
            for sig in entry.signatures or []:
                self.signatures.addItem(sig.get("summary") or "Có một chữ ký số.")
            if not entry.signatures:
                self.signatures.addItem("Không có chữ ký số." if is_pdf(self.path)
                                        else "Tệp không phải PDF nên không có chữ ký số.")
        finally:
            self._filling = False
        if problem:
            self._show_unreadable(problem)
        self.fields.setEnabled(True)
        self.save_button.setEnabled(True)
        self._update_number()
        self.check_duplicates()
        if problem:
            self.author.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        missing = self._mark_unread(entry)
        self._show_handwritten(entry)
        to_type = [w for name, w in self._read_fields().items() if w in missing or name in entry.handwritten]
        first = to_type[0] if to_type else self.author  # the first field to type, in the form's order
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        if first is self.symbol and self.symbol.text().startswith("/"):
            self.symbol.setCursorPosition(0)  # the number, handwritten, goes before "/UBND-KTTH"

    def _show_unreadable(self, problem: str) -> None:
        """The notice for a file whose text could not be read at all (a scan OCR could not read, a picture)."""
        from dirdesk.intake.text_of import SCANNED_PDF

        if SCANNED_PDF in problem:  # after the file's name, which the dialog shows already
            reason = problem.split(SCANNED_PDF, 1)[1].strip(" ()")  # why OCR did not read it (ocr.py)
            why = "Tệp PDF này là bản quét (không có lớp chữ)." + (
                f" Không đọc được chữ trên ảnh: {html.escape(reason)}." if reason else "")
        elif self.path.suffix.lower() in IMAGES:
            why = "Đây là tệp ảnh; DirDesk không đọc chữ trong ảnh."
        else:
            why = html.escape(problem.rstrip(".")) + "."
        self.notice.setText(f"<b>Không đọc được chữ trong tệp này.</b> {why} "
                            "Hãy xem văn bản bên phải và gõ các trường (ít nhất trích yếu hoặc số, ký hiệu); "
                            "tệp vẫn được lưu kèm khi vào sổ.")
        self.notice.show()

    def _read_fields(self) -> dict[str, QWidget]:
        """The fields read from the file, by the entry's attribute (as in IncomingEntry.to_check)."""
        return {"author": self.author, "symbol": self.symbol, "doc_date": self.doc_date, "type": self.type_name,
                "subject": self.subject, "recipient": self.recipient}

    def _mark_unread(self, entry: IncomingEntry) -> list[QWidget]:
        """The main fields the file did not give (outlined), and those read but to check against the
        document (`entry.to_check`, a soft yellow), named in the notice; returns the unread ones in order."""
        fields = self._read_fields()
        missing = [name for name in ("author", "symbol", "doc_date", "subject")
                   if not _text_of(fields[name]).strip()]
        to_check = [name for name in fields if name not in missing
                    and (name in entry.to_check or name in entry.handwritten)]
        for name in missing:
            self._mark(fields[name], UNREAD_STYLE, UNREAD_TIP)
        for name in to_check:
            self._mark(fields[name], CHECK_STYLE, CHECK_TIP)
        parts = []
        if missing:
            parts.append(f"<b>Chưa đọc được từ tệp:</b> {field_names(missing)}. "
                         "Các ô này có viền cam: hãy xem văn bản bên phải và gõ vào.")
        if to_check:
            parts.append(f"<b>Máy đọc chưa chắc chắn:</b> {field_names(to_check)}. "
                         "Các ô này được tô vàng: xin đối chiếu với văn bản.")
        if parts:
            self.notice.setText(" ".join(parts) + " Các ô khác cũng nên xem lại trước khi vào sổ.")
            self.notice.show()
        return [fields[name] for name in missing]

    def _show_handwritten(self, entry: IncomingEntry) -> None:
        """A plain line above the fields when the number or the day looked handwritten on the scan."""
        message = handwritten_message(entry.handwritten, entry)
        self.handwritten.setText(message)
        self.handwritten.setVisible(bool(message))

    def _mark(self, widget: QWidget, style: str, tip: str) -> None:
        widget.setStyleSheet(f"{widget.metaObject().className()}{{{style}}}")
        widget.setToolTip(tip)
        widget.setAccessibleDescription(tip)
        self._marked.add(widget)

    def _unmark(self, widget: QWidget) -> None:
        """The clerk edited a marked field: the mark goes."""
        if widget in self._marked and not self._filling:
            self._marked.discard(widget)
            widget.setStyleSheet("")
            widget.setToolTip("")
            widget.setAccessibleDescription("")

    def _set_busy(self, text: str | None) -> None:
        self.busy_label.setVisible(text is not None)
        self.busy.setVisible(text is not None)
        if text is not None:
            self.busy_label.setText(text)

    def _edited(self, *_) -> None:
        if not self._filling and not self._loading:
            self._dirty = True
            self.error.hide()

    def _received(self) -> dt.date:
        """Ngày đến as typed (today when left empty); FieldError when it is not a date."""
        received = parse_date(self.received_date.text(), "receivedDate", "Ngày đến") or dt.date.today()
        if received > dt.date.today() + dt.timedelta(days=366):
            raise FieldError("receivedDate", f"Ngày đến {received:%d/%m/%Y} ở quá xa trong tương lai.")
        return received

    def _update_number(self, *_) -> None:
        try:
            received = self._received()
        except FieldError:
            self.number.setText("(gõ ngày đến dạng ngày/tháng/năm để xem số)")
            return
        plan = self.context.ops.read_here(self, "đọc số đến tiếp theo", incoming.preview,
                                          IncomingEntry(received_date=received, signatures=[]))
        if plan is None:
            return
        self.number.setText(f"<b>{plan.row['number']:02d}/{plan.row['year']}</b> "
                            "(cấp khi bấm “Vào sổ”)")

    # ------------------------------------------------------------ the entry as edited

    def edited_entry(self) -> IncomingEntry:
        """The entry with the fields as the clerk left them (NFC); FieldError names a field to correct."""
        base = self.received.entry if self.received else IncomingEntry(files=[], signatures=[])

        received = self._received()
        doc_date = parse_date(self.doc_date.text(), "docDate", "Ngày văn bản")
        deadline = parse_date(self.deadline.text(), "deadline", "Hạn xử lý")
        subject, symbol = one_line(self.subject.toPlainText()), one_line(self.symbol.text())
        if not subject and not symbol:
            raise FieldError("subject", "Cần nhập ít nhất trích yếu hoặc số, ký hiệu của văn bản.")
        if doc_date and doc_date > received:
            raise FieldError("docDate", "Ngày văn bản không thể sau ngày đến.")
        type_name = one_line(self.type_name.currentText())
        if type_name.casefold() == (base.type_name or "").casefold():
            type_code = base.type
        else:
            type_code = next((code for name, code in self._types if name.casefold() == type_name.casefold()), "")
        return dataclasses.replace(
            base, received_date=received, author=one_line(self.author.text()), symbol=symbol, doc_date=doc_date,
            type=type_code, type_name=type_name, subject=subject, recipient=one_line(self.recipient.currentText()),
            urgency=self.urgency.currentData(), secrecy=self.secrecy.currentData(),
            handler=one_line(self.handler.currentText()), deadline=deadline, note=one_line(self.note.text()))

    def _duplicate_probe(self) -> IncomingEntry:
        """The entry as far as duplicates go (files, issuer, symbol, date), even while a field is invalid."""
        base = self.received.entry if self.received else IncomingEntry(files=[], signatures=[])
        try:
            doc_date = parse_date(self.doc_date.text(), "docDate", "Ngày văn bản")
        except FieldError:
            doc_date = None
        return dataclasses.replace(base, author=clean(self.author.text(), keep_newlines=False),
                                   symbol=clean(self.symbol.text(), keep_newlines=False), doc_date=doc_date)

    # ------------------------------------------------------------ duplicates

    def check_duplicates(self) -> list:
        """Look for the document in the register as it now stands; show or hide the warning."""
        if self.received is None or self.row is not None or not self.isVisible():
            return []
        self._show_duplicates(self.context.ops.read_here(self, "tìm văn bản trùng trong sổ", incoming.find_duplicates,
                                                         self._duplicate_probe(), default=[]))
        return self.duplicates

    def _show_duplicates(self, duplicates: list, *, raced: bool = False) -> None:
        self.duplicates = list(duplicates)
        if not self.duplicates:
            self.duplicate_frame.hide()
            self.save_button.setEnabled(self.received is not None and not self._working)
            self.save_button.setToolTip("")
            return
        lines = [html.escape(d.message) for d in self.duplicates]
        head = ("Trong lúc bạn đang xem, văn bản này vừa được vào sổ (có thể ở một cửa sổ DirDesk khác)."
                if raced else "Văn bản trùng với một văn bản đã có trong sổ.")
        self.duplicate_text.setText(
            f"<b>⚠ {head}</b><br>" + "<br>".join(lines)
            + "<br>Nếu đây đúng là bản thứ hai cần vào sổ riêng, bấm “Vẫn vào sổ (bản thứ hai)”; "
              "nếu không, bấm “Hủy”.")
        self.duplicate_frame.show()
        self.save_button.setEnabled(False)
        self.save_button.setToolTip("Văn bản này đã có trong sổ: xem cảnh báo phía trên.")
        self.allow_button.setEnabled(not self._working)

    def open_existing(self) -> None:
        if self.duplicates:
            self.context.window.open_entry("incoming", self.duplicates[0].row["id"])

    # ------------------------------------------------------------ vào sổ

    def save(self, *, allow_duplicate: bool = False) -> None:
        """Vào sổ: check the fields, then add the entry in a worker (on its own connection)."""
        if self._loading or self._working or self.row is not None or self.received is None:
            return
        try:
            entry = self.edited_entry()
        except FieldError as exc:
            self._show_error(str(exc), exc.field)
            return
        if not allow_duplicate and self.check_duplicates():
            return
        self._working = True
        self.allowed_duplicate = allow_duplicate
        self.error.hide()
        self.save_button.setEnabled(False)
        self.allow_button.setEnabled(False)
        self._set_busy("Đang vào sổ…")
        if not self.context.ops.write(self, "vào sổ văn bản đến", add_job, entry, allow_duplicate,
                                      changes="incoming", row_id_of=lambda result: result[0]["id"],
                                      done=self._saved, failed=self._save_failed,
                                      handle={DuplicateEntry: self._raced, RegisterError: self._save_failed}):
            self._save_failed(None)

    def _raced(self, exc: DuplicateEntry) -> None:
        """Entered elsewhere (another window) while the clerk was looking: the warning, nothing written."""
        self._working = False
        self._set_busy(None)
        self._show_duplicates(exc.duplicates, raced=True)

    def _save_failed(self, exc: BaseException | None) -> None:
        """Not entered: the fields stay as typed; the error dialog said why (a refusal is said here)."""
        self._working = False
        self._set_busy(None)
        self.save_button.setEnabled(not self.duplicates)
        self.allow_button.setEnabled(True)
        if isinstance(exc, RegisterError):
            self._show_error(f"Chưa vào sổ được: {exc}")
        elif exc is not None:
            self._show_error(f"Chưa vào sổ được: {error_message(exc)}")

    def _saved(self, result: tuple[dict, list[str]]) -> None:
        row, notes = result
        self._working = False
        self._set_busy(None)
        self.row = row
        self._dirty = False
        self.fields.setEnabled(False)
        self.duplicate_frame.hide()
        self.notice.hide()
        self.save_button.hide()
        self.cancel_button.setText("Đóng")
        self.cancel_button.setAccessibleName("Đóng")
        label = f"{row['number']:02d}/{row['year']}"
        self.number.setText(f"<b>{label}</b> (đã cấp)")
        received = dt.date.fromisoformat(row["received_date"])
        second = " (bản thứ hai)" if self.allowed_duplicate else ""
        self._done_message = (f"<b>✔ Đã vào sổ văn bản đến{second}: số đến {label}</b>, ngày đến "
                              f"{received:%d/%m/%Y}.")
        for note in notes:  # came late, or backdated
            self._done_message += f"<br>⚠ {html.escape(note)}"
        self.done_text.setText(self._done_message + "<br>Có thể đóng dấu ĐẾN lên một bản PDF để in hoặc chuyển xử lý.")
        self.done_frame.show()
        self.stamp_button.setEnabled(self.path.suffix.lower() in STAMPABLE or is_pdf(self.path))
        self.stamp_button.setFocus(Qt.FocusReason.OtherFocusReason)
        window = self.context.window  # every section heard of the row from the operations
        window.status(f"Đã vào sổ văn bản đến số {label}.")
        window.show_entry("incoming", row["id"])  # selected in Văn bản đến, no entry dialog over this one
        background_ocr.start(self.context, row, self.received.entry)  # a scan: its other pages, not waited for
        self.raise_()
        self.activateWindow()
        self.saved.emit(row)

    # ------------------------------------------------------------ after: stamp, open

    def stamp(self) -> None:
        """Đóng dấu ĐẾN: a stamped PDF copy (worker), saved where the clerk chooses."""
        if self.row is None or self._working:
            return
        self._working = True
        self.stamp_button.setEnabled(False)
        self.error.hide()
        self._set_busy("Đang đóng dấu ĐẾN…")
        self.context.ops.read(self, "đóng dấu ĐẾN", stamp_entry, f"#{self.row['id']}", done=self._stamp_ready,
                              failed=self._stamp_failed)

    def _stamp_ready(self, result) -> None:
        data, placement, name = result
        self._set_busy(None)
        target, _ = QFileDialog.getSaveFileName(self, "Lưu bản có dấu ĐẾN", str(self.path.parent / name),
                                                "Tệp PDF (*.pdf)")
        if not target:
            self._working = False
            self.stamp_button.setEnabled(True)
            return
        target = Path(target)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        self._set_busy("Đang ghi tệp…")
        run_in_background(self, write_job, target, data, on_done=lambda path: self._stamp_written(path, placement),
                          on_error=self._stamp_failed)

    def _stamp_written(self, path: Path, placement) -> None:
        self._working = False
        self._set_busy(None)
        self.stamp_button.setEnabled(True)
        where = placement.describe().rstrip(".")
        self.done_text.setText(f"{self._done_message}<br>Đã ghi bản có dấu ĐẾN: {html.escape(str(path))}<br>"
                               + html.escape(where[:1].upper() + where[1:]) + ".")
        self.stamped_path = Path(path)
        self.open_stamped_button.show()
        self.stamped.emit(str(path))

    def _stamp_failed(self, exc: BaseException) -> None:
        self._working = False
        self._set_busy(None)
        self.stamp_button.setEnabled(True)
        self._show_error(f"Không đóng dấu ĐẾN được: {error_message(exc)}")

    def open_stamped(self) -> None:
        """Open the stamped copy just written, to print it."""
        if self.stamped_path is not None and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.stamped_path))):
            self._show_error(f"Máy chưa có chương trình mở được tệp PDF. Bản có dấu ở: {self.stamped_path}")

    def open_file(self) -> None:
        """Mở tệp: a copy of the received file (the one kept in the register, once added) in the system's viewer."""
        try:
            name, data = self._file_to_open()
            folder = Path(tempfile.mkdtemp(prefix="dirdesk-xem-"))
            _TEMP_DIRS.append(folder)
            target = folder / safe_file_name(name)
            target.write_bytes(data)
        except Exception as exc:
            self._show_error(f"Không mở được tệp: {exc}")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            self._show_error(f"Máy chưa có chương trình mở được tệp {target.suffix or name}. "
                             f"Bản sao của tệp ở: {target}")

    def _file_to_open(self) -> tuple[str, bytes]:
        if self.row is not None:
            files = incoming.files_of(self.context.registry, self.row["id"])
            if files:
                return files[0]["name"], read_attachment(self.context.registry, files[0]["sha256"])
        if self.received is not None and self.received.entry.files:
            return self.received.entry.files[0]
        return self.path.name, received_bytes(self.path)

    # ------------------------------------------------------------ closing

    def reject(self) -> None:
        """Hủy: nothing is written; typed corrections are only dropped after the clerk confirms."""
        if self.row is None and self._dirty and not dialogs.ask_yes_no(
                self, "Hủy vào sổ", "Văn bản này chưa được vào sổ. Bỏ các thông tin đã nhập và đóng?",
                yes="Bỏ và đóng", no="Quay lại", danger=True):
            return
        if self.row is not None:
            self.accept()
            return
        super().reject()

    def _show_error(self, message: str, field: str | None = None) -> None:
        self.error.setText(message)
        self.error.show()
        if field:
            widget = self.form.findChild(QWidget, field)
            if widget is not None:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                if isinstance(widget, QLineEdit):
                    widget.selectAll()

