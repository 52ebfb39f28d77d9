"""Numbers in the outgoing register: sequences, reservations, cancellations,
pre-numbered drafts, and failures that must not use a number up."""

import dataclasses
import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from dirdesk.registers import RegisterError, audit, outgoing
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.numbering import NO_TERM_NOTE
from dirdesk.registers.profile import add_term, set_profile_value
from tests.conftest import fixture_draft

D = dt.date


def issue(reg, name="seed-000", on=None, **changes):
    return outgoing.issue(reg, fixture_draft(name, **changes), date=on, render=False)


def test_first_issue_sets_up_the_profile_and_numbers_from_01(registry):
    row = issue(registry)
    assert (row["number"], row["symbol"], row["status"]) == (1, "01-CV/ĐU", "issued")
    profile = registry.one("SELECT value FROM profile WHERE key = 'issuer'")
    assert json.loads(profile["value"])["code"] == "ĐU"
    assert issue(registry)["symbol"] == "02-CV/ĐU"


def test_issued_document_is_frozen_with_its_number_and_files(registry):
    row = outgoing.issue(registry, fixture_draft("seed-000"), date=D(2021, 9, 10))
    frozen = json.loads(row["draft_json"])
    assert (frozen["number"], frozen["date"]) == (1, "2021-09-10")
    pdf_text = PdfReader(io.BytesIO(read_attachment(registry, row["pdf_sha256"]))).pages[0].extract_text()
    assert "Số 01-CV/ĐU" in pdf_text
    assert "ngày 10 tháng 9 năm 2021" in pdf_text
    assert read_attachment(registry, row["docx_sha256"])[:2] == b"PK"
    # the stored files are named by hash, not by anything the user typed
    names = sorted(p.name for p in registry.files_dir.rglob("*") if p.is_file())
    assert names == sorted([row["docx_sha256"] + ".docx", row["pdf_sha256"] + ".pdf"])


def test_party_numbers_run_per_type_and_across_years(registry):
    add_term(registry, D(2020, 10, 1))
    assert issue(registry, on=D(2021, 12, 31))["number"] == 1
    assert issue(registry, "seed-003", on=D(2021, 12, 31))["symbol"] == "01-NQ/ĐU"
    # 31/12 -> 01/01 does not restart Party numbering
    assert issue(registry, on=D(2022, 1, 1))["symbol"] == "02-CV/ĐU"
    assert issue(registry, "seed-003", on=D(2022, 1, 1))["symbol"] == "02-NQ/ĐU"


def test_a_new_party_term_restarts_numbering(registry):
    add_term(registry, D(2020, 10, 1))
    for _ in range(3):
        issue(registry, on=D(2025, 9, 30))
    add_term(registry, D(2025, 10, 15))
    assert issue(registry, on=D(2025, 10, 15))["symbol"] == "01-CV/ĐU"
    # a document dated in the old term still continues the old term's sequence
    assert issue(registry, on=D(2025, 10, 1))["symbol"] == "04-CV/ĐU"


def test_party_secret_documents_share_their_types_sequence(registry):
    add_term(registry, D(2020, 10, 1))
    issue(registry, on=D(2021, 3, 1))
    assert issue(registry, on=D(2021, 3, 2), secrecy="MẬT")["symbol"] == "02-CV/ĐU"


def test_party_register_without_a_term_says_so(registry):
    issue(registry)
    preview = outgoing.preview_next(registry, "CV")
    assert preview.number == 2
    assert preview.sequence.note == NO_TERM_NOTE


def test_state_numbers_restart_on_the_first_of_january(registry):
    assert issue(registry, "state-quyet-dinh", on=D(2025, 12, 30))["symbol"] == "01/QĐ-UBND"
    assert issue(registry, "state-quyet-dinh", on=D(2025, 12, 31))["symbol"] == "02/QĐ-UBND"
    assert issue(registry, "state-quyet-dinh", on=D(2026, 1, 1))["symbol"] == "01/QĐ-UBND"


def test_state_shared_sequence_spans_types_and_secret_documents_have_their_own(registry):
    assert issue(registry, "state-quyet-dinh", on=D(2026, 3, 1))["symbol"] == "01/QĐ-UBND"
    assert issue(registry, "state-cong-van", on=D(2026, 3, 2))["symbol"] == "02/UBND-VP"
    assert issue(registry, "state-cong-van", on=D(2026, 3, 2), secrecy="MẬT")["symbol"] == "01/UBND-VP"
    assert issue(registry, "state-quyet-dinh", on=D(2026, 3, 3))["symbol"] == "03/QĐ-UBND"


def test_state_sequence_per_type_when_the_office_chooses_it(registry):
    issue(registry, "state-quyet-dinh", on=D(2025, 12, 1))  # chosen for the new year: no symbol comes twice
    set_profile_value(registry, "state_sequence", "per_type")
    assert issue(registry, "state-cong-van", on=D(2026, 3, 2))["symbol"] == "01/UBND-VP"
    assert issue(registry, "state-quyet-dinh", on=D(2026, 3, 3))["symbol"] == "01/QĐ-UBND"


def test_a_draft_of_the_other_style_is_refused(registry):
    issue(registry)
    with pytest.raises(RegisterError, match="văn bản hành chính"):
        issue(registry, "state-cong-van")


def test_a_draft_of_another_issuing_body_is_refused(registry):
    issue(registry)  # ĐẢNG ỦY PHƯỜNG BÁCH QUANG, ĐU
    with pytest.raises(RegisterError, match="cơ quan ban hành 'TU' nhưng sổ này là của 'ĐU'"):
        issue(registry, "seed-002")
    assert outgoing.preview_next(registry, "CV").number == 2


def test_reserved_number_is_skipped_then_filled_by_its_document(registry):
    issue(registry)
    reserved = outgoing.reserve(registry, "CV", on=D(2021, 9, 9))
    assert (reserved["symbol"], reserved["status"]) == ("02-CV/ĐU", "reserved")
    assert issue(registry)["number"] == 3
    filled = issue(registry, number=2)
    assert (filled["id"], filled["status"], filled["subject"][:3]) == (reserved["id"], "issued", "V/v")
    assert [a["action"] for a in audit.history(registry, "outgoing", reserved["id"])] == ["issue", "insert"]


def test_pre_numbered_draft_is_registered_if_free_and_refused_if_taken(registry):
    assert issue(registry, number=66)["symbol"] == "66-CV/ĐU"
    before = registry.one("SELECT COUNT(*) AS n FROM outgoing")["n"]
    with pytest.raises(RegisterError, match=r"Số 66 .*đã được dùng: 66-CV/ĐU ngày 08/09/2021"):
        issue(registry, number=66)
    assert registry.one("SELECT COUNT(*) AS n FROM outgoing")["n"] == before
    assert issue(registry)["number"] == 67


def test_cancelled_number_stays_in_the_register_and_is_never_reused(registry):
    issue(registry)
    second = issue(registry)
    cancelled = outgoing.cancel(registry, "02-CV/ĐU", "Ký nhầm người ký")
    assert (cancelled["id"], cancelled["status"], cancelled["cancel_reason"]) == (second["id"], "cancelled",
                                                                                  "Ký nhầm người ký")
    assert issue(registry)["number"] == 3
    with pytest.raises(RegisterError, match="đã được dùng"):
        issue(registry, number=2)
    with pytest.raises(RegisterError, match="đã bị hủy"):
        outgoing.cancel(registry, "02-CV/ĐU", "lần nữa")
    with pytest.raises(RegisterError, match="lý do"):
        outgoing.cancel(registry, "01-CV/ĐU", "  ")


def test_symbol_lookup_ignores_case_and_form_and_asks_when_ambiguous(registry):
    issue(registry, "state-quyet-dinh", on=D(2025, 5, 1))
    issue(registry, "state-quyet-dinh", on=D(2026, 5, 1))
    with pytest.raises(RegisterError, match="Có 2 văn bản"):
        outgoing.find(registry, "01/QĐ-UBND")
    assert outgoing.find(registry, "01/qđ-ubnd", year=2026)["date"] == "2026-05-01"
    with pytest.raises(RegisterError, match="Không có văn bản 01/QD-UBND"):
        outgoing.find(registry, "01/QD-UBND", year=2026)  # D is not Đ


def test_a_failed_render_uses_no_number_and_leaves_no_row(registry, monkeypatch):
    issue(registry)
    import dirdesk.render

    def broken(doc):
        raise OSError("đĩa đầy")

    monkeypatch.setattr(dirdesk.render, "render_pdf_bytes", broken)
    audit_before = registry.one("SELECT COUNT(*) AS n FROM audit")["n"]
    with pytest.raises(OSError):
        outgoing.issue(registry, fixture_draft("seed-000"))
    assert outgoing.preview_next(registry, "CV").number == 2
    assert registry.one("SELECT COUNT(*) AS n FROM outgoing")["n"] == 1
    assert registry.one("SELECT COUNT(*) AS n FROM audit")["n"] == audit_before
    monkeypatch.undo()
    assert outgoing.issue(registry, fixture_draft("seed-000"))["number"] == 2


def test_soft_delete_keeps_the_number_and_can_be_undone(registry):
    row = issue(registry)
    with registry.transaction():
        audit.soft_delete(registry, "outgoing", row["id"])
    assert outgoing.list_rows(registry) == []
    assert issue(registry)["number"] == 2
    with registry.transaction():
        audit.undelete(registry, "outgoing", row["id"])
    assert [r["number"] for r in outgoing.list_rows(registry)] == [1, 2]
    actions = [a["action"] for a in audit.history(registry, "outgoing", row["id"])]
    assert actions == ["undelete", "delete", "insert"]


def test_edits_are_audited_with_old_and_new_values(registry):
    row = issue(registry)
    outgoing.edit(registry, row["id"], sent_date="2021-09-09", note="Gửi qua bưu điện")
    outgoing.edit(registry, row["id"], note="Gửi bản điện tử")
    last = audit.history(registry, "outgoing", row["id"])[0]
    assert (last["old"], last["new"]) == ({"note": "Gửi qua bưu điện"}, {"note": "Gửi bản điện tử"})
    with pytest.raises(RegisterError, match="Không sửa được cột number"):
        outgoing.edit(registry, row["id"], number=5)


def test_register_columns_come_from_the_document(registry):
    row = issue(registry)
    assert row["type_name"] == "Công văn"
    assert row["signer"] == "Nguyễn Đức Giang"
    # "Như kính gửi" is spelled out as the recipients; "Lưu …" is the file copy holder
    assert row["recipients"].startswith("Ủy ban MTTQ và các tổ chức chính trị - xã hội phường; ")
    assert row["copy_holder"] == "Văn phòng Đảng ủy"


def test_issue_refuses_when_the_number_shown_was_taken_meanwhile(registry):
    from dirdesk.registers import outgoing
    from dirdesk.registers.errors import NumberTaken

    draft = fixture_draft("seed-000")
    outgoing.issue(registry, draft, render=False)  # the first issue fills the office profile
    shown = outgoing.preview_next(registry, "CV").number
    outgoing.reserve(registry, "CV")  # another window takes that number (lấy số trước)
    before = registry.one("SELECT COUNT(*) AS n FROM outgoing")["n"]
    with pytest.raises(NumberTaken) as caught:
        outgoing.issue(registry, draft, expect_number=shown, render=False)
    assert (caught.value.expected, caught.value.actual) == (shown, shown + 1)
    assert registry.one("SELECT COUNT(*) AS n FROM outgoing")["n"] == before  # nothing written
    row = outgoing.issue(registry, draft, expect_number=shown + 1, render=False)
    assert row["number"] == shown + 1


def test_a_wards_nghi_quyet_is_numbered_by_the_hdnd_in_the_same_register(registry):
    """The HĐND's nghị quyết (types-state.toml issuer_code) is kept in the UBND office's register with
    its own sequence and symbol; a draft of any other body is still refused."""
    import datetime as dt_

    from dirdesk.draft import draft_from_dict
    from dirdesk.registers.profile import load_profile
    from dirdesk.templates import draft_from_profile
    from tests.blanks import fill_blanks

    assert issue(registry, "state-quyet-dinh", on=D(2026, 3, 1))["symbol"] == "01/QĐ-UBND"
    template = draft_from_profile(load_profile(registry), "NQ", today=dt_.date(2026, 3, 2))
    resolution = draft_from_dict(fill_blanks(template.to_dict()))  # filled in, as before Ban hành
    assert outgoing.preview_next(registry, "NQ", on=D(2026, 3, 2)).symbol == "01/NQ-HĐND"
    row = outgoing.issue(registry, resolution, date=D(2026, 3, 2), render=False)
    assert (row["symbol"], row["type_name"]) == ("01/NQ-HĐND", "Nghị quyết")
    assert issue(registry, "state-cong-van", on=D(2026, 3, 3))["symbol"] == "02/UBND-VP"  # the UBND's go on
    with pytest.raises(RegisterError, match="cơ quan ban hành 'HĐND'"):
        issue(registry, "state-cong-van", on=D(2026, 3, 4), issuer=dataclasses.replace(resolution.issuer, unit="VP"))
