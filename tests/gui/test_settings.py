"""Cài đặt: the address book and signers persist; "Sao lưu ngay"; restoring a backup."""

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from dirdesk.gui import dialogs
from dirdesk.gui import main_window as main_window_module
from dirdesk.gui.app import build_main_window
from dirdesk.gui.settings import SettingsSection
from dirdesk.registers import incoming
from dirdesk.registers.backup import verify_backup
from dirdesk.registers.profile import load_profile
from tests.gui.settle import settle


def type_text(widget, text):
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def button(section, name):
    return section.page.findChild(QPushButton, name)


@pytest.fixture
def settings(qtbot, context):
    section = SettingsSection(context)
    qtbot.addWidget(section)
    return section


def test_address_book_edits_persist(qtbot, settings, party_registry):
    start = load_profile(party_registry).recipients
    assert settings.recipient_names() == start

    type_text(settings.new_recipient, unicodedata.normalize("NFD", "Đoàn Thanh niên phường"))
    qtbot.mouseClick(button(settings, "addRecipient"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert load_profile(party_registry).recipients == [*start, "Đoàn Thanh niên phường"]  # stored NFC
    assert settings.new_recipient.text() == ""

    type_text(settings.new_recipient, "đoàn thanh niên PHƯỜNG")  # already there, other case
    qtbot.keyClick(settings.new_recipient, Qt.Key.Key_Return)
    assert "đã có" in settings.address_status.text()
    assert len(load_profile(party_registry).recipients) == len(start) + 1

    settings.recipients.setCurrentRow(len(start))  # the new one, moved to the top
    for _ in range(len(start)):
        qtbot.mouseClick(button(settings, "recipientUp"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert load_profile(party_registry).recipients == ["Đoàn Thanh niên phường", *start]

    settings.recipients.setCurrentRow(1)
    qtbot.mouseClick(button(settings, "removeRecipient"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert load_profile(party_registry).recipients == ["Đoàn Thanh niên phường", *start[1:]]

    settings.recipients.item(0).setText("Đoàn TNCS Hồ Chí Minh phường")  # edited in place
    settle(qtbot)
    assert load_profile(party_registry).recipients[0] == "Đoàn TNCS Hồ Chí Minh phường"


def test_signers_edits_persist_and_wrong_ones_are_refused(qtbot, settings, party_registry):
    signers = settings.editor.signers
    signers.item(1, 2).setText("Trần Thị Bích")
    assert settings.dirty and settings.revert_button.isEnabled()
    qtbot.mouseClick(settings.editor.form.findChild(QPushButton, "addSigner"), Qt.MouseButton.LeftButton)
    row = signers.rowCount() - 1
    signers.item(row, 0).setText("T/M BAN THƯỜNG VỤ\nK/T BÍ THƯ")
    signers.item(row, 1).setText("PHÓ BÍ THƯ")
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    assert "dòng 3" in settings.editor.errors["signers"].text()  # no name yet: not saved
    assert len(load_profile(party_registry).signers) == 2

    signers.item(row, 2).setText(unicodedata.normalize("NFD", "Hoàng Văn Cường"))
    qtbot.mouseClick(settings.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    stored = load_profile(party_registry).signers
    assert stored[1]["name"] == "Trần Thị Bích"
    assert stored[2] == {"authority": "T/M BAN THƯỜNG VỤ\nK/T BÍ THƯ", "title": "PHÓ BÍ THƯ", "name": "Hoàng Văn Cường"}
    assert not settings.dirty

    signers.setCurrentCell(2, 0)
    settings.editor.form.findChild(QPushButton, "signerUp").click()
    assert signers.currentRow() == 1  # the selection moves with the row
    signers.setCurrentCell(2, 0)
    settings.editor.form.findChild(QPushButton, "removeSigner").click()  # Trần Thị Bích, now in row 2
    settings.save_profile()
    settle(qtbot)
    assert [s["name"] for s in load_profile(party_registry).signers] == ["Nguyễn Đức Giang", "Hoàng Văn Cường"]


def test_unsaved_profile_changes_hold_the_window_open(qtbot, settings, monkeypatch):
    settings.editor.place_edit.setText("Bách Quang mới")
    settings.editor.place_edit.textEdited.emit("Bách Quang mới")
    assert settings.dirty
    asked = []
    monkeypatch.setattr(dialogs, "ask_choice", lambda parent, title, text, choices, cancel="Thôi":
                        asked.append((choices, cancel)) and None)
    assert settings.can_close() is False
    assert asked == [([("save", "Lưu"), ("discard", "Bỏ thay đổi")], "Quay lại")]
    assert settings.editor.place_edit.text() == "Bách Quang mới"  # typed text kept


def test_backup_now_makes_a_zip_that_verifies(qtbot, settings, party_registry):
    incoming.add(party_registry, incoming.IncomingEntry(received_date=dt.date(2026, 11, 2), subject="Giấy mời họp"))
    panel = settings.backups
    assert panel.table.rowCount() == 0
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    assert panel.busy and not panel.progress.isHidden() and not panel.backup_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    assert panel.last_backup is not None and panel.last_backup.is_file()
    manifest = verify_backup(panel.last_backup)
    assert manifest.office == "ĐẢNG ỦY PHƯỜNG BÁCH QUANG" and manifest.counts["incoming"] == 1
    assert str(panel.last_backup) in panel.status.text()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 1).text() == "Sao lưu ngay"
    assert panel.last_backup.parent == Path(panel.backups_path_edit.text())


def test_backup_to_a_chosen_folder_such_as_a_usb_drive(qtbot, settings, party_registry, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    usb = tmp_path / "USB"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    panel = settings.backups
    qtbot.mouseClick(panel.backup_elsewhere_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    assert panel.last_backup.parent == usb and verify_backup(panel.last_backup).office == "ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")  # the clerk cancels
    panel.backup_elsewhere()
    assert not panel.busy and list(usb.iterdir()) == [panel.last_backup]


def test_restore_round_trip_reopens_the_register(qtbot, party_registry, data_dir, monkeypatch, request):
    real = main_window_module.load_section_class
    monkeypatch.setattr(main_window_module, "load_section_class",
                        lambda spec: real(spec) if spec.key == "settings" else QPushButton)
    window = build_main_window(party_registry, data_dir)
    qtbot.addWidget(window)
    request.addfinalizer(lambda: window.context.registry.close())
    settings = window.show_section("settings")
    panel = settings.backups
    incoming.add(party_registry, incoming.IncomingEntry(received_date=dt.date(2026, 11, 2), subject="Trước sao lưu"))
    panel.backup_now()
    qtbot.waitUntil(lambda: not panel.busy, timeout=30000)
    backup = panel.last_backup

    incoming.add(party_registry, incoming.IncomingEntry(received_date=dt.date(2026, 11, 3), subject="Sau sao lưu",
                                                        deadline=dt.date(2026, 11, 4)))
    assert [r["subject"] for r in incoming.list_rows(party_registry)] == ["Trước sao lưu", "Sau sao lưu"]

    asked, told = [], []
    monkeypatch.setattr(panel, "confirm_restore", lambda path, manifest: asked.append(manifest.counts) or True)
    monkeypatch.setattr(dialogs, "show_info", lambda parent, text, title="": told.append(text))
    old = window.context.registry
    panel.start_restore(backup)
    qtbot.waitUntil(lambda: bool(told) and not panel.busy and not window.replacing, timeout=30000)

    assert asked and asked[0]["incoming"] == 1
    reg = window.context.registry
    assert reg is not old
    assert [r["subject"] for r in incoming.list_rows(reg)] == ["Trước sao lưu"]
    assert "Sổ trước khi khôi phục được giữ tại" in told[0]
    kinds = [panel.table.item(r, 1).text() for r in range(panel.table.rowCount())]
    assert "Trước khôi phục" in kinds and "Sao lưu ngay" in kinds
    # The window goes on working with the reopened register.
    incoming.add(reg, incoming.IncomingEntry(received_date=dt.date(2026, 11, 5), subject="Sau khôi phục"))
    window.refresh_all()
    assert window.windowTitle() == "DirDesk — ĐẢNG ỦY PHƯỜNG BÁCH QUANG"
    assert window.frame.isEnabled()
    assert [r["subject"] for r in incoming.list_rows(reg)] == ["Trước sao lưu", "Sau khôi phục"]


def test_a_damaged_backup_is_refused_and_the_register_kept(qtbot, settings, party_registry, tmp_path, monkeypatch):
    bad = tmp_path / "hong.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    warnings = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": warnings.append(text))
    incoming.add(party_registry, incoming.IncomingEntry(received_date=dt.date(2026, 11, 2), subject="Giữ nguyên"))
    settings.backups.start_restore(bad)
    qtbot.waitUntil(lambda: not settings.backups.busy, timeout=30000)
    assert warnings and "Sổ hiện tại được giữ nguyên" in warnings[0] and "hong.zip" in warnings[0]
    assert [r["subject"] for r in incoming.list_rows(party_registry)] == ["Giữ nguyên"]


def test_a_failed_backup_goes_to_the_one_error_dialog(qtbot, settings, monkeypatch):
    from dirdesk.gui import settings_backup
    from dirdesk.registers.errors import RegisterError

    def full_disk(registry, folder):
        raise RegisterError("Không ghi được bản sao lưu: ổ đĩa đầy.")

    monkeypatch.setattr(settings_backup, "write_backup", full_disk)
    shown = len(dialogs.failures_shown)
    settings.backups.backup_now()
    qtbot.waitUntil(lambda: not settings.backups.busy, timeout=30000)
    assert dialogs.failures_shown[shown:] == ["Chưa sao lưu sổ được. Không ghi được bản sao lưu: ổ đĩa đầy."]
    assert "ổ đĩa đầy" in settings.backups.status.text() and settings.backups.backup_button.isEnabled()


def test_the_restore_question_has_vietnamese_buttons_and_defaults_to_no(qtbot, settings, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text, **k: asked.append(k) or False)
    settings.backups.backup_now()
    qtbot.waitUntil(lambda: not settings.backups.busy, timeout=30000)
    settings.backups.start_restore(settings.backups.last_backup)
    qtbot.waitUntil(lambda: not settings.backups.busy, timeout=30000)
    assert asked == [{"yes": "Khôi phục", "no": "Thôi", "danger": True}]
    assert "Đã hủy khôi phục" in settings.backups.status.text()


def test_a_new_party_term_is_recorded_after_confirmation(qtbot, settings, party_registry, monkeypatch):
    answers = [False, True]
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *args, **kwargs: answers.pop(0))
    settings.editor.term_start.setDate(dt.date(2030, 10, 1))
    add = settings.editor.form.findChild(QPushButton, "addTerm")
    add.click()  # "Thôi": nothing recorded
    settle(qtbot)
    assert load_profile(party_registry).terms == ["2025-10-15"]
    add.click()
    settle(qtbot)
    assert load_profile(party_registry).terms == ["2025-10-15", "2030-10-01"]
    assert "01/10/2030" in settings.editor.terms_list.text()
    assert not settings.dirty


def test_every_control_of_settings_and_first_run_has_an_accessible_name(qtbot, settings, empty_registry):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QAbstractSpinBox, QLineEdit, QPlainTextEdit

    from dirdesk.gui.settings import FirstRunDialog

    dialog = FirstRunDialog(empty_registry)
    qtbot.addWidget(dialog)
    kinds = (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QLineEdit, QPlainTextEdit)
    unnamed = []
    for root in (settings, dialog):
        for widget in root.findChildren(QWidget):
            if not isinstance(widget, kinds) or isinstance(widget.parent(), QAbstractSpinBox):
                continue
            if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or widget.objectName().startswith("qt_"):
                continue  # headers, corner buttons, scroll arrows
            if not widget.accessibleName():
                unnamed.append(f"{type(widget).__name__} {widget.objectName()!r} {getattr(widget, 'text', str)()!r}")
    assert unnamed == []


def test_a_congress_is_opened_and_closed_and_the_contact_saved(qtbot, settings, party_registry, monkeypatch):
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda *args, **kwargs: True)
    panel = settings.congress
    assert panel.congress_box.isVisibleTo(settings) and not panel.end_button.isEnabled()
    panel.day.setDate(dt.date(2025, 6, 20))
    panel.name.setPlainText("Đại hội đại biểu\nĐảng bộ phường Bách Quang lần thứ II")
    panel.start_button.click()
    settle(qtbot)
    name = "ĐẠI HỘI ĐẠI BIỂU\nĐẢNG BỘ PHƯỜNG BÁCH QUANG LẦN THỨ II"
    assert load_profile(party_registry).congresses == [{"start": "2025-06-20", "end": None, "name": name}]
    assert "đang diễn ra" in panel.state.text() and panel.end_button.isEnabled()
    panel.day.setDate(dt.date(2025, 6, 22))
    panel.end_button.click()
    settle(qtbot)
    assert load_profile(party_registry).congresses == [{"start": "2025-06-20", "end": "2025-06-22", "name": name}]
    assert panel.start_button.isEnabled() and "bế mạc 22/06/2025" in panel.state.text()
    panel.contact.setPlainText(unicodedata.normalize("NFD", "Số 01 Bách Quang\nĐT: 0208.3862345"))
    panel.save_contact.click()
    settle(qtbot)
    assert load_profile(party_registry).contact == "Số 01 Bách Quang\nĐT: 0208.3862345"  # stored NFC


def test_reserving_a_congress_number_in_the_window(qtbot, context, party_registry):
    from dirdesk.gui.registers.reserve import ReserveDialog
    from dirdesk.registers.profile import start_congress

    start_congress(party_registry, dt.date(2025, 6, 20))
    dialog = ReserveDialog(context)
    qtbot.addWidget(dialog)
    assert not dialog.congress.isHidden()
    dialog.date.setDate(dt.date(2025, 6, 21))
    dialog.doc_type.setCurrentIndex(dialog.doc_type.findData("BC"))
    dialog.congress.setChecked(True)
    assert "01-BC/ĐH" in dialog.preview.text() and "đại hội" in dialog.preview.text()
    dialog.reserve()
    settle(qtbot)
    rows = party_registry.query("SELECT symbol, seq_key FROM outgoing WHERE status = 'reserved'")
    assert [(r["symbol"], r["seq_key"]) for r in rows] == [("01-BC/ĐH", "party/dh/2025-06-20")]
