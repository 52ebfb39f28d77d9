"""What the register screens share: dates typed as dd/mm/yyyy, opening a kept
file, telling the window something changed. The questions to the clerk are in
dirdesk.gui.dialogs; `open_file` is a module function so tests can replace it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLineEdit

from dirdesk.dates import DateError, date_text  # noqa: F401  (the register screens' dates, from the core)
from dirdesk.dates import parse_typed_date as parse_date  # noqa: F401
from dirdesk.text import one_line as line  # noqa: F401  (a one-line field as the core stores it)
from dirdesk.text import safe_file_name

DATE_PLACEHOLDER = "ngày/tháng/năm"


def setup_date_field(edit: QLineEdit) -> None:
    edit.setPlaceholderText(DATE_PLACEHOLDER)
    edit.setToolTip("Gõ ngày dạng ngày/tháng/năm, ví dụ 08/09/2026; để trống nếu chưa có.")


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def number_text(n: int) -> str:
    """100000 -> "100.000" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


# ---------------------------------------------------------------- files


def open_file(path: Path) -> bool:
    """Open a file in the system's viewer."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def reading_copy(data: bytes, name: str) -> Path:
    """A copy of a kept file in a temporary folder, under a readable name: the clerk may change
    the copy in the viewer, the register's file stays as it was."""
    folder = Path(tempfile.mkdtemp(prefix="dirdesk-"))
    path = folder / safe_file_name(name)
    path.write_bytes(data)
    return path
