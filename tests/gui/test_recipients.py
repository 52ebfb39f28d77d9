# ruff: noqa: F811  (pytest fixtures imported from another test module are arguments of the tests)
"""Kính gửi and Nơi nhận as a clerk fills them: folded suggestions, picking, the "Lưu" line kept last,
a pasted list, and names added in Cài đặt reaching an open draft."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dirdesk.registers.profile import load_profile, set_profile_value
from tests.gui.test_drafting import open_template, section, type_text  # noqa: F401 (section: a fixture)

UY_BAN = "Ủy ban MTTQ và các tổ chức chính trị - xã hội phường"


@pytest.fixture
def draft(qtbot, section):
    """The drafting section with a new công văn open."""
    open_template(qtbot, section)
    return section


def suggestions(box) -> list[str]:
    popup = box.completer.popup()
    if not popup.isVisible():
        return []
    model = popup.model()
    return [model.index(i, 0).data() for i in range(model.rowCount())]


def typed(qtbot, box, text):
    box.entry.setFocus()
    box.entry.clear()
    type_text(box.entry, text)
    return suggestions(box)


def test_typing_without_diacritics_finds_names_anywhere(qtbot, draft):
    rec = draft.form.recipients
    assert UY_BAN in typed(qtbot, rec, "uy")
    assert typed(qtbot, rec, "uy ban") == [UY_BAN]
    assert typed(qtbot, rec, "UỶ BAN") == [UY_BAN]  # any case, the old placement of the tone mark
    assert typed(qtbot, rec, "thanh uy") == ["Ban Thường vụ Thành ủy Sông Công"]  # not only at the start
    assert typed(qtbot, rec, "van phong dang") == ["Văn phòng Đảng ủy"]  # đ typed as d
    assert typed(qtbot, rec, "không có tên này") == []


def test_picking_a_suggestion_adds_it_and_clears_the_box(qtbot, draft):
    rec = draft.form.recipients
    rec.set_items([])
    assert typed(qtbot, rec, "uy ban") == [UY_BAN]
    popup = rec.completer.popup()
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert rec.items() == [UY_BAN] and rec.entry.text() == ""
    assert typed(qtbot, rec, "chi bo") == ["Các Chi bộ trực thuộc Đảng ủy"]
    rect = popup.visualRect(popup.model().index(0, 0))
    QTest.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert rec.items() == [UY_BAN, "Các Chi bộ trực thuộc Đảng ủy"] and rec.entry.text() == ""
    typed(qtbot, rec, "uy")  # Enter without choosing a suggestion adds what is typed
    QTest.keyClick(rec.entry, Qt.Key.Key_Return)
    assert rec.items()[-1] == "uy" and rec.entry.text() == ""


def test_new_names_go_above_the_luu_line(qtbot, draft):
    cc = draft.form.cc
    cc.set_items(["Như trên", "Lưu VT"])
    typed(qtbot, cc, "Thường trực Đảng ủy")
    QTest.keyClick(cc.entry, Qt.Key.Key_Return)
    assert typed(qtbot, cc, "mttq") == [UY_BAN]
    QTest.keyClick(cc.completer.popup(), Qt.Key.Key_Down)
    QTest.keyClick(cc.completer.popup(), Qt.Key.Key_Return)
    assert cc.items() == ["Như trên", "Thường trực Đảng ủy", UY_BAN, "Lưu VT"]
    assert draft.form.data()["cc"][-1] == "Lưu VT"


def test_a_pasted_list_becomes_one_recipient_per_line(qtbot, draft):
    cc = draft.form.cc
    cc.set_items([])
    QApplication.clipboard().setText("- Như trên;\r\n+ Các Chi bộ trực thuộc Đảng ủy,\n\n  - Ban Thường vụ Thành ủy;\n"
                                     "- Lưu VT.\n")
    cc.entry.setFocus()
    cc.entry.paste()
    assert cc.items() == ["Như trên", "Các Chi bộ trực thuộc Đảng ủy", "Ban Thường vụ Thành ủy", "Lưu VT"]
    assert cc.entry.text() == ""
    QApplication.clipboard().setText("Văn phòng Đảng ủy\nỦy ban kiểm tra Đảng ủy")  # pasted after the Lưu line
    cc.entry.paste()
    assert cc.items()[-3:] == ["Văn phòng Đảng ủy", "Ủy ban kiểm tra Đảng ủy", "Lưu VT"]


def test_a_name_added_in_settings_reaches_the_open_draft_without_f5(qtbot, draft):
    reg = draft.context.registry
    rec = draft.form.recipients
    assert typed(qtbot, rec, "hoi cuu chien binh") == []
    book = load_profile(reg).recipients
    set_profile_value(reg, "recipients", [*book, "Hội Cựu chiến binh phường"])  # as Cài đặt's address book does
    rec.entry.clearFocus()
    assert typed(qtbot, rec, "hoi cuu chien binh") == ["Hội Cựu chiến binh phường"]
