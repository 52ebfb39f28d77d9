"""The sections of the main window's side bar, and the contract they keep.

A section is a `SectionBase` (a QWidget) built as `Section(context)` where
`context` is the window's `AppContext` (below). The window calls only what the
`Section` protocol names, and every section has all of it (SectionBase gives
the defaults):

  title: str                                   the side-bar label (Vietnamese)
  refresh() -> None                            re-read the register (F5, after a restore)
  register_changed(change: Change) -> None     a write succeeded somewhere (dirdesk.gui.operations)
  badge() -> str                               text after the label, e.g. the count of overdue items
  can_close() -> bool                          False to keep the window open (unsaved work it could not save)
  actions_for_menu() -> list[QAction]          the "Thao tác" menu while the section is shown
  new_document(), focus_search(), open_entry(row_id), select_row_id(row_id)
                                               what the menus and other sections ask of some sections

Sections are imported lazily by dotted name, so a section's module loads
only when first shown (start-up stays fast) and the window does not depend on
every section at import time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from dirdesk.gui.operations import Change, Operations
from dirdesk.registers import Registry


class WindowServices(Protocol):
    """What a section may ask of the window it sits in (dirdesk.gui.main_window.MainWindow)."""

    replacing: bool

    def show_section(self, key: str) -> QWidget: ...
    def status(self, text: str, ms: int = 5000) -> None: ...
    def refresh_all(self) -> None: ...
    def open_entry(self, register: str, row_id: int) -> QWidget | None: ...
    def show_entry(self, register: str, row_id: int) -> None: ...
    def intake_file(self, path: Path | str) -> None: ...
    def replace_register(self, work: Callable[[Path], Any], *, busy_text: str,
                         on_done: Callable[[Any], None] | None = None,
                         on_error: Callable[[BaseException], None] | None = None) -> bool: ...


class Detached:
    """The window services of a section shown on its own (tests, a dialog): the status lines are kept
    in `said`; nothing else happens."""

    replacing = False

    def __init__(self) -> None:
        self.said: list[str] = []

    def show_section(self, key: str) -> QWidget | None:
        return None

    def status(self, text: str, ms: int = 5000) -> None:
        self.said.append(text)

    def refresh_all(self) -> None:
        pass

    def open_entry(self, register: str, row_id: int) -> QWidget | None:
        return None

    def show_entry(self, register: str, row_id: int) -> None:
        pass

    def intake_file(self, path: Path | str) -> None:
        pass

    def replace_register(self, work, *, busy_text, on_done=None, on_error=None) -> bool:
        return False


@dataclass
class AppContext:
    """What every section shares: the open register (GUI thread only; a restore replaces it, so read
    `context.registry` each time), the data folder, the window's services and the register operations."""

    registry: Registry
    data_dir: Path  # where autosaves and settings live (platformdirs)
    window: WindowServices = field(default_factory=Detached)
    ops: Operations = None  # type: ignore[assignment]  (made in __post_init__)

    def __post_init__(self) -> None:
        if self.ops is None:
            self.ops = Operations(lambda: self.registry, lambda text: self.window.status(text))


@runtime_checkable
class Section(Protocol):
    title: str

    def refresh(self) -> None: ...
    def register_changed(self, change: Change) -> None: ...
    def badge(self) -> str: ...
    def can_close(self) -> bool: ...
    def actions_for_menu(self) -> list[QAction]: ...
    def new_document(self) -> None: ...
    def focus_search(self) -> None: ...
    def open_entry(self, row_id: int) -> None: ...
    def select_row_id(self, row_id: int) -> bool: ...


class SectionBase(QWidget):
    """The defaults of the Section protocol. A change made elsewhere re-reads the register at once if
    the section is shown, else the next time it is shown (`refresh`)."""

    title = ""
    _stale = False
    context: AppContext

    def attach(self, context: AppContext) -> None:
        """Keep the context, and hear of every register write made anywhere in the window
        (`Operations.changed`: the one "register changed" signal)."""
        self.context = context
        context.ops.changed.connect(self.register_changed)

    def refresh(self) -> None:
        pass

    def register_changed(self, change: Change) -> None:
        if change.origin is self:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def badge(self) -> str:
        return ""

    def can_close(self) -> bool:
        return True

    def actions_for_menu(self) -> list[QAction]:
        return []

    # what the menus and other sections ask of the sections that have such a thing
    def new_document(self) -> None:
        pass

    def focus_search(self) -> None:
        pass

    def open_entry(self, row_id: int) -> None:
        pass

    def select_row_id(self, row_id: int) -> bool:
        """Show the row selected (no dialog); False when this section has no such row."""
        return False


@dataclass(frozen=True)
class SectionSpec:
    key: str
    label: str
    icon: str  # file name under resources/icons/
    target: str  # "module:Class"
    shortcut: str | None = None


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("drafting", "Soạn thảo", "drafting.svg", "dirdesk.gui.drafting:DraftingSection"),
    SectionSpec("outgoing", "Văn bản đi", "outgoing.svg", "dirdesk.gui.registers.outgoing:OutgoingSection"),
    SectionSpec("incoming", "Văn bản đến", "incoming.svg", "dirdesk.gui.registers.incoming:IncomingSection"),
    SectionSpec("followup", "Theo dõi giải quyết", "followup.svg", "dirdesk.gui.registers.followup:FollowupSection"),
    SectionSpec("registers", "Sổ đăng ký", "registers.svg", "dirdesk.gui.registers.books:RegisterBooksSection"),
    SectionSpec("search", "Tìm kiếm", "search.svg", "dirdesk.gui.search:SearchSection", "Ctrl+F"),
    SectionSpec("settings", "Cài đặt", "settings.svg", "dirdesk.gui.settings:SettingsSection"),
)


def load_section_class(spec: SectionSpec) -> type[SectionBase]:
    module, _, name = spec.target.partition(":")
    return getattr(importlib.import_module(module), name)
