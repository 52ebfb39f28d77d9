"""One path for every register action the window takes (after Anki's CollectionOp and QueryOp).

    ops = context.ops
    ops.write(owner, "vào sổ văn bản đến", incoming.add, entry, changes="incoming",
              done=self._added, handle={DuplicateEntry: self._ask_duplicate}, failed=self._enable)
    ops.read(owner, "đếm văn bản quá hạn", pages.count, view, done=self._show_count)

`fn(registry, *args, **kwargs)` runs on a worker thread, on a connection of its
own to the register (`workers.open_job_registry`, closed when it returns): the
GUI thread never waits on the register's lock, a busy register never freezes
the window, and SQLite's rule that a connection stays on its thread holds.

Then, back on the GUI thread:
- on success, a write emits `changed` (a `Change`) before calling `done(result)`:
  the window hands it to every section (`Section.register_changed`) and
  refreshes the side bar's badges, so no screen shows a stale register;
- on failure, an exception whose type is in `handle` goes to its handler (the
  caller asks the clerk, e.g. "already in the register: enter it again?");
  anything else goes to the one error dialog (`dialogs.show_failure`): what was
  being done and why it failed, in Vietnamese (locked, busy, disk full, damaged
  file, missing attachment: `errors.failure_message`), and then `failed(exc)`
  so the caller can re-enable its buttons. The caller's widget stays as it was,
  so nothing the clerk typed is lost.

While one write of an owner runs, a second from the same owner is refused with
a status line (a double click never issues twice), and while the register is
being replaced (restore) every operation is refused with a message: no button
ever silently does nothing.

Reads of a page of a table (200 rows on an index) are made on the GUI thread
through `read_here`, on the window's own connection, with the same error path:
they take milliseconds, and the table view needs its rows when it asks.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from dirdesk.gui import dialogs
from dirdesk.gui.workers import alive, error_message, open_job_registry, run_in_background

log = logging.getLogger(__name__)

_in_flight = 0  # operations started and not yet delivered, every window together (tests wait on it)


def in_flight() -> int:
    return _in_flight


WRITE_PRIORITY = 10  # a write starts before the searches, exports and previews queued in the pool
Handlers = dict[type[BaseException], Callable[[BaseException], None]]


@dataclass(frozen=True)
class Change:
    """What a write changed: `what` is "outgoing", "incoming", "profile", "files" or "all"."""

    what: str
    row_id: int | None = None
    origin: object = None  # the widget that asked for it (it has already shown the result)


@dataclass
class Guard:
    failed: bool = False


class Operations(QObject):
    changed = Signal(object)  # a Change, after every write that succeeded

    def __init__(self, registry_of: Callable[[], Any], tell: Callable[[str], None] | None = None,
                 parent: QObject | None = None) -> None:
        """`registry_of()` is the window's open register (read each time: a restore replaces it);
        `tell(text)` puts a line in the status bar."""
        super().__init__(parent)
        self._registry_of = registry_of
        self._tell = tell or (lambda text: None)
        self._busy: dict[int, str] = {}
        self.paused_because: str | None = None  # set while the register file is being replaced

    @property
    def path(self) -> Path:
        return Path(self._registry_of().path)

    # ------------------------------------------------------------ the two ways in

    def write(self, owner: QObject, what: str, fn: Callable, *args: Any, changes: str,
              done: Callable[[Any], None] | None = None, failed: Callable[[BaseException], None] | None = None,
              handle: Handlers | None = None, row_id_of: Callable[[Any], int | None] | None = None,
              wrote: Callable[[Any], bool] | None = None, **kwargs: Any) -> bool:
        """Run `fn(registry, *args, **kwargs)` off the GUI thread as one write; False if refused now.
        `wrote(result)` False: the job wrote nothing after all (no Change is announced)."""
        if not self._may_start(owner, what, write=True):
            return False
        self._busy[id(owner)] = what

        def ok(result: Any) -> None:
            self._busy.pop(id(owner), None)
            if wrote is None or wrote(result):
                row_id = row_id_of(result) if row_id_of else _row_id(result)
                self.changed.emit(Change(changes, row_id, owner))
            if done is not None and _alive(owner):
                done(result)

        def bad(exc: BaseException) -> None:
            self._busy.pop(id(owner), None)
            self._failure(owner, what, exc, failed, handle)

        self._start(fn, args, kwargs, ok, bad, priority=WRITE_PRIORITY)
        return True

    def read(self, owner: QObject, what: str, fn: Callable, *args: Any, done: Callable[[Any], None],
             failed: Callable[[BaseException], None] | None = None, handle: Handlers | None = None,
             **kwargs: Any) -> bool:
        """Run `fn(registry, *args, **kwargs)` off the GUI thread and hand its result to `done`."""
        if not self._may_start(owner, what, write=False):
            return False

        def ok(result: Any) -> None:
            if _alive(owner):
                done(result)

        self._start(fn, args, kwargs, ok, lambda exc: self._failure(owner, what, exc, failed, handle))
        return True

    def read_here(self, owner: QObject | None, what: str, fn: Callable, *args: Any, default: Any = None,
                  **kwargs: Any) -> Any:
        """A quick read on the GUI thread (a page of a table); on failure the error dialog and `default`."""
        if self.paused_because:
            return default
        try:
            return fn(self._registry_of(), *args, **kwargs)
        except Exception as exc:  # the one error path, as for the worker operations
            log.warning("đọc sổ (%s) lỗi:\n%s", what, traceback.format_exc())
            self.report(owner, what, exc)
            return default

    @contextmanager
    def guarded(self, owner: QObject | None, what: str) -> Iterator[Guard]:
        """Quick reads on the GUI thread made while opening a dialog (a row, its history, its files):
        any failure goes to the one error path and is not raised; `guard.failed` says so."""
        guard = Guard()
        try:
            yield guard
        except Exception as exc:  # the one error path, as for the worker operations
            log.warning("%s lỗi:\n%s", what, traceback.format_exc())
            guard.failed = True
            self.report(owner, what, exc)

    def report(self, owner: QObject | None, what: str, exc: BaseException) -> None:
        """A failure of a quick read made on the GUI thread, told through the one error path."""
        self._failure(owner, what, exc, None, None)

    def announce(self, what: str, origin: object = None, row_id: int | None = None) -> None:
        """A write made elsewhere (a restore, an import): tell every section."""
        self.changed.emit(Change(what, row_id, origin))

    def busy(self, owner: QObject) -> bool:
        return id(owner) in self._busy

    def wait_for(self, owner: QObject, timeout_ms: int = 60000) -> None:
        """Let the window go on (events delivered, nothing frozen) until `owner`'s write has ended:
        for a question that needs the outcome before it answers (close the window after saving)."""
        loop, timer = QEventLoop(), QTimer()
        timer.timeout.connect(lambda: loop.quit() if not self.busy(owner) else None)
        timer.start(10)
        deadline = QTimer()
        deadline.setSingleShot(True)
        deadline.timeout.connect(loop.quit)
        deadline.start(timeout_ms)
        if self.busy(owner):
            loop.exec()
        timer.stop()
        deadline.stop()

    # ------------------------------------------------------------ inside

    def _start(self, fn: Callable, args: tuple, kwargs: dict, ok: Callable, bad: Callable,
               priority: int = 0) -> None:
        global _in_flight
        _in_flight += 1

        def delivered(callback: Callable, value: Any) -> None:
            global _in_flight
            try:
                callback(value)
            finally:
                _in_flight -= 1

        run_in_background(self, _on_own_connection, self.path, fn, args, kwargs,
                          on_done=lambda result: delivered(ok, result), on_error=lambda exc: delivered(bad, exc),
                          priority=priority)

    def _may_start(self, owner: QObject, what: str, *, write: bool) -> bool:
        if self.paused_because:
            dialogs.show_failure(_parent(owner), f"Chưa {what} được: {self.paused_because}", "Hãy đợi")
            return False
        if write and id(owner) in self._busy:
            self._tell(f"Đang {self._busy[id(owner)]}; hãy đợi việc này xong.")
            return False
        return True

    def _failure(self, owner: QObject, what: str, exc: BaseException,
                 failed: Callable[[BaseException], None] | None, handle: Handlers | None) -> None:
        for kind, handler in (handle or {}).items():
            if isinstance(exc, kind) and _alive(owner):
                handler(exc)
                return
        log.warning("%s: %s: %s", what, type(exc).__name__, exc)
        dialogs.show_failure(_parent(owner), f"Chưa {what} được. {error_message(exc)}")
        if failed is not None and _alive(owner):
            failed(exc)


def _on_own_connection(db_path: Path, fn: Callable, args: tuple, kwargs: dict) -> Any:
    """Worker: fn on a connection of the job's own, closed whatever happens."""
    registry = open_job_registry(db_path)
    try:
        return fn(registry, *args, **kwargs)
    finally:
        registry.close()


def _row_id(result: Any) -> int | None:
    try:
        return int(result["id"])
    except (TypeError, KeyError, IndexError, ValueError):
        return None


def _alive(obj: QObject | None) -> bool:
    return obj is not None and alive(obj)


def _parent(owner: QObject | None) -> QWidget | None:
    """The widget to put the message over: the owner if it is a live widget, else none (a top-level box)."""
    return owner if isinstance(owner, QWidget) and _alive(owner) else None
