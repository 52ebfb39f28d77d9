"""The rest of a scan read in the background after the intake dialog registered it
(dirdesk/gui/background_ocr.py): the dialog and the window never wait, the status line tells the
pages, the search then finds a word of any page; a failure or a stop writes nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtWidgets import QWidget

from dirdesk.gui import background_ocr, dialogs
from dirdesk.intake import ocr
from dirdesk.intake.searchable import OcrCancelled, Searchable
from dirdesk.registers import incoming, ocr_text, search
from tests.gui.settle import settle
from tests.gui.test_intake import FakeWindow, discard_on_close, opened, rows, save  # noqa: F401 (a fixture)
from tests.scans import three_page_scan

needs_ocr = pytest.mark.skipif(ocr.unavailable() is not None, reason=f"no OCR here: {ocr.unavailable()}")
YEAR = dt.date.today().year


@pytest.fixture
def scan_file(tmp_path):
    path = tmp_path / "cv-khuyen-nong.pdf"
    path.write_bytes(three_page_scan())
    return path


@pytest.fixture(autouse=True)
def started(monkeypatch):
    """The readings the intake started, in order (one that ended at once included)."""
    readers = []
    real = background_ocr.start
    monkeypatch.setattr(background_ocr, "start", lambda *a: readers.append(real(*a)) or readers[-1])
    return readers


@pytest.fixture
def window(context):
    context.window = FakeWindow()
    return context.window


class Gate:
    """A stand-in for the reading that waits for the test between its two pages."""

    def __init__(self):
        self.open = threading.Event()

    def __call__(self, data, *, progress=None, cancelled=None):
        progress(1, 2)
        if not self.open.wait(20):
            raise AssertionError("the test never let the reading go on")
        if cancelled():
            raise OcrCancelled("đã dừng đọc chữ theo yêu cầu; sổ không thay đổi")
        progress(2, 2)
        return Searchable(texts=["Chương trình Khuyến nông", "năm 2026"], pdf=b"%PDF-1.4 copy", read=[0, 1],
                          seconds={0: 1.0, 1: 1.0})


def _registered(qtbot, context, path):
    dialog = opened(qtbot, context, path)
    dialog.subject.setPlainText("Về việc tổ chức tập huấn")
    save(qtbot, dialog)
    assert dialog.row is not None
    return dialog


def test_the_dialog_and_the_window_go_on_while_the_pages_are_read(qtbot, context, window, scan_file, monkeypatch,
                                                                  started):
    gate = Gate()
    monkeypatch.setattr(ocr_text, "make_searchable", gate)
    changes = []
    context.ops.changed.connect(changes.append)
    dialog = _registered(qtbot, context, scan_file)
    [reader] = started
    assert background_ocr.running() == [reader]
    # The reading waits on page 1: the window has the entry already, and hears of its progress.
    qtbot.waitUntil(lambda: f"Đang đọc chữ trang 1/2 của văn bản đến số 01/{YEAR}…" in window.statuses)
    assert dialog.isVisible() and dialog.row["number"] == 1
    assert [f["role"] for f in incoming.files_of(context.registry, dialog.row["id"])] == ["received"]
    assert not context.ops.busy(dialog)  # the dialog's own buttons are not held by the reading
    gate.open.set()
    qtbot.waitUntil(lambda: reader.outcome == "done", timeout=20000)
    settle(qtbot)
    assert window.statuses[-2:] == [
        f"Đang đọc chữ trang 2/2 của văn bản đến số 01/{YEAR}…",
        f"Đã đọc chữ văn bản đến số 01/{YEAR} (2 trang): tìm được trong Tìm kiếm; bản có lớp chữ (OCR) lưu kèm "
        "bản gốc."]
    assert [(c.what, c.row_id) for c in changes] == [("incoming", dialog.row["id"])] * 2
    assert [f["name"] for f in incoming.files_of(context.registry, dialog.row["id"])] == [
        "cv-khuyen-nong.pdf", "cv-khuyen-nong - Bản có lớp chữ (OCR).pdf"]
    assert [h.id for h in search.search(context.registry, "khuyen nong")] == [dialog.row["id"]]


@needs_ocr
def test_a_scan_registered_in_the_dialog_is_found_by_a_word_of_page_2(qtbot, context, window, scan_file, started):
    from dirdesk.gui.search import SearchSection

    dialog = _registered(qtbot, context, scan_file)
    [reader] = started
    qtbot.waitUntil(lambda: reader.outcome is not None, timeout=60000)
    settle(qtbot)
    assert reader.outcome == "done", window.statuses
    assert f"Đang đọc chữ trang 3/3 của văn bản đến số 01/{YEAR}…" in window.statuses
    section = SearchSection(context)
    qtbot.addWidget(section)
    section.show()
    with qtbot.waitSignal(section.results_shown, timeout=30000):
        qtbot.keyClicks(section.query, "khuyen nong")
    assert [(r.register, r.id) for r in section.model.results] == [("incoming", dialog.row["id"])]


def test_without_tesseract_the_error_says_why_and_nothing_is_written(qtbot, context, window, scan_file,
                                                                     monkeypatch, started):
    dialog = opened(qtbot, context, scan_file)
    monkeypatch.setattr(ocr, "unavailable", lambda: ocr.MISSING_TESSERACT)
    dialog.subject.setPlainText("Về việc tổ chức tập huấn")
    shown = len(dialogs.failures_shown)
    save(qtbot, dialog)
    [reader] = started
    qtbot.waitUntil(lambda: reader.outcome is not None, timeout=20000)
    settle(qtbot)
    assert reader.outcome == "failed"
    [failure] = dialogs.failures_shown[shown:]
    assert failure.startswith(f"Chưa đọc chữ văn bản đến số 01/{YEAR} được.")
    assert "máy chưa cài chương trình đọc chữ Tesseract" in failure
    assert window.statuses[-1] == f"Chưa đọc được chữ văn bản đến số 01/{YEAR}."
    [row] = rows(context.registry)
    assert row["body"] == dialog.row["body"]
    assert [f["role"] for f in incoming.files_of(context.registry, row["id"])] == ["received"]
    assert context.registry.query("SELECT action FROM audit WHERE table_name = 'incoming'") == [
        {"action": "insert"}]


class WidgetWindow(QWidget, FakeWindow):
    """A window that is a widget (it can be closed), recording what the intake asks of it."""

    def __init__(self):
        QWidget.__init__(self)
        FakeWindow.__init__(self)


def test_closing_the_window_stops_the_reading_and_writes_nothing(qtbot, context, scan_file, monkeypatch, started):
    context.window = window = WidgetWindow()
    qtbot.addWidget(window)
    window.show()
    gate = Gate()
    monkeypatch.setattr(ocr_text, "make_searchable", gate)
    dialog = _registered(qtbot, context, scan_file)
    [reader] = started
    qtbot.waitUntil(lambda: any(s.startswith("Đang đọc chữ trang 1/2") for s in window.statuses))
    window.close()
    gate.open.set()
    qtbot.waitUntil(lambda: reader.outcome is not None, timeout=20000)
    settle(qtbot)
    assert reader.outcome == "cancelled"
    assert window.statuses[-1] == f"Đã dừng đọc chữ văn bản đến số 01/{YEAR}; sổ không thay đổi."
    assert [f["role"] for f in incoming.files_of(context.registry, dialog.row["id"])] == ["received"]
    assert search.search(context.registry, "khuyen nong") == []


def test_a_file_with_text_starts_no_reading(qtbot, context, window, started):
    from tests.gui.test_intake import SEED

    _registered(qtbot, context, SEED)
    assert started == [None] and background_ocr.running() == []
    assert window.statuses == [f"Đã vào sổ văn bản đến số 01/{YEAR}."]
