"""A missing attached file in the window: "Sao lưu ngay" still backs up the rest and names the entry
(never a hash path), "Tệp bị mất…" lists it, and the clerk puts it back or records it as lost."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from dirdesk.gui import dialogs
from dirdesk.gui.attachments_dialog import AttachmentsDialog
from dirdesk.gui.settings import SettingsSection
from dirdesk.gui.settings_backup import missing_text
from dirdesk.registers import attachments as kept
from dirdesk.registers import incoming
from dirdesk.registers.backup import verify_backup, write_backup
from tests.gui.settle import settle

FIRST = "Văn bản đến số 01/2026 (12/UBND-VP): cong-van.pdf"
PDF = b"%PDF-1.4 cong van so 12 " * 40


@pytest.fixture
def two_entries(party_registry):
    """Two incoming entries, each with a PDF; the first one's file is deleted from the files folder.
    Returns (sha256, path, content) of the missing file."""
    for n, (symbol, data) in enumerate([("12/UBND-VP", PDF), ("7/TB-MTTQ", b"%PDF-1.4 thong bao " * 40)]):
        incoming.add(party_registry, incoming.IncomingEntry(
            received_date=dt.date(2026, 11, 2 + n), symbol=symbol, subject=f"Văn bản {n + 1}",
            files=[("cong-van.pdf" if n == 0 else "thong-bao.pdf", data)]))
    sha = kept.sha256_of(PDF)
    path = kept.attachment_path(party_registry, sha)
    assert path.read_bytes() == PDF
    path.unlink()
    return sha, path, PDF


@pytest.fixture
def settings(qtbot, context):
    section = SettingsSection(context)
    qtbot.addWidget(section)
    return section


@pytest.fixture
def dialog(qtbot, context, two_entries):
    box = AttachmentsDialog(context)
    qtbot.addWidget(box)
    settle(qtbot)
    assert box.loaded
    return box


def no_question(monkeypatch):
    asked = []
    monkeypatch.setattr(dialogs, "ask_choice", lambda parent, title, text, choices, cancel="": asked.append(text))
    return asked


def test_backup_now_with_a_missing_file_backs_up_the_rest_and_names_the_entry(qtbot, settings, two_entries,
                                                                               monkeypatch):
    sha, _path, _ = two_entries
    asked = []
    monkeypatch.setattr(dialogs, "ask_choice", lambda parent, title, text, choices, cancel="":
                        asked.append((text, choices)) or "fix")
    panel = settings.backups
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert not panel.busy and panel.last_backup is not None and panel.last_backup.is_file()
    manifest = verify_backup(panel.last_backup)
    assert [d["label"] for d in manifest.damaged] == [FIRST]
    assert len(manifest.file_members) == 1  # the other entry's PDF is in it
    [(text, choices)] = asked
    assert "Đã sao lưu vào" in text and FIRST in text and sha[:12] not in text
    assert "Văn bản đến số 02/2026" not in text  # only the entry whose file is missing
    assert choices == [("fix", "Xem và sửa…")]
    assert FIRST in panel.status.text() and sha[:12] not in panel.status.text()
    # "Xem và sửa…" opened the dialog, which lists the file
    box = panel.attachments_dialog
    assert box is not None and box.isVisible()
    settle(qtbot)
    assert list(box.rows) == [sha]
    assert box.table.item(0, 0).text() == FIRST and box.table.item(0, 1).text() == "cong-van.pdf"
    assert box.table.item(0, 3).text() == dt.date.today().strftime("%d/%m/%Y")  # noticed by today's backup
    box.close()


def test_a_backup_with_nothing_missing_asks_nothing(qtbot, settings, party_registry, monkeypatch):
    asked = no_question(monkeypatch)
    incoming.add(party_registry, incoming.IncomingEntry(received_date=dt.date(2026, 11, 2), subject="Đủ tệp",
                                                        files=[("a.pdf", PDF)]))
    settings.backups.backup_now()
    settle(qtbot)
    assert settings.backups.last_backup.is_file() and asked == []
    assert "thiếu" not in settings.backups.status.text()


def test_the_missing_files_button_is_always_there_and_says_when_nothing_is_missing(qtbot, settings, context):
    button = settings.page.findChild(QPushButton, "missingFiles")
    assert button is not None and button.isEnabled() and button.text() == "Tệp bị mất…"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    box = settings.backups.attachments_dialog
    settle(qtbot)
    assert box.loaded and box.rows == {} and "Không có tệp đính kèm nào bị mất" in box.intro.text()
    assert box.table.isHidden() and box.lost_table.isHidden()
    box.close()
    incoming.add(context.registry, incoming.IncomingEntry(received_date=dt.date(2026, 11, 2), symbol="12/UBND-VP",
                                                          subject="Mất sau", files=[("cong-van.pdf", PDF)]))
    kept.attachment_path(context.registry, kept.sha256_of(PDF)).unlink()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # the same dialog, read again
    assert settings.backups.attachments_dialog is box and box.isVisible()
    settle(qtbot)
    assert [r.label for r in box.rows.values()] == [FIRST]
    box.close()


def test_find_file_refuses_another_file_and_takes_the_right_one(qtbot, dialog, two_entries, party_registry,
                                                                tmp_path, monkeypatch):
    sha, path, content = two_entries
    wrong = tmp_path / "cong-van.pdf"
    wrong.write_bytes(b"%PDF-1.4 another document")
    right = tmp_path / "ban-chep-tu-usb.pdf"
    right.write_bytes(content)
    picked = [str(wrong), str(right)]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (picked.pop(0), ""))
    shown = len(dialogs.failures_shown)
    find, _forget = dialog.buttons[sha]

    qtbot.mouseClick(find, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "mã băm không khớp" in dialog.message.text() and "cong-van.pdf" in dialog.message.text()
    assert list(dialog.rows) == [sha] and find.isEnabled() and not path.exists()
    assert len(dialogs.failures_shown) == shown  # said in the dialog, not in an error box

    qtbot.mouseClick(find, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.rows == {} and "Đã đặt lại" in dialog.message.text()
    assert path.read_bytes() == content and kept.read_attachment(party_registry, sha) == content
    assert "Không có tệp đính kèm nào bị mất" in dialog.intro.text()
    assert write_backup(party_registry)[1].damaged == []


def test_record_lost_keeps_the_record_and_later_backups_stop_flagging_it(qtbot, dialog, two_entries, settings,
                                                                         party_registry, monkeypatch):
    sha, _path, _ = two_entries
    reasons = [None, "Ổ đĩa hỏng, không còn bản nào"]
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: reasons.pop(0))
    _find, forget = dialog.buttons[sha]

    qtbot.mouseClick(forget, Qt.MouseButton.LeftButton)  # cancelled: nothing recorded
    settle(qtbot)
    assert list(dialog.rows) == [sha]
    assert party_registry.one("SELECT lost_at FROM attachments WHERE sha256 = ?", [sha])["lost_at"] is None

    qtbot.mouseClick(forget, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.rows == {} and dialog.table.rowCount() == 0
    row = party_registry.one("SELECT lost_at, lost_reason FROM attachments WHERE sha256 = ?", [sha])
    assert row["lost_reason"] == "Ổ đĩa hỏng, không còn bản nào"
    assert dt.datetime.fromisoformat(row["lost_at"]).date() == dt.date.today()
    # the dialog goes on saying it was lost, when and why
    assert not dialog.lost_table.isHidden() and dialog.lost_table.rowCount() == 1
    assert [dialog.lost_table.item(0, c).text() for c in range(3)] == [
        FIRST, dt.date.today().strftime("%d/%m/%Y"), "Ổ đĩa hỏng, không còn bản nào"]

    asked = no_question(monkeypatch)
    settings.backups.backup_now()
    settle(qtbot)
    assert verify_backup(settings.backups.last_backup).damaged == [] and asked == []


def test_record_lost_without_a_reason_is_refused_in_the_dialog(qtbot, dialog, two_entries, party_registry,
                                                              monkeypatch):
    sha, _path, _ = two_entries
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "   ")
    qtbot.mouseClick(dialog.buttons[sha][1], Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "lý do" in dialog.message.text() and list(dialog.rows) == [sha]
    assert party_registry.one("SELECT lost_at FROM attachments WHERE sha256 = ?", [sha])["lost_at"] is None


def test_the_message_names_at_most_ten_entries():
    damaged = [{"label": f"Văn bản đến số {n:02d}/2026: f{n}.pdf", "problem": "mất"} for n in range(1, 14)]
    text = missing_text(damaged)
    assert "số 10/2026" in text and "số 11/2026" not in text and text.endswith("và 3 tệp khác")
    assert missing_text(damaged[:1] + [{"label": "Văn bản đi 5/TB-UBND: tệp PDF", "problem": "hỏng"}]) == (
        "- Văn bản đến số 01/2026: f1.pdf\n- Văn bản đi 5/TB-UBND: tệp PDF (tệp bị hỏng)")


def test_since_when_is_the_oldest_backup_that_lacked_the_file(qtbot, context, two_entries, party_registry):
    import json
    import zipfile

    from dirdesk.registers.database import backups_dir

    sha, _path, _ = two_entries
    folder = backups_dir(party_registry.path)
    folder.mkdir(parents=True, exist_ok=True)
    for day, damaged in (("2026-10-01", []), ("2026-10-05", [{"sha256": sha}]), ("2026-10-09", [{"sha256": sha}])):
        with zipfile.ZipFile(folder / f"dirdesk-{day.replace('-', '')}-080000.zip", "w") as zf:
            zf.writestr("manifest.json", json.dumps({"created": f"{day}T08:00:00", "damaged": damaged}))
    (folder / "dirdesk-20260901-080000.zip").write_bytes(b"not a zip")  # says nothing
    box = AttachmentsDialog(context)
    qtbot.addWidget(box)
    settle(qtbot)
    assert box.table.item(0, 3).text() == "05/10/2026"


def test_a_damaged_file_is_listed_as_damaged_and_put_back_from_a_copy(qtbot, context, party_registry, tmp_path,
                                                                      monkeypatch):
    incoming.add(party_registry, incoming.IncomingEntry(received_date=dt.date(2026, 11, 2), symbol="12/UBND-VP",
                                                        subject="Hỏng", files=[("cong-van.pdf", PDF)]))
    sha = kept.sha256_of(PDF)
    path = kept.attachment_path(party_registry, sha)
    path.write_bytes(b"hong")
    copy = tmp_path / "ban-chep.pdf"
    copy.write_bytes(PDF)
    filters = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda parent, title, folder, kinds: filters.append(kinds)
                        or (str(copy), ""))
    box = AttachmentsDialog(context)
    qtbot.addWidget(box)
    settle(qtbot)
    assert box.table.item(0, 0).text() == FIRST and box.table.item(0, 2).text().startswith("Bị hỏng")
    box.buttons[sha][0].click()
    settle(qtbot)
    assert filters[0].startswith("Tệp .pdf (*.pdf)")
    assert box.rows == {} and path.read_bytes() == PDF


def test_a_list_that_cannot_be_read_says_so(qtbot, context, monkeypatch):
    from dirdesk.gui import attachments_dialog
    from dirdesk.registers.errors import RegisterError

    def locked(registry):
        raise RegisterError("Sổ đang bị khóa.")

    monkeypatch.setattr(attachments_dialog, "load_listing", locked)
    shown = len(dialogs.failures_shown)
    box = AttachmentsDialog(context)
    qtbot.addWidget(box)
    settle(qtbot)
    assert dialogs.failures_shown[shown:] == ["Chưa kiểm tra tệp đính kèm được. Sổ đang bị khóa."]
    assert not box.loaded and "Chưa kiểm tra được" in box.intro.text()


def test_the_entry_says_a_file_recorded_as_lost_and_does_not_offer_to_open_it(qtbot, context, two_entries):
    from PySide6.QtWidgets import QListWidget

    from dirdesk.gui.registers.entry_incoming import IncomingEntryDialog

    sha, _, _ = two_entries
    kept.forget_missing(context.registry, sha, "Ổ đĩa hỏng, không còn bản nào")
    first = incoming.list_rows(context.registry)[0]
    entry = IncomingEntryDialog(context, first["id"])
    qtbot.addWidget(entry)
    files = entry.child("files", QListWidget)
    text = files.item(0).text()
    assert "cong-van.pdf: đã mất" in text and "Ổ đĩa hỏng, không còn bản nào" in text
    assert not files.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
    assert not entry.child("open_file_button").isEnabled() and not entry.child("stamp_button").isEnabled()
