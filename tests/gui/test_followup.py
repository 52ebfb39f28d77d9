"""Theo dõi giải quyết as the clerk uses it: a row clicked enables its actions."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from dirdesk.registers import incoming

TODAY = dt.date.today()


@pytest.fixture
def section(qtbot, context):
    from dirdesk.gui.registers.followup import FollowupSection

    for days, symbol in ((5, "215-CV/TU"), (2, "32-KH/BTGTU")):
        incoming.add(context.registry, incoming.IncomingEntry(
            received_date=TODAY - dt.timedelta(days=20), author="Thành ủy Sông Công", symbol=symbol,
            subject="V/v phòng, chống dịch bệnh", deadline=TODAY - dt.timedelta(days=days), signatures=[]))
    section = FollowupSection(context)
    qtbot.addWidget(section)
    section.resize(1200, 700)
    section.show()
    qtbot.waitExposed(section)
    return section


def click_row(qtbot, table, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_clicking_a_row_enables_open_progress_and_done(section, qtbot):
    buttons = (section.open_button, section.progress_button, section.done_button)
    assert not any(b.isEnabled() for b in buttons)
    click_row(qtbot, section.tables["overdue"], 0)
    assert all(b.isEnabled() for b in buttons)
    assert section.current_row_id() == section.models["overdue"].row_id(0)


def test_keyboard_selection_enables_the_buttons_too(section, qtbot):
    table = section.tables["overdue"]
    table.setFocus()
    table.selectRow(1)
    assert section.done_button.isEnabled()
    table.clearSelection()
    assert not section.done_button.isEnabled()


def test_progress_button_after_a_click_records_the_progress(section, qtbot, monkeypatch):
    from dirdesk.gui.registers import common

    monkeypatch.setattr(common, "ask_text", lambda *a, **k: "Đã giao Văn phòng tham mưu")
    click_row(qtbot, section.tables["overdue"], 0)
    row_id = section.current_row_id()
    qtbot.mouseClick(section.progress_button, Qt.MouseButton.LeftButton)
    assert [p["text"] for p in incoming.progress_of(section.registry, row_id)] == ["Đã giao Văn phòng tham mưu"]
    model = section.models["overdue"]
    assert "Đã giao Văn phòng tham mưu" in model.row(model.index_of(row_id)).cells[model.fields.index("progress")]
