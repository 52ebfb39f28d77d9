"""Cài đặt → Ký số: the token's library kept on this machine, the seal and the signers' images kept in the
profile after their checks; an opaque seal is refused, saying why."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QPushButton

from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.profile import load_profile
from tests.office_keys import seal_png, signature_png


def test_the_signing_tab_keeps_the_library_and_the_images(qtbot, context, tmp_path, monkeypatch):
    from dirdesk.gui.settings import SettingsSection
    from dirdesk.gui.signing_dialog import KEYS, signing_settings
    from tests.gui.settle import settle

    section = SettingsSection(context)
    qtbot.addWidget(section)
    panel = section.signing
    assert section.tabs.tabText(section.tabs.indexOf(panel)) == "Ký số"
    chosen = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(chosen[-1]), ""))
    (tmp_path / "opaque.png").write_bytes(seal_png(opaque=True))
    chosen.append(tmp_path / "opaque.png")
    panel.choose_seal()
    settle(qtbot)
    assert "nền trong suốt" in panel.status.text() and not load_profile(context.registry).seal
    (tmp_path / "seal.png").write_bytes(seal_png())
    chosen.append(tmp_path / "seal.png")
    panel.choose_seal()
    settle(qtbot)
    assert read_attachment(context.registry, load_profile(context.registry).seal["sha256"]) == seal_png()
    assert panel.seal_state.text().startswith("Đã có")
    panel.signer.setCurrentText("Trần Văn Bình")
    (tmp_path / "sig.png").write_bytes(signature_png())
    chosen.append(tmp_path / "sig.png")
    panel.choose_signature()
    settle(qtbot)
    assert set(load_profile(context.registry).signature_images) == {"Trần Văn Bình"}
    assert panel.signature_state.text() == "Đã có"
    chosen.append("/usr/lib/libtoken.so")
    next(b for b in panel.findChildren(QPushButton) if b.accessibleName() == "Chọn thư viện usb token").click()
    assert signing_settings(context.data_dir).value(KEYS["pkcs11"]) == "/usr/lib/libtoken.so"
