"""The application shell: first run, the main window, its side bar, shortcuts, dropped files,
closing, and a register file the core refuses."""

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from dirdesk.gui import dialogs
from dirdesk.gui import main_window as main_window_module
from dirdesk.gui.app import build_main_window, open_register
from dirdesk.gui.sections import SECTIONS, SectionBase
from dirdesk.gui.settings import FirstRunDialog, SettingsSection
from dirdesk.registers import incoming
from dirdesk.registers.profile import load_profile
from tests.gui.settle import settle

ROOT = Path(__file__).resolve().parents[2]


class FakeSection(SectionBase):
    """Stands in for the sections other parts of the app provide."""

    calls: list = []
    closable = True

    def __init__(self, context, parent=None):
        super().__init__(parent)
        self.context = context

    def new_document(self):
        FakeSection.calls.append(("new_document", self))

    def focus_search(self):
        FakeSection.calls.append(("focus_search", self))

    def open_entry(self, row_id):
        FakeSection.calls.append(("open_entry", row_id))

    def can_close(self):
        return FakeSection.closable


@pytest.fixture
def fake_sections(monkeypatch):
    """Every section but Cài đặt is a FakeSection (the others are written elsewhere)."""
    real = main_window_module.load_section_class
    FakeSection.calls = []
    FakeSection.closable = True
    monkeypatch.setattr(main_window_module, "load_section_class",
                        lambda spec: real(spec) if spec.key == "settings" else FakeSection)
    return FakeSection


@pytest.fixture
def window(qtbot, party_registry, data_dir, fake_sections):
    win = build_main_window(party_registry, data_dir)
    qtbot.addWidget(win)
    return win


def add_incoming(reg, subject, deadline=None, status=None):
    row = incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2026, 10, 1), subject=subject,
                                                   deadline=deadline))
    if status == "done":
        incoming.mark_done(reg, row["id"], on=dt.date(2026, 10, 2))
    return row


def type_text(widget, text):
    """Types any text, one key event per character (QTest's keyClicks takes ASCII only)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def set_cell(table, row, col, text):
    table.item(row, col).setText(text)


def test_first_run_stores_the_profile_in_nfc_and_the_window_shows_the_office(qtbot, empty_registry, data_dir,
                                                                             fake_sections):
    dialog = FirstRunDialog(empty_registry)
    qtbot.addWidget(dialog)
    editor = dialog.editor

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nothing chosen yet: refused, said why
    assert dialog.result() != FirstRunDialog.DialogCode.Accepted
    assert editor.errors["style"].text().startswith("Chọn loại cơ quan")
    assert load_profile(empty_registry).style is None

    editor.style_party.click()
    assert editor.code_edit.text() == "ĐU"  # the Party defaults
    assert [editor.signers.item(0, c).text() for c in range(2)] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    nfd = unicodedata.normalize("NFD", "ĐẢNG ỦY PHƯỜNG BÁCH QUANG")
    assert nfd != unicodedata.normalize("NFC", nfd)
    editor.name_edit.setPlainText(nfd)
    assert editor.place_edit.text() == "Bách Quang"  # taken from the ward's name
    type_text(editor.parent_edit, unicodedata.normalize("NFD", "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG"))
    editor.term_start.setDate(dt.date(2025, 10, 15))

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # signers still lack their names
    assert "Người ký ở dòng 1" in editor.errors["signers"].text()
    assert load_profile(empty_registry).style is None  # nothing written while something is wrong

    set_cell(editor.signers, 0, 2, unicodedata.normalize("NFD", "Nguyễn Đức Giang"))
    set_cell(editor.signers, 1, 2, "Trần Văn Bình")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted

    profile = load_profile(empty_registry)
    assert profile.style == "party"
    assert profile.issuer == {"parent": "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG", "name": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG",
                              "code": "ĐU"}
    assert unicodedata.is_normalized("NFC", profile.issuer["name"])
    assert unicodedata.is_normalized("NFC", profile.issuer["parent"])
    assert profile.place == "Bách Quang"
    assert profile.units == [{"code": "VP", "name": "Văn phòng Đảng ủy"}]
    assert profile.signers[0] == {"authority": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ", "name": "Nguyễn Đức Giang"}
    assert profile.signers[1] == {"authority": "T/M BAN THƯỜNG VỤ", "title": "PHÓ BÍ THƯ", "name": "Trần Văn Bình"}
    assert profile.terms == ["2025-10-15"]

    win = build_main_window(empty_registry, data_dir)
    qtbot.addWidget(win)
    settle(qtbot)
    assert win.windowTitle() == "DirDesk — ĐẢNG ỦY PHƯỜNG BÁCH QUANG"


def test_first_run_state_office_gets_state_defaults_and_numbering(qtbot, empty_registry):
    dialog = FirstRunDialog(empty_registry)
    qtbot.addWidget(dialog)
    editor = dialog.editor
    editor.style_state.click()
    assert editor.code_edit.text() == "UBND"
    assert editor.signers.item(0, 0).text() == "TM. ỦY BAN NHÂN DÂN"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "tên phường" in editor.errors["issuer"].text()  # "ỦY BAN NHÂN DÂN / PHƯỜNG" alone is not a name
    editor.name_edit.setPlainText("ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH")
    assert editor.place_edit.text() == "Ba Đình"
    editor.seq_per_type.click()
    set_cell(editor.signers, 0, 2, "Lê Văn An")
    editor.signers.removeRow(1)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted
    profile = load_profile(empty_registry)
    assert (profile.style, profile.state_sequence, profile.terms) == ("state", "per_type", [])
    assert profile.issuer["name"] == "ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH" and profile.issuer["parent"] is None
    assert profile.signers == [{"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Lê Văn An"}]


def test_window_title_and_the_seven_side_bar_entries(window):
    assert window.windowTitle() == "DirDesk — ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    buttons = [window.findChild(QPushButton, f"section_{spec.key}") for spec in SECTIONS]
    assert len(buttons) == 7 and all(buttons)
    assert [b.text() for b in buttons] == [s.label for s in SECTIONS]
    assert [b.accessibleName() for b in buttons] == [s.label for s in SECTIONS]
    assert all(not b.icon().isNull() for b in buttons)
    assert window.context.window is window


def test_follow_up_button_counts_overdue_incoming_entries(qtbot, party_registry, data_dir, fake_sections):
    yesterday, tomorrow = dt.date.today() - dt.timedelta(days=1), dt.date.today() + dt.timedelta(days=1)
    add_incoming(party_registry, "Quá hạn 1", yesterday)
    add_incoming(party_registry, "Quá hạn 2", dt.date.today() - dt.timedelta(days=30))
    add_incoming(party_registry, "Còn hạn", tomorrow)
    add_incoming(party_registry, "Không hạn")
    add_incoming(party_registry, "Đã xong", yesterday, status="done")
    win = build_main_window(party_registry, data_dir)
    qtbot.addWidget(win)
    settle(qtbot)  # counted in a worker
    button = win.findChild(QPushButton, "section_followup")
    assert button.text() == "Theo dõi giải quyết (2)"
    assert button.accessibleName() == "Theo dõi giải quyết: 2 văn bản quá hạn"

    add_incoming(party_registry, "Quá hạn 3", yesterday)
    win.refresh_all()
    settle(qtbot)
    assert button.text() == "Theo dõi giải quyết (3)"
    for row in incoming.overdue(party_registry):
        incoming.mark_done(party_registry, row["id"])
    win.refresh_all()
    settle(qtbot)
    assert button.text() == "Theo dõi giải quyết"


def test_switching_sections_builds_each_once(qtbot, window):
    window.start(daily_backup=False)
    qtbot.waitExposed(window)
    settings = window.show_section("settings")
    assert isinstance(settings, SettingsSection)
    assert window.stack.currentWidget() is settings
    assert window.findChild(QPushButton, "section_settings").isChecked()

    qtbot.mouseClick(window.findChild(QPushButton, "section_outgoing"), Qt.MouseButton.LeftButton)
    outgoing = window.stack.currentWidget()
    assert isinstance(outgoing, FakeSection) and window.current_key() == "outgoing"
    assert window.findChild(QPushButton, "section_outgoing").isChecked()
    assert window.section("outgoing") is outgoing  # built once, kept
    assert window.show_section("settings") is settings

    window.open_entry("incoming", 12)
    assert window.current_key() == "incoming" and FakeSection.calls[-1] == ("open_entry", 12)


def test_a_section_that_fails_to_load_gets_a_vietnamese_page_and_the_rest_works(qtbot, party_registry, data_dir,
                                                                                monkeypatch, caplog):
    real = main_window_module.load_section_class

    def load(spec):
        if spec.key == "drafting":
            raise ModuleNotFoundError("No module named 'dirdesk.gui.drafting'", name="dirdesk.gui.drafting")
        if spec.key == "registers":
            raise RuntimeError("hỏng")
        return real(spec) if spec.key == "settings" else FakeSection

    monkeypatch.setattr(main_window_module, "load_section_class", load)
    win = build_main_window(party_registry, data_dir)
    qtbot.addWidget(win)
    page = win.show_section("drafting")
    text = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "Soạn thảo" in text and "chưa có trong bản cài đặt này" in text and "dirdesk.gui.drafting" in text
    assert "could not be built" in caplog.text  # logged for whoever supports the clerk
    text = " ".join(label.text() for label in win.show_section("registers").findChildren(QLabel))
    assert "gặp lỗi khi nạp" in text and "hỏng" in text
    assert isinstance(win.show_section("settings"), SettingsSection)


def test_shortcuts_route_to_search_and_drafting(qtbot, window):
    window.start(daily_backup=False)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "search"
    assert FakeSection.calls[-1] == ("focus_search", window.section("search"))
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "drafting"
    assert FakeSection.calls[-1] == ("new_document", window.section("drafting"))
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "settings"


def _drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    return event


def test_a_dropped_received_file_goes_to_intake(window, tmp_path, monkeypatch):
    import types

    received = []
    fake = types.ModuleType("dirdesk.gui.intake")
    fake.start_intake = lambda context, path: received.append((context, Path(path)))
    monkeypatch.setitem(sys.modules, "dirdesk.gui.intake", fake)
    pdf, photo = tmp_path / "cv-215.pdf", tmp_path / "anh.jpg"
    pdf.write_bytes(b"%PDF-1.4")
    photo.write_bytes(b"jpg")
    event = _drop(window, [pdf, photo])
    assert event.isAccepted()
    assert received == [(window.context, pdf)]
    received.clear()
    assert not _drop(window, [photo]).isAccepted()  # only .pdf/.docx/.txt are taken
    assert received == []


def test_a_dropped_file_without_intake_says_so(window, tmp_path, monkeypatch):
    import builtins

    messages = []
    real_import = builtins.__import__

    def no_intake(name, *args, **kwargs):
        if name == "dirdesk.gui.intake":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "dirdesk.gui.intake", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_intake)
    monkeypatch.setattr("importlib.import_module",
                        lambda name: no_intake(name) if name == "dirdesk.gui.intake" else real_import(name))
    monkeypatch.setattr(dialogs, "show_info", lambda parent, text, title="": messages.append(text))
    txt = tmp_path / "tb.txt"
    txt.write_text("THÔNG BÁO", encoding="utf-8")
    _drop(window, [txt])
    assert messages and "tb.txt" in messages[0] and "chưa có" in messages[0]


def test_closing_is_refused_while_a_section_cannot_close(qtbot, window):
    window.start(daily_backup=False)
    qtbot.waitExposed(window)
    window.show_section("drafting")
    window.show_section("settings")
    FakeSection.closable = False
    assert window.close() is False
    assert window.isVisible() and window.current_key() == "drafting"  # shown where the unsaved work is
    FakeSection.closable = True
    assert window.close() is True


def _answer_message_box(seen, button_text):
    """Reads the next modal message box's text and presses one of its buttons."""

    def poll():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text() + "\n" + box.informativeText())
            for button in box.buttons():
                if button.text() == button_text:
                    button.click()
                    return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_a_refused_register_file_gets_a_vietnamese_message_and_stays_untouched(qtbot, data_dir):
    path = data_dir / "dirdesk.sqlite"
    content = b"Day khong phai so DirDesk\n" * 200
    path.write_bytes(content)
    seen = []
    _answer_message_box(seen, "Thoát")
    assert open_register(path) is None
    assert seen and "không mở được tệp sổ" in seen[0]
    assert "không phải tệp sổ của DirDesk" in seen[0] and "tệp được giữ nguyên" in seen[0]
    assert path.read_bytes() == content
    assert sorted(p.name for p in data_dir.iterdir()) == ["dirdesk.sqlite"]


SIDE_BAR_PROBE = r"""
import json, os, sys
sys.path.insert(0, os.environ["TESTS_GUI"])
from conftest import PARTY_PROFILE
from dirdesk.gui.app import create_application, build_main_window
from dirdesk.registers import open_registry
from dirdesk.registers.profile import set_profile_value
from PySide6.QtWidgets import QPushButton
app = create_application()
reg = open_registry(os.environ["DIRDESK_DB"])
for key, value in PARTY_PROFILE.items():
    set_profile_value(reg, key, value)
win = build_main_window(reg, os.environ["DIRDESK_DATA_DIR"])
from dirdesk.gui.workers import wait_for_background
wait_for_background()
app.processEvents()  # the overdue count the window started, delivered
win.overdue_count = 128
win.refresh_badges = lambda: None
win._update_badge("followup")
win.start(daily_backup=False)
win.resize(1000, 700)  # a 1920x1080 screen at 100 %, 2000x1400 at 200 % (the offscreen screen is 800x600)
app.processEvents()
out = [{"text": b.text(), "width": b.width(), "hint": b.sizeHint().width(), "height": b.height(),
        "hint_h": b.sizeHint().height()} for b in win.findChildren(QPushButton) if b.property("sectionButton")]
print(json.dumps({"ratio": win.devicePixelRatioF(), "buttons": out,
                  "side": win.side_bar.width(), "window": win.width()}))
reg.close()
"""


@pytest.mark.parametrize("scale", ["1", "2"])
def test_side_bar_is_not_cut_off_at_100_and_200_percent(tmp_path, scale):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": scale,
           "DIRDESK_DATA_DIR": str(tmp_path), "DIRDESK_DB": str(tmp_path / "dirdesk.sqlite"),
           "TESTS_GUI": str(ROOT / "tests" / "gui")}
    out = subprocess.run([sys.executable, "-c", SIDE_BAR_PROBE], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout.strip().splitlines()[-1])
    assert data["ratio"] == float(scale)
    assert len(data["buttons"]) == 7
    assert "Theo dõi giải quyết (128)" in [b["text"] for b in data["buttons"]]
    for button in data["buttons"]:
        assert button["width"] >= button["hint"], button
        assert button["height"] >= button["hint_h"], button
    assert data["side"] < data["window"] / 2


def test_main_opens_the_window_and_makes_the_days_backup(qtbot, party_registry, data_dir, fake_sections):
    from dirdesk.gui import app as app_module
    from dirdesk.gui.main_window import MainWindow

    seen = {}

    def close_window():
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            QTimer.singleShot(20, close_window)
            return
        seen["title"] = windows[0].windowTitle()
        seen["registry"] = windows[0].context.registry
        from dirdesk.gui.workers import wait_for_background

        wait_for_background()
        QTimer.singleShot(50, windows[0].close)

    QTimer.singleShot(0, close_window)
    guard = QTimer()  # ends the event loop if closing the window did not (a window left open elsewhere)
    guard.setSingleShot(True)
    guard.timeout.connect(QApplication.quit)
    guard.start(20000)
    code = app_module.main([])
    guard.stop()
    assert code == 0 and guard.isActive() is False
    assert seen["title"] == "DirDesk — ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    assert list((data_dir / "dirdesk-backups").glob("tu-dong-*.zip"))  # today's automatic backup
    with pytest.raises(sqlite3.ProgrammingError):
        seen["registry"].conn.execute("SELECT 1")  # closed on the way out


def test_main_on_an_empty_register_asks_for_the_office_and_quits_if_left(qtbot, empty_registry, data_dir,
                                                                         monkeypatch):
    from dirdesk.gui import app as app_module

    shown = []
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: shown.append(self) or FirstRunDialog.DialogCode.Rejected)
    assert app_module.main([]) == 0
    assert len(shown) == 1
    assert load_profile(empty_registry).style is None
