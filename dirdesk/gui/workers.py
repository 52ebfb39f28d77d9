"""Slow work off the GUI thread.

`run_in_background(owner, fn, *args, on_done=…, on_error=…)` runs `fn(*args)`
on Qt's global thread pool and delivers its result (or its exception) back on
the GUI thread through queued signals. `fn` must not touch widgets; it gets
plain data (a draft, a path, bytes) and returns plain data. A worker that
needs the register opens its own connection (`open_job_registry(reg.path)`):
SQLite connections belong to the thread that opened them.

`Debouncer` calls back once typing has paused (the live preview waits ~300 ms),
and `LatestOnly` drops the result of a job that a newer one has replaced, so a
slow preview never overwrites a newer one.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from dirdesk.gui import dialogs
from dirdesk.registers import open_registry
from dirdesk.registers.errors import RegisterError, failure_message

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)  # the exception, and its traceback as text


class _Job(QRunnable):
    def __init__(self, fn: Callable, args: tuple, kwargs: dict) -> None:
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = _Signals()
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # delivered to the GUI thread, never lost in the pool
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.done.emit(result)


_running: set[_Signals] = set()  # keeps the signal objects alive until delivered


def run_in_background(owner: QObject, fn: Callable, *args: Any, on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None, priority: int = 0,
                      **kwargs: Any) -> None:
    """Run fn(*args, **kwargs) on the thread pool; call on_done(result) or on_error(exc) on the GUI thread.

    `owner` is the widget the result is for: if it is destroyed first, nothing is called. A job of a
    higher `priority` starts before the queued ones (a register write before searches and exports)."""
    job = _Job(fn, args, kwargs)
    signals = job.signals
    signals.setParent(None)
    _running.add(signals)

    def finish() -> None:
        _running.discard(signals)
        signals.deleteLater()

    def done(result: Any) -> None:
        finish()
        if on_done is not None and alive(owner):
            on_done(result)

    def failed(exc: BaseException, trace: str) -> None:
        finish()
        if on_error is None:
            report_failure(owner if alive(owner) else None, exc, trace)
        elif alive(owner):
            on_error(exc)

    signals.done.connect(done)
    signals.failed.connect(failed)
    QThreadPool.globalInstance().start(job, priority)


def error_message(exc: BaseException) -> str:
    """What to tell the clerk about a failed job: the core's Vietnamese message (a register error, or a
    full disk, a busy or damaged register, …: `errors.failure_message`), else a plain one."""
    if isinstance(exc, RegisterError):
        return str(exc)
    return failure_message(exc) or f"Lỗi không mong đợi ({type(exc).__name__}: {exc})."


def report_failure(parent: QWidget | None, exc: BaseException, trace: str = "") -> None:
    """Tell the clerk that a job with no failure handler of its own failed, through the one error
    dialog (`dialogs.show_failure`); the trace goes to the log, never instead of the box."""
    log.warning("Một việc chạy nền bị lỗi: %s\n%s", exc, trace)
    dialogs.show_failure(parent, f"Việc đang làm chưa xong: {error_message(exc)}")


def alive(obj: QObject) -> bool:
    """False once the C++ side of a Qt object has been deleted (a closed dialog)."""
    return isValid(obj)


def wait_for_background(timeout_ms: int = 30000) -> bool:
    """Wait until every background job has finished (tests, closing the window)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


class Debouncer(QObject):
    """Calls `callback` once, `delay_ms` after the last `poke()`."""

    def __init__(self, callback: Callable[[], None], delay_ms: int = 300, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(callback)

    def poke(self) -> None:
        self._timer.start()

    def flush(self) -> None:
        """Fire now if a call is pending."""
        if self._timer.isActive():
            self._timer.stop()
            self._timer.timeout.emit()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()


class LatestOnly:
    """Numbers jobs so that only the newest one's result is used."""

    def __init__(self) -> None:
        self._latest = 0

    def next(self) -> int:
        self._latest += 1
        return self._latest

    def is_latest(self, ticket: int) -> bool:
        return ticket == self._latest


def open_job_registry(path):
    """A background job's own connection to the register the window has open
    (and checked at start-up): the whole-file integrity check is skipped."""
    return open_registry(path, create=False, integrity_check=False)
