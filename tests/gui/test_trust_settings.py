"""Cài đặt, "Chứng thư tin cậy": certificates added from files (a .p7b gives its root and intermediate),
shown with their issuer and validity in Vietnamese, removed after a question; a file with no certificate
is told; the intake dialog then shows a received signature as trusted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from dirdesk.gui import dialogs
from dirdesk.gui.intake import start_intake
from dirdesk.gui.settings import SettingsSection
from dirdesk.registers import trust_store
from tests.gui.settle import settle
from tests.signing import rendered_pdf
from tests.trust_ca import hierarchy, p7b, sign_with


def _settings(qtbot, context):
    section = SettingsSection(context)
    qtbot.addWidget(section)
    return section.trust


def _choose(monkeypatch, *paths):
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))


def _cells(panel):
    return [[panel.table.item(r, c).text() for c in range(panel.table.columnCount())]
            for r in range(panel.table.rowCount())]


def test_add_show_and_remove_trusted_certificates(qtbot, context, party_registry, tmp_path, monkeypatch):
    ca = hierarchy()
    bundle = tmp_path / "chain.p7b"
    bundle.write_bytes(p7b(ca["root"], ca["intermediate"]))
    panel = _settings(qtbot, context)
    assert panel.table.rowCount() == 0 and not panel.remove_button.isEnabled()
    _choose(monkeypatch, bundle)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    start = ca["root"].cert.not_valid_before_utc.strftime("%d/%m/%Y")
    end = ca["root"].cert.not_valid_after_utc.strftime("%d/%m/%Y")
    assert _cells(panel) == [
        ["Test Root CA Việt Nam", "(tự cấp)", f"{start} – {end}", "Chứng thư gốc"],
        ["Test CA Chuyên dùng", "Test Root CA Việt Nam", f"{start} – {end}", "Trung gian"]]
    assert "Đã thêm: Test Root CA Việt Nam; Test CA Chuyên dùng" in panel.status.text()
    assert len(trust_store.list_all(party_registry)) == 2

    panel.table.selectRow(1)
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, text, **kw: asked.append(text) or True)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "«Test CA Chuyên dùng»" in asked[0]
    assert [r["subject"] for r in trust_store.list_all(party_registry)] == ["Test Root CA Việt Nam"]
    assert panel.table.rowCount() == 1 and "Đã xóa: Test CA Chuyên dùng" in panel.status.text()


def test_a_file_without_a_certificate_is_told_and_nothing_added(qtbot, context, party_registry, tmp_path,
                                                                  monkeypatch):
    wrong = tmp_path / "khong-phai.cer"
    wrong.write_bytes(b"day khong phai chung thu")
    panel = _settings(qtbot, context)
    _choose(monkeypatch, wrong)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "Chưa thêm được: khong-phai.cer: không đọc được chứng thư số" in panel.status.text()
    assert panel.add_button.isEnabled() and trust_store.list_all(party_registry) == []


def test_the_intake_dialog_shows_a_received_signature_as_trusted(qtbot, context, party_registry, tmp_path):
    ca = hierarchy()
    path = tmp_path / "cong-van-ky-so.pdf"
    path.write_bytes(sign_with(rendered_pdf("seed-000")))
    trust_store.add_file(party_registry, p7b(ca["root"], ca["intermediate"]))
    dialog = start_intake(context, path)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=30000)
    (text,) = [dialog.signatures.item(i).text() for i in range(dialog.signatures.count())]
    assert "chứng thư số do tổ chức chứng thực tin cậy cấp" in text and "thu hồi" in text


def test_an_incoming_entry_is_checked_again_after_the_root_is_added(qtbot, context, party_registry):
    from PySide6.QtWidgets import QLabel

    from dirdesk.gui.registers.incoming import IncomingSection
    from dirdesk.registers import incoming

    ca = hierarchy()
    row = incoming.add(party_registry, incoming.IncomingEntry(
        subject="Thông báo kết luận", files=[("tb.pdf", sign_with(rendered_pdf("seed-000")))]))
    assert incoming.signatures_in(row)[0]["trusted"] is None  # no list yet when it came in
    trust_store.add_file(party_registry, p7b(ca["root"], ca["intermediate"]))
    section = IncomingSection(context)
    qtbot.addWidget(section)
    dialog = section.open_entry(row["id"])
    label = dialog.child("signatures", QLabel)
    assert "chưa kiểm tra được chứng thư số" in label.text()
    assert dialog.child("recheck_button").isEnabled()
    qtbot.mouseClick(dialog.child("recheck_button"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert "chứng thư số do tổ chức chứng thực tin cậy cấp" in label.text()
    (sig,) = incoming.signatures_in(incoming.find(party_registry, f"#{row['id']}"))
    assert sig["trusted"] is True and sig["file"] == "tb.pdf"
