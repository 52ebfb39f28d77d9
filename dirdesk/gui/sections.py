"""The sections of the main window's side bar, and the contract they keep.

A section is a QWidget built as `Section(context, parent=None)` where
`context` is the window's `AppContext` (below). It may define:

  title: str                      the side-bar label (Vietnamese)
  def refresh(self) -> None       re-read the register (after an issue, an import, a restore)
  def badge(self) -> str          text shown after the label, e.g. the count of overdue items
  def can_close(self) -> bool     False to keep the window open (unsaved work it could not save)
  def actions_for_menu(self) -> list[QAction]

Sections are imported lazily by dotted name, so a section's module loads
only when first shown (start-up stays fast) and the window does not depend on
every section at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class AppContext:
    """What every section shares: the open register (GUI thread only) and the window's services."""

    registry: Any  # dirdesk.registers.Registry, opened on the GUI thread
    data_dir: Path  # where autosaves and settings live (platformdirs)
    window: Any = None  # the MainWindow: show_section(key), status(text), refresh_all()
    extras: dict = field(default_factory=dict)


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


def load_section_class(spec: SectionSpec):
    import importlib

    module, _, name = spec.target.partition(":")
    return getattr(importlib.import_module(module), name)
