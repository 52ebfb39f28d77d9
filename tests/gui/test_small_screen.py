"""A 1920×1080 screen at 200 % (960×540 logical px): the window fits, every section is usable, and the
register filters' combo boxes are as wide as their longest choice."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QComboBox

from dirdesk.gui.app import build_main_window
from dirdesk.gui.sections import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
SMALL = (960, 540)
FILTER_SECTIONS = ("outgoing", "incoming", "registers", "search")


def _open_a_draft(window) -> None:
    """The drafting section with a document open (its form and preview, not the empty page)."""
    from dirdesk.registers.profile import load_profile
    from dirdesk.templates import draft_from_profile

    section = window.show_section("drafting")
    section.load_data(draft_from_profile(load_profile(window.context.registry), "CV").to_dict())


def measure(window) -> dict:
    """For each section shown: the window's minimum size and its size after resize(960, 540); for the register
    filters, each combo box's width and the advance of its longest item."""
    app = QApplication.instance()
    window.show()
    out = {"sections": {}, "combos": []}
    for spec in SECTIONS:
        section = window.show_section(spec.key)
        if spec.key == "drafting":
            _open_a_draft(window)
        window.resize(*SMALL)
        app.processEvents()
        hint, minimum = window.minimumSizeHint(), window.minimumSize()
        out["sections"][spec.key] = {"hint": [hint.width(), hint.height()], "min": [minimum.width(), minimum.height()],
                                     "size": [window.width(), window.height()]}
        if spec.key in FILTER_SECTIONS:
            for combo in section.findChildren(QComboBox):
                if combo.isVisibleTo(section) and combo.count():
                    texts = [combo.itemText(i) for i in range(combo.count())]
                    longest = max(combo.fontMetrics().horizontalAdvance(text) for text in texts)
                    out["combos"].append({"section": spec.key, "name": combo.objectName(), "width": combo.width(),
                                          "longest": longest})
    return out


def check(data: dict) -> None:
    for key, sizes in data["sections"].items():
        for what in ("hint", "min", "size"):
            width, height = sizes[what]
            assert width <= SMALL[0] and height <= SMALL[1], (key, what, sizes)
    assert {c["section"] for c in data["combos"]} == set(FILTER_SECTIONS)
    for combo in data["combos"]:
        assert combo["width"] >= combo["longest"], combo


@pytest.fixture
def window(qtbot, party_registry, data_dir):
    win = build_main_window(party_registry, data_dir)
    qtbot.addWidget(win)
    yield win
    from dirdesk.gui.workers import wait_for_background

    wait_for_background()


def test_every_section_fits_960_by_540_and_the_filters_are_not_cut(window):
    data = measure(window)
    check(data)
    assert len(data["sections"]) == len(SECTIONS)


def test_the_check_fails_on_a_window_that_is_too_wide(window):
    data = measure(window)
    data["sections"]["outgoing"]["hint"][0] = 1102  # what the window asked for before the filters wrapped
    with pytest.raises(AssertionError):
        check(data)


PROBE = r"""
import json, os, sys
sys.path.insert(0, os.environ["TESTS_GUI"])
from conftest import PARTY_PROFILE
from test_small_screen import measure
from dirdesk.gui.app import create_application, build_main_window
from dirdesk.registers import open_registry
from dirdesk.registers.profile import set_profile_value
app = create_application()
if os.environ.get("FONT_PT"):  # a desktop whose font is larger than Qt's default 9 pt
    font = app.font()
    font.setPointSizeF(float(os.environ["FONT_PT"]))
    app.setFont(font)
reg = open_registry(os.environ["DIRDESK_DB"])
for key, value in PARTY_PROFILE.items():
    set_profile_value(reg, key, value)
win = build_main_window(reg, os.environ["DIRDESK_DATA_DIR"])
data = measure(win)
data["ratio"] = win.devicePixelRatioF()
from dirdesk.gui.drafting.newdoc import NewDocumentDialog
picker = NewDocumentDialog("party", win).dialog
available = app.primaryScreen().availableGeometry()
data["picker"], data["screen"] = [picker.width(), picker.height()], [available.width(), available.height()]
from dirdesk.gui.workers import wait_for_background
wait_for_background()
print(json.dumps(data))
"""


@pytest.mark.parametrize("font_pt", ["", "10"])
def test_at_200_percent_in_a_process_of_its_own(tmp_path, font_pt):
    """On a 1920×1080 screen (the offscreen platform's own is 800×800) at QT_SCALE_FACTOR=2."""
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "1080p", "x": 0, "y": 0, "width": 1920, "height": 1080,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "QT_SCALE_FACTOR": "2",
           "DIRDESK_DATA_DIR": str(tmp_path), "DIRDESK_DB": str(tmp_path / "dirdesk.sqlite"),
           "TESTS_GUI": str(ROOT / "tests" / "gui"), "PYTHONPATH": str(ROOT), "FONT_PT": font_pt}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout.strip().splitlines()[-1])
    assert data["ratio"] == 2.0 and data["screen"] == list(SMALL)
    check(data)
    assert data["picker"][1] <= 0.9 * SMALL[1], data["picker"]  # the new-document picker fits the screen


@pytest.mark.parametrize("size", [SMALL, (700, 360)])
def test_save_profile_can_be_scrolled_into_view_in_settings(window, size):
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QScrollArea

    window.show()
    settings = window.show_section("settings")
    window.resize(*size)
    QApplication.instance().processEvents()
    scroll = settings.findChild(QScrollArea, "settingsScroll")
    assert scroll is not None and scroll.widget() is settings.page
    button = settings.save_button
    assert button.text() == "Lưu hồ sơ"
    scroll.ensureWidgetVisible(button)
    QApplication.instance().processEvents()
    viewport = scroll.viewport()
    place = QRect(button.mapTo(viewport, button.rect().topLeft()), button.size())
    assert viewport.rect().contains(place), (place, viewport.rect())
    assert window.height() <= size[1]
    if size[1] < SMALL[1]:  # smaller than the page: the scroll bar did the work
        assert scroll.verticalScrollBar().value() > 0


def test_the_drafting_form_is_not_cut_sideways_at_960_by_540(window):
    window.show()
    window.resize(*SMALL)
    _open_a_draft(window)
    QApplication.instance().processEvents()
    form = window.section("drafting").form
    viewport = form.ui.form_scroll.viewport()
    assert form.ui.fields.minimumSizeHint().width() <= viewport.width()
    assert form.ui.fields.width() <= viewport.width()
    preview = window.section("drafting").preview
    assert preview.width() >= preview.minimumSizeHint().width()



def test_a_long_recipient_list_shows_its_start_in_the_outgoing_entry(qtbot, window):
    from PySide6.QtWidgets import QLineEdit

    from dirdesk.draft import draft_from_dict
    from dirdesk.gui.registers.entry_outgoing import OutgoingEntryDialog
    from dirdesk.registers import outgoing
    from dirdesk.registers.profile import load_profile
    from dirdesk.templates import draft_from_profile
    from tests.blanks import fill_blanks

    data = fill_blanks(draft_from_profile(load_profile(window.context.registry), "CV").to_dict())
    data["subject"] = "về việc chuẩn bị Đại hội chi bộ"
    row = outgoing.issue(window.context.registry, draft_from_dict(data), render=False)
    dialog = OutgoingEntryDialog(window.context, row["id"], window)
    qtbot.addWidget(dialog)
    dialog.show()
    edit = dialog.findChild(QLineEdit, "recipients")
    assert edit.fontMetrics().horizontalAdvance(edit.text()) > edit.width()  # longer than the box
    assert edit.cursorPosition() == 0


def test_the_screenshot_tool_saves_every_shot_at_200_percent(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "screenshots.py"), str(tmp_path), "--scales", "2"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stdout + out.stderr  # nothing larger than the 960×540 screen
    shots = sorted(p.name for p in (tmp_path / "200").glob("*.png"))
    assert "02-soan-thao.png" in shots and "08-settings.png" in shots and "26-thiet-lap-co-quan.png" in shots
    assert len(shots) >= 17


@pytest.mark.parametrize("register", ["outgoing", "incoming"])
def test_entry_dialogs_fit_the_height_left_at_200_percent(qtbot, window, register):
    """A 1920×1080 screen at 200 % with a task bar leaves about 490 logical px: the entry dialogs
    scroll their form instead of running off the screen, and their Lưu button stays reachable."""
    from PySide6.QtWidgets import QPushButton

    from dirdesk.gui.registers.entry_incoming import IncomingEntryDialog
    from dirdesk.gui.registers.entry_outgoing import OutgoingEntryDialog
    from dirdesk.registers import incoming, outgoing
    from tests.conftest import fixture_draft

    reg = window.context.registry
    if register == "outgoing":
        row = outgoing.issue(reg, fixture_draft("seed-000"), render=False)
        dialog = OutgoingEntryDialog(window.context, row["id"], window)
    else:
        row = incoming.add(reg, incoming.IncomingEntry(subject="V/v kiểm tra", signatures=[]))
        dialog = IncomingEntryDialog(window.context, row["id"], window)
    qtbot.addWidget(dialog)
    assert dialog.minimumSizeHint().height() <= 480, dialog.minimumSizeHint()
    dialog.resize(900, 480)
    dialog.show()
    save = dialog.findChild(QPushButton, "save_button")
    dialog.scroll.ensureWidgetVisible(save)
    top_left = save.mapTo(dialog.scroll.viewport(), save.rect().topLeft())
    assert dialog.scroll.viewport().rect().contains(top_left)
