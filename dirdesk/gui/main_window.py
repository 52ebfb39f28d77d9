"""The main window: a side bar of the sections (dirdesk.gui.sections.SECTIONS),
each built the first time it is shown, the menus and shortcuts, the status
bar, dropping received files, and closing or replacing the register file.

What the sections call on it (through `context.window`, typed as
dirdesk.gui.sections.WindowServices):
  show_section(key) -> QWidget       switch to a section (built if needed)
  section(key) -> QWidget            the section, built if needed, not shown
  status(text, ms=5000)              a message in the status bar
  refresh_all()                      re-read the register everywhere (title, badges, every built section)
  open_entry(register, row_id)       "outgoing" | "incoming": show that section and its entry
  show_entry(register, row_id)       show that section with the row selected (no dialog)
  intake_file(path)                  a received file into the incoming register (dirdesk.gui.intake)
  replace_register(work, …)          close the register, run work(db_path) in a worker, reopen, refresh
Sections must read `context.registry` each time they use it: `replace_register`
(restore from a backup) swaps it for a new connection. Every register write
goes through `context.ops` (dirdesk.gui.operations); its `changed` signal
reaches every built section's `register_changed` and the side bar's badges.
"""

from __future__ import annotations

import html
import importlib
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFileDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dirdesk import __version__
from dirdesk.gui import dialogs
from dirdesk.gui.forms import load_form
from dirdesk.gui.operations import Change
from dirdesk.gui.sections import SECTIONS, AppContext, Section, SectionBase, SectionSpec, load_section_class
from dirdesk.gui.settings_profile import office_name
from dirdesk.gui.workers import error_message, run_in_background, wait_for_background
from dirdesk.registers import backup, open_registry, pages
from dirdesk.registers.profile import load_profile
from dirdesk.resources import resource_path

log = logging.getLogger(__name__)

INTAKE_SUFFIXES = (".pdf", ".docx", ".txt")
BADGE_REFRESH_MS = 3 * 60 * 1000
SIDE_BAR_STYLE = """
QPushButton[sectionButton="true"] { text-align: left; padding: 7px 12px 7px 8px; border: 1px solid transparent;
  border-radius: 6px; background: transparent; }
QPushButton[sectionButton="true"]:hover { background: #e8eef3; }
QPushButton[sectionButton="true"]:checked { background: #d5e2ec; border-color: #9fb6c8; }
QPushButton[sectionButton="true"]:focus { border: 1px dashed #3d6f94; }
"""


@cache
def icon(name: str) -> QIcon:
    """An icon of resources/icons/ (SVG), empty when it is missing."""
    path = resource_path("icons", name)
    return QIcon(str(path)) if path.is_file() else QIcon()


def office_title(registry) -> str:
    name = office_name(load_profile(registry))
    return f"DirDesk — {name}" if name else "DirDesk"


class MainWindow(QMainWindow):
    registry_reopened = Signal(object)  # the new Registry, after replace_register

    def __init__(self, registry, data_dir: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = AppContext(registry=registry, data_dir=Path(data_dir), window=self)
        self.ops = self.context.ops
        self.ops.changed.connect(self._register_changed)
        self.settings = QSettings(str(Path(data_dir) / "dirdesk-gui.ini"), QSettings.Format.IniFormat)
        self._built: dict[str, Section] = {}
        self._failed: dict[str, str] = {}
        self._buttons: dict[str, QPushButton] = {}
        self._replacing = False
        self.overdue_count = 0
        self.badges_counted = 0  # overdue counts received (tests wait on it)
        self._counting = self._count_again = False

        self.frame = load_form("main_window", self)
        self.setCentralWidget(self.frame)
        self.stack: QStackedWidget = self.frame.findChild(QStackedWidget, "stack")
        self.side_bar: QWidget = self.frame.findChild(QWidget, "sideBar")
        self.office_label: QLabel = self.frame.findChild(QLabel, "officeLabel")
        self.side_bar.setStyleSheet(SIDE_BAR_STYLE)
        self._build_side_bar()
        self._build_menus()
        self.statusBar().setSizeGripEnabled(True)
        self.setAcceptDrops(True)
        self.setWindowIcon(icon("dirdesk.svg"))

        self._badge_timer = QTimer(self)
        self._badge_timer.setInterval(BADGE_REFRESH_MS)
        self._badge_timer.timeout.connect(self.refresh_badges)
        self._badge_timer.start()

        key = str(self.settings.value("window/section", SECTIONS[0].key))
        self.start_key = key if any(s.key == key for s in SECTIONS) else SECTIONS[0].key
        self._restore_geometry()
        self.update_title()
        self.refresh_badges()

    # --- building -------------------------------------------------------------------------------------------

    def _build_side_bar(self) -> None:
        holder = self.frame.findChild(QWidget, "sectionButtons")
        layout: QVBoxLayout = holder.layout()
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        icon_px = self.fontMetrics().height() + 6
        for index, spec in enumerate(SECTIONS):
            button = QPushButton(spec.label, holder)
            button.setObjectName(f"section_{spec.key}")
            button.setProperty("sectionButton", True)
            button.setCheckable(True)
            button.setIcon(icon(spec.icon))
            button.setIconSize(QSize(icon_px, icon_px))
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(spec.label)
            shortcut = f"Ctrl+{index + 1}"
            button.setToolTip(f"{spec.label} ({spec.shortcut or shortcut})")
            button.clicked.connect(lambda _checked=False, k=spec.key: self.show_section(k))
            self._group.addButton(button, index)
            layout.addWidget(button)
            self._buttons[spec.key] = button
            placeholder = QWidget(self.stack)
            placeholder.setObjectName(f"placeholder_{spec.key}")
            self.stack.addWidget(placeholder)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        work = bar.addMenu("&Tệp")
        self._action(work, "Văn bản &mới", "Ctrl+N", self.new_document)
        self._action(work, "&Tìm kiếm", "Ctrl+F", self.focus_search)
        self._action(work, "Thêm văn bản đến từ &tệp…", None, self.choose_intake_file)
        work.addSeparator()
        self._action(work, "&Thoát", "Ctrl+Q", self.close)
        view = bar.addMenu("&Xem")
        for index, spec in enumerate(SECTIONS):
            self._action(view, spec.label, f"Ctrl+{index + 1}", lambda k=spec.key: self.show_section(k))
        view.addSeparator()
        self._action(view, "&Làm mới", "F5", self.refresh_all)
        self.section_menu = bar.addMenu("Th&ao tác")
        self.section_menu.aboutToShow.connect(self._fill_section_menu)
        help_menu = bar.addMenu("Trợ &giúp")
        self._action(help_menu, "&Giới thiệu DirDesk", None, self.about)

    def _action(self, menu, text: str, shortcut: str | None, slot: Callable) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _fill_section_menu(self) -> None:
        self.section_menu.clear()
        key = self.current_key()
        actions = []
        if key is not None:
            try:
                actions = list(self._built[key].actions_for_menu())
            except Exception:
                log.exception("actions_for_menu failed")
        for action in actions:
            self.section_menu.addAction(action)
        if not actions:
            empty = self.section_menu.addAction("(phần này không có thao tác riêng)")
            empty.setEnabled(False)

    # --- sections -------------------------------------------------------------------------------------------

    def _spec(self, key: str) -> SectionSpec:
        for spec in SECTIONS:
            if spec.key == key:
                return spec
        raise KeyError(f"no section {key!r}")

    def is_built(self, key: str) -> bool:
        return key in self._built

    def built_sections(self) -> dict[str, Section]:
        return dict(self._built)

    def section(self, key: str) -> Section:
        """The section's widget, built now if it was not yet (a placeholder page if its module fails)."""
        if key in self._built:
            return self._built[key]
        spec = self._spec(key)
        index = [s.key for s in SECTIONS].index(key)
        try:
            widget = load_section_class(spec)(self.context)
            if not isinstance(widget, Section):
                raise TypeError(f"{spec.target} does not keep the section contract (dirdesk.gui.sections.Section)")
        except Exception as exc:  # a missing or broken section must not take the window down
            log.exception("section %s (%s) could not be built", key, spec.target)
            self._failed[key] = f"{type(exc).__name__}: {exc}"
            widget = self._failure_page(spec, exc)
        old = self.stack.widget(index)
        self.stack.insertWidget(index, widget)
        self.stack.removeWidget(old)
        old.deleteLater()
        self._built[key] = widget
        if key not in self._failed:
            self._update_badge(key)
        return widget

    def _failure_page(self, spec: SectionSpec, exc: BaseException) -> SectionBase:
        page = SectionBase(self.stack)
        page.setObjectName(f"failed_{spec.key}")
        layout = QVBoxLayout(page)
        module = spec.target.partition(":")[0]
        missing = isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith(module)
        what = "chưa có trong bản cài đặt này" if missing else "gặp lỗi khi nạp"
        label = QLabel(
            f"<h2>{html.escape(spec.label)}</h2>"
            f"<p>Phần «{html.escape(spec.label)}» {what} nên chưa dùng được. "
            "Các phần khác vẫn làm việc bình thường.</p>"
            f"<p>Chi tiết cho người hỗ trợ kỹ thuật: mô-đun <code>{html.escape(module)}</code>: "
            f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</p>", page)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAccessibleName(f"Phần {spec.label} chưa dùng được")
        layout.addWidget(label)
        layout.addStretch(1)
        return page

    def show_section(self, key: str) -> Section:
        widget = self.section(key)
        self.stack.setCurrentWidget(widget)
        button = self._buttons[key]
        if not button.isChecked():
            button.setChecked(True)
        self.settings.setValue("window/section", key)
        return widget

    def current_key(self) -> str | None:
        current = self.stack.currentWidget()
        return next((k for k, w in self._built.items() if w is current), None)

    def new_document(self) -> None:
        self.show_section("drafting").new_document()

    def focus_search(self) -> None:
        self.show_section("search").focus_search()

    def show_entry(self, register: str, row_id: int) -> None:
        """Show that section with the row selected, without opening its entry dialog."""
        if not self.show_section(register).select_row_id(row_id):
            self.status(f"Không thấy dòng vừa ghi trong phần {self._spec(register).label}.", 10000)

    def open_entry(self, register: str, row_id: int) -> Section:
        if register not in ("outgoing", "incoming"):
            raise ValueError(f"register must be 'outgoing' or 'incoming', not {register!r}")
        widget = self.show_section(register)
        widget.open_entry(row_id)
        return widget

    # --- status, title, badges ------------------------------------------------------------------------------

    def status(self, text: str, ms: int = 5000) -> None:
        self.statusBar().showMessage(text, ms)

    def update_title(self) -> None:
        if self._replacing:
            return
        title = self.ops.read_here(self, "đọc tên cơ quan", office_title, default="DirDesk")
        self.setWindowTitle(title)
        name = title.partition(" — ")[2]
        self.office_label.setText(name)
        self.office_label.setVisible(bool(name))

    def refresh_badges(self) -> None:
        """Count the overdue documents in a worker (a COUNT query: the list may be long), then the badges."""
        if self._replacing:
            return
        if self._counting:  # one count at a time; the writes meanwhile are counted once more after it
            self._count_again = True
            return
        self._counting, self._count_again = True, False
        self.ops.read(self, "đếm văn bản quá hạn", pages.count, pages.View("followup", due="overdue"),
                      done=self._overdue_counted, failed=lambda exc: self._overdue_counted(self.overdue_count))

    def _overdue_counted(self, count: int) -> None:
        self._counting = False
        if self._count_again:
            self.refresh_badges()
        self.overdue_count = count
        self.badges_counted += 1
        for spec in SECTIONS:
            self._update_badge(spec.key)

    def _register_changed(self, change: Change) -> None:
        """A write succeeded (dirdesk.gui.operations): the title and the badges (each section hears of
        it itself, SectionBase.attach)."""
        if change.what in ("profile", "all"):
            self.update_title()
        self.refresh_badges()

    def _update_badge(self, key: str) -> None:
        spec, button = self._spec(key), self._buttons[key]
        badge = ""
        if key == "followup":
            badge = str(self.overdue_count) if self.overdue_count else ""
        widget = self._built.get(key)
        if not badge and widget is not None:
            try:
                badge = str(widget.badge() or "")
            except Exception:
                log.exception("badge of %s failed", key)
        button.setText(f"{spec.label} ({badge})" if badge else spec.label)
        if key == "followup" and self.overdue_count:
            button.setAccessibleName(f"{spec.label}: {self.overdue_count} văn bản quá hạn")
        else:
            button.setAccessibleName(f"{spec.label} ({badge})" if badge else spec.label)

    def refresh_all(self) -> None:
        """Re-read the register everywhere: title, badges, every section built so far."""
        if self._replacing:
            return
        self.update_title()
        for key, widget in list(self._built.items()):
            try:
                widget.refresh()
            except Exception as exc:
                log.exception("refresh of %s failed", key)
                self.status(f"Không làm mới được phần {self._spec(key).label}: {exc}", 10000)
        self.refresh_badges()

    def about(self) -> None:
        dialogs.about(self, "Giới thiệu DirDesk",
                          f"<b>DirDesk {html.escape(__version__)}</b><br>Soạn thảo, ban hành và vào sổ văn bản "
                          "của văn thư phường, không cần mạng.<br><br>Tệp sổ: "
                          f"{html.escape(str(self.context.registry.path))}")

    # --- received files ---------------------------------------------------------------------------------------

    @staticmethod
    def _dropped_paths(mime) -> list[Path]:
        if not mime.hasUrls():
            return []
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event) -> None:
        if any(p.suffix.lower() in INTAKE_SUFFIXES for p in self._dropped_paths(event.mimeData())):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = self._dropped_paths(event.mimeData())
        wanted = [p for p in paths if p.suffix.lower() in INTAKE_SUFFIXES]
        if not wanted:
            event.ignore()
            return
        event.acceptProposedAction()
        others = [p.name for p in paths if p not in wanted]
        if others:
            self.status("Bỏ qua (chỉ nhận tệp .pdf, .docx, .txt): " + ", ".join(others), 10000)
        for path in wanted:
            self.intake_file(path)

    def intake_file(self, path: Path | str) -> None:
        """Hand a received file to the intake (dirdesk.gui.intake.start_intake), or say why it cannot."""
        path = Path(path)
        try:
            intake = importlib.import_module("dirdesk.gui.intake")
            intake.start_intake(self.context, path)
        except ModuleNotFoundError as exc:
            if exc.name != "dirdesk.gui.intake":
                self._intake_failed(path, exc)
                return
            log.warning("dirdesk.gui.intake is missing; %s not taken in", path)
            dialogs.show_info(self, f"Phần vào sổ văn bản đến chưa có trong bản cài đặt này, nên chưa nhận được "
                                    f"tệp {path.name}. Tệp vẫn được giữ nguyên.", "Chưa vào sổ được")
        except Exception as exc:
            self._intake_failed(path, exc)

    def _intake_failed(self, path: Path, exc: BaseException) -> None:
        log.exception("intake of %s failed", path, exc_info=exc)
        dialogs.show_error(self, f"Không mở được phần vào sổ cho tệp {path.name}: {exc}. Tệp vẫn được giữ nguyên.",
                           "Chưa vào sổ được")

    def choose_intake_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Chọn văn bản đến", str(Path.home()),
                                              "Văn bản (*.pdf *.docx *.txt);;Mọi tệp (*)")
        if name:
            self.intake_file(name)

    # --- replacing the register (restore) ---------------------------------------------------------------------

    @property
    def replacing(self) -> bool:
        return self._replacing

    def replace_register(self, work: Callable[[Path], Any], *, busy_text: str,
                         on_done: Callable[[Any], None] | None = None,
                         on_error: Callable[[BaseException], None] | None = None) -> bool:
        """Close the register, run `work(db_path)` on a worker while it is closed (e.g. restore_backup),
        then reopen it, hand the new connection to every section and refresh them all.

        False (and nothing done) when a section refuses to let go (can_close) or a replace is running."""
        if self._replacing or not self._sections_can_close():
            return False
        wait_for_background()  # no worker may hold the file open
        path = Path(self.context.registry.path)
        self._replacing = True
        self.ops.paused_because = "sổ đang được khôi phục; hãy đợi xong."
        self._badge_timer.stop()
        self.context.registry.close()
        self.frame.setEnabled(False)
        self.menuBar().setEnabled(False)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.status(busy_text, 0)

        def finish(result: Any, error: BaseException | None) -> None:
            QApplication.restoreOverrideCursor()
            try:
                registry = open_registry(path)
            except Exception as exc:  # the file we just had open: only a disk failure gets here
                log.exception("reopening %s failed", path)
                registry = self._reopen_elsewhere(path, exc)
                if registry is None:
                    self._replacing = False
                    self.ops.paused_because = None
                    self.close()
                    return
            self.context.registry = registry
            self._replacing = False
            self.ops.paused_because = None
            self.frame.setEnabled(True)
            self.menuBar().setEnabled(True)
            self.statusBar().clearMessage()
            self._badge_timer.start()
            self.registry_reopened.emit(registry)
            self.refresh_all()
            self.ops.announce("all")
            if error is None:
                if on_done is not None:
                    on_done(result)
            elif on_error is not None:
                on_error(error)
            else:
                dialogs.show_failure(self, error_message(error))

        run_in_background(self, work, path, on_done=lambda r: finish(r, None), on_error=lambda e: finish(None, e))
        return True

    def _reopen_elsewhere(self, path: Path, exc: BaseException):
        # here: dirdesk.gui.app imports this module
        from dirdesk.gui.app import open_register

        dialogs.show_error(self, f"Không mở lại được sổ {path}: {error_message(exc)}", "Không mở lại được sổ")
        return open_register(path, self)

    def _sections_can_close(self) -> bool:
        for key, widget in list(self._built.items()):
            try:
                ok = widget.can_close()
            except Exception as exc:
                log.exception("can_close of %s failed", key)
                ok = dialogs.ask_yes_no(self, "DirDesk", f"Phần {self._spec(key).label} báo lỗi khi kiểm tra việc "
                                        f"chưa lưu ({exc}). Vẫn tiếp tục?", yes="Vẫn tiếp tục", no="Thôi",
                                        danger=True)
            if not ok:
                self.show_section(key)
                return False
        return True

    # --- start and close --------------------------------------------------------------------------------------

    def start(self, *, daily_backup: bool = True) -> None:
        """Show the window on the section used last; then today's automatic backup in a worker."""
        self.show()
        self.show_section(self.start_key)
        self._buttons[self.start_key].setFocus()  # keyboard focus where the eye is
        if daily_backup:
            self.ops.read(self, "sao lưu tự động hằng ngày", backup.daily_backup, done=self._backup_warning)

    def _backup_warning(self, warning: str | None) -> None:
        if warning:
            log.warning(warning)
            self.status(f"Cảnh báo: {warning}", 30000)

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        screen = QApplication.primaryScreen()
        available = screen.availableGeometry() if screen else None
        width, height = 1180, 760
        if available is not None:
            width, height = min(width, int(available.width() * 0.92)), min(height, int(available.height() * 0.9))
        self.resize(width, height)

    def closeEvent(self, event) -> None:
        if self._replacing:
            self.status("Đang khôi phục sổ; hãy đợi xong rồi đóng.", 5000)
            event.ignore()
            return
        if not self._sections_can_close():
            event.ignore()
            return
        self._badge_timer.stop()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.sync()
        wait_for_background()
        event.accept()


def open_folder(path: Path) -> bool:
    """Show a folder in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
