"""Văn bản đi → a row → Ký số…: the key asked each time (the PIN never kept), signed in the register's
worker; a wrong password is said on the entry's error line and nothing is written."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from dirdesk.registers import outgoing
from dirdesk.registers.audit import get_row
from dirdesk.registers.signing import save_seal, save_signature
from tests.conftest import fixture_draft
from tests.office_keys import OFFICE_CN, seal_png, signature_png, write_p12


def _answer(monkeypatch, p12, password):
    from dirdesk.gui.signing_dialog import SignDialog

    def exec_(dialog):
        dialog.use_p12.setChecked(True)
        dialog.p12.setText(str(p12))
        dialog.secret.setText(password)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SignDialog, "exec", exec_)


def test_sign_from_the_outgoing_entry(context, qtbot, monkeypatch, tmp_path):
    from dirdesk.gui.registers.entry_outgoing import OutgoingEntryDialog
    from dirdesk.gui.signing_dialog import KEYS, signing_settings
    from tests.gui.settle import settle

    reg = context.registry
    row = outgoing.issue(reg, fixture_draft("seed-000"))
    draft = fixture_draft("seed-000")
    save_seal(reg, seal_png())
    save_signature(reg, draft.signer.name, signature_png())
    p12 = write_p12(tmp_path / "office.p12")
    dialog = OutgoingEntryDialog(context, row["id"])
    qtbot.addWidget(dialog)
    assert dialog.sign_button.isEnabled()
    _answer(monkeypatch, p12, "sai")
    dialog.sign_button.click()
    settle(qtbot)
    assert "Mật khẩu" in dialog.error.text()
    assert get_row(reg, "outgoing", row["id"])["signed_pdf_sha256"] is None
    _answer(monkeypatch, p12, "mật khẩu")
    dialog.sign_button.click()
    settle(qtbot)
    signed = get_row(reg, "outgoing", row["id"])
    assert signed["signed_by"] == OFFICE_CN
    assert "đã ký số" in dialog.child("state").text().lower()
    assert dialog.child("files").item(0).text().startswith("Bản PDF đã ký số")
    assert not dialog.sign_button.isEnabled()  # a signed file is not signed over
    settings = signing_settings(context.data_dir)
    assert settings.value(KEYS["p12"]) == str(p12)
    assert "mật khẩu" not in (context.data_dir / "dirdesk-gui.ini").read_text(encoding="utf-8", errors="replace")
