"""The checks that catch what a reviewer catches: each fires on the mistake and is silent on the right form;
Ban hành refuses a draft with a template's blanks "[…]" and takes no number."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from dirdesk.checks import ERROR, WARNING, UnfinishedDraft, unfinished
from dirdesk.draft import draft_from_dict
from dirdesk.registers import outgoing
from dirdesk.templates import load_template
from tests.blanks import fill_blanks
from tests.conftest import run as run_cli
from tests.test_checks import codes, load, only, party_2026, run, signed

STATE_CV, STATE_QD = "state-cong-van", "state-quyet-dinh"


def state_cv(**changes):
    return replace(load(STATE_CV), **changes)


def state_qd(**changes):
    return replace(load(STATE_QD), **changes)


def party_qd(**changes):
    """The Party quyết định template, filled in and dated in 05-HD's time."""
    draft = draft_from_dict(fill_blanks(load_template("party", "QĐ").to_dict()))
    return replace(draft, date=party_2026().date, **changes)


# --- 12. template blanks ------------------------------------------------------------------

def test_placeholder_is_an_error_per_field():
    draft = signed(state_cv(body=load(STATE_CV).body + "\nLiên hệ: [số điện thoại]./."), name="[Họ và tên]")
    found = unfinished(draft)
    assert [(f.field, f.severity) for f in found] == [("body", ERROR), ("signer.name", ERROR)]
    assert "'[số điện thoại]'" in found[0].message and "không ban hành được" in found[0].message
    assert found[0].source == "Nghị định 30/2020/NĐ-CP, Điều 12 (kiểm tra văn bản trước khi ký ban hành)"


def test_a_blank_in_an_attached_part_or_a_second_signature_is_caught():
    decision = load("state-quyet-dinh-kem-theo")
    assert decision.attachments and not unfinished(decision)
    rules = replace(decision.attachments[0], body=decision.attachments[0].body + "\nĐiều 9. [Nội dung]")
    found = unfinished(replace(decision, attachments=[rules, *decision.attachments[1:]]))
    assert [f.field for f in found] == ["attachments[0].body"]
    minutes = load("state-bien-ban")
    found = unfinished(replace(minutes, signer2=replace(minutes.signer2, name="[Họ và tên]")))
    assert [f.field for f in found] == ["signer2.name"]


@pytest.mark.parametrize("text", ["[...]", "[…]", "[]", "[Cơ quan, đơn vị nhận]"])
def test_every_kind_of_blank_is_caught(text):
    assert "text.placeholder" in codes(state_cv(recipients=[text, "Công an phường Ba Đình"]))


def test_a_numbered_reference_in_brackets_is_no_blank():
    assert "text.placeholder" not in codes(state_cv(body=load(STATE_CV).body.replace("./.", " [1]./.")))
    assert "text.placeholder" not in codes(load(STATE_CV))


# --- 13. căn cứ ----------------------------------------------------------------------------

def test_state_grounds_each_end_semicolon_the_last_a_full_stop():
    lines = load(STATE_QD).preamble.split("\n")
    wrong = "\n".join([*lines[:2], lines[2].rstrip(";"), *lines[3:-1], lines[-1].rstrip(".") + ";"])
    found = [f for f in run(state_qd(preamble=wrong)) if f.code == "preamble.grounds-punctuation"]
    assert len(found) == 2 and all(f.severity == ERROR for f in found)
    assert "';'" in found[0].message and "'.'" in found[1].message
    assert "preamble.grounds-punctuation" not in codes(load(STATE_QD))


def test_state_grounds_take_no_dash():
    lines = load(STATE_QD).preamble.split("\n")
    dashed = "\n".join([lines[0], "- " + lines[1], *lines[2:]])
    f = only(state_qd(preamble=dashed), "preamble.grounds-dash")
    assert "bỏ gạch đầu dòng" in f.message and "Mẫu 1.1–1.3" in f.source


def test_party_grounds_begin_with_a_dash_and_end_right():
    good = party_qd()
    assert not codes(good) & {"preamble.grounds-dash", "preamble.grounds-punctuation"}
    undashed = good.preamble.replace("- Căn cứ Điều lệ", "Căn cứ Điều lệ")
    assert only(replace(good, preamble=undashed), "preamble.grounds-dash").source == "Hướng dẫn 05-HD/VPTW, mục 6.2.3"
    unfinished_last = good.preamble.rstrip(".")
    assert "'.'" in only(replace(good, preamble=unfinished_last), "preamble.grounds-punctuation").message


def test_a_thuc_hien_preamble_is_no_grounds():
    assert not codes(load("seed-003")) & {"preamble.grounds-dash", "preamble.grounds-punctuation"}


# --- 14. the end of the text -----------------------------------------------------------------

def test_state_text_ends_with_slash_mark():
    f = only(state_cv(body=load(STATE_CV).body.removesuffix("/.")), "body.end-mark")
    assert f.severity == WARNING and "'./.'" in f.message and "Phụ lục III" in f.source
    assert "body.end-mark" not in codes(load(STATE_CV))


def test_party_2026_text_ends_with_a_full_stop():
    body = party_2026().body
    f = only(party_2026(body=body.rstrip(".")), "body.end-mark")
    assert f.severity == ERROR and f.source == "Hướng dẫn 05-HD/VPTW, mục 6.2.2"
    assert only(party_2026(body=body + "/."), "body.end-mark").severity == WARNING
    assert "body.end-mark" not in codes(party_2026())


def test_party_2018_end_is_not_checked():
    assert "body.end-mark" not in codes(load("seed-003"))  # ends "./." in 2021, as received


# --- 15. the QUYẾT ĐỊNH line --------------------------------------------------------------------

def test_quyet_dinh_needs_its_decision_line():
    body = load(STATE_QD).body
    f = only(state_qd(body=body.replace("# QUYẾT ĐỊNH:\n", "")), "body.decision-line-missing")
    assert f.severity == ERROR and "# QUYẾT ĐỊNH:" in f.message
    assert "viết đúng" in only(state_qd(body=body.replace("QUYẾT ĐỊNH:", "QUYẾT ĐỊNH")),
                               "body.decision-line-missing").message
    assert "body.decision-line-missing" not in codes(load(STATE_QD))


def test_party_quyet_dinh_line_is_a_warning():
    good = party_qd()
    assert "body.decision-line-missing" not in codes(good)
    f = only(replace(good, body=good.body.replace("# QUYẾT ĐỊNH\n", "")), "body.decision-line-missing")
    assert f.severity == WARNING


# --- 16, 17. Kính gửi and V/v ----------------------------------------------------------------

def test_cong_van_needs_kinh_gui():
    f = only(state_cv(recipients=[]), "recipients.missing")
    assert f.severity == ERROR and f.field == "recipients"
    assert "recipients.missing" in codes(party_2026(recipients=[]))
    assert "recipients.missing" not in codes(load(STATE_CV))


def test_party_to_trinh_needs_kinh_trinh():
    to_trinh = replace(party_qd(), type="TTr", recipients=[], subject="về việc đề nghị chuẩn y")
    f = only(to_trinh, "recipients.missing")
    assert "'Kính trình'" in f.message and f.source == "Hướng dẫn 05-HD/VPTW, mục 9.2.3–9.2.4"
    assert "recipients.missing" not in codes(replace(to_trinh, recipients=["Ban Thường vụ Thành ủy"]))


def test_quyet_dinh_takes_no_kinh_gui_and_no_vv():
    draft = state_qd(recipients=["Công an phường"], subject="V/v thành lập Tổ công tác")
    assert only(draft, "recipients.forbidden").severity == ERROR
    assert "'Về việc thành lập Tổ công tác'" in only(draft, "subject.vv-not-cv").message
    assert not codes(load(STATE_QD)) & {"recipients.forbidden", "subject.vv-not-cv"}


def test_vv_on_a_party_nghi_quyet_is_a_warning_as_on_its_cong_van():
    draft = replace(party_qd(), type="NQ", subject="V/v công tác cán bộ")
    assert only(draft, "subject.vv-not-cv").severity == WARNING


# --- 18. trích yếu length ----------------------------------------------------------------------

def test_over_long_subject_is_a_warning():
    long = "V/v " + "tăng cường công tác phòng cháy, chữa cháy " * 6
    f = only(state_cv(subject=long), "subject.too-long")
    assert f.severity == WARNING and "quá 200" in f.message
    assert "subject.too-long" not in codes(state_cv(subject=long[:200]))


# --- 19–21. the signer ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, bare", [("TS. Trần Quốc Bảo", "Trần Quốc Bảo"), ("ThS.Lê Hoàng Nam", "Lê Hoàng Nam"),
                                        ("PGS.TS. Phạm Văn A", "Phạm Văn A"), ("Thạc sĩ Vũ Thu Hà", "Vũ Thu Hà"),
                                        ("Đại uý Bùi Tiến Dũng", "Bùi Tiến Dũng")])
def test_honorific_before_the_name(name, bare):
    f = only(signed(load(STATE_CV), name=name), "signing.name-honorific")
    assert f"'{bare}'" in f.message and f.severity == ERROR


@pytest.mark.parametrize("name", ["Trần Quốc Bảo", "Tsering Dorje", "Cù Thị Hậu", "Đại Văn Nam"])
def test_a_plain_name_is_no_honorific(name):
    assert "signing.name-honorific" not in codes(signed(load(STATE_CV), name=name))


def test_party_honorific_cites_05hd():
    assert only(signed(party_2026(), name="TS. Nguyễn Đức Giang"),
                "signing.name-honorific").source == "Hướng dẫn 05-HD/VPTW, mục 7.1.3"


def test_deputy_signs_with_the_deputy_title():
    f = only(signed(load(STATE_CV), title="CHỦ TỊCH"), "signing.deputy-title")
    assert "'PHÓ CHỦ TỊCH'" in f.message
    assert "signing.deputy-title" not in codes(load(STATE_CV))  # KT. CHỦ TỊCH / PHÓ CHỦ TỊCH
    assert "signing.deputy-title" not in codes(signed(load(STATE_CV), title="PHÓ CHỦ TỊCH THƯỜNG TRỰC"))


def test_party_deputy_of_a_committee_is_left_to_the_collective_check():
    found = codes(signed(party_2026(), authority="K/T BÍ THƯ", title="PHÓ BÍ THƯ"))
    assert "signing.collective" in found and "signing.deputy-title" not in found


def test_party_document_signed_for_a_state_body():
    f = only(signed(party_2026(), authority="T/M ỦY BAN NHÂN DÂN", title="CHỦ TỊCH"), "signing.authority-foreign")
    assert f.severity == ERROR and "ĐẢNG ỦY PHƯỜNG BÁCH QUANG" in f.message
    assert "signing.authority-foreign" not in codes(party_2026())


def test_state_document_signed_for_a_party_body_or_by_a_party_office():
    assert "signing.authority-foreign" in codes(signed(load(STATE_CV), authority="TM. BAN THƯỜNG VỤ"))
    assert only(signed(load(STATE_CV), authority=None, title="BÍ THƯ"), "signing.title-foreign").severity == ERROR
    assert not codes(load(STATE_CV)) & {"signing.authority-foreign", "signing.title-foreign"}
    assert "signing.authority-foreign" not in codes(signed(load(STATE_CV), authority="TM. HỘI ĐỒNG NHÂN DÂN"))


def test_collective_authority_names_the_issuer():
    f = only(signed(party_2026(), authority="T/M CHI BỘ"), "signing.authority-issuer")
    assert "'T/M ĐẢNG ỦY'" in f.message and f.source == "Hướng dẫn 05-HD/VPTW, mục 7.1.1"
    assert "signing.authority-issuer" not in codes(party_2026())  # T/M BAN THƯỜNG VỤ of the Đảng ủy
    assert "signing.authority-issuer" not in codes(signed(party_2026(), authority="T/M ĐẢNG UỶ"))
    f = only(signed(load(STATE_CV), authority="TM. HỘI ĐỒNG NHÂN DÂN\nKT. CHỦ TỊCH"), "signing.authority-issuer")
    assert "'TM. ỦY BAN NHÂN DÂN'" in f.message
    assert "signing.authority-issuer" not in codes(load(STATE_CV))


# --- 22. the symbol override ---------------------------------------------------------------------

def test_symbol_of_the_other_style():
    f = only(party_2026(symbol="66/CV-ĐU"), "symbol.style")
    assert "'12-CV/ĐU'" in f.message
    assert only(state_cv(symbol="856-UBND/VP"), "symbol.style").severity == ERROR


def test_symbol_right_form_wrong_type_or_issuer():
    assert not codes(party_2026(symbol="66-CV/ĐU")) & {"symbol.style", "symbol.form", "symbol.mismatch"}
    assert not codes(state_cv(symbol="856/UBND-VP")) & {"symbol.style", "symbol.form", "symbol.mismatch"}
    assert not codes(state_qd(symbol="318/QĐ-UBND")) & {"symbol.style", "symbol.form", "symbol.mismatch"}
    assert "'NQ' thay cho 'CV'" in only(party_2026(symbol="66-NQ/ĐU"), "symbol.mismatch").message
    assert only(state_qd(symbol="318/QĐ-HĐND"), "symbol.mismatch").severity == WARNING
    assert only(state_cv(symbol="cv 856"), "symbol.form").severity == WARNING
    assert only(state_cv(symbol="Số: 856/UBND-VP"), "symbol.label").severity == ERROR


# --- Ban hành refuses blanks ----------------------------------------------------------------------

def test_core_issue_refuses_blanks_and_takes_no_number(registry):
    draft = load_template("state", "CV")
    with pytest.raises(UnfinishedDraft) as caught:
        outgoing.issue(registry, replace(draft, date=load(STATE_CV).date), render=False)
    assert {f for f, _ in caught.value.problems} >= {"recipients", "body", "signer.name"}
    assert outgoing.list_rows(registry) == []
    filled = draft_from_dict(fill_blanks(draft.to_dict()))
    row = outgoing.issue(registry, replace(filled, date=load(STATE_CV).date), render=False)
    assert row["number"] == 1  # the refused draft used up no number


def test_cli_issue_refuses_blanks(capsys, db, tmp_path):
    path = tmp_path / "cv.json"
    data = dict(load(STATE_CV).to_dict(), number=None)
    data["signer"]["name"] = "[Họ và tên]"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli(capsys, "outgoing", "issue", str(path), "--db", db)
    assert code == 2 and out == ""
    assert "signer.name: Còn chỗ trống của mẫu chưa điền: '[Họ và tên]'" in err
    data["signer"]["name"] = "Trần Quốc Bảo"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run_cli(capsys, "outgoing", "issue", str(path), "--db", db)
    assert code == 0 and out.strip() == "01/UBND-VP"  # the first number: the refusal took none
