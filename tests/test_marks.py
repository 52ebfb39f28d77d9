"""The optional marks read back from the DOCX and the PDF (05-HD/VPTW Phần II mục II.4-6 and Phụ lục 2
mục 12-14; NĐ 30/2020 Phụ lục I Phần II mục 2.c, 3, 4 and ô 11-13): size, weight, slant, frame, place."""

from __future__ import annotations

import io
import json

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from dirdesk.draft import draft_from_dict, draft_to_json, load_draft
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from dirdesk.render.pdf_flow import PlacedText, paginate
from tests.readback import (
    FIXTURES,
    contact_at_page_one_foot,
    draft_mark_line,
    drafter_line,
    lines,
    rule_data,
    upper,
)

MM = 72 / 25.4
PARTY = FIXTURES / "party-nghi-quyet-du-thao.json"
STATE = FIXTURES / "state-cong-van-chi-dan.json"


def rendered(path):
    draft = load_draft(path)
    doc = build_layout(draft)
    return draft, rule_data(draft), render_docx_bytes(doc), render_pdf_bytes(doc)


@pytest.fixture(scope="module", params=[PARTY, STATE], ids=["party", "state"])
def case(request):
    draft, rules, docx_bytes, pdf_bytes = rendered(request.param)
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = [(p.width, p.height, p.chars, p.lines + p.rects) for p in pdf.pages]
    return draft, rules, docx.Document(io.BytesIO(docx_bytes)), pages


def chars_of(page_chars, text: str) -> list[dict]:
    """The chars of the first line on the page that reads `text` (spaces aside)."""
    want = text.replace(" ", "")
    by_line: dict[float, list] = {}
    for c in page_chars:
        if c["text"].strip():
            by_line.setdefault(round(c["top"], 1), []).append(c)
    for _, cs in sorted(by_line.items()):
        cs.sort(key=lambda c: c["x0"])
        joined = "".join(c["text"] for c in cs)
        if want in joined:
            start = joined.index(want)
            return cs[start:start + len(want)]
    return []


def style_of(chars) -> set:
    return {(round(c["size"], 1), "Bold" in c["fontname"], "Italic" in c["fontname"]) for c in chars}


def el(rules, role):
    spec = rules["elements"][role]
    return round(float(spec["size"]), 1), spec.get("bold", False), spec.get("italic", False)


def margins(rules):
    page = rules["page"]
    return page["margin_left_mm"] * MM, page["margin_right_mm"] * MM


# -- PDF -----------------------------------------------------------------------------------------

def test_pdf_circulation_top_right_of_page_one(case):
    draft, rules, _, pages = case
    width, _, chars, shapes = pages[0]
    found = chars_of(chars, draft.marks.circulation)
    official = {"party": (12.0, True, False), "state": (13.0, True, False)}[draft.style]  # Party 12 bold; state 13-14
    assert found and style_of(found) == {el(rules, "circulation")} == {official}
    top = rules["marks"]["circulation_top_mm"] * MM
    line = rules["elements"]["circulation"]["line"]
    assert top <= min(c["top"] for c in found) and max(c["bottom"] for c in found) <= top + line + 8
    left, right = margins(rules)
    right_edge = max(c["x1"] for c in found)
    if rules["marks"].get("circulation_over_right_column"):  # NĐ 30 sơ đồ Mục IV: ô 11 over ô 1
        head = rules["header"]
        column = left + (head.get("indent_mm", 0) + head["left_width_mm"]) * MM
        centre = (min(c["x0"] for c in found) + right_edge) / 2
        assert abs(centre - (column + head["right_width_mm"] * MM / 2)) < 1
    else:  # 05-HD II.4.1: góc phải
        assert width - right - 12 < right_edge <= width - right + 0.5
    for _, _, other, _ in pages[1:]:
        assert not chars_of(other, draft.marks.circulation)
    if rules["marks"]["circulation_box"]:  # NĐ 30 II.2.c: a single-line frame round the words
        x0, x1 = min(c["x0"] for c in found), right_edge
        y0, y1 = min(c["top"] for c in found), max(c["bottom"] for c in found)
        around = [s for s in shapes if s["x0"] <= x0 and s["x1"] >= x1 - 0.1 and s["top"] <= y1 + 6
                  and s["bottom"] >= y0 - 6]
        tops = [s for s in around if abs(s["top"] - s["bottom"]) < 1 and s["top"] < y0]
        bottoms = [s for s in around if abs(s["top"] - s["bottom"]) < 1 and s["top"] > y1]
        sides = [s for s in shapes if abs(s["x0"] - s["x1"]) < 1 and s["top"] < y0 and s["bottom"] > y1
                 and x0 - 8 < s["x0"] < x1 + 8]
        assert tops and bottoms and len([s for s in sides if s["x0"] < x0]) >= 1 \
            and len([s for s in sides if s["x0"] > x1]) >= 1
    else:  # 05-HD: no frame
        assert not [s for s in shapes if s["top"] < 20 * MM and s["bottom"] < 20 * MM]


def test_pdf_draft_mark_under_the_number(case):
    draft, rules, _, pages = case
    chars = pages[0][2]
    text = draft_mark_line(draft, rules)
    if text is None:  # NĐ 30 has no draft mark: nothing printed for a state draft_round
        assert draft.style == "state"
        assert not chars_of(chars, "Dự thảo")
        return
    found = chars_of(chars, text)
    assert found and style_of(found) == {(14.0, False, True)} == {el(rules, "draft_mark")}  # 14 nghiêng
    number = chars_of(chars, "-NQ/ĐU")
    assert number and min(c["top"] for c in found) > max(c["bottom"] for c in number)  # under Số và ký hiệu
    centre = (min(c["x0"] for c in found) + max(c["x1"] for c in found)) / 2
    number_all = chars_of(chars, "Số")
    number_centre = (min(c["x0"] for c in number_all) + max(c["x1"] for c in number)) / 2
    assert abs(centre - number_centre) < 8  # centred in the same column


def test_pdf_drafter_after_noi_nhan(case):
    draft, rules, _, pages = case
    _, _, chars, _ = pages[-1]
    text = drafter_line(draft, rules)
    assert text == {"party": "NguyenVanAn-26", "state": "PL.(30)"}[draft.style]  # the guides' own examples' form
    found = chars_of(chars, text)
    assert found and style_of(found) == {(11.0, False, False)} == {el(rules, "drafter")}
    last_cc = chars_of(chars, draft.cc[-1])
    assert last_cc and min(c["top"] for c in found) >= max(c["bottom"] for c in last_cc) - 0.5
    left, _ = margins(rules)
    assert abs(min(c["x0"] for c in found) - left) < 1  # flush left, as Nơi nhận


def test_pdf_contact_under_a_full_width_rule(case):
    """05-HD II.6: on the last page, after the signature; NĐ 30 II.4: at the foot of page 1."""
    draft, rules, _, pages = case
    at_foot = contact_at_page_one_foot(rules)
    assert at_foot == (draft.style == "state")
    index = 0 if at_foot else -1
    width, height, chars, shapes = pages[index]
    left, right = margins(rules)
    first_line = lines(draft.marks.contact)[0]
    found = chars_of(chars, first_line[:40])
    official = {"party": (10.0, False, False), "state": (11.0, False, False)}[draft.style]  # Party 10; state 11-12
    assert found and style_of(found) == {el(rules, "contact")} == {official}
    text_top = min(c["top"] for c in found)
    rules_above = [s for s in shapes if abs(s["top"] - s["bottom"]) < 1.5 and s["bottom"] <= text_top
                   and abs(s["x0"] - left) < 0.5 and abs(s["x1"] - (width - right)) < 0.5]
    assert rules_above  # across the whole text width
    if at_foot:
        last_line = chars_of(chars, lines(draft.marks.contact)[-1][:40])
        foot = height - rules["page"]["margin_bottom_mm"] * MM / 2  # the footer distance
        assert foot - 4 < max(c["bottom"] for c in last_line) <= foot
        body = [c for c in chars if c["size"] > 12 and c["text"].strip()]
        assert max(c["bottom"] for c in body) < rules_above[0]["top"]  # page 1's text stays above it
    else:
        signer = chars_of(chars, draft.signer.name)
        assert signer and text_top > max(c["bottom"] for c in signer)
    for _, _, other, _ in [p for i, p in enumerate(pages) if i != index % len(pages)]:
        assert not chars_of(other, first_line[:40])


def test_pdf_no_media_centred_10_mm_from_the_bottom_of_the_last_page(case):
    draft, rules, _, pages = case
    width, height, chars, _ = pages[-1]
    if "no_media" not in rules["elements"]:
        assert draft.style == "state"
        return
    text = upper(rules["marks"]["no_media"])
    found = chars_of(chars, text)
    assert found and style_of(found) == {(12.0, True, False)} == {el(rules, "no_media")}
    bottom = height - rules["marks"]["no_media_bottom_mm"] * MM
    assert bottom - rules["elements"]["no_media"]["line"] <= min(c["top"] for c in found)
    assert max(c["bottom"] for c in found) <= bottom
    left, right = margins(rules)
    centre = (min(c["x0"] for c in found) + max(c["x1"] for c in found)) / 2
    assert abs(centre - (left + (width - left - right) / 2)) < 1
    for _, _, other, _ in pages[:-1]:
        assert not chars_of(other, text)


# -- DOCX ----------------------------------------------------------------------------------------

def run_style(par) -> set:
    return {(r.font.size.pt, bool(r.bold), bool(r.italic)) for r in par.runs if r.text.strip()}


def test_docx_circulation_in_the_first_page_header(case):
    draft, rules, doc, _ = case
    sec = doc.sections[0]
    assert sec.header_distance.mm == pytest.approx(rules["marks"]["circulation_top_mm"], abs=0.05)
    header = sec.first_page_header
    if rules["marks"]["circulation_box"]:
        assert len(header.tables) == 1
        cell = header.tables[0].rows[0].cells[0]
        par = cell.paragraphs[0]
        borders = header.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
        assert {borders.find(qn(f"w:{e}")).get(qn("w:val")) for e in ("top", "left", "bottom", "right")} == {"single"}
    else:
        assert not header.tables
        par = header.paragraphs[0]
        assert par.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT  # góc phải
    assert par.text == draft.marks.circulation
    assert run_style(par) == {el(rules, "circulation")}
    assert draft.marks.circulation not in "".join(p.text for p in sec.header.paragraphs)  # page 1 only


def test_docx_draft_mark_and_drafter(case):
    draft, rules, doc, _ = case
    header_left = [p for row in doc.tables[0].rows for p in row.cells[0].paragraphs]
    text = draft_mark_line(draft, rules)
    marks = [p for p in header_left if p.text.startswith("Dự thảo")]
    if text is None:
        assert not marks
    else:
        texts = [p.text for p in header_left]
        assert marks[0].text == text and texts.index(text) == next(i for i, t in enumerate(texts)
                                                                   if t.startswith("Số")) + 1
        assert run_style(marks[0]) == {el(rules, "draft_mark")}
    left_cell = doc.tables[-1].rows[0].cells[0].paragraphs
    assert left_cell[-1].text == drafter_line(draft, rules)
    assert run_style(left_cell[-1]) == {el(rules, "drafter")}


def test_docx_contact_and_no_media(case):
    draft, rules, doc, _ = case
    pars = doc.paragraphs
    contact = lines(draft.marks.contact)
    media = 1 if "no_media" in rules["elements"] and draft.marks.no_media else 0
    if contact_at_page_one_foot(rules):  # the first page's footer, which grows upward and keeps text above
        footer = doc.sections[0].first_page_footer.paragraphs
        assert [p.text for p in footer] == ["", *contact]
        rule, got = footer[0], footer[1:]
        assert not any(p.text in contact for p in pars)
        assert not "".join(p.text for p in doc.sections[0].footer.paragraphs).strip()  # page 1 only
    else:
        got = pars[len(pars) - media - len(contact):len(pars) - media]
        rule = pars[len(pars) - media - len(contact) - 1]
    assert [p.text for p in got] == contact
    assert all(run_style(p) == {el(rules, "contact")} for p in got)
    bottom = rule._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "single" and not rule.text
    assert (rule.paragraph_format.left_indent or 0) == 0 and (rule.paragraph_format.right_indent or 0) == 0
    if media:
        last = pars[-1]
        assert last.text == upper(rules["marks"]["no_media"]) and run_style(last) == {el(rules, "no_media")}
        frame = last._p.pPr.find(qn("w:framePr"))
        assert frame.get(qn("w:vAnchor")) == frame.get(qn("w:hAnchor")) == "page"
        height = rules["page"]["height_mm"] * MM
        expected = height - rules["marks"]["no_media_bottom_mm"] * MM - rules["elements"]["no_media"]["line"]
        assert int(frame.get(qn("w:y"))) / 20 == pytest.approx(expected, abs=0.1)


# -- the draft file and the flow the print writer draws -----------------------------------------

def test_marks_round_trip_and_stay_out_of_files_without_them():
    draft = load_draft(PARTY)
    again = draft_from_dict(json.loads(draft_to_json(draft)))
    assert again.marks == draft.marks and again.marks.draft_round == 2 and again.marks.no_media
    plain = load_draft(FIXTURES / "seed-000.json")
    written = json.loads(draft_to_json(plain))
    assert not {"draft_round", "circulation", "no_media", "drafter", "copies", "contact"} & set(written)


def test_circulation_is_upper_cased_and_bad_values_named():
    data = json.loads(PARTY.read_text("utf-8"))
    data["circulation"] = "xem xong trả lại"
    assert draft_from_dict(data).marks.circulation == "XEM XONG TRẢ LẠI"
    data.update(draft_round=0, copies=-1, no_media="có")
    with pytest.raises(ValueError) as err:
        draft_from_dict(data)
    assert all(name in str(err.value) for name in ("draft_round", "copies", "no_media"))


def test_the_print_writer_gets_the_marks_on_their_pages():
    """The window's print writer draws pdf_flow's pages as they are: the marks are among their items."""
    doc = build_layout(load_draft(PARTY))
    pages = paginate(doc)
    texts = [["".join(f.text for f in i.line.fragments) for i in p.items if isinstance(i, PlacedText)] for p in pages]
    assert "TÀI LIỆU HỘI NGHỊ" in texts[0] and not any("TÀI LIỆU HỘI NGHỊ" in t for t in texts[1:])
    media = upper("Không phổ biến trên phương tiện thông tin đại chúng")
    assert media in texts[-1] and not any(media in t for t in texts[:-1])


def test_the_register_takes_the_copies_the_draft_prints(registry):
    from dirdesk.draft_marks import Marks
    from dirdesk.registers import outgoing
    from tests.conftest import fixture_draft

    def issue(copies=None, **changes):
        return outgoing.issue(registry, fixture_draft("seed-000", **changes), copies=copies, render=False)

    row = issue(marks=Marks(drafter="NguyenVanAn", copies=26))
    assert row["copies"] == 26  # "NguyenVanAn-26" after Nơi nhận: the register's số lượng bản
    assert issue(marks=Marks(), subject="Khác")["copies"] is None
    assert issue(30, marks=Marks(copies=26), subject="Ba")["copies"] == 30  # what the clerk types wins


def test_page_one_text_stays_above_the_state_contact_block():
    """NĐ 30 ô 13 at the foot of page 1 takes room from page 1's text (the fixture is set so that its
    last lines move to page 2 for it); the DOCX's first-page footer does the same (LibreOffice agreement)."""
    import dataclasses

    draft = load_draft(STATE)
    without = dataclasses.replace(draft, marks=dataclasses.replace(draft.marks, contact=None))

    def page_one_lines(d):
        page = paginate(build_layout(d))[0]
        return ["".join(f.text for f in i.line.fragments) for i in page.items
                if isinstance(i, PlacedText) and i.line.fragments and i.line.fragments[0].size >= 13
                and i.baseline > 20 * MM]  # the text, not the phạm vi lưu hành in the top margin

    with_block, without_block = page_one_lines(draft), page_one_lines(without)
    assert len(without_block) > len(with_block) and without_block[:len(with_block)] == with_block


def test_an_issued_document_drops_its_draft_mark_and_a_retry_finds_it(registry):
    from dirdesk.registers import outgoing
    from dirdesk.registers.attachments import read_attachment

    draft = load_draft(PARTY)
    assert draft.marks.draft_round == 2
    row = outgoing.issue(registry, draft)
    stored = json.loads(row["draft_json"])
    assert "draft_round" not in stored and stored["circulation"] == "TÀI LIỆU HỘI NGHỊ"
    with pdfplumber.open(io.BytesIO(read_attachment(registry, row["pdf_sha256"]))) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Dự thảo" not in text and "TÀI LIỆU HỘI NGHỊ" in text and "Số 01-NQ/ĐU" in text
    again = outgoing.issued_before(registry, draft)  # the same draft, still marked "Dự thảo lần 2"
    assert again is not None and again["id"] == row["id"]
