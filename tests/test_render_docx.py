"""The DOCX a clerk opens in Word: page, fonts, header, body, title and signature
follow the rule data (resources/rules/*.toml) and the draft, read back with python-docx."""

from __future__ import annotations

import io
import json
import tomllib
import zipfile
from types import SimpleNamespace

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from lxml import etree

from dirdesk.draft import Draft, draft_from_dict, load_draft
from dirdesk.layout import build_layout
from dirdesk.markup import parse_body
from dirdesk.render import render_docx_bytes
from dirdesk.rules import rules_for
from dirdesk.symbols import number_line
from tests.readback import (
    FIXTURES,
    PATHS,
    RULES_DIR,
    draft_mark_line,
    drafter_line,
    header_date,
    lines,
    main_part,
    place_date,
    rule_data,
    trailing_mark_paragraphs,
    upper,
)


def el(rules: dict, role: str) -> dict:
    return {"bold": False, "italic": False, "underline": False, "first_indent_mm": 0, **rules["elements"][role]}


def fmt(run) -> tuple:
    return bool(run.bold), bool(run.italic), bool(run.underline), run.font.size.pt


def has_bottom_border(par) -> bool:
    return bool(par._p.xpath("./w:pPr/w:pBdr/w:bottom"))


def column(table, col: int) -> list:
    return [p for row in table.rows for p in row.cells[col].paragraphs]


@pytest.fixture(scope="module", params=PATHS, ids=lambda p: p.stem)
def case(request) -> SimpleNamespace:
    """One fixture draft, the rule data in force for it, and its DOCX (bytes and read back)."""
    draft = main_part(load_draft(request.param))
    data = render_docx_bytes(build_layout(draft))
    return SimpleNamespace(name=request.param.stem, draft=draft, rules=rule_data(draft), data=data,
                           doc=docx.Document(io.BytesIO(data)))


def test_page_setup_and_page_numbers(case):
    page = case.rules["page"]
    if case.name.startswith("seed-"):
        assert case.rules["edition"] == "2018"  # documents of 2021-22 fall under 36-HD/VPTW
    sec = case.doc.sections[0]
    assert abs(sec.page_width.mm - 210) < 0.5 and abs(sec.page_height.mm - 297) < 0.5
    for side in ("top", "bottom", "left", "right"):
        assert getattr(sec, f"{side}_margin").mm == pytest.approx(page[f"margin_{side}_mm"], abs=0.05), side
    assert sec.header_distance.mm == pytest.approx(page["page_number_top_mm"], abs=0.05)
    assert sec.different_first_page_header_footer
    first = sec.first_page_header._element
    assert not [t.text for t in first.iter(qn("w:instrText"))] + first.xpath(".//w:fldSimple/@w:instr")
    # page 1's header shows no number; only the phạm vi lưu hành when the draft has one
    assert "".join(t.text for t in first.iter(qn("w:t"))).strip() == (case.draft.marks.circulation or "")
    default = sec.header._element
    instr = [t.text for t in default.iter(qn("w:instrText"))] + default.xpath(".//w:fldSimple/@w:instr")
    assert any(i and i.split()[0] == "PAGE" for i in instr)
    numbered = [p for p in sec.header.paragraphs if "PAGE" in etree.tostring(p._p, encoding="unicode")]
    assert numbered and numbered[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {r.font.size.pt for r in numbered[0].runs} == {page["page_number_size"]}


def test_times_new_roman_everywhere_and_no_theme_fonts(case):
    with zipfile.ZipFile(io.BytesIO(case.data)) as z:
        parts = [n for n in z.namelist() if n in ("word/document.xml", "word/styles.xml")
                 or (n.startswith("word/header") and n.endswith(".xml"))]
        assert len(parts) >= 4  # document, styles, default and first-page headers
        for name in parts:
            root = etree.fromstring(z.read(name))
            fonts = list(root.iter(qn("w:rFonts")))
            assert fonts, name
            for rf in fonts:
                for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                    assert rf.get(qn(slot)) == case.rules["font"] == "Times New Roman", (name, slot)
            # Theme fonts: asciiTheme, hAnsiTheme, eastAsiaTheme and cstheme (lower case in the schema).
            themed = [(e.tag, a) for e in root.iter() for a in e.attrib if etree.QName(a).localname.lower().endswith(
                "theme")]
            assert themed == [], name


def header_expectations(case) -> tuple[list, list]:
    d, r = case.draft, case.rules
    name = d.issuer.name if d.co_issuer is None else d.issuer.name + r["header"]["joint_separator"] + d.co_issuer.name
    left = [("parent", upper(t)) for t in lines(d.issuer.parent)] + [("issuer", upper(t)) for t in lines(name)]
    if r["header"].get("issuer_mark"):
        left.append(("issuer_mark", r["header"]["issuer_mark"]))
    left.append(("number", number_line(d, rules_for(d.style, d.edition, d.date))))
    if draft_mark_line(d, r):
        left.append(("draft_mark", draft_mark_line(d, r)))
    if d.type == "CV":
        left.append(("cv_subject", d.subject))
    marks = {"secrecy": d.secrecy, "urgency": d.urgency}  # ô 10a, 10b, in the rows' order
    order = [role for row in r["header"]["rows"] for role in row["left"] if marks.get(role)]
    left.extend((role, marks[role]) for role in order)
    right = [("national", t) for t in r["header"]["national"]] + [("motto", t) for t in r["header"].get("motto", [])]
    if header_date(d):  # not in a state biên bản (Phụ lục III Mẫu 1.9)
        right.append(("place_date", place_date(d, r)))
    return left, right


def test_header_table(case):
    assert case.doc.element.body[0].tag == qn("w:tbl")
    left, right = header_expectations(case)
    number = {"seed-000": "Số 66-CV/ĐU", "state-cong-van": "Số: 856/UBND-VP"}  # as the documents print it
    if case.name in number:
        assert ("number", number[case.name]) in left
    national = {"party": ["ĐẢNG CỘNG SẢN VIỆT NAM"],
                "state": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]}[case.draft.style]
    assert [t for role, t in right if role != "place_date"] == national
    official = {"parent": lambda b, i: not b, "issuer": lambda b, i: b, "number": lambda b, i: not b and not i,
                "urgency": lambda b, i: b and not i, "secrecy": lambda b, i: b and not i,
                "place_date": lambda b, i: i, "national": lambda b, i: b, "motto": lambda b, i: b}
    for col, expected in ((0, left), (1, right)):
        pars = [p for p in column(case.doc.tables[0], col) if p.text.strip()]
        assert [p.text for p in pars] == [t for _, t in expected], f"column {col}"
        for p, (role, _) in zip(pars, expected, strict=True):
            spec = el(case.rules, role)
            (got,) = {(b, i, size) for b, i, _, size in map(fmt, p.runs)}
            assert got[:2] == (spec["bold"], spec["italic"]), role
            assert got[2] in spec.get("sizes", [spec["size"]]), role  # the size fitted: test_layout_header_fit
            framed = p.text in spec.get("frames", {})  # text centred in its frame; `align` places the frame
            assert p.alignment == WD_ALIGN_PARAGRAPH["CENTER" if framed else spec["align"].upper()], role
            assert all(official.get(role, lambda b, i: True)(b, i) for b, i, *_ in map(fmt, p.runs)), role
            if case.draft.style == "party" and role == "national":
                assert {fmt(r) for r in p.runs} == {(True, False, False, 15)}


def test_header_marks_under_issuer_and_titles(case):
    """Party: "*" under the issuer. A rule line (bottom border) under every element whose rule
    data asks for one, and always under the state issuer name and motto (NĐ 30)."""
    left, right = header_expectations(case)
    for col, expected in ((0, left), (1, right)):
        pars = column(case.doc.tables[0], col)
        for role in {role for role, _ in expected}:
            idx = max(i for i, p in enumerate(pars) if (role, p.text) in expected)
            after = pars[idx + 1] if idx + 1 < len(pars) else None
            if role == "issuer" and case.draft.style == "party":
                assert after is not None and after.text == "*"
            if "rule" in case.rules["elements"][role] or (case.draft.style == "state" and role in ("issuer", "motto")):
                assert after is not None and after.text == "" and has_bottom_border(after), role


def content_lines(draft: Draft) -> list[tuple[str, object]]:
    out = [("preamble", line) for line in parse_body(draft.preamble or "")]
    return out + [("body", line) for line in parse_body(draft.body)]


def test_body_paragraphs(case):
    expected = content_lines(case.draft)
    tail = trailing_mark_paragraphs(case.draft, case.rules)
    pars = case.doc.paragraphs[-len(expected) - tail:len(case.doc.paragraphs) - tail]
    assert [p.text for p in pars] == [line.text for _, line in expected]
    for p, (role, line) in zip(pars, expected, strict=True):
        heading = line.kind == "heading"
        spec = el(case.rules, "heading" if heading else role)
        if not heading:
            assert spec["align"] == "justify" and spec["line"] == case.rules["elements"]["body"]["line"]
        f = p.paragraph_format
        assert p.alignment == WD_ALIGN_PARAGRAPH[spec["align"].upper()], p.text
        assert (f.first_line_indent or 0) / 36000 == pytest.approx(spec["first_indent_mm"], abs=0.05), p.text
        assert f.line_spacing_rule == WD_LINE_SPACING.EXACTLY and f.line_spacing.pt == pytest.approx(spec["line"])
        want = [(ch, s.bold or spec["bold"], s.italic or spec["italic"], s.underline or spec["underline"])
                for s in line.spans for ch in s.text]
        got = [(ch, *fmt(r)[:3]) for r in p.runs for ch in r.text]
        assert got == want, p.text
        assert {r.font.size.pt for r in p.runs} == {spec["size"]}


@pytest.mark.parametrize("name,phrase", [("seed-000", None), ("seed-001", "xóm, tổ dân phố")])
def test_emphasis_from_markup_reaches_docx(name, phrase):
    draft = load_draft(FIXTURES / f"{name}.json")
    italic = [s.text for line in parse_body(draft.body) for s in line.spans if s.italic]
    assert italic and (phrase is None or phrase in italic)
    doc = docx.Document(io.BytesIO(render_docx_bytes(build_layout(draft))))
    runs = [r for p in doc.paragraphs for r in p.runs]
    for text in italic:
        assert any(r.italic and text in r.text for r in runs), text
        assert not any(not r.italic and text in r.text for r in runs), text


def test_title(case):
    doc_type = next(t for t in tomllib.loads((RULES_DIR / f"types-{case.draft.style}.toml").read_text("utf-8"))
                    ["types"] if t["code"] == case.draft.type)
    after_header = case.doc.element.body[1]
    spec = el(case.rules, "title")
    if doc_type.get("print_name", True):
        title = docx.text.paragraph.Paragraph(after_header, case.doc)
        assert title.text == upper(case.draft.title or doc_type["name"])
        assert {fmt(r) for r in title.runs} == {(True, False, False, spec["size"])}
        assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
        if case.name == "seed-003":
            assert (title.text, spec["size"]) == ("NGHỊ QUYẾT", 16)
    else:
        assert case.draft.type == "CV" and case.draft.recipients  # the address follows the header directly
        assert not any(p.text.strip() in (doc_type["name"], "CÔNG VĂN") for p in case.doc.paragraphs)
        assert docx.text.paragraph.Paragraph(after_header, case.doc).text.startswith(f"{doc_type['address']}:")


def test_signature_table(case):
    d, r = case.draft, case.rules
    table = case.doc.tables[-1]
    assert len(case.doc.tables) >= 2
    right = table.rows[0].cells[1].paragraphs
    if d.signer2 is not None or d.signer_confirm is not None:  # two signatures: Nơi nhận in the last row
        left = table.rows[-1].cells[0].paragraphs
    else:
        # A Nơi nhận taller than the signer's block runs on in rows of its own (dirdesk.layout.keep).
        left = [p for row in table.rows for p in row.cells[0].paragraphs if p.text or row is table.rows[0]]
        assert all(not row.cells[1].text.strip() for row in table.rows[1:])
    sep, last = r["cc"]["separator"], r["cc"]["last"]
    # 36-HD (the 2018 seeds) ","; 05-HD 9.2.5 ";"; NĐ 30 Phụ lục I ô 9b ";"
    assert (sep, last) == ({"party-2018": ",", "party-2026": ";", "state-2020": ";"}[f"{d.style}-{r['edition']}"], ".")
    items = [f"- {c}{last if i == len(d.cc) - 1 else sep}" for i, c in enumerate(d.cc)]
    label = el(r, "cc_label")
    drafter = [drafter_line(d, r)] if drafter_line(d, r) else []
    assert [p.text for p in left] == [label["text"]] + lines(d.cc_note) + items + drafter
    assert label["text"] == "Nơi nhận:"
    label_fmt = {fmt(run) for run in left[0].runs if run.text.strip(":")}
    official = {"party": (False, False, True, 14), "state": (True, True, False, 12)}[d.style]
    assert label_fmt == {(label["bold"], label["italic"], label["underline"], label["size"])} == {official}
    for p in left[1 + len(lines(d.cc_note)):len(left) - len(drafter)]:
        assert {fmt(run)[3] for run in p.runs} == {el(r, "cc_item")["size"]}
    s = d.signer
    expected = [("authority", upper(t)) for t in lines(s.authority)] + [("signer_title", upper(t))
                                                                         for t in lines(s.title)]
    expected += [("signer_name", s.name)] if s.name else []
    got = [p for p in right if p.text.strip()]
    if d.signer_confirm is not None:  # the confirmation follows (05-HD 7.1.4.e): test_two_signatures.py
        got = got[:len(expected)]
    assert [p.text for p in got] == [t for _, t in expected]
    for p, (role, _) in zip(got, expected, strict=True):
        spec = el(r, role)
        official_bold = {"authority": True, "signer_name": True, "signer_title": d.style == "state"}[role]
        assert {(b, size) for b, _, _, size in map(fmt, p.runs)} == {(spec["bold"], spec["size"])}, role
        assert spec["bold"] == official_bold, role


def test_control_characters_are_dropped():
    data = json.loads((FIXTURES / "seed-000.json").read_text("utf-8"))
    data["body"] = "Mở đầu\x00\x07\x1b văn bản\ufffe.\n" + data["body"]
    data["subject"] = "V/v thử\x0b ký tự\ufffe điều khiển"
    data["cc"] = ["Như kính gửi\x1f", "Lưu Văn phòng\x08 Đảng ủy"]
    data["signer"]["name"] = "Nguyễn\x0c Đức Giang"
    raw = render_docx_bytes(build_layout(draft_from_dict(data)))
    doc = docx.Document(io.BytesIO(raw))
    assert "Mở đầu văn bản." in [p.text for p in doc.paragraphs]
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    for ch in "\x00\x07\x08\x0b\x0c\x1b\x1f\ufffe":
        assert ch not in xml, repr(ch)
    assert "V/v thử ký tự điều khiển" in xml and "Nguyễn Đức Giang" in xml
