"""Tìm kiếm: one box over both registers, without diacritics, the matched words
highlighted in the original text, results opening their entry."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from PySide6.QtCore import Qt

from dirdesk.gui.search import ENTRY_ROLE, SPANS_ROLE, SearchSection, highlight_html, match_spans
from dirdesk.registers import incoming, outgoing
from dirdesk.registers.profile import add_term
from tests.conftest import fixture_draft

SUBJECT = "V/v chỉ đạo tăng cường công tác tuyên truyền, vận động phòng, chống dịch bệnh COVID-19"


def matched(text, query):
    return [text[a:b] for a, b in match_spans(text, query)]


# ---------------------------------------------------------------- highlight mapping


def test_words_typed_without_diacritics_highlight_the_vietnamese_words():
    assert matched(SUBJECT, "phong chong dich") == ["phòng", "chống", "dịch"]
    assert matched("ĐẢNG ỦY PHƯỜNG BÁCH QUANG", "dang uy") == ["ĐẢNG", "ỦY"]
    assert matched("Đảng ủy phường", "ĐẢNG ỦY") == ["Đảng", "ủy"]


def test_a_symbol_highlights_its_parts_and_a_longer_number_does_not_match():
    assert matched("66-CV/ĐU", "66-cv/du") == ["66", "CV", "ĐU"]
    assert matched("166-CV/ĐU", "66-CV/ĐU") == ["CV", "ĐU"]  # 166 is not 66


def test_the_last_word_is_highlighted_as_a_prefix_while_typing():
    assert matched("tuyên truyền", "tuyen tru") == ["tuyên", "tru"]
    assert matched("tuyên truyền", "tru tuyen") == ["tuyên"]  # only the last word is a prefix


def test_positions_map_back_through_decomposed_text():
    text = unicodedata.normalize("NFD", "phòng, chống dịch")
    assert [unicodedata.normalize("NFC", w) for w in matched(text, "phong chong dich")] == ["phòng", "chống", "dịch"]


def test_no_words_no_highlight_and_html_is_escaped():
    assert match_spans(SUBJECT, "   ") == [] and match_spans(SUBJECT, "xyz") == []
    assert highlight_html("<a> phòng & chống", [(4, 9)]) == (
        '&lt;a&gt; <span style="background-color:#ffe066;color:#000000;font-weight:bold">phòng</span> &amp; chống')


# ---------------------------------------------------------------- the section


class FakeWindow:
    def __init__(self):
        self.opened = []

    def open_entry(self, register, row_id):
        self.opened.append((register, row_id))


@pytest.fixture
def filled(context):
    reg = context.registry
    add_term(reg, dt.date(2020, 10, 1))
    out = outgoing.issue(reg, fixture_draft("seed-000", number=66), render=False)  # 08/09/2021
    outgoing.issue(reg, fixture_draft("seed-000", number=67, subject="V/v tổ chức hội nghị sơ kết",
                                      body="Tổ chức hội nghị sơ kết công tác quý III."), render=False)
    came = incoming.add(reg, incoming.IncomingEntry(
        received_date=dt.date(2026, 3, 5), author="Ban Chỉ đạo phòng, chống dịch thành phố", symbol="12-CV/BCĐ",
        subject="V/v tăng cường phòng, chống dịch bệnh mùa đông"))
    return {"outgoing": out["id"], "incoming": came["id"]}


def searched(qtbot, section, text):
    with qtbot.waitSignal(section.results_shown, timeout=30000):
        section.query.clear()
        qtbot.keyClicks(section.query, text)
    return [(r.register, r.id) for r in section.model.results]


@pytest.fixture
def section(qtbot, context):
    widget = SearchSection(context)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_typing_shows_results_from_both_registers_with_the_words_highlighted(qtbot, filled, section):
    found = searched(qtbot, section, "phong chong dich")
    assert sorted(found) == sorted(filled.items())
    model = section.model
    for row in range(model.rowCount()):
        register, _ = model.index(row, 0).data(ENTRY_ROLE)
        assert model.index(row, 0).data() == {"outgoing": "Đi", "incoming": "Đến"}[register]
        subject = model.index(row, 3)
        assert [subject.data()[a:b].lower() for a, b in subject.data(SPANS_ROLE)] == ["phòng", "chống", "dịch"]
    by_register = {model.index(r, 0).data(ENTRY_ROLE)[0]: r for r in range(model.rowCount())}
    came = by_register["incoming"]
    assert [model.index(came, c).data() for c in (1, 2, 4)] == ["12-CV/BCĐ", "05/03/2026",
                                                               "Ban Chỉ đạo phòng, chống dịch thành phố"]
    assert model.index(came, 4).data(SPANS_ROLE)  # the issuer's matched words too
    assert model.index(by_register["outgoing"], 4).data() == "ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    assert section.status.text().startswith("2 kết quả")


def test_the_register_and_month_filters_narrow_the_results(qtbot, filled, section):
    searched(qtbot, section, "phong chong dich")
    with qtbot.waitSignal(section.results_shown, timeout=30000):
        section.register_box.setCurrentIndex(section.register_box.findText("Văn bản đến"))
    assert [(r.register, r.id) for r in section.model.results] == [("incoming", filled["incoming"])]

    with qtbot.waitSignal(section.results_shown, timeout=30000):
        section.register_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: section.month_box.findData("2021-09") >= 0)
    assert [section.month_box.itemText(i) for i in range(section.month_box.count())] == [
        "Mọi tháng", "Tháng 03/2026", "Tháng 09/2021"]
    with qtbot.waitSignal(section.results_shown, timeout=30000):
        section.month_box.setCurrentIndex(section.month_box.findData("2021-09"))
    assert [(r.register, r.id) for r in section.model.results] == [("outgoing", filled["outgoing"])]

    with qtbot.waitSignal(section.results_shown, timeout=30000):
        section.register_box.setCurrentIndex(section.register_box.findText("Văn bản đến"))
    assert section.model.results == []
    assert section.status.text() == ("Không tìm thấy văn bản nào khớp với “phong chong dich” trong sổ văn bản đến, "
                                     "tháng 09/2021.")


def test_enter_and_double_click_open_the_entry_in_the_window(qtbot, context, filled, section):
    context.window = window = FakeWindow()
    searched(qtbot, section, "hoi nghi so ket")
    first = section.model.results[0]
    assert (first.register, first.symbol) == ("outgoing", "67-CV/ĐU")
    row_id = first.id
    section.table.setFocus()
    qtbot.keyClick(section.table, Qt.Key.Key_Return)
    assert window.opened == [("outgoing", row_id)]
    rect = section.table.visualRect(section.model.index(0, 3))
    qtbot.mouseClick(section.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double click's
    qtbot.mouseDClick(section.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # first press
    assert window.opened == [("outgoing", row_id)] * 2


def test_enter_in_the_box_goes_to_the_results_and_without_a_window_only_the_signal(qtbot, filled, section):
    searched(qtbot, section, "tuyen truyen")
    qtbot.keyClick(section.query, Qt.Key.Key_Return)
    assert section.table.hasFocus() and section.table.currentIndex().row() == 0
    with qtbot.waitSignal(section.entry_requested) as signal:
        qtbot.keyClick(section.table, Qt.Key.Key_Enter)
    assert signal.args == ["outgoing", section.model.results[0].id]


def test_empty_query_shows_the_hint_and_no_match_says_so(qtbot, filled, section):
    assert "Không cần gõ dấu" in section.status.text()
    searched(qtbot, section, "khong co van ban nao")
    assert section.model.rowCount() == 0
    assert section.status.text().startswith("Không tìm thấy văn bản nào khớp với “khong co van ban nao”")
    section.query.clear()
    qtbot.waitUntil(lambda: not section.busy)
    assert "Không cần gõ dấu" in section.status.text() and section.model.rowCount() == 0


def test_focus_search_puts_the_cursor_in_the_box_with_its_text_selected(qtbot, section):
    section.query.setText("phong chong")
    section.activateWindow()
    section.table.setFocus()
    section.focus_search()
    qtbot.waitUntil(section.query.hasFocus)
    assert section.query.selectedText() == "phong chong"


def test_refresh_finds_what_was_added_since(qtbot, context, filled, section):
    searched(qtbot, section, "mua dong")
    assert len(section.model.results) == 1
    incoming.add(context.registry, incoming.IncomingEntry(received_date=dt.date(2026, 3, 6), author="UBND phường",
                                                          symbol="15/UBND", subject="V/v chuẩn bị mùa đông"))
    with qtbot.waitSignal(section.results_shown, timeout=30000):
        section.refresh()
    assert len(section.model.results) == 2
