"""dirdesk.checks: each check fires on a bad draft and stays quiet on a good one."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from dirdesk.checks import (
    ERROR,
    WARNING,
    Finding,
    check_draft,
    edit_distance,
    format_findings,
    norm,
)
from dirdesk.draft import Draft, load_draft

FIXTURES = Path(__file__).parent / "fixtures" / "drafts"
TODAY = dt.date(2026, 11, 22)
AFTER_05HD = dt.date(2026, 6, 1)  # a date under Hướng dẫn 05-HD/VPTW


def load(name: str) -> Draft:
    return load_draft(FIXTURES / f"{name}.json")


def signed(draft: Draft, **signer) -> Draft:
    return replace(draft, signer=replace(draft.signer, **signer))


def party_2026(**changes) -> Draft:
    """Seed 000 (a Party công văn) moved into 05-HD's time and made clean for it."""
    draft = replace(load("seed-000"), date=AFTER_05HD, subject="về việc tăng cường công tác tuyên truyền")
    return replace(draft, **changes)


def run(draft: Draft) -> list[Finding]:
    return check_draft(draft, today=TODAY)


def codes(draft: Draft) -> set[str]:
    return {f.code for f in run(draft)}


def only(draft: Draft, code: str) -> Finding:
    found = [f for f in run(draft) if f.code == code]
    assert len(found) == 1, run(draft)
    return found[0]


# --- the fixtures as written --------------------------------------------------

@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_fixtures_have_no_errors(path):
    findings = check_draft(load_draft(path), today=TODAY)
    assert [f for f in findings if f.severity == ERROR] == []
    for f in findings:
        assert f.severity in (ERROR, WARNING) and f.code and f.field and f.message and f.source


def test_clean_2026_draft_has_no_findings():
    assert run(party_2026()) == []


# --- 1. signing prefixes of the other style -------------------------------------

def test_party_signed_with_state_prefix():
    draft = signed(load("seed-000"), authority="TM. BAN THƯỜNG VỤ")
    f = only(draft, "signing.prefix-foreign")
    assert f.severity == ERROR and f.field == "signer.authority"
    assert "'T/M BAN THƯỜNG VỤ'" in f.message
    assert f.source == "Hướng dẫn 36-HD/VPTW"


def test_state_signed_with_party_prefix():
    draft = signed(load("state-cong-van"), authority="T/M ỦY BAN NHÂN DÂN")
    f = only(draft, "signing.prefix-foreign")
    assert f.severity == ERROR and "'TM. ỦY BAN NHÂN DÂN'" in f.message
    assert f.source == "Nghị định 30/2020/NĐ-CP, Phụ lục I"


def test_own_prefixes_do_not_fire():
    assert "signing.prefix-foreign" not in codes(load("seed-000"))
    assert "signing.prefix-foreign" not in codes(load("state-cong-van"))  # "TM. …\nKT. CHỦ TỊCH"


# --- 2. collective bodies -------------------------------------------------------

@pytest.mark.parametrize("authority", ["K/T BAN THƯỜNG VỤ", "K/T BÍ THƯ", "BAN THƯỜNG VỤ", "CHI BỘ"])
def test_collective_body_signed_wrongly(authority):
    draft = signed(load("seed-000"), authority=authority, title="PHÓ BÍ THƯ")
    f = only(draft, "signing.collective")
    assert f.severity == ERROR and "T/M" in f.message


@pytest.mark.parametrize("authority", ["T/M BAN THƯỜNG VỤ", "T/M ĐẢNG UỶ", "T/L BAN THƯỜNG VỤ"])
def test_collective_body_signed_rightly(authority):
    assert "signing.collective" not in codes(signed(load("seed-000"), authority=authority))


def test_deputy_in_a_ban_is_fine():
    draft = replace(load("seed-000"), issuer=replace(load("seed-000").issuer, name="BAN TUYÊN GIÁO HUYỆN ỦY"))
    assert "signing.collective" not in codes(signed(draft, authority="K/T TRƯỞNG BAN", title="PHÓ TRƯỞNG BAN"))


# --- 3. Party 2026: no committee name in the signer's title ---------------------

@pytest.mark.parametrize("title", ["BÍ THƯ ĐẢNG ỦY", "BÍ THƯ TỈNH UỶ", "Phó Bí thư Đảng uỷ phường"])
def test_title_repeating_committee_2026(title):
    f = only(party_2026(signer=replace(party_2026().signer, title=title)), "signing.title-committee")
    assert f.severity == ERROR and f.field == "signer.title"
    assert f.source == "Hướng dẫn 05-HD/VPTW, mục 7.1.1–7.1.2"  # where 05-HD says it (7.1.2)


def test_title_without_committee_2026_and_2018_rule():
    assert "signing.title-committee" not in codes(party_2026())
    assert "signing.title-committee" not in codes(signed(load("seed-000"), title="BÍ THƯ ĐẢNG ỦY"))  # 36-HD


# --- 4. the archive ("Lưu") line ------------------------------------------------

def test_cc_without_archive_line():
    f = only(replace(load("state-cong-van"), cc=["Như trên"]), "cc.archive-missing")
    assert f.severity == ERROR and "Lưu: VT" in f.message


def test_signed_draft_with_empty_cc_needs_archive_line():
    assert "cc.archive-missing" in codes(replace(load("seed-000"), cc=[]))
    unsigned = replace(load("seed-004"), cc=[])
    assert "cc.archive-missing" not in codes(unsigned)


def test_party_2026_archive_line_form():
    f = only(party_2026(cc=["Như kính gửi", "Lưu: VT, VP"]), "cc.archive-form")
    # 05-HD only shows the example "- Lưu Văn phòng Tỉnh uỷ." (Phụ lục 2 mục 9): a warning citing it
    assert f.severity == WARNING and "Lưu Văn phòng Đảng ủy" in f.message
    assert "có dấu hai chấm" in f.message and "ghi 'VT'" in f.message
    assert "cc.archive-form" not in codes(party_2026())


def test_party_2026_archive_vt_is_a_warning_citing_the_example():
    f = only(party_2026(cc=["Như kính gửi", "Lưu VT, Văn phòng Đảng ủy"]), "cc.archive-form")
    assert f.severity == WARNING and "ghi 'VT'" in f.message
    assert f.source == ("Hướng dẫn 05-HD/VPTW, Phụ lục 2 mục 9, ví dụ '- Lưu Văn phòng Tỉnh uỷ.' "
                        "(không dấu hai chấm, không ghi VT)")


def test_state_archive_line_form():
    f = only(replace(load("state-cong-van"), cc=["Như trên", "Lưu VP"]), "cc.archive-form")
    assert f.severity == WARNING
    assert "cc.archive-form" not in codes(load("state-cong-van"))


def test_archive_line_not_last():
    draft = replace(load("state-cong-van"), cc=["Như trên", "Lưu: VT, VP", "Chủ tịch UBND phường"])
    assert only(draft, "cc.archive-not-last").severity == WARNING
    assert "cc.archive-not-last" not in codes(load("state-cong-van"))


# --- 5. "V/v" in a công văn's subject --------------------------------------------

def test_state_cong_van_subject_without_vv():
    f = only(replace(load("state-cong-van"), subject="Về việc tăng cường phòng cháy"), "subject.vv-missing")
    assert f.severity == ERROR and "'V/v tăng cường phòng cháy'" in f.message
    assert "subject.vv-missing" not in codes(load("state-cong-van"))


def test_party_2026_cong_van_subject_with_vv():
    f = only(party_2026(subject="V/v tăng cường công tác tuyên truyền"), "subject.vv-forbidden")
    # 05-HD only shows examples without "V/v" (mục 5.2.3): a warning that cites the example
    assert f.severity == WARNING and "về việc tăng cường" in f.message
    assert f.source.startswith("Hướng dẫn 05-HD/VPTW, mục 5.2.3, ví dụ")
    assert "subject.vv-forbidden" not in codes(party_2026())


def test_party_2018_vv_either_way():
    assert not codes(load("seed-000")) & {"subject.vv-missing", "subject.vv-forbidden"}  # "V/v …"
    assert not codes(load("seed-002")) & {"subject.vv-missing", "subject.vv-forbidden"}  # "Về …"


# --- 6. the title (tên loại) ---------------------------------------------------

def test_title_misspelt():
    f = only(replace(load("seed-003"), title="NHỊ QUYẾT"), "title.misspelt")
    assert f.severity == ERROR and f.field == "title"
    assert f.message == "Tên loại 'NHỊ QUYẾT' sai chính tả: phải là 'NGHỊ QUYẾT'."


@pytest.mark.parametrize("title", ["NGHỊ QUYẾT", "Nghị  quyết", None])
def test_title_matching_type(title):
    assert not {c for c in codes(replace(load("seed-003"), title=title)) if c.startswith("title.")}


def test_title_far_from_type_or_another_type():
    assert only(replace(load("seed-003"), title="NGHỊ QUYẾT CHUYÊN ĐỀ"), "title.mismatch").severity == WARNING
    assert only(replace(load("seed-003"), title="QUYẾT ĐỊNH"), "title.other-type").severity == WARNING


def test_cong_van_with_title():
    assert only(replace(load("seed-000"), title="CÔNG VĂN"), "title.not-printed").severity == WARNING


# --- 7. dates -------------------------------------------------------------------

def test_date_in_future():
    f = only(replace(load("state-quyet-dinh"), date=TODAY + dt.timedelta(days=1)), "date.future")
    assert f.severity == ERROR and f.field == "date"
    assert "date.future" not in codes(replace(load("state-quyet-dinh"), date=TODAY))


def test_date_before_explicit_edition():
    f = only(replace(load("seed-003"), edition="2026"), "date.before-edition")
    assert f.severity == WARNING and "05-HD" in f.message
    assert "date.before-edition" not in codes(replace(load("seed-003"), edition="2018"))
    assert "date.before-edition" not in codes(load("seed-003"))


# --- 8. types not listed in NĐ 30 -------------------------------------------------

def test_state_type_not_listed():
    f = only(replace(load("state-quyet-dinh"), type="KL"), "type.not-listed")
    assert f.severity == WARNING and "Thông báo kết luận" in f.message
    assert "type.not-listed" not in codes(load("state-quyet-dinh"))
    assert "type.not-listed" not in codes(replace(load("seed-003"), type="KL"))  # a Party type


# --- 9. "Như trên" first ----------------------------------------------------------

def test_cong_van_cc_not_starting_with_nhu_tren():
    f = only(replace(load("state-cong-van"), cc=["Chủ tịch UBND phường", "Như trên", "Lưu: VT, VP"]),
             "cc.first-line")
    assert f.severity == WARNING and "'Như trên' lên đầu" in f.message


@pytest.mark.parametrize("first", ["Như trên", "Như kính gửi", "Như trên (thực hiện)"])
def test_cong_van_cc_first_line_accepted(first):
    assert "cc.first-line" not in codes(replace(load("state-cong-van"), cc=[first, "Lưu: VT, VP"]))


def test_cc_first_line_only_when_there_is_a_kinh_gui_above():
    report = load("state-bao-cao-50")
    assert not report.recipients
    assert "cc.first-line" not in codes(report)
    assert "cc.first-line" in codes(replace(report, recipients=["Ủy ban nhân dân Thành phố"]))


def test_cc_first_line_only_for_types_that_have_it():
    assert "cc.first-line" not in codes(replace(load("state-quyet-dinh"), cc=["UBND Thành phố", "Lưu: VT, VP"]))


# --- 10. dashes and punctuation typed by hand -------------------------------------

def test_items_with_own_punctuation():
    draft = replace(load("seed-000"), recipients=["- Các chi bộ;"], cc=["Như kính gửi,", "Lưu Văn phòng Đảng ủy"])
    found = [f for f in run(draft) if f.code == "list.own-punctuation"]
    assert [(f.field, f.severity) for f in found] == [("recipients", WARNING), ("cc", WARNING)]
    assert "'Các chi bộ'" in found[0].message


def test_items_without_own_punctuation():
    for name in ("seed-000", "seed-001", "seed-003", "state-cong-van"):
        assert "list.own-punctuation" not in codes(load(name))


# --- 11. signer incomplete --------------------------------------------------------

def test_authority_without_title_or_name():
    draft = signed(load("seed-000"), title=None, name=None)
    assert only(draft, "signing.title-missing").field == "signer.title"
    assert only(draft, "signing.name-missing").severity == WARNING


def test_no_authority_no_signer_warning():
    assert not codes(load("seed-004")) & {"signing.title-missing", "signing.name-missing"}
    assert not codes(load("state-quyet-dinh")) & {"signing.title-missing", "signing.name-missing"}


# --- helpers ----------------------------------------------------------------------

def test_norm_tone_placement():
    assert norm("Bí thư Tỉnh uỷ") == norm("BÍ THƯ TỈNH ỦY") == "BÍ THƯ TỈNH ỦY"
    assert norm("hoà  bình") == "HÒA BÌNH"
    assert norm("QUÝ") == "QUÝ" and norm("ĐOÀN") == "ĐOÀN"
    assert edit_distance("NHỊ QUYẾT", "NGHỊ QUYẾT") == 1


def test_format_findings():
    seed = load("seed-003")  # moved into 05-HD's time, where the text ends "." (mục 6.2.2), not "./."
    findings = run(replace(seed, title="NHỊ QUYẾT", date=TODAY + dt.timedelta(days=1),
                           body=seed.body.removesuffix("/.")))
    lines = format_findings(findings).splitlines()
    assert len(lines) == len(findings) == 2
    assert lines[0] == ("LỖI title: Tên loại 'NHỊ QUYẾT' sai chính tả: phải là 'NGHỊ QUYẾT'. "
                        "[Hướng dẫn 05-HD/VPTW, mục 5.1.1]")
    assert lines[1].startswith("LỖI date: ")
    assert format_findings([]) == ""


def test_checks_module_has_no_gui_imports():
    paths = sorted((Path(__file__).parent.parent / "dirdesk" / "checks").glob("*.py"))
    assert len(paths) >= 5
    for path in paths:
        source = path.read_text(encoding="utf-8")
        assert "PySide" not in source and "PyQt" not in source and "tkinter" not in source, path
