"""Theo dõi giải quyết as the clerk uses it: a row clicked enables its actions."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from dirdesk.registers import incoming
from tests.gui.settle import settle

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
    from dirdesk.gui import dialogs

    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Đã giao Văn phòng tham mưu")
    click_row(qtbot, section.tables["overdue"], 0)
    row_id = section.current_row_id()
    qtbot.mouseClick(section.progress_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert [p["text"] for p in incoming.progress_of(section.registry, row_id)] == ["Đã giao Văn phòng tham mưu"]
    model = section.models["overdue"]
    assert "Đã giao Văn phòng tham mưu" in model.row(model.index_of(row_id)).cells[model.fields.index("progress")]


# ---------------------------------------------------------------- a late or backdated document


def test_entry_dialog_accepts_a_late_document_and_says_the_backdated_number_follows_entry(qtbot, context,
                                                                                          monkeypatch):
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    from dirdesk.gui import dialogs
    from dirdesk.gui.registers.entry_incoming import IncomingEntryDialog

    year = TODAY.year - 1  # dates in the past whatever the day the test runs
    incoming.add(context.registry, incoming.IncomingEntry(
        received_date=dt.date(year, 12, 5), author="Thành ủy Sông Công", symbol="215-CV/TU", subject="V/v A",
        signatures=[]))
    told = []
    monkeypatch.setattr(dialogs, "show_info", lambda parent, text, title="": told.append(text))
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": told.append(f"LỖI {text}"))
    dialog = IncomingEntryDialog(context, None)
    qtbot.addWidget(dialog)
    dialog.child("received_date", QLineEdit).setText(f"2/12/{year}")  # typed, not picked
    dialog.child("deadline", QLineEdit).setText(f"30/11/{year}")  # the deadline had passed when it came
    dialog.child("author", QLineEdit).setText("UBND thành phố")
    dialog.child("subject", QPlainTextEdit).setPlainText("V/v báo cáo cải cách hành chính")
    qtbot.mouseClick(dialog.child("save_button"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    row = dialog.added_row
    assert row is not None and (row["number"], row["received_date"], row["deadline"]) == (
        2, f"{year}-12-02", f"{year}-11-30")
    (text,) = told
    assert f"Văn bản đến sau hạn giải quyết (hạn 30/11/{year}, ngày đến 02/12/{year})" in text
    assert (f"Số đến 02/{year} được cấp theo thứ tự vào sổ; ngày đến 02/12 sớm hơn văn bản số 01/{year} (05/12)"
            in text)


def test_intake_takes_a_typed_ngay_den_and_a_passed_deadline_with_a_warning(qtbot, context):
    from tests.gui.test_intake import SEED, opened, rows, save

    yesterday = TODAY - dt.timedelta(days=1)
    dialog = opened(qtbot, context, SEED)
    dialog.received_date.setText(f"{TODAY.day}.{TODAY.month}.{TODAY.year}")
    dialog.deadline.setText(yesterday.strftime("%d/%m/%Y"))
    save(qtbot, dialog)
    assert not dialog.error.isVisible(), dialog.error.text()
    (row,) = rows(context.registry)
    assert (row["received_date"], row["deadline"]) == (TODAY.isoformat(), yesterday.isoformat())
    assert "Văn bản đến sau hạn giải quyết" in dialog.done_text.text()


def test_intake_says_a_backdated_entry_is_numbered_in_order_of_entry(qtbot, context):
    from tests.gui.test_intake import SEED, opened, rows, save

    year = TODAY.year - 1
    incoming.add(context.registry, incoming.IncomingEntry(
        received_date=dt.date(year, 12, 5), author="Thành ủy Sông Công", symbol="215-CV/TU", subject="V/v A",
        signatures=[]))
    earlier = dt.date(year, 12, 2)
    dialog = opened(qtbot, context, SEED)
    dialog.received_date.setText(earlier.strftime("%d/%m/%Y"))
    save(qtbot, dialog)
    row = rows(context.registry)[-1]
    assert (row["number"], row["received_date"]) == (2, earlier.isoformat())
    assert (f"Số đến 02/{year} được cấp theo thứ tự vào sổ; ngày đến 02/12 sớm hơn văn bản số 01/{year} (05/12)"
            in dialog.done_text.text())
