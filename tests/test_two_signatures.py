"""Two signatures (biên bản, Phụ lục III Mẫu 1.9; 05-HD 7.1.4.e, 7.2.4) and documents of two bodies
(liên tịch, 05-HD 2.1.5, 3.1.2.b.iii, 7.1.4.g): the draft fields, both files read back, the checker."""

from __future__ import annotations

import io
import json

import docx
import pdfplumber
import pytest

from dirdesk.checks import ERROR, check_draft
from dirdesk.draft import DraftError, draft_from_dict, load_draft, save_draft
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from dirdesk.templates import load_template
from tests.readback import FIXTURES, header_date, rule_data, upper

MM = 72 / 25.4
TOL = 0.5
PAIRS = ["state-bien-ban", "party-bien-ban", "party-lien-tich"]


def fixture(name: str):
    return load_draft(FIXTURES / f"{name}.json")


# -- the draft file ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", PAIRS)
def test_new_fields_survive_save_and_load(tmp_path, name):
    draft = fixture(name)
    save_draft(draft, tmp_path / "d.json")
    again = load_draft(tmp_path / "d.json")
    assert again == draft
    assert again.signer2 is not None


def test_a_draft_without_them_is_written_as_before(tmp_path):
    draft = load_draft(FIXTURES / "seed-000.json")
    save_draft(draft, tmp_path / "d.json")
    written = json.loads((tmp_path / "d.json").read_text("utf-8"))
    assert not {"signer2", "signer_confirm", "co_issuer"} & written.keys()
    assert load_draft(tmp_path / "d.json").signer2 is None


def test_bad_second_signer_and_co_issuer_are_named():
    data = json.loads((FIXTURES / "party-lien-tich.json").read_text("utf-8"))
    data["signer2"] = {"title": 5, "rank": "x"}
    data["co_issuer"] = {"name": "VĂN PHÒNG ĐẢNG ỦY"}
    data["signer_confirm"] = "T/L BAN THƯỜNG VỤ"
    with pytest.raises(DraftError) as err:
        draft_from_dict(data)
    fields = {f for f, _ in err.value.problems}
    assert {"signer2.title", "signer2.rank", "co_issuer.code", "signer_confirm"} <= fields


def test_new_fields_are_nfc():
    data = json.loads((FIXTURES / "state-bien-ban.json").read_text("utf-8"))
    data["signer2"]["name"] = "Pha\u0323m Thu Trang"  # decomposed, as some input methods type it
    assert draft_from_dict(data).signer2.name == "Phạm Thu Trang"


# -- the DOCX ------------------------------------------------------------------------------------
def fmt(run) -> tuple[bool, float]:
    return bool(run.bold), run.font.size.pt


def signer_texts(signer) -> list[str]:
    return [upper(t) for t in (signer.authority or "").split("\n") + (signer.title or "").split("\n") if t] + [
        signer.name]


@pytest.mark.parametrize("name", PAIRS)
def test_docx_two_signatures_side_by_side(name):
    d = fixture(name)
    r = rule_data(d)
    doc = docx.Document(io.BytesIO(render_docx_bytes(build_layout(d))))
    table = doc.tables[-1]
    left, right = ([p for p in c.paragraphs if p.text.strip()] for c in table.rows[0].cells)
    assert [p.text for p in left] == signer_texts(d.signer2)  # thư ký / người ghi biên bản / the other body
    mains = len(signer_texts(d.signer))
    assert [p.text for p in right[:mains]] == signer_texts(d.signer)  # chủ tọa / chủ trì / the lead body
    right = right[:mains]  # a confirmation under it: test_docx_confirmation_under_the_chu_tri
    el = r["elements"]
    for cell in (left, right):
        *titles, name_par = cell
        assert {fmt(run) for run in name_par.runs} == {(True, el["signer_name"]["size"])}
        for p in titles:
            assert {fmt(run) for run in p.runs} == {(el["signer_title"].get("bold", False), el["signer_title"]["size"])}
    # Nơi nhận below the two signatures, on the left (Mẫu 1.9)
    cc_row = table.rows[-1]
    assert cc_row is not table.rows[0]
    assert cc_row.cells[0].paragraphs[0].text == el["cc_label"]["text"]
    assert not cc_row.cells[1].text.strip()


def test_docx_confirmation_under_the_chu_tri():
    d = fixture("party-bien-ban")
    doc = docx.Document(io.BytesIO(render_docx_bytes(build_layout(d))))
    rows = doc.tables[-1].rows
    assert len(rows) == 2  # the signatures (the confirmation in the chủ trì's cell: one page), Nơi nhận
    right = [p for p in rows[0].cells[1].paragraphs if p.text.strip()]
    lead = rule_data(d)["signature"]["confirm_lead"].format(name=d.signer.name)
    assert [p.text for p in right] == [upper(d.signer.title), d.signer.name, lead, "T/L BAN THƯỜNG VỤ",
                                       "CHÁNH VĂN PHÒNG", d.signer_confirm.name]
    authority = right[3]
    assert {fmt(run) for run in authority.runs} == {(True, 14)}


@pytest.mark.parametrize("name", ["state-bien-ban", "party-bien-ban"])
def test_docx_header_date_as_the_type_says(name):
    d = fixture(name)
    header = docx.Document(io.BytesIO(render_docx_bytes(build_layout(d)))).tables[0]
    dated = [p.text for row in header.rows for c in row.cells for p in c.paragraphs if "ngày" in p.text]
    assert bool(dated) == header_date(d) == (d.style == "party")


# -- the PDF -------------------------------------------------------------------------------------
def chars_of(pdf, text: str):
    """The page and printed chars of the last occurrence of `text` in the document (the signature's
    names stand in the body too)."""
    for page in reversed(pdf.pages):
        if found := page.search(text, regex=False, return_chars=True):
            return page.page_number, [c for c in found[-1]["chars"] if c["text"].strip()]
    raise AssertionError(f"{text!r} not found")


def centre(chars) -> float:
    return (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2


@pytest.mark.parametrize("name", PAIRS)
def test_pdf_two_signatures_left_and_right(name):
    d = fixture(name)
    r = rule_data(d)
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(d)))) as pdf:
        left_x = r["page"]["margin_left_mm"] * MM
        split = left_x + r["signature"]["left_width_mm"] * MM
        right_x = pdf.pages[0].width - r["page"]["margin_right_mm"] * MM
        first, second = d.signer.title.split("\n")[0], d.signer2.title.split("\n")[0]
        page_l, title_l = chars_of(pdf, upper(second))
        page_r, title_r = chars_of(pdf, upper(first))
        assert page_l == page_r and abs(title_l[0]["top"] - title_r[0]["top"]) < TOL  # side by side
        assert abs(centre(title_l) - (left_x + split) / 2) < 1  # centred in its column
        assert abs(centre(title_r) - (split + right_x) / 2) < 1
        for signer, column in ((d.signer2, (left_x, split)), (d.signer, (split, right_x))):
            found = [f for f in pdf.pages[page_l - 1].search(signer.name, regex=False, return_chars=True)
                     if f["top"] > title_l[0]["top"]]  # under its title, not in the body
            name = [c for c in found[0]["chars"] if c["text"].strip()]
            assert all(column[0] - TOL <= c["x0"] and c["x1"] <= column[1] + TOL for c in name)
            assert all("Bold" in c["fontname"] for c in name)
            assert {round(c["size"], 2) for c in name} == {r["elements"]["signer_name"]["size"]}
            assert name[0]["top"] > title_l[0]["bottom"] + r["signature"]["sign_space_pt"] - TOL
        for chars in (title_l, title_r):
            assert all(("Bold" in c["fontname"]) == r["elements"]["signer_title"].get("bold", False) for c in chars)
        cc_page, cc = chars_of(pdf, r["elements"]["cc_label"]["text"].rstrip(":"))
        name_r = [f for f in pdf.pages[page_l - 1].search(d.signer.name, regex=False)
                  if f["top"] > title_r[0]["top"]][:1]
        assert (cc_page, cc[0]["top"]) > (page_l, name_r[0]["bottom"])  # Nơi nhận below the signatures
        assert cc[0]["x0"] < split


def test_pdf_confirmation_under_the_chu_tri():
    d = fixture("party-bien-ban")
    r = rule_data(d)
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(d)))) as pdf:
        split = (r["page"]["margin_left_mm"] + r["signature"]["left_width_mm"]) * MM
        name_page, name = chars_of(pdf, d.signer.name)
        lead_page, lead = chars_of(pdf, "Xác nhận chữ ký của đồng chí")
        assert lead_page == name_page and lead[0]["top"] > name[0]["bottom"]  # on the same page, under it
        assert min(c["x0"] for c in lead) >= split - TOL
        assert not any("Bold" in c["fontname"] for c in lead)
        _, authority = chars_of(pdf, "T/L BAN THƯỜNG VỤ")
        assert all("Bold" in c["fontname"] for c in authority) and min(c["x0"] for c in authority) >= split


def test_pdf_joint_issuers_and_symbol():
    d = fixture("party-lien-tich")
    r = rule_data(d)
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(d)))) as pdf:
        x0 = (r["page"]["margin_left_mm"] + r["header"]["indent_mm"]) * MM
        left_column = pdf.pages[0].crop((x0, 0, x0 + r["header"]["left_width_mm"] * MM, 200))
        text = " ".join((left_column.extract_text() or "").split())
    assert "BAN XÂY DỰNG ĐẢNG - VĂN PHÒNG ĐẢNG ỦY" in text  # lead body first, "-" between (05-HD 2.2.3)
    assert "Số 04-KH/BXDĐ-VPĐU" in text  # 05-HD 3.1.2.b.iii, 3.2.2


def test_state_bien_ban_has_no_date_line_in_its_header():
    d = fixture("state-bien-ban")
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(d)))) as pdf:
        page = pdf.pages[0]
        _, title = chars_of(pdf, "BIÊN BẢN")
        above = [c for c in page.chars if c["bottom"] <= title[0]["top"] and c["text"].strip()]
        assert not [c for c in above if "Italic" in c["fontname"]]
        assert "ngày" not in "".join(c["text"] for c in above)


# -- the checker ---------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["party", "state"])
def test_bien_ban_templates_pass_the_checker(style):
    draft = load_template(style, "BB")
    assert draft.signer2 is not None and draft.signer.title and draft.signer2.title
    # nothing but the template's own blanks, which the clerk fills in (text.placeholder)
    assert [f for f in check_draft(draft) if f.severity == ERROR and f.code != "text.placeholder"] == []


@pytest.mark.parametrize("name", PAIRS)
def test_fixtures_pass_the_checker(name):
    assert check_draft(fixture(name)) == []


def test_second_signer_without_name_is_caught():
    data = json.loads((FIXTURES / "party-bien-ban.json").read_text("utf-8"))
    data["signer_confirm"]["name"] = None
    findings = check_draft(draft_from_dict(data))
    assert [f.field for f in findings] == ["signer_confirm.name"]


# -- the register ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["state-bien-ban", "party-lien-tich"])
def test_register_names_both_signers(registry, name):
    from dirdesk.registers import outgoing
    from tests.conftest import fixture_draft

    draft = fixture_draft(name)
    row = outgoing.issue(registry, draft, date=draft.date, render=False)
    assert row["signer"] == f"{draft.signer.name}; {draft.signer2.name}"  # the main signer first
    again = load_draft_from_row(row)
    assert again.signer2 == draft.signer2 and again.co_issuer == draft.co_issuer


def load_draft_from_row(row):
    return draft_from_dict(json.loads(row["draft_json"]))


# -- parse ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("name", PAIRS)
def test_received_copy_gives_both_signers_back(tmp_path, name, kind):
    from dirdesk.intake import parse_file

    d = fixture(name)
    layout = build_layout(d)
    path = tmp_path / f"doc.{kind}"
    path.write_bytes(render_docx_bytes(layout) if kind == "docx" else render_pdf_bytes(layout))
    got, want = parse_file(path), d.to_dict()
    for key in ("signer", "signer2", "signer_confirm", "co_issuer", "body", "cc"):
        assert got.get(key) == want.get(key), key  # the signatures above Nơi nhận are not body
    assert got["issuer"]["name"] == want["issuer"]["name"]
    # a state biên bản prints no place (Mẫu 1.9): the clerk types it before the copy is rendered again
    assert (got["place"] is None) == (not header_date(d))


def test_a_body_that_ends_short_keeps_its_end():
    from dirdesk.intake.signers import peel_signatures

    paras = ["Đề nghị các đơn vị thực hiện.", "Trân trọng!"]
    assert peel_signatures(paras) == [] and len(paras) == 2
    paras = ["Nội dung.", "Ghi chú thêm", "THƯ KÝ", "Phạm Thu Trang", "CHỦ TỌA", "Lê Hoàng Nam"]
    assert peel_signatures(paras) == ["THƯ KÝ", "Phạm Thu Trang", "CHỦ TỌA", "Lê Hoàng Nam"]
    assert paras == ["Nội dung.", "Ghi chú thêm"]


def test_a_state_prefix_in_the_confirmation_is_caught():
    data = json.loads((FIXTURES / "party-bien-ban.json").read_text("utf-8"))
    data["signer_confirm"]["authority"] = "TL. BAN THƯỜNG VỤ"
    findings = check_draft(draft_from_dict(data))
    assert [(f.code, f.field, f.severity) for f in findings] == [
        ("signing.prefix-foreign", "signer_confirm.authority", ERROR)]
    assert "T/L BAN THƯỜNG VỤ" in findings[0].message
