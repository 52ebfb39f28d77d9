"""Start-up: the QApplication, the register file, the first run, the main window.

`dirdesk` with no arguments calls `main()`. Tests and benchmarks build the
window without an event loop through `build_main_window(registry, data_dir)`.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from dirdesk.gui import dialogs
from dirdesk.registers import DatabaseRefused, RegisterError, default_db_path, open_registry

log = logging.getLogger(__name__)

DATA_ENV = "DIRDESK_DATA_DIR"


def data_dir() -> Path:
    """Where the app keeps its own files (autosaves, window settings): $DIRDESK_DATA_DIR or the user's data folder."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("DirDesk", appauthor=False))


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (the existing one when there is one, as under pytest-qt)."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    app.setApplicationName("DirDesk")
    app.setOrganizationName("DirDesk")
    app.setDesktopFileName("dirdesk")
    from dirdesk.gui.main_window import icon

    app.setWindowIcon(icon("dirdesk.svg"))
    return app


def _ask_about_refused(message: str, path: Path, parent: QWidget | None) -> Path | None:
    """Tell the clerk the register file was refused; the file they choose instead, or None to quit."""
    clicked = dialogs.ask_choice(
        parent, "DirDesk — Không mở được sổ",
        f"DirDesk không mở được tệp sổ đăng ký.\n\n{message}\n\nCó thể mở một tệp sổ khác, tạo sổ mới ở chỗ khác, "
        "hoặc thoát và nhờ người hỗ trợ kỹ thuật xem lại tệp này.",
        [("open", "Mở tệp sổ khác…"), ("new", "Tạo sổ mới…")], cancel="Thoát")
    folder = str(path.parent if path.parent.is_dir() else Path.home())
    if clicked == "open":
        name, _ = QFileDialog.getOpenFileName(parent, "Chọn tệp sổ DirDesk", folder,
                                              "Sổ DirDesk (*.sqlite *.db);;Mọi tệp (*)")
        return Path(name) if name else path  # cancelled: ask again
    if clicked == "new":
        name, _ = QFileDialog.getSaveFileName(parent, "Tạo sổ DirDesk mới", str(Path(folder) / "dirdesk-moi.sqlite"),
                                              "Sổ DirDesk (*.sqlite)")
        return Path(name) if name else path
    return None


def open_register(path: Path | str | None = None, parent: QWidget | None = None):
    """Open the register file on the GUI thread; when the core refuses it, say why (its file is never
    touched) and offer another file. The Registry, or None when the clerk chose to quit."""
    path = Path(path) if path is not None else default_db_path()
    while True:
        try:
            return open_registry(path)
        except (DatabaseRefused, RegisterError) as exc:
            log.warning("register %s refused: %s", path, exc)
            chosen = _ask_about_refused(str(exc), path, parent)
            if chosen is None:
                return None
            path = chosen


def _open_with_splash(app: QApplication):
    """Open the register behind a small "Đang mở sổ…" splash (checking a large file that is not in the disk
    cache takes seconds); None when it is refused, for `open_register` to explain."""
    from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPixmap
    from PySide6.QtWidgets import QSplashScreen

    from dirdesk.gui.main_window import icon

    line = QFontMetrics(app.font()).height()
    ratio = app.devicePixelRatio()
    picture = QPixmap(int(line * 20 * ratio), int(line * 8 * ratio))
    picture.setDevicePixelRatio(ratio)
    picture.fill(QColor("white"))
    painter = QPainter(picture)
    icon("dirdesk.svg").paint(painter, int(line * 7.5), line, line * 5, line * 5)
    painter.end()
    splash = QSplashScreen(picture)
    splash.showMessage("DirDesk — đang mở sổ đăng ký…", Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter)
    splash.show()
    app.processEvents()
    try:
        return open_registry(default_db_path())
    except RegisterError:
        return None
    finally:
        splash.close()


def build_main_window(registry, data_dir: Path | str):
    """The main window for an open register, not yet shown (tests, the start-up benchmark)."""
    # lazy: the window's modules load after the splash is up
    from dirdesk.gui.main_window import MainWindow

    folder = Path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return MainWindow(registry, folder)


def run_first_run(registry, parent: QWidget | None = None) -> bool:
    """The first-run setup when the profile is empty; False when the clerk left it (quit)."""
    from dirdesk.gui.settings import FirstRunDialog
    from dirdesk.gui.settings_profile import profile_is_empty

    if not profile_is_empty(registry):
        return True
    return FirstRunDialog(registry, parent).exec() == FirstRunDialog.DialogCode.Accepted


def _no_display() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    """Open the app: the register, the first run if the profile is empty, the main window."""
    if _no_display():
        sys.stderr.write("DirDesk cần màn hình để mở cửa sổ (không thấy DISPLAY hay WAYLAND_DISPLAY). "
                         "Các lệnh dòng lệnh vẫn dùng được: dirdesk --help\n")
        return 2
    # before any Qt widget: a missing X11 library must not abort Qt
    from dirdesk.gui.platform_check import xcb_problem

    problem = xcb_problem()  # Qt would abort without a word the clerk can act on
    if problem:
        sys.stderr.write(problem)
        return 3
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_application([sys.argv[0], *(argv or [])])
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        dialogs.show_error(None, f"Không tạo được thư mục dữ liệu {folder}: {exc}", "DirDesk")
        return 2
    registry = _open_with_splash(app)
    if registry is None:
        registry = open_register()  # refused: say why, offer another file
    if registry is None:
        return 1
    window = None
    try:
        if not run_first_run(registry):
            return 0
        window = build_main_window(registry, folder)
        window.start()
        return app.exec()
    finally:
        from dirdesk.gui.workers import wait_for_background

        wait_for_background()
        (window.context.registry if window is not None else registry).close()
