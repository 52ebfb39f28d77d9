"""Sổ đăng ký: a register for a month, a year or a range of days, previewed
as it prints (the core's PDF, A4 landscape), exported to XLSX, PDF, DOCX or
CSV, and printed.

Rendering, exporting and printing run in workers, each opening its own
register connection; the export is written atomically by the core. Printing
lays the register out as the PDF does (registers.printing.register_layout,
paginated once) and draws those pages in vector form (dirdesk.gui.printing).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, QStandardPaths, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dirdesk.gui import dialogs, printing
from dirdesk.gui.forms import load_form
from dirdesk.gui.registers import common
from dirdesk.gui.registers.import_dialog import ImportDialog
from dirdesk.gui.sections import SectionBase
from dirdesk.gui.workers import Debouncer, LatestOnly, error_message
from dirdesk.registers.columns import Period, month_period, range_period, register_table, year_period
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.export import default_name, export_bytes, export_register
from dirdesk.registers.printing import PAGE, register_layout

REGISTERS = (("outgoing", "Sổ đăng ký văn bản đi"), ("incoming", "Sổ đăng ký văn bản đến"),
             ("followup", "Sổ theo dõi giải quyết văn bản đến"))
KINDS = (("month", "Một tháng"), ("year", "Cả năm"), ("range", "Khoảng ngày"))
FORMAT_FILTERS = {"xlsx": "Bảng tính Excel (*.xlsx)", "pdf": "Tài liệu PDF (*.pdf)",
                  "docx": "Văn bản Word (*.docx)", "csv": "Tệp CSV (*.csv)"}


# ---------------------------------------------------------------- workers (no widgets)


def render_register_pdf(reg, register: str, period: Period) -> tuple[bytes, int]:
    """The printed register as PDF bytes, and its row count (a worker, through the operations)."""
    table = register_table(reg, register, period)
    return export_bytes(table, "pdf"), len(table.rows)


def export_register_file(reg, register: str, period: Period, fmt: str, path: Path) -> int:
    """Write the register to `path` (atomically, by the core); the row count."""
    return len(export_register(reg, register, period, fmt, path).rows)


def register_printable(reg, register: str, period: Period, title: str) -> printing.Printable:
    """The printed register laid out and paginated as its PDF is (a worker, through the operations)."""
    return printing.printable(register_layout(register_table(reg, register, period)), title)


# ---------------------------------------------------------------- the section


class RegisterBooksSection(SectionBase):
    title = "Sổ đăng ký"

    def __init__(self, context, parent: QWidget | None = None):
        super().__init__(parent)
        self.attach(context)
        self._ticket = LatestOnly()
        self._jobs = 0
        self.pdf_data: bytes | None = None
        self.rows_in_preview = 0
        self.last_export: Path | None = None
        self.last_error: str | None = None
        self._previewing = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("register_books", self)
        self.form.layout().setContentsMargins(12, 10, 12, 6)
        layout.addWidget(self.form)
        find = self.form.findChild
        title = find(QLabel, "title")
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        self.register: QComboBox = find(QComboBox, "register")
        self.kind: QComboBox = find(QComboBox, "kind")
        self.month: QComboBox = find(QComboBox, "month")
        self.year: QSpinBox = find(QSpinBox, "year")
        self.start: QDateEdit = find(QDateEdit, "start")
        self.end: QDateEdit = find(QDateEdit, "end")
        self.busy: QProgressBar = find(QProgressBar, "busy")
        self.status: QLabel = find(QLabel, "status")
        self.pages_label: QLabel = find(QLabel, "pages")
        for code, text in REGISTERS:
            self.register.addItem(text, code)
        for code, text in KINDS:
            self.kind.addItem(text, code)
        for m in range(1, 13):
            self.month.addItem(f"Tháng {m}", m)
        today = dt.date.today()
        self.month.setCurrentIndex(today.month - 1)
        self.year.setValue(today.year)
        self.start.setDate(QDate(today.year, today.month, 1))
        self.end.setDate(QDate.currentDate())
        self.busy.setMaximumWidth(self.fontMetrics().horizontalAdvance("M") * 8)
        self.busy.hide()

        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView(self)
        self.view.setAccessibleName("Bản xem trước của sổ")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        frame = find(QFrame, "preview_frame")
        frame.layout().setContentsMargins(0, 0, 0, 0)
        frame.layout().addWidget(self.view)
        self.view.pageNavigator().currentPageChanged.connect(lambda *_: self._update_pages())

        self._debouncer = Debouncer(self.preview, 400, self)
        for signal in (self.register.currentIndexChanged, self.kind.currentIndexChanged,
                       self.month.currentIndexChanged, self.year.valueChanged, self.start.dateChanged,
                       self.end.dateChanged):
            signal.connect(self._choice_changed)
        find(QPushButton, "preview_button").clicked.connect(self.preview)
        find(QPushButton, "print_button").clicked.connect(self.print_register)
        for fmt in ("xlsx", "pdf", "docx", "csv"):
            find(QPushButton, f"{fmt}_button").clicked.connect(lambda _=False, f=fmt: self.export(f))
        self._add_import_button()
        QShortcut(QKeySequence.StandardKey.Print, self, activated=self.print_register,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_kind()
        self._shown_once = False

    # ------------------------------------------------------------ importing an old register

    def _add_import_button(self) -> None:
        self.import_button = QPushButton("Nhập sổ &cũ…", self)
        self.import_button.setAccessibleName("Nhập sổ cũ từ Excel hoặc CSV")
        self.import_button.setToolTip("Nhập sổ văn bản đi hoặc đến đã ghi trước đây trong Excel/CSV (chạy thử trước)")
        self.import_button.clicked.connect(self.open_import)
        self.form.findChild(QHBoxLayout, "actions").addWidget(self.import_button)

    def open_import(self):
        """The import dialog, for the register shown here (đến when the follow-up is shown)."""
        register = self.register_code() if self.register_code() in ("outgoing", "incoming") else "incoming"
        dialog = ImportDialog(self.context, register, self)
        dialog.imported.connect(self._imported)
        self.import_dialog = dialog
        dialog.open()
        return dialog

    def _imported(self, report) -> None:
        self._debouncer.poke()  # the import's write has told every section (dirdesk.gui.operations)

    # ------------------------------------------------------------ choices

    @property
    def registry(self):
        """The open register: read each time, as a restore from a backup replaces it."""
        return self.context.registry

    def _choice_changed(self) -> None:
        self._update_kind()
        self._debouncer.poke()

    def _update_kind(self) -> None:
        kind = self.kind.currentData()
        find = self.form.findChild
        for name, shown in (("month", kind == "month"), ("month_label", kind == "month"),
                            ("year", kind in ("month", "year")), ("year_label", kind in ("month", "year")),
                            ("start", kind == "range"), ("start_label", kind == "range"),
                            ("end", kind == "range"), ("end_label", kind == "range")):
            find(QWidget, name).setVisible(shown)

    def choose(self, register: str, *, month: str | None = None, year: int | None = None,
               start: dt.date | None = None, end: dt.date | None = None) -> None:
        """Set the register and period ("2026-11", a year, or a range) as the clerk would."""
        widgets = (self.register, self.kind, self.month, self.year, self.start, self.end)
        for w in widgets:
            w.blockSignals(True)
        self.register.setCurrentIndex(self.register.findData(register))
        if month:
            y, m = (int(p) for p in month.split("-"))
            self.kind.setCurrentIndex(self.kind.findData("month"))
            self.year.setValue(y)
            self.month.setCurrentIndex(m - 1)
        elif year:
            self.kind.setCurrentIndex(self.kind.findData("year"))
            self.year.setValue(year)
        elif start and end:
            self.kind.setCurrentIndex(self.kind.findData("range"))
            self.start.setDate(QDate(start.year, start.month, start.day))
            self.end.setDate(QDate(end.year, end.month, end.day))
        for w in widgets:
            w.blockSignals(False)
        self._update_kind()
        self._debouncer.poke()

    def period(self) -> Period:
        kind = self.kind.currentData()
        if kind == "month":
            return month_period(f"{self.year.value():04d}-{self.month.currentData():02d}")
        if kind == "year":
            return year_period(self.year.value())
        return range_period(self.start.date().toPython(), self.end.date().toPython())

    def register_code(self) -> str:
        return self.register.currentData()

    # ------------------------------------------------------------ busy state

    def _begin(self, text: str) -> None:
        self._jobs += 1
        self.busy.show()
        self.status.setText(text)
        self.setCursor(Qt.CursorShape.BusyCursor)

    def _end(self) -> None:
        self._jobs = max(0, self._jobs - 1)
        if not self._jobs:
            self.busy.hide()
            self.unsetCursor()

    @property
    def working(self) -> bool:
        return self._jobs > 0

    def _failed(self, exc: BaseException) -> None:
        self._end()
        self.last_error = error_message(exc)
        self.status.setText(self.last_error)

    # ------------------------------------------------------------ preview

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.preview()

    def refresh(self) -> None:
        if self._shown_once:
            self.preview()

    def preview(self) -> None:
        """Render the chosen register and period as it prints, off the GUI thread."""
        if self._debouncer.pending:
            self._debouncer.flush()  # comes back here, no longer pending
            return
        try:
            period = self.period()
        except RegisterError as exc:
            self.status.setText(str(exc))
            return
        ticket = self._ticket.next()
        self._previewing = True
        self._begin(f"Đang dựng bản xem trước: {self.register.currentText().lower()}, {period.label.lower()}…")
        self.context.ops.read(self, "dựng bản xem trước của sổ", render_register_pdf, self.register_code(), period,
                              done=lambda result: self._previewed(ticket, period, result),
                              failed=lambda exc: self._preview_failed(ticket, exc))

    def _preview_failed(self, ticket: int, exc: BaseException) -> None:
        self._failed(exc)
        if self._ticket.is_latest(ticket):
            self._previewing = False

    def _previewed(self, ticket: int, period: Period, result: tuple[bytes, int]) -> None:
        self._end()
        if not self._ticket.is_latest(ticket):
            return
        self._previewing = False
        data, rows = result
        self.pdf_data, self.rows_in_preview = data, rows
        self.document.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        what = f"{self.register.currentText()}, {period.label.lower()}"
        self.status.setText(f"{what}: {common.number_text(rows)} dòng" if rows else
                            f"{what}: không có văn bản nào trong kỳ này.")
        self._update_pages()

    def _update_pages(self) -> None:
        count = self.document.pageCount()
        current = self.view.pageNavigator().currentPage() + 1
        self.pages_label.setText(f"Trang {current}/{count}" if count else "")

    # ------------------------------------------------------------ export

    def export(self, fmt: str) -> None:
        try:
            period = self.period()
        except RegisterError as exc:
            dialogs.show_error(self, str(exc))
            return
        folder = self.last_export.parent if self.last_export else Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or Path.home())
        name = default_name(self.register_code(), period, fmt)
        path, _ = QFileDialog.getSaveFileName(self, f"Xuất {self.register.currentText().lower()}",
                                              str(folder / name), FORMAT_FILTERS[fmt])
        if path:
            if not path.lower().endswith(f".{fmt}"):
                path += f".{fmt}"
            self.export_to(Path(path), fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Write the chosen register and period to `path` in a worker."""
        period = self.period()
        self.last_error = None
        self._begin(f"Đang xuất {path.name}…")

        def done(rows: int) -> None:
            self._end()
            self.last_export = path
            self.status.setText(f"Đã ghi {path} ({common.number_text(rows)} dòng).")
            self.context.window.status(f"Đã xuất {path.name}.")

        self.context.ops.read(self, f"xuất {path.name}", export_register_file, self.register_code(), period, fmt,
                              path, done=done, failed=self._failed)

    # ------------------------------------------------------------ print

    def _job_title(self) -> str:
        return f"{self.register.currentText()} - {self.period().label}"

    def make_printer(self) -> QPrinter:
        """A printer for the chosen register (A4 landscape, named after the register and period)."""
        return printing.new_printer(printing.Printable(PAGE, [], self._job_title()))

    def print_register(self) -> None:
        """Ctrl+P: the register laid out in a worker, the print dialog, then the pages behind a progress dialog."""
        self._paginate(self._ask_and_print)

    def print_to(self, printer: QPrinter) -> None:
        """Print the chosen register and period on `printer` (no dialog)."""
        self._paginate(lambda job: self._print_job(printer, job))

    def _paginate(self, then) -> None:
        try:
            period, title = self.period(), self._job_title()
        except RegisterError as exc:
            dialogs.show_error(self, str(exc))
            return
        self._begin("Đang chuẩn bị bản in…")
        self.context.ops.read(self, "chuẩn bị bản in của sổ", register_printable, self.register_code(), period, title,
                              done=lambda job: (self._end(), then(job)), failed=self._failed)

    def _ask_and_print(self, job: printing.Printable) -> None:
        printer = printing.ask_printer(self, job, "In sổ")
        if printer is not None:
            self._print_job(printer, job)

    def _print_job(self, printer: QPrinter, job: printing.Printable) -> None:
        self._begin("Đang in…")
        self._printer = printer  # kept alive until the job ends

        def done(result: printing.PrintResult) -> None:
            self._end()
            self.status.setText(printing.done_text(result))
            self.context.window.status("Đã dừng in sổ." if result.cancelled else "Đã in sổ.")

        printing.prepare_printer(printer, job.setup)
        self.print_progress = printing.start_print(self, printer, job, on_done=done, on_error=self._failed)
