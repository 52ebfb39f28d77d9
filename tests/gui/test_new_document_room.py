"""Ctrl+N opens the new document at its top with the focus in its first field; the body editor takes the
room left in the form, never less than BODY_LINES lines."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from dirdesk.gui.app import build_main_window
from dirdesk.gui.drafting.form import BODY_LINES
from dirdesk.gui.drafting.newdoc import NewDocumentDialog
from dirdesk.registers.profile import load_profile
from dirdesk.templates import draft_from_profile


@pytest.fixture
def window(qtbot, party_registry, data_dir):
    win = build_main_window(party_registry, data_dir)
    qtbot.addWidget(win)
    win.start(daily_backup=False)
    qtbot.waitExposed(win)
    yield win
    from dirdesk.gui.workers import wait_for_background

    wait_for_background()


def open_draft(section, code="CV"):
    section.load_data(draft_from_profile(load_profile(section.context.registry), code).to_dict())
    QApplication.instance().processEvents()


def test_ctrl_n_opens_the_new_document_at_its_top(qtbot, window, monkeypatch):
    window.resize(960, 540)
    drafting = window.show_section("drafting")
    open_draft(drafting)
    bar = drafting.form.ui.form_scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the form is taller than 540 px: there is somewhere to scroll from
    drafting.form.focus_field("signer.name")  # the clerk was at the bottom of the last document
    assert bar.value() > 0
    monkeypatch.setattr(NewDocumentDialog, "exec", lambda self: "TB")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert drafting.form.data()["type"] == "TB"
    qtbot.wait(50)  # the second scroll, after the layout
    first = drafting.form.tab_chain[0]
    assert bar.value() == bar.minimum()
    assert QApplication.focusWidget() is first
    assert first.visibleRegion().boundingRect().height() == first.height()  # wholly in view


def test_the_body_takes_the_room_left_and_at_least_twelve_lines(qtbot, window):
    drafting = window.show_section("drafting")
    open_draft(drafting)
    body = drafting.form.body
    lines = body.fontMetrics().lineSpacing()
    window.resize(960, 540)
    QApplication.instance().processEvents()
    assert body.height() >= BODY_LINES * lines
    assert body.minimumHeight() >= BODY_LINES * lines
    window.resize(1280, 2600)  # taller than the whole form (its optional boxes closed): the rest goes to the body
    QApplication.instance().processEvents()
    tall = body.height()
    window.resize(1280, 3000)
    QApplication.instance().processEvents()
    assert drafting.form.ui.form_scroll.verticalScrollBar().maximum() == 0
    assert body.height() - tall >= 0.9 * 400, (tall, body.height())
