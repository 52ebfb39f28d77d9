"""The questions of the drafting section and of start-up are real message boxes with Vietnamese buttons
(dirdesk.gui.dialogs), not Qt's English Yes/No."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from dirdesk.gui.drafting import DraftingSection
from dirdesk.gui.drafting.autosave import Autosave
from dirdesk.registers.profile import load_profile
from dirdesk.templates import draft_from_profile

TIMEOUT = 15000


def answer_next_box(seen: list, button_text: str) -> None:
    """Reads the buttons of the next modal message box and presses `button_text` (its last button when it has
    none of that name, so that a wrong box fails the test instead of hanging it)."""

    def poll():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append((box.windowTitle(), [b.text() for b in box.buttons()]))
            named = [b for b in box.buttons() if b.text() == button_text]
            (named or box.buttons())[-1].click()
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def leave_a_crashed_draft(context) -> None:
    """An autosave whose window went without closing cleanly."""
    crashed = Autosave(context.data_dir)
    data = draft_from_profile(load_profile(context.registry), "CV").to_dict()
    crashed.write({**data, "subject": "về việc chuẩn bị Đại hội chi bộ"}, file=None, modified=True)
    crashed.release()


@pytest.mark.parametrize("answer", ["Khôi phục", "Bỏ qua"])
def test_the_recovery_question_says_khoi_phuc_or_bo_qua(qtbot, context, answer):
    leave_a_crashed_draft(context)
    seen = []
    answer_next_box(seen, answer)
    section = DraftingSection(context)
    qtbot.addWidget(section)
    section.recover()
    assert seen and seen[0][0] == "Khôi phục bản đang soạn dở?"
    assert sorted(seen[0][1]) == sorted(["Khôi phục", "Bỏ qua"])
    if answer == "Khôi phục":
        assert section.has_document() and section.form.data()["subject"] == "về việc chuẩn bị Đại hội chi bộ"
    else:  # forgotten: not offered again
        assert not section.has_document()
        assert list((context.data_dir / "autosave").glob("*.state.json")) == []


def test_replacing_an_unsaved_draft_asks_in_vietnamese(qtbot, context, monkeypatch):
    section = DraftingSection(context)
    qtbot.addWidget(section)
    section.recover()
    section.load_data(draft_from_profile(load_profile(context.registry), "CV").to_dict(), modified=True)
    seen = []
    answer_next_box(seen, "Hủy")
    assert section.ask_save_changes("mở tệp khác") is False
    assert seen and sorted(seen[0][1]) == sorted(["Lưu…", "Không lưu", "Hủy"])
