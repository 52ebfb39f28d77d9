"""Loading the Qt Designer forms (`forms/*.ui`) at run time with QUiLoader.

Forms sit in `forms/` at the top of a checkout, in the package `dirdesk_forms`
when installed from a wheel, and under `sys._MEIPASS/forms` in a PyInstaller
bundle. `load_form("draft_form", parent)` returns the built widget; its
children are found by their objectName (`form.findChild(QLineEdit, "subject")`)
or as attributes (`form.subject`), as QUiLoader sets them.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QApplication, QWidget


@cache
def forms_dir() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "forms")
    candidates.append(Path(__file__).resolve().parents[2] / "forms")
    try:
        import dirdesk_forms  # installed from a wheel

        candidates.extend(Path(p) for p in dirdesk_forms.__path__)
    except ImportError:
        pass
    for path in candidates:
        if path.is_dir() and any(path.glob("*.ui")):
            return path
    raise FileNotFoundError("DirDesk forms not found (looked in: " + ", ".join(map(str, candidates)) + ")")


def form_path(name: str) -> Path:
    return forms_dir() / f"{name}.ui"


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget of forms/NAME.ui."""
    path = form_path(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"cannot open form {path}")
    try:
        widget = QUiLoader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"form {path} could not be built")
    return widget


def fit_to_screen(widget: QWidget, share: float = 0.9) -> None:
    """Shrink a dialog to `share` of its screen's available size where it is larger (a 1920×1080 screen at
    200 % is 960×540); the layouts' minimums still hold."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    available = screen.availableGeometry()
    widget.resize(min(widget.width(), int(available.width() * share)),
                  min(widget.height(), int(available.height() * share)))
