"""The intake dialog on a scan: a field the machine was not sure of is tinted and says so, distinct from
a field it did not read; a handwritten number or day is said above the fields; the marks go when the
clerk edits; and a real corpus scan comes up filled from its OCR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from dirdesk.gui import dialogs
from dirdesk.gui.intake import CHECK_STYLE, UNREAD_STYLE, start_intake
from dirdesk.intake import ocr
from dirdesk.registers import intake_entry
from dirdesk.registers.intake_entry import CHECK_TIP
from dirdesk.text import fold
from tests.gui.settle import settle
from tests.gui.test_intake import FakeWindow
from tests.test_incoming_scan import CORPUS, SCAN, scan_parsed


@pytest.fixture(autouse=True)
def discard_on_close(monkeypatch):
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)


def opened(qtbot, context, path, parsed: dict | None, monkeypatch) -> object:
    """The dialog on `path`, the parser giving `parsed` (None: the real parser), filled and settled."""
    if parsed is not None:
        monkeypatch.setattr(intake_entry, "parse_file", lambda *a, **k: dict(parsed))
    context.window = FakeWindow()
    dialog = start_intake(context, path)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=60000)
    settle(qtbot)
    return dialog


@pytest.fixture
def received(tmp_path) -> Path:
    path = tmp_path / "cv-574.txt"
    path.write_text("Công văn nhận được\n", encoding="utf-8")
    return path


def checked(widget) -> bool:
    return CHECK_STYLE in widget.styleSheet() and widget.toolTip() == CHECK_TIP


def test_a_scan_s_fields_to_check_are_tinted_and_unread_ones_outlined(qtbot, context, received, monkeypatch):
    dialog = opened(qtbot, context, received, scan_parsed(), monkeypatch)
    assert dialog.author.text() == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" and not dialog.author.styleSheet()  # sure
    assert checked(dialog.symbol) and checked(dialog.type_name) and checked(dialog.subject)
    assert dialog.symbol.text() == "/UBND-KTTH"  # the partly read symbol, the clerk's starting point
    assert UNREAD_STYLE in dialog.doc_date.styleSheet() and CHECK_STYLE not in dialog.doc_date.styleSheet()
    assert dialog.doc_date.text() == ""
    notice = dialog.notice.text()
    assert "Chưa đọc được từ tệp:</b> ngày văn bản." in notice
    assert "Máy đọc chưa chắc chắn:</b> số, ký hiệu; tên loại; trích yếu." in notice
    assert dialog.handwritten.isVisible()
    assert dialog.handwritten.text().startswith("Số và ngày của văn bản có vẻ được viết tay trên bản quét")
    # the first field to type: the symbol's handwritten number, before "/UBND-KTTH"
    assert dialog.focusWidget() is dialog.symbol and dialog.symbol.cursorPosition() == 0


def test_a_mark_goes_when_the_clerk_edits_that_field(qtbot, context, received, monkeypatch):
    dialog = opened(qtbot, context, received, scan_parsed(), monkeypatch)
    qtbot.keyClicks(dialog.symbol, "574")
    assert dialog.symbol.text() == "574/UBND-KTTH" and not dialog.symbol.styleSheet() and not dialog.symbol.toolTip()
    dialog.subject.setFocus()
    qtbot.keyClick(dialog.subject, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.subject, " 31")
    assert not dialog.subject.styleSheet()
    dialog.type_name.setCurrentText("Thông báo")
    assert not dialog.type_name.styleSheet()
    dialog.doc_date.setText("04/02/2025")
    assert not dialog.doc_date.styleSheet()
    assert dialog.edited_entry().symbol == "574/UBND-KTTH"
    assert dialog.handwritten.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.row is not None, timeout=30000)
    settle(qtbot)
    row = context.registry.query("SELECT * FROM incoming")[0]
    assert (row["symbol"], row["doc_date"], row["type"]) == ("574/UBND-KTTH", "2025-02-04", "TB")
    assert not dialog.handwritten.isVisible() and not dialog.notice.isVisible()


def test_only_what_looked_handwritten_is_named(qtbot, context, received, monkeypatch):
    parsed = scan_parsed(symbol="574/UBND-KTTH", number="574", handwritten=["doc_date"])
    dialog = opened(qtbot, context, received, parsed, monkeypatch)
    text = dialog.handwritten.text()
    assert text.startswith("Ngày của văn bản có vẻ được viết tay") and "Số" not in text
    assert dialog.focusWidget() is dialog.doc_date


def test_a_text_layer_file_is_marked_only_where_the_parser_says_check(qtbot, context, received, monkeypatch):
    parsed = scan_parsed(ocr=None, symbol="574/UBND-KTTH", date="2025-02-04", handwritten=[],
                         confidence={"subject": "check"})
    dialog = opened(qtbot, context, received, parsed, monkeypatch)
    assert checked(dialog.subject)
    assert not any(w.styleSheet() for w in (dialog.author, dialog.symbol, dialog.doc_date, dialog.type_name))
    assert not dialog.handwritten.isVisible() and "ngày văn bản" not in dialog.notice.text()
    assert dialog.focusWidget() is dialog.author


@pytest.mark.slow
@pytest.mark.skipif(not SCAN.is_file() or ocr.unavailable() is not None, reason="no corpus scan or no OCR here")
def test_a_corpus_scan_comes_up_filled_from_its_ocr(qtbot, context, monkeypatch):
    expected = next(e for e in json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
                    if e["file"] == SCAN.name)
    dialog = opened(qtbot, context, SCAN, None, monkeypatch)
    assert fold(dialog.author.text()) == fold(expected["issuer"])
    assert dialog.type_name.currentText() == "Công văn"
    assert fold(dialog.subject.toPlainText()) == fold(expected["subject"])
    assert not dialog.error.isVisible() and dialog.save_button.isEnabled()
