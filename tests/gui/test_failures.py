"""Every window action that touches the register, with each failure a clerk's machine can give injected
into its worker: the register busy (locked), the disk full, the register file damaged, an attached file
missing. The clerk must be told, in Vietnamese, and nothing may be lost: the register is as it was, no
number is used up, and what was typed is still on screen to try again.

The failure is injected where every register operation of the window runs
(dirdesk.gui.operations._on_own_connection), so an action that went around
the operations would not be caught here: it would write, and the test fails.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from dirdesk.gui import dialogs, operations
from dirdesk.gui.app import build_main_window
from dirdesk.gui.drafting.issuing import IssueConfirmDialog
from dirdesk.gui.intake import start_intake
from dirdesk.registers import incoming
from dirdesk.registers.errors import RegisterError
from dirdesk.registers.profile import load_profile
from dirdesk.templates import draft_from_profile
from tests.blanks import fill_blanks
from tests.gui.settle import settle
from tests.gui.test_intake import SEED
from tests.gui.test_registers import issue

TODAY = dt.date.today()

FAILURES = {
    "locked": (lambda: sqlite3.OperationalError("database is locked"), "Sổ đang bận"),
    "disk full": (lambda: sqlite3.OperationalError("database or disk is full"), "Ổ đĩa đã đầy"),
    "damaged": (lambda: sqlite3.DatabaseError("database disk image is malformed"), "Tệp sổ bị hỏng"),
    "missing attachment": (lambda: RegisterError("Không đọc được tệp đính kèm files/ab/abcd.pdf: [Errno 2] "
                                                 "No such file or directory"), "tệp đính kèm"),
}


@pytest.fixture
def window(qtbot, party_registry, data_dir, monkeypatch):
    reg = party_registry
    for i in range(3):
        issue(reg, f"V/v công việc số {i + 1}", TODAY - dt.timedelta(days=5 - i))
    for i, deadline in enumerate((TODAY - dt.timedelta(days=2), TODAY + dt.timedelta(days=3))):
        incoming.add(reg, incoming.IncomingEntry(
            received_date=TODAY - dt.timedelta(days=10 - i), author="Thành ủy Sông Công", symbol=f"{215 + i}-CV/TU",
            subject=f"V/v việc thứ {i + 1}", deadline=deadline, signatures=[],
            files=[(f"{215 + i}-CV-TU.txt", f"Nội dung công văn {i + 1}".encode())]))
    win = build_main_window(reg, data_dir)  # closed below, not by qtbot: after the answers are undone
    win.start(daily_backup=False)
    qtbot.waitExposed(win)
    settle(qtbot)
    yield win
    # closed here, while the answers below hold: what an action left typed is dropped without a question
    monkeypatch.setattr(dialogs, "ask_choice", lambda *a, **k: "discard")
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *a, **k: True)
    monkeypatch.setattr(dialogs, "ask_unsaved", lambda *a, **k: "discard")
    for top in QApplication.topLevelWidgets():
        if top is not win and top.isVisible():
            top.close()
    assert win.close()
    win.deleteLater()
    settle(qtbot)


def snapshot(reg) -> dict:
    """Everything the register holds that an action could change."""
    tables = ("outgoing", "incoming", "incoming_files", "progress", "profile", "attachments", "drafts", "audit")
    return {t: [tuple(r.values()) for r in reg.query(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}


def inject(monkeypatch, failure: str) -> None:
    make, _ = FAILURES[failure]

    def failing(db_path, fn, args, kwargs):
        raise make()

    monkeypatch.setattr(operations, "_on_own_connection", failing)


def told() -> str:
    """What the clerk can read now: the failure dialogs shown, and every visible label and status line."""
    texts = list(dialogs.failures_shown)
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts += [label.text() for label in top.findChildren(QLabel) if label.isVisible()]
        bar = getattr(top, "statusBar", None)
        if callable(bar):
            texts.append(bar().currentMessage())
    return "\n".join(texts)


# ---------------------------------------------------------------- the actions
# Each does what the clerk does, then returns a check that what was on screen is still there.


def delete_outgoing(qtbot, win):
    section = win.show_section("outgoing")
    row_id = section.model.row_id(0)
    section.delete_row(row_id, confirm=False)
    return lambda: section.model.index_of(row_id) is not None


def cancel_number(qtbot, win):
    section = win.show_section("outgoing")
    row_id = section.model.row_id(0)
    section.cancel_row(row_id, "Ghi nhầm nơi nhận")
    return lambda: section.model.row(section.model.index_of(row_id)).status == "issued"


def reserve_number(qtbot, win):
    dialog = win.show_section("outgoing").reserve_number()
    dialog.note.setText("Giữ số cho báo cáo tháng")
    dialog.reserve()
    return lambda: (dialog.isVisible() and dialog.note.text() == "Giữ số cho báo cáo tháng"
                    and dialog.reserve_button.isEnabled())


def edit_outgoing(qtbot, win):
    section = win.show_section("outgoing")
    dialog = section.open_entry(section.model.row_id(0))
    dialog.child("note").setText("Đã gửi bản giấy")
    dialog.save()
    return lambda: (dialog.isVisible() and dialog.child("note").text() == "Đã gửi bản giấy"
                    and dialog.child("save_button").isEnabled())


def add_incoming_by_hand(qtbot, win):
    dialog = win.show_section("incoming").add_by_hand()
    dialog.child("author").setText("Văn phòng Thành ủy")
    dialog.child("subject").setPlainText("V/v chuẩn bị hội nghị sơ kết")
    dialog.save()
    return lambda: (dialog.isVisible() and dialog.child("subject").toPlainText() == "V/v chuẩn bị hội nghị sơ kết"
                    and dialog.child("save_button").isEnabled())


def stamp_incoming(qtbot, win):
    section = win.show_section("incoming")
    dialog = section.open_entry(section.model.row_id(0))
    dialog.child("files").setCurrentRow(0)
    dialog.stamp_selected_file()
    return lambda: dialog.isVisible() and dialog.child("stamp_button").isEnabled()


def progress_in_followup(qtbot, win):
    section = win.show_section("followup")
    row_id = section.models["overdue"].row_id(0)
    section.add_progress(row_id, "Đã giao Văn phòng tham mưu")
    return lambda: section.models["overdue"].index_of(row_id) is not None


def done_in_followup(qtbot, win):
    section = win.show_section("followup")
    row_id = section.models["overdue"].row_id(0)
    section.mark_done(row_id, "")
    return lambda: section.models["overdue"].index_of(row_id) is not None


def issue_draft(qtbot, win, monkeypatch):
    section = win.show_section("drafting")
    draft = draft_from_profile(load_profile(win.context.registry), "CV")
    draft.subject = "về việc tổng kết công tác năm"
    section.load_data(fill_blanks(draft.to_dict()))
    monkeypatch.setattr(IssueConfirmDialog, "exec", lambda self: True)
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": dialogs.failures_shown.append(text))
    section.issue()
    return lambda: (not section.is_issued() and not section.form.read_only
                    and section.form.data()["subject"] == "về việc tổng kết công tác năm")


def save_profile(qtbot, win):
    section = win.show_section("settings")
    section.editor.place_edit.setText("Bách Quang mới")
    section.editor.place_edit.textEdited.emit("Bách Quang mới")
    section.save_profile()
    return lambda: section.dirty and section.editor.place_edit.text() == "Bách Quang mới"


def intake_received_file(qtbot, win):
    dialog = start_intake(win.context, SEED)  # closed by the window fixture
    qtbot.waitUntil(lambda: dialog.ready, timeout=30000)
    dialog.note.setText("Bản chụp")
    dialog.save()
    return lambda: dialog.isVisible() and dialog.note.text() == "Bản chụp" and dialog.row is None


def search(qtbot, win):
    section = win.show_section("search")
    section.search_now("công việc")
    return lambda: "Không tìm được" in section.status.text()


def preview_register(qtbot, win):
    section = win.show_section("registers")
    settle(qtbot)
    section.preview()
    return lambda: bool(section.last_error)


def export_register(qtbot, win, tmp_path):
    section = win.show_section("registers")
    settle(qtbot)
    target = tmp_path / "so-di.xlsx"
    section.export_to(target, "xlsx")
    return lambda: not target.exists() and bool(section.last_error)  # no half-written file either


def import_old_register(qtbot, win, tmp_path):
    section = win.show_section("registers")
    settle(qtbot)
    old = tmp_path / "so-cu.csv"
    old.write_text("Ngày đến,Số đến,Tác giả,Số ký hiệu,Ngày văn bản,Trích yếu\n"
                   "04/03/2024,1,UBND quận,123/UBND-VP,01/03/2024,Kế hoạch năm 2024\n", encoding="utf-8")
    dialog = section.open_import()
    dialog.choose(old, "incoming")
    return lambda: dialog.isVisible() and not dialog.import_button.isEnabled() and bool(dialog.error_text)


def backup_now(qtbot, win, tmp_path):
    panel = win.show_section("settings").backups
    before = sorted(p.name for p in tmp_path.rglob("*.zip"))
    panel.backup_now(tmp_path)
    return lambda: not panel.busy and sorted(p.name for p in tmp_path.rglob("*.zip")) == before


def keep_address(qtbot, win, tmp_path):
    section = win.show_section("settings")
    section.new_recipient.setText("Đoàn Thanh niên phường")
    section.add_recipient()
    return lambda: "Đoàn Thanh niên phường" in section.recipient_names()  # still on screen to try again


def restore_deleted_row(qtbot, win, tmp_path):
    section = win.show_section("outgoing")
    row_id = section.model.row_id(0)
    with win.context.registry.transaction():
        from dirdesk.registers import audit

        audit.soft_delete(win.context.registry, "outgoing", row_id)
    section.refresh()
    section.show_deleted.setChecked(True)
    before = snapshot(win.context.registry)  # the deletion itself is not the action under test
    section.restore_row(row_id)
    settle(qtbot)
    win.context.registry.snapshot_before = before
    return lambda: section.model.row(section.model.index_of(row_id)).deleted_at


ACTIONS = {
    "xóa dòng văn bản đi": delete_outgoing, "hủy số": cancel_number, "lấy số trước": reserve_number,
    "sửa văn bản đi": edit_outgoing, "thêm văn bản đến": add_incoming_by_hand, "đóng dấu ĐẾN": stamp_incoming,
    "ghi tiến độ": progress_in_followup, "đã giải quyết": done_in_followup, "ban hành": issue_draft,
    "lưu hồ sơ cơ quan": save_profile, "vào sổ từ tệp": intake_received_file, "tìm kiếm": search,
    "xem trước sổ": preview_register, "xuất sổ": export_register, "nhập sổ cũ": import_old_register,
    "sao lưu ngay": backup_now, "sổ địa chỉ": keep_address, "khôi phục dòng đã xóa": restore_deleted_row,
}
NEEDS_FOLDER = {"xuất sổ", "nhập sổ cũ", "sao lưu ngay", "sổ địa chỉ", "khôi phục dòng đã xóa"}


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("action", ACTIONS)
def test_a_failure_is_told_and_loses_nothing(qtbot, window, monkeypatch, tmp_path, action, failure):
    reg = window.context.registry
    before = snapshot(reg)
    shown = len(dialogs.failures_shown)
    act = ACTIONS[action]
    with pytest.MonkeyPatch.context() as broken:
        if action == "khôi phục dòng đã xóa":  # the deletion it undoes is made first, unbroken
            still_there = _with_failure_after_setup(qtbot, window, broken, failure, tmp_path)
            before = reg.snapshot_before
        else:
            inject(broken, failure)
            extra = monkeypatch if action == "ban hành" else tmp_path if action in NEEDS_FOLDER else None
            still_there = act(qtbot, window, extra) if extra is not None else act(qtbot, window)
        settle(qtbot)
    text = told()
    expected = FAILURES[failure][1]
    assert expected in text, f"{action}: the clerk was not told «{expected}»:\n{text}"
    assert len(dialogs.failures_shown) > shown or failure == "missing attachment", \
        f"{action}: no error dialog for a failure of the machine"
    assert "Traceback" not in text and "Error:" not in text
    assert snapshot(reg) == before, f"{action}: the register changed although the action failed"
    assert still_there(), f"{action}: what was on screen was lost"
    assert operations.in_flight() == 0


def _with_failure_after_setup(qtbot, win, broken, failure, tmp_path):
    real_restore = win.show_section("outgoing").restore_row
    section = win.show_section("outgoing")

    def restore_when_broken(row_id):
        inject(broken, failure)
        return real_restore(row_id)

    section.restore_row = restore_when_broken
    return restore_deleted_row(qtbot, win, tmp_path)


@pytest.mark.parametrize("register", ["outgoing", "incoming", "followup"])
def test_opening_an_entry_of_a_damaged_register_is_told(qtbot, window, monkeypatch, register):
    """The quick reads made on the GUI thread while a dialog opens (the row, its files, its history)
    go through the same error path: no click ever does nothing."""
    from dirdesk.gui.registers import entry_incoming, entry_outgoing

    section = window.show_section(register)
    model = section.models["overdue"] if register == "followup" else section.model
    row_id = model.row_id(0)
    shown = len(dialogs.failures_shown)

    def damaged(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    for module in (entry_incoming, entry_outgoing):
        monkeypatch.setattr(module, "get_row", damaged)
    assert section.open_entry(row_id) is None
    assert any("Tệp sổ bị hỏng" in text for text in dialogs.failures_shown[shown:])
