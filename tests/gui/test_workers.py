"""Slow work runs off the GUI thread and its result comes back on it."""

import threading

from PySide6.QtCore import QObject, QThread

from dirdesk.gui.workers import Debouncer, LatestOnly, run_in_background, wait_for_background


def test_result_and_error_come_back_on_the_gui_thread(qtbot):
    owner = QObject()
    seen = {}

    def work(x):
        seen["worker_thread"] = threading.get_ident()
        return x * 2

    def done(result):
        seen["result"] = result
        seen["on_gui"] = QThread.currentThread() is owner.thread()

    run_in_background(owner, work, 21, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42 and seen["on_gui"]
    assert seen["worker_thread"] != threading.get_ident()

    errors = []
    run_in_background(owner, lambda: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)


def test_a_destroyed_owner_gets_no_callback(qtbot):
    owner = QObject()
    called = []
    gate = threading.Event()
    run_in_background(owner, gate.wait, 5, on_done=called.append)
    owner.deleteLater()
    qtbot.wait(10)
    gate.set()
    assert wait_for_background(5000)
    qtbot.wait(20)
    assert called == []


def test_debouncer_fires_once_after_typing_stops(qtbot):
    fired = []
    debouncer = Debouncer(lambda: fired.append(1), delay_ms=50)
    for _ in range(5):
        debouncer.poke()
        qtbot.wait(10)
    assert fired == [] and debouncer.pending
    qtbot.waitUntil(lambda: fired == [1], timeout=1000)
    debouncer.poke()
    debouncer.flush()
    assert fired == [1, 1] and not debouncer.pending


def test_only_the_newest_job_counts():
    latest = LatestOnly()
    first, second = latest.next(), latest.next()
    assert not latest.is_latest(first) and latest.is_latest(second)


def test_a_job_without_its_own_error_handler_still_tells_the_clerk(qtbot):
    import sqlite3

    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from dirdesk.gui import dialogs

    owner = QWidget()
    qtbot.addWidget(owner)

    def full_disk():
        raise sqlite3.OperationalError("database or disk is full")

    shown = len(dialogs.failures_shown)
    run_in_background(owner, full_disk)  # e.g. the daily backup: no on_error of its own
    qtbot.waitUntil(lambda: len(dialogs.failures_shown) > shown)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes, "no message box was shown"
    box = boxes[-1]
    assert "đầy" in box.text().lower() or "dung lượng" in box.text().lower(), box.text()
    assert [b.text() for b in box.buttons()] == ["Đóng"]
    box.close()
