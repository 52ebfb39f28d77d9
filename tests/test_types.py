"""The document types of NĐ 30 Điều 7 and Quy định 399-QĐ/TW as the clerk gets them: each new type
prints its name and its abbreviation in the number; giấy giới thiệu and giấy nghỉ phép print no
trích yếu (Phụ lục III Mẫu 1.8, 1.10); a titled khoản is bold in the state templates (Phụ lục I
II.6.đ); a ward's nghị quyết is the HĐND's; every template passes the checker."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pdfplumber
import pytest

from dirdesk.checks import check_draft
from dirdesk.layout import build_layout
from dirdesk.registers.profile import Profile
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from dirdesk.rules import doc_types, edition_in_force
from dirdesk.templates import draft_from_profile, load_template

TEMPLATES = Path(__file__).resolve().parents[1] / "resources" / "templates"
TODAY = dt.date(2026, 12, 1)

# (style, code, printed name, abbreviation in the symbol): Phụ lục III Mục I (state); the
# initial-letter rule of 05-HD 3.1.2.a (Party).
NEW_TYPES = [
    ("state", "HĐ", "HỢP ĐỒNG", "HĐ"),
    ("state", "CĐ", "CÔNG ĐIỆN", "CĐ"),
    ("state", "GUQ", "GIẤY ỦY QUYỀN", "GUQ"),
    ("state", "PG", "PHIẾU GỬI", "PG"),
    ("state", "PC", "PHIẾU CHUYỂN", "PC"),
    ("state", "PB", "PHIẾU BÁO", "PB"),
    ("party", "GCN", "GIẤY CHỨNG NHẬN", "GCN"),
    ("party", "GĐĐ", "GIẤY ĐI ĐƯỜNG", "GĐĐ"),
    ("party", "GNP", "GIẤY NGHỈ PHÉP", "GNP"),
    ("party", "PG", "PHIẾU GỬI", "PG"),
    ("party", "PC", "PHIẾU CHUYỂN", "PC"),
]
# What a template is meant to show: a state kết luận is not a type of NĐ 30 (types-state.toml).
# The Party biên bản is another part's (issue 12, "sig"): its missing Lưu line is reported there.


def rendered(draft):
    layout = build_layout(draft)
    document = docx.Document(io.BytesIO(render_docx_bytes(layout)))
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(layout))) as pdf:
        page = pdf.pages[0]
        words = page.extract_words(extra_attrs=["fontname", "size"])
        text = page.extract_text()
    return document, words, text


def docx_lines(document) -> list[str]:
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return cells + [p.text for p in document.paragraphs]


@pytest.mark.parametrize(("style", "code", "name", "abbr"), NEW_TYPES, ids=lambda v: str(v))
def test_new_type_prints_its_name_and_abbreviation(style, code, name, abbr):
    doc_type = doc_types(style)[code]
    assert doc_type.name == name and doc_type.abbr(edition_in_force(style, TODAY)) == abbr
    draft = load_template(style, code)
    document, _words, text = rendered(draft)
    lines = docx_lines(document)
    number = next(line for line in lines if line.startswith("Số"))
    symbol = f"/{abbr}-{draft.issuer.code}" if style == "state" else f"-{abbr}/{draft.issuer.code}"
    assert number.replace(" ", "").endswith(symbol), number
    assert name in lines and name in text
    assert symbol in text.replace(" ", "")


@pytest.mark.parametrize("style", ["state", "party"])
def test_thu_cong_has_no_number_line(style):
    draft = load_template(style, "ThC")
    document, _words, text = rendered(draft)
    assert "THƯ CÔNG" in docx_lines(document)
    assert not any(line.startswith("Số") for line in docx_lines(document))
    assert not re.search(r"^Số\b", text, re.MULTILINE) and "ThC" not in text


@pytest.mark.parametrize(("style", "code"), [("state", "GGT"), ("state", "GNP"), ("party", "GGT"),
                                             ("party", "GNP")])
def test_giay_has_no_subject_line_but_its_rule(style, code):
    """Mẫu 1.8/1.10: the type's name, the rule under it, then the text; the subject stays for the register."""
    draft = load_template(style, code)
    assert not doc_types(style)[code].subject and draft.subject
    document, words, text = rendered(draft)
    body = document.element.body
    title = docx.text.paragraph.Paragraph(body[1], document)
    assert title.text == doc_types(style)[code].name
    mark = docx.text.paragraph.Paragraph(body[2], document)
    first = docx.text.paragraph.Paragraph(body[3], document)
    if style == "state":  # the rule: an empty paragraph with a bottom border
        assert mark.text == "" and mark._p.xpath("./w:pPr/w:pBdr/w:bottom")
    else:  # 05-HD: the five hyphens
        assert mark.text.strip() == "-----"
    assert first.text == draft.body.split("\n")[0]
    assert draft.subject not in "\n".join(docx_lines(document)) and draft.subject not in text
    # in the PDF, the body's first words come right after the title's mark
    tops = {w["text"]: w["top"] for w in words}
    first_word = draft.body.split()[0]
    assert 0 < tops[first_word] - tops[doc_types(style)[code].name.split()[0]] < 60


def test_giay_nghi_phep_follows_mau_1_10():
    body = load_template("state", "GNP").body.split("\n")
    assert body[0].startswith("Xét Đơn đề nghị nghỉ phép ngày")
    assert body[1].endswith("cấp cho:") and body[-1].startswith("Số ngày nghỉ phép nêu trên được tính vào")


KHOAN_TITLE = re.compile(r"^\*\*\d+\. [^*\[]+\*\*$")


@pytest.mark.parametrize("slug", ["ke-hoach", "to-trinh", "de-an", "phuong-an", "bao-cao"])
def test_state_khoan_titles_print_bold(slug):
    """Phụ lục I II.6.đ: a khoản with a title, on its own line, upright bold."""
    code = next(c for c, t in doc_types("state").items() if t.slug == slug)
    draft = load_template("state", code)
    titles = [line.strip("*") for line in draft.body.split("\n") if KHOAN_TITLE.match(line)]
    assert titles, slug
    document, words, _text = rendered(draft)
    by_text = {p.text: p for p in document.paragraphs}
    for title in titles:
        runs = [r for r in by_text[title].runs if r.text.strip()]
        assert runs and all(r.bold and not r.italic for r in runs), title
    # PDF: the first khoản title's words are set in the bold face, its body line's are not
    first = titles[0].split()
    at = next(i for i, w in enumerate(words) if w["text"] == first[0] and words[i + 1]["text"] == first[1])
    assert all("Bold" in w["fontname"] and "Italic" not in w["fontname"] for w in words[at:at + len(first)])


def test_no_numbered_line_with_a_title_left_regular_in_state_templates():
    plain = re.compile(r"^\d+\. [^\[*][^.;:,]*$")
    for path in sorted((TEMPLATES / "state").glob("*.json")):
        if path.stem in ("bien-ban", "quy-che", "quy-dinh"):  # issue 12's other parts
            continue
        draft = load_template("state", next(c for c, t in doc_types("state").items() if t.slug == path.stem))
        assert not [line for line in draft.body.split("\n") if plain.match(line)], path.stem


def test_a_wards_nghi_quyet_is_issued_by_the_hdnd():
    profile = Profile(style="state", issuer={"parent": None, "name": "ỦY BAN NHÂN DÂN\nPHƯỜNG BÁCH QUANG",
                                             "code": "UBND"},
                      place="Bách Quang", units=[{"code": "VP", "name": "Văn phòng"}],
                      signers=[{"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Lê Hoàng Nam"}])
    draft = draft_from_profile(profile, "NQ", today=TODAY)
    assert (draft.issuer.name, draft.issuer.code) == ("HỘI ĐỒNG NHÂN DÂN\nPHƯỜNG BÁCH QUANG", "HĐND")
    assert draft.signer.authority == "TM. HỘI ĐỒNG NHÂN DÂN"  # not the UBND's chairman of the profile
    document, _words, text = rendered(draft)
    number = next(line for line in docx_lines(document) if line.startswith("Số"))
    assert number.replace(" ", "").endswith("/NQ-HĐND") and "HỘI ĐỒNG NHÂN DÂN" in text
    assert {f.code for f in check_draft(draft, today=TODAY)} <= {"text.placeholder"}  # only the template's blanks
    other = draft_from_profile(profile, "QĐ", today=TODAY)  # other types stay the UBND's
    assert (other.issuer.code, other.signer.name) == ("UBND", "Lê Hoàng Nam")


def test_party_chi_thi_and_thong_tri_say_their_authority_is_unconfirmed():
    types = doc_types("party")
    for code in ("CT", "TT"):
        assert "399-QĐ/TW" in types[code].authority_note and "Chưa xác nhận" in types[code].authority_note
    assert not any(t.authority_note for c, t in types.items() if c not in ("CT", "TT"))


def test_quy_dinh_is_listed_as_qd_under_05_hd():
    quy_dinh = doc_types("party")["QĐi"]
    assert quy_dinh.choice_label("2026") == "Quy định (QĐ)"
    assert quy_dinh.choice_label("2018") == "Quy định (QĐi)"
    assert doc_types("state")["ThC"].choice_label("2020") == "Thư công (không số)"
