"""Sao văn bản… in the outgoing and incoming sections: the copy is made, numbered and written in a worker."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from PySide6.QtCore import Qt

from dirdesk.registers import incoming, outgoing
from tests.conftest import fixture_draft
from tests.gui.settle import settle
from tests.scans import three_page_scan


@pytest.fixture
def sections(qtbot, context):
    from dirdesk.gui.registers.incoming import IncomingSection
    from dirdesk.gui.registers.outgoing import OutgoingSection

    reg = context.registry
    context.issued = outgoing.issue(reg, fixture_draft("seed-000"))
    entry = incoming.IncomingEntry(author="UBND thành phố", symbol="15/KH-UBND", subject="Kế hoạch",
                                   files=[("kh.pdf", three_page_scan())])
    context.received = incoming.add(reg, entry)
    out = []
    for cls in (OutgoingSection, IncomingSection):
        section = cls(context)
        qtbot.addWidget(section)
        section.show()
        qtbot.waitExposed(section)
        out.append(section)
    return out


def pdf_text(path) -> str:
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        return " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)


def test_sao_y_from_the_outgoing_section(sections, qtbot, tmp_path):
    out_section, _ = sections
    out_section.select_row_id(out_section.context.issued["id"])
    assert out_section.copy_button.isEnabled()
    qtbot.mouseClick(out_section.copy_button, Qt.MouseButton.LeftButton)
    dialog = out_section.dialog
    assert dialog.preview.text() == "<b>01-BS/ĐU</b>"
    dialog.signer.setCurrentIndex(1)  # the profile's second signer
    dialog.path.setText(str(tmp_path / "ban-sao.pdf"))
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30000)
    text = pdf_text(tmp_path / "ban-sao.pdf")
    assert "BẢN SAO VĂN BẢN" in text and "01-BS/ĐU" in text and "Trần Văn Bình" in text
    row = out_section.registry.one("SELECT * FROM copies")
    assert row["outgoing_id"] == out_section.context.issued["id"] and row["signer"] == "Trần Văn Bình"


def test_trich_sao_from_the_incoming_section_and_a_refusal_shown_in_the_dialog(sections, qtbot, tmp_path):
    _, in_section = sections
    in_section.select_row_id(in_section.context.received["id"])
    qtbot.mouseClick(in_section.copy_button, Qt.MouseButton.LeftButton)
    dialog = in_section.dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("trich-sao"))
    assert dialog.pages.isEnabled()
    dialog.path.setText(str(tmp_path / "trich.pdf"))
    dialog.pages.setText("2-5")  # past the scan's three pages: said in the dialog, no number used
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=30000)
    assert "không có trong văn bản" in dialog.error.text() and dialog.isVisible()
    assert in_section.registry.query("SELECT * FROM copies") == [] and not (tmp_path / "trich.pdf").exists()
    dialog.pages.setText("1-2")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30000)
    assert "Hình thức sao: trích sao" in pdf_text(tmp_path / "trich.pdf")
    assert in_section.registry.one("SELECT symbol, pages FROM copies") == {"symbol": "01-BS/ĐU", "pages": "1-2"}


def test_an_electronic_copy_asks_the_key_and_pin_and_is_signed(sections, qtbot, tmp_path, monkeypatch):
    """The PIN is asked each time (the signing dialog); a wrong one is said in the dialog, takes no number;
    the right one gives a signed copy (the office's signature on page 1)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    from dirdesk.gui.signing_dialog import SignDialog
    from tests.office_keys import write_p12

    p12 = write_p12(tmp_path / "office.p12")
    pins = iter(["sai", "mật khẩu"])

    def answer(dialog):
        dialog.use_p12.setChecked(True)
        dialog.p12.setText(str(p12))
        dialog.secret.setText(next(pins))
        return SignDialog.DialogCode.Accepted

    monkeypatch.setattr(SignDialog, "exec", answer)
    out_section, _ = sections
    out_section.select_row_id(out_section.context.issued["id"])
    qtbot.mouseClick(out_section.copy_button, Qt.MouseButton.LeftButton)
    dialog = out_section.dialog
    dialog.electronic.setChecked(True)
    target = tmp_path / "ban-sao-dien-tu.pdf"
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=30000)  # the wrong password, said in the dialog
    assert not target.exists() and out_section.registry.query("SELECT * FROM copies") == []
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=30000)
    assert PdfFileReader(io.BytesIO(target.read_bytes())).embedded_signatures
    assert out_section.registry.one("SELECT symbol FROM copies")["symbol"] == "01-BS/ĐU"
