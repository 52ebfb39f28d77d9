"""A Party office's first run and Cài đặt name 05-HD/VPTW, pre-fill signers the checker accepts; the
type picker names each type's abbreviation in force and says where a type's authority is unconfirmed;
a Party secret document's number follows its type's sequence."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QLabel

from dirdesk.checks import check_draft
from dirdesk.draft import Signer
from dirdesk.gui.drafting.newdoc import CODE_ROLE, NewDocumentDialog
from dirdesk.gui.registers.reserve import ReserveDialog
from dirdesk.gui.settings import FirstRunDialog
from dirdesk.rules import doc_types
from dirdesk.templates import load_template


def signer_rows(editor) -> list[tuple[str, str]]:
    table = editor.signers
    return [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]


def test_first_run_names_05_hd_and_prefills_signers_the_checker_accepts(qtbot, empty_registry):
    dialog = FirstRunDialog(empty_registry)
    qtbot.addWidget(dialog)
    editor = dialog.editor
    party = editor.style_party.text()
    assert "05-HD/VPTW" in party and "36-HD/VPTW cho văn bản trước" in party
    assert party.index("05-HD") < party.index("36-HD")  # the edition in force first
    assert "Nghị định 30/2020/NĐ-CP" in editor.style_state.text()
    for button, style, code in ((editor.style_party, "party", "TB"), (editor.style_state, "state", "CV")):
        button.click()
        rows = signer_rows(editor)
        assert len(rows) == 2
        if style == "party":
            assert rows == [("T/M BAN THƯỜNG VỤ", "BÍ THƯ"), ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ")]
        template = load_template(style, code)
        for authority, title in rows:  # each pre-filled signer, named, signs without a finding
            signer = Signer(authority=authority or None, title=title, name="Nguyễn Văn An")
            findings = check_draft(dataclasses.replace(template, signer=signer))
            assert not [f for f in findings if f.field.startswith("signer")], (authority, findings)
    assert "K/T BÍ THƯ" not in editor.form.findChild(QLabel, "signersHelp").text()


def test_type_picker_shows_abbreviation_in_force_and_authority_note(qtbot):
    picker = NewDocumentDialog("party")
    qtbot.addWidget(picker.dialog)
    items = {picker.dialog.types.item(i).data(CODE_ROLE): picker.dialog.types.item(i)
             for i in range(picker.dialog.types.count())}
    assert set(items) == set(doc_types("party"))
    assert items["QĐi"].text().startswith("Quy định (QĐ)\n")  # 05-HD 3.1.2.a: "Quyết định, Quy định: QĐ"
    for code in ("CT", "TT"):
        assert "Lưu ý: Chưa xác nhận đảng ủy phường có thẩm quyền" in items[code].text()
        assert "399-QĐ/TW" in items[code].toolTip()
    assert "Lưu ý" not in items["NQ"].text()
    assert items["ThC"].text().startswith("Thư công (không số)")
    picker.dialog.filter.setText("đi đường")
    assert picker.chosen() == "GĐĐ"


def test_party_reserve_says_a_secret_number_follows_its_type(qtbot, context):
    dialog = ReserveDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.secret.text() == "Văn bản &mật (số liền với văn bản không mật cùng loại)"
    assert "dãy số riêng" not in dialog.secret.text()
    labels = [dialog.doc_type.itemText(i) for i in range(dialog.doc_type.count())]
    assert "Quy định (QĐ)" in labels and "Quy định (QĐi)" not in labels
