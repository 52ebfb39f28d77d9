"""The draft form carries the second signature, the confirmation and a joint document's second body."""

import json

from dirdesk.draft import draft_from_dict
from tests.gui.test_drafting import open_template, section  # noqa: F401 (the fixture)
from tests.readback import FIXTURES


def test_bien_ban_template_opens_with_both_signers(qtbot, section):  # noqa: F811
    draft = open_template(qtbot, section, "BB")
    form = section.form
    assert form.signer2.isChecked() and form.signer2.title_edit.text() == draft.signer2.title
    assert form.ui.signer_title.text() == draft.signer.title  # the meeting's role, not the office's T/M line
    form.signer2.name_edit.setText("Phạm Thu Trang")
    data = form.data()
    assert data["signer2"]["name"] == "Phạm Thu Trang"
    assert draft_from_dict(data).signer2.title == draft.signer2.title


def test_a_loaded_draft_keeps_its_new_fields_and_unticking_drops_one(qtbot, section):  # noqa: F811
    for name in ("party-bien-ban", "party-lien-tich"):
        data = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
        section.load_data(data)
        got = section.form.data()
        for key in ("signer2", "signer_confirm", "co_issuer"):
            assert got.get(key) == data.get(key), (name, key)
    assert "VĂN PHÒNG ĐẢNG ỦY" in section.form.ui.issuer_label.text()
    section.form.signer2.setChecked(False)
    assert "signer2" not in section.form.data()


def test_the_confirmation_is_offered_for_party_documents_only(qtbot, section):  # noqa: F811
    form = section.form
    section.load_data(json.loads((FIXTURES / "state-bien-ban.json").read_text("utf-8")))
    assert form.signer2.isVisible() and not form.confirm.isVisible()
    section.load_data(json.loads((FIXTURES / "party-bien-ban.json").read_text("utf-8")))
    assert form.confirm.isVisible() and form.confirm.isChecked()
    form.set_read_only(True)
    assert form.confirm.name_edit.isReadOnly()
