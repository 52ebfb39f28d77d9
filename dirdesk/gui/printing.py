"""Printing a laid-out document (a văn bản or a register), in vector form.

The system print dialog (printer, copies, pages), then the pages the layout
made (`pdf_flow.paginate`) drawn by the painter writer onto the QPrinter in a
worker thread (QPainter may paint a QPrinter outside the GUI thread, and Qt 6
renders text in any thread), while a progress dialog says "Đang in trang
i/N". Its "Hủy" button stops after the page being drawn: Qt cannot take back
a job it has begun sending (its CUPS and PDF engines have no abort), so the
pages drawn before Hủy are still printed, and nothing after them.

Copies: the dialog starts at the copies asked for (a register row's số lượng
bản); a printer that makes copies itself gets the count, else each page is
drawn that many times (`page_sequence`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QMarginsF, QObject, QSizeF, Qt, Signal, Slot
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

from dirdesk.gui.painter_writer import FontMissing, PainterWriter, qt_families
from dirdesk.gui.workers import run_in_background
from dirdesk.layout.model import LaidOutDocument, PageSetup
from dirdesk.registers.errors import RegisterError
from dirdesk.render.pdf_flow import Page, paginate

CANCEL_NOTE = "Bấm Hủy để dừng sau trang đang in (các trang đã gửi tới máy in vẫn được in)."


class PrintError(RegisterError):
    """A print that could not be done; the message is for the clerk. A RegisterError, so that every
    error path of the window (workers.error_message, report_failure) shows it as it is."""


@dataclass
class Printable:
    """What gets printed: the layout's pages, its page setup, the job's name, the copies asked for."""

    setup: PageSetup
    pages: list[Page]
    title: str = "DirDesk"
    copies: int = 1


def printable(doc: LaidOutDocument, title: str | None = None, copies: int | None = None) -> Printable:
    """A laid-out document paginated once, as the PDF writer would (no widget: runs in a worker)."""
    return Printable(doc.page, paginate(doc), title or doc.title or "DirDesk", max(copies or 1, 1))


@dataclass
class PrintResult:
    painted: int  # pages drawn and sent
    total: int  # pages the job was to draw (range and copies)
    cancelled: bool = False
    sizes: list[QSizeF] = field(default_factory=list)  # each page drawn, in device units


def prepare_printer(printer: QPrinter, setup: PageSetup) -> None:
    """The layout's paper size and orientation, no margins (the layout has its own)."""
    short, long = sorted((setup.width, setup.height))
    page_size = QPageSize(QSizeF(short, long), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    landscape = setup.width > setup.height
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)


def new_printer(job: Printable) -> QPrinter:
    """A printer set up for the job: its paper, its name, its copies (before the dialog changes them)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, job.setup)
    printer.setDocName(job.title)
    printer.setCopyCount(job.copies)
    return printer


def page_sequence(printer: QPrinter, count: int) -> list[int]:
    """The page indexes to draw, in order: the range chosen, and copies when the printer does not make them."""
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), count) if printer.toPage() else count
    pages = list(range(first - 1, last))
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if copies == 1:
        return pages
    if printer.collateCopies():
        return pages * copies
    return [p for p in pages for _ in range(copies)]


def ask_printer(parent: QWidget, job: Printable, title: str = "In văn bản") -> QPrinter | None:
    """The system print dialog (printer, copies, pages); the printer chosen, or None when cancelled."""
    printer = new_printer(job)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setMinMax(1, len(job.pages))
    accepted = dialog.exec() == QPrintDialog.DialogCode.Accepted
    dialog.deleteLater()
    if accepted:
        prepare_printer(printer, job.setup)  # a dialog's paper choice must not rescale the layout
    return printer if accepted else None


def load_fonts() -> None:
    """The bundled faces added to Qt (once); PrintError when a font file cannot be read."""
    try:
        qt_families()
    except FontMissing as exc:
        raise PrintError(f"Không nạp được phông chữ {exc} để in; hãy cài lại DirDesk.") from exc


def print_pages(printer: QPrinter, job: Printable, on_page: Callable[[int, int], None] | None = None,
                cancel: threading.Event | None = None) -> PrintResult:
    """Draw the job's pages onto `printer` (no widget: may run in a worker).

    `on_page(i, n)` is called before page i of n is drawn; when `cancel` is set, no page is begun after it."""
    load_fonts()
    printer.setFullPage(True)
    sequence = page_sequence(printer, len(job.pages))
    if not sequence:
        raise PrintError("Không có trang nào trong khoảng trang đã chọn.")
    if cancel is not None and cancel.is_set():  # Hủy before the job began: nothing is sent
        return PrintResult(0, len(sequence), cancelled=True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("Không mở được máy in (máy in đang tắt, hết giấy hoặc không có quyền in).")
    writer = PainterWriter(painter, job.setup, printer.resolution())
    result = PrintResult(0, len(sequence))
    try:
        for n, index in enumerate(sequence):
            if cancel is not None and cancel.is_set():
                result.cancelled = True
                break
            if on_page is not None:
                on_page(n + 1, len(sequence))
            if n and not printer.newPage():
                raise PrintError("Máy in không nhận trang tiếp theo.")
            writer.draw(job.pages[index])
            result.painted += 1
            result.sizes.append(QSizeF(painter.device().width(), painter.device().height()))
    except BaseException:
        painter.end()
        raise
    if not painter.end():
        raise PrintError("Máy in không nhận hết bản in; hãy kiểm tra máy in rồi in lại.")
    return result


class PrintProgress(QObject):
    """The progress dialog of one job; `page` is emitted in the worker and shown on the GUI thread."""

    page = Signal(int, int)

    def __init__(self, owner: QWidget, printer: QPrinter, total: int):
        super().__init__(owner)
        self.printer = printer  # alive until the job ends
        self.cancel = threading.Event()
        self.dialog = QProgressDialog(_label(0, total), "Hủy", 0, max(total, 1), owner)
        self.dialog.setWindowTitle("Đang in")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(0)
        self.dialog.canceled.connect(self.stop)
        self.page.connect(self.show_page)

    @Slot(int, int)
    def show_page(self, i: int, n: int) -> None:
        if not self.cancel.is_set():
            self.dialog.setLabelText(_label(i, n))
        self.dialog.setValue(i - 1)

    @Slot()
    def stop(self) -> None:
        """Hủy: no page is begun after the one being drawn."""
        self.cancel.set()
        self.dialog.setLabelText("Đang dừng sau trang đang in…")

    def close(self) -> None:
        self.dialog.canceled.disconnect(self.stop)
        self.dialog.hide()
        self.dialog.deleteLater()
        self.deleteLater()


def start_print(owner: QWidget, printer: QPrinter, job: Printable, on_done: Callable[[PrintResult], None],
                on_error: Callable[[BaseException], None]) -> PrintProgress | None:
    """Print in a worker behind a progress dialog ("Đang in trang i/N", Hủy); its PrintProgress
    (None when the fonts could not be loaded: on_error has been told)."""
    try:
        load_fonts()  # on the GUI thread, before the worker draws with them
    except PrintError as exc:
        on_error(exc)
        return None
    progress = PrintProgress(owner, printer, len(page_sequence(printer, len(job.pages))))

    def finish(callback, value) -> None:
        progress.close()
        callback(value)

    progress.dialog.show()
    run_in_background(owner, print_pages, printer, job, progress.page.emit, progress.cancel,
                      on_done=lambda result: finish(on_done, result), on_error=lambda exc: finish(on_error, exc))
    return progress


def _label(i: int, n: int) -> str:
    doing = f"Đang in trang {i}/{n}…" if i else f"Đang chuẩn bị in {n} trang…"
    return f"{doing}\n{CANCEL_NOTE}"


def done_text(result: PrintResult) -> str:
    """What the status bar says when a job ends."""
    if result.cancelled:
        return f"Đã dừng in: {result.painted}/{result.total} trang đã gửi tới máy in."
    return f"Đã gửi {result.painted} trang tới máy in."
