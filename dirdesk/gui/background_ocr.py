"""The rest of a scan read in the background once the intake has registered it ("fields first").

`start(context, row, entry)` — called by the intake dialog when it has registered a scan — reads
every page of the entry's PDF with OCR (registers/ocr_text.py) as one register write of the window
(`context.ops.write`, on a worker with its own connection): the dialog and the window go on at once,
a 45-page document never blocks them. The status line says "Đang đọc chữ trang i/n của văn bản đến
số …" as the pages go, then "Đã đọc chữ …: tìm được trong Tìm kiếm"; every section hears of the
change (the entry's files now list its "Bản có lớp chữ (OCR)"). A failure goes through the one error
path (a Vietnamese box, nothing written); a scan with no text at all only says so in the status line.

Each reading is owned by a small object of its own (`Reader`), not by the dialog: closing the dialog
does not lose the outcome, and the window's own writes are never refused as busy meanwhile. Closing
the window stops the readings between two pages (nothing written; `dirdesk incoming ocr` reads the
entry again later), so the window never waits minutes to close.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from dirdesk.registers import ocr_text
from dirdesk.registers.ocr_text import NothingRead, OcrCancelled

_readers: set[Reader] = set()  # running, kept alive until their write is delivered


class Reader(QObject):
    """One entry's background OCR: its progress comes back to the GUI thread as a queued signal."""

    page = Signal(int, int)  # page i of n, emitted on the worker

    def __init__(self, context, row: dict) -> None:
        super().__init__()
        self.context = context
        self.row = row
        self.label = ocr_text.entry_label(row)
        self.stop = threading.Event()
        self.outcome: str | None = None  # "done", "empty", "cancelled", "failed", "not a scan"
        self.page.connect(self._tell_page)

    def begin(self, data: bytes) -> bool:
        _readers.add(self)
        started = self.context.ops.write(
            self, f"đọc chữ văn bản đến số {self.label}", _read, self.row["id"], data, self.page.emit,
            self.stop.is_set, changes="incoming", row_id_of=lambda result: result.row["id"],
            wrote=lambda result: result is not None, done=self._done, failed=self._failed,
            handle={NothingRead: self._empty, OcrCancelled: self._cancelled})
        if not started:
            _readers.discard(self)
        return started

    @Slot(int, int)
    def _tell_page(self, page: int, pages: int) -> None:
        if not self.stop.is_set():
            self.context.window.status(f"Đang đọc chữ trang {page}/{pages} của văn bản đến số {self.label}…", 0)

    def _done(self, result: ocr_text.OcrResult | None) -> None:
        if result is None:  # no page of pictures after all: nothing to read, nothing said
            self._end("not a scan", None)
            return
        self._end("done", f"Đã đọc chữ văn bản đến số {self.label} ({result.pages} trang): tìm được trong "
                          "Tìm kiếm; bản có lớp chữ (OCR) lưu kèm bản gốc.")

    def _empty(self, exc: BaseException) -> None:
        self._end("empty", f"Văn bản đến số {self.label}: {exc}")

    def _cancelled(self, exc: BaseException) -> None:
        self._end("cancelled", f"Đã dừng đọc chữ văn bản đến số {self.label}; sổ không thay đổi.")

    def _failed(self, exc: BaseException) -> None:  # the error box has said why
        self._end("failed", f"Chưa đọc được chữ văn bản đến số {self.label}.")

    def _end(self, outcome: str, text: str | None) -> None:
        self.outcome = outcome
        _readers.discard(self)
        if text:
            self.context.window.status(text, 10000)


def _read(reg, row_id: int, data: bytes, progress, cancelled) -> ocr_text.OcrResult | None:
    """Worker: the whole reading and its one transaction (ocr_text.read_entry_text); None, and nothing
    written, when the received PDF has text on every page (judged here, off the GUI thread)."""
    if not ocr_text.needs_reading(data):
        return None
    return ocr_text.read_entry_text(reg, row_id, progress=progress, cancelled=cancelled)


class _StopOnClose(QObject):
    """Stops every reading when the window closes (they would keep it waiting for minutes)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Close:
            stop_all()
        return False


def stop_all() -> None:
    """Ask every running reading to stop between two pages (nothing is written)."""
    for reader in list(_readers):
        reader.stop.set()


def running() -> list[Reader]:
    return list(_readers)


def start(context, row: dict, entry) -> Reader | None:
    """Read the rest of a just-registered scan in the background: `entry` is the IncomingEntry just
    added as `row`. None when its first file is no PDF (a DOCX, a text) or the write was refused (the
    status line said why). Whether the PDF is a scan is judged on the worker: a PDF with text on every
    page ends there, writing nothing and saying nothing."""
    if not entry.files or not ocr_text.is_pdf_bytes(entry.files[0][1]):
        return None
    window = context.window
    if isinstance(window, QWidget) and window.findChild(_StopOnClose) is None:
        window.installEventFilter(_StopOnClose(window))
    reader = Reader(context, row)
    return reader if reader.begin(entry.files[0][1]) else None
