"""Printing a document: the system print dialog (printer, copies, pages),
then every page of the PDF rendered at the printer's own resolution and
painted onto the QPrinter at its true size, page by page.

A page is rendered in horizontal bands so that a 1200 dpi printer does not
need a 0.5 GB image per page. `print_pdf` uses no widget and may run in a
worker thread (QPainter on a QPrinter is allowed there).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPoint, QRect, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

BAND_PIXELS = 8_000_000  # at most this many pixels rendered at once (32 MB)


class PrintError(RuntimeError):
    """A print that could not be done; the message is for the clerk."""


def render_size(page_points: QSizeF, dpi: int) -> QSize:
    """The size in printer pixels of a page `page_points` big (1 pt = 1/72 inch)."""
    return QSize(round(page_points.width() * dpi / 72), round(page_points.height() * dpi / 72))


def _open(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintError("Không đọc được tệp PDF của văn bản để in.")
    return document, buffer


def prepare_printer(printer: QPrinter, data: bytes) -> None:
    """Paper size and orientation of the document's first page, no margins (the PDF has its own)."""
    document, buffer = _open(data)
    try:
        size = document.pagePointSize(0)
    finally:
        document.close()
        buffer.close()
    landscape = size.width() > size.height()
    page_size = QPageSize(QSizeF(min(size.width(), size.height()), max(size.width(), size.height())),
                          QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)


def _sequence(printer: QPrinter, count: int) -> list[int]:
    """The page indexes to paint, in order: the range chosen, and copies when the printer does not make them."""
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), count) if printer.toPage() else count
    pages = list(range(first - 1, last))
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    if copies == 1:
        return pages
    if printer.collateCopies():
        return pages * copies
    return [p for p in pages for _ in range(copies)]


def print_pdf(printer: QPrinter, data: bytes) -> list[QSize]:
    """Paint the PDF's pages onto `printer`; returns, for each page painted, the size it was rendered at."""
    document, buffer = _open(data)
    printer.setFullPage(True)
    dpi = printer.resolution()
    sequence = _sequence(printer, document.pageCount())
    if not sequence:
        raise PrintError("Không có trang nào trong khoảng trang đã chọn.")
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        raise PrintError("Không mở được máy in (máy in đang tắt, hết giấy hoặc không có quyền in).")
    sizes: list[QSize] = []
    try:
        for n, index in enumerate(sequence):
            if n and not printer.newPage():
                raise PrintError("Máy in không nhận trang tiếp theo.")
            full = render_size(document.pagePointSize(index), dpi)
            sizes.append(full)
            band = max(64, BAND_PIXELS // max(full.width(), 1))
            for top in range(0, full.height(), band):
                height = min(band, full.height() - top)
                options = QPdfDocumentRenderOptions()
                options.setScaledSize(full)
                options.setScaledClipRect(QRect(0, top, full.width(), height))
                image = document.render(index, QSize(full.width(), height), options)
                painter.drawImage(QPoint(0, top), image)
    finally:
        painter.end()
        document.close()
        buffer.close()
    return sizes


def ask_printer(parent: QWidget, data: bytes, title: str = "In văn bản") -> QPrinter | None:
    """The system print dialog (printer, copies, pages); the printer chosen, or None when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, data)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    accepted = dialog.exec() == QPrintDialog.DialogCode.Accepted
    dialog.deleteLater()
    return printer if accepted else None
