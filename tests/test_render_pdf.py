"""The PDF a clerk sends or prints: embedded fonts, A4, searchable Vietnamese text
in draft order, page numbers, header styling and margins, read back with pdfplumber and pypdf."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pdfplumber
import pypdf
import pytest

from dirdesk.draft import Draft, load_draft
from dirdesk.layout import build_layout
from dirdesk.markup import parse_body
from dirdesk.render import render_pdf_bytes
from dirdesk.rules import rules_for
from dirdesk.symbols import number_line
from tests.readback import FIXTURES, PATHS, header_date, lines, main_part, place_date, rule_data, upper

MM = 72 / 25.4
BASE14 = re.compile(rb"/(Helvetica|Times-(Roman|Bold|Italic|BoldItalic)|Courier|Symbol|ZapfDingbats)\b")
TOL = 0.5


def norm(text: str) -> str:
    """Whitespace collapsed; a line break after a hyphen ("COVID-" / "19") is not a space."""
    return re.sub(r"- ", "-", re.sub(r"\s+", " ", text)).strip()


def pattern(text: str) -> str:
    """A regex for `text` as pdfplumber lays it out: any whitespace where the text wraps; a run of
    spaces (the blank of a number left to fill in, "Số    -NQ/ĐU") as one space or none."""
    out = []
    for chunk in re.split(r"(\s+)", text.strip()):
        if chunk.isspace():
            out.append(r"\s+" if len(chunk) == 1 else r"\s*")
        else:
            out.extend(re.escape(ch) + (r"\s*" if ch == "-" else "") for ch in chunk)
    return "".join(out)


def find_chars(page, text: str) -> list[dict]:
    """The printed (non-space) chars of the first occurrence of `text` on the page."""
    found = page.search(pattern(text), regex=True, return_chars=True)
    assert found, f"{text!r} not found on page {page.page_number}"
    return [c for c in found[0]["chars"] if c["text"].strip()]


@dataclass
class Case:
    name: str
    draft: Draft
    rules: dict
    data: bytes
    pdf: object


@pytest.fixture(scope="module", params=PATHS, ids=lambda p: p.stem)
def case(request):
    draft = main_part(load_draft(request.param))
    data = render_pdf_bytes(build_layout(draft))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        yield Case(request.param.stem, draft, rule_data(draft), data, pdf)


def test_fonts_are_embedded(case):
    assert not BASE14.search(case.data)
    reader = pypdf.PdfReader(io.BytesIO(case.data))
    for number, page in enumerate(reader.pages, 1):
        fonts = page["/Resources"]["/Font"]
        assert len(fonts) > 0, number
        for name, ref in fonts.items():
            font = ref.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            assert font["/Subtype"] in ("/TrueType", "/CIDFontType2", "/Type1", "/CIDFontType0"), name
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor or "/FontFile" in descriptor, name
            assert not BASE14.search(str(font["/BaseFont"]).split("+")[-1].encode()), name


def test_a4_pages(case):
    assert case.pdf.pages
    for page in case.pdf.pages:
        assert abs(page.width - 210 * MM) < TOL * MM and abs(page.height - 297 * MM) < TOL * MM


def text_area(case, page):
    """The page between its top and bottom margins (the marks in the margins left out)."""
    top = case.rules["page"]["margin_top_mm"] * MM
    bottom = page.height - case.rules["page"]["margin_bottom_mm"] * MM
    return page.within_bbox((0, top - 1, page.width, bottom + 1))


def test_body_text_in_order(case):
    text = norm(" ".join(text_area(case, p).extract_text() for p in case.pdf.pages))
    pos = 0
    for line in parse_body(case.draft.preamble or "") + parse_body(case.draft.body):
        at = text.find(norm(line.text), pos)
        assert at >= 0, f"not found after position {pos}: {line.text[:60]!r}"
        pos = at + len(norm(line.text))


def test_vietnamese_extracts():
    draft = load_draft(FIXTURES / "seed-000.json")
    wanted = ["Đảng ủy", "phòng, chống", "ĐẢNG ỦY PHƯỜNG BÁCH QUANG", "Bách Quang"]
    source = "\n".join([draft.body, *draft.recipients, draft.issuer.name, draft.place])
    assert all(w in source for w in wanted)
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(draft)))) as pdf:
        text = norm(" ".join(p.extract_text() for p in pdf.pages))
    for w in wanted:
        assert w in text


def test_page_numbers(case):
    page_rules = case.rules["page"]
    top_margin = page_rules["margin_top_mm"] * MM
    left, right = page_rules["margin_left_mm"] * MM, page_rules["margin_right_mm"] * MM
    for page in case.pdf.pages:
        words = [w for w in page.extract_words(extra_attrs=["size", "fontname"]) if w["top"] < top_margin]
        if page.page_number == 1:  # no number; only the phạm vi lưu hành when the draft has one
            assert [w["text"] for w in words] == (case.draft.marks.circulation or "").split()
            continue
        assert [w["text"] for w in words] == [str(page.page_number)]
        w = words[0]
        centre = left + (page.width - left - right) / 2
        assert abs((w["x0"] + w["x1"]) / 2 - centre) < 2
        assert 5 * MM <= w["top"] <= 20 * MM and w["bottom"] <= top_margin
        assert w["size"] == pytest.approx(page_rules["page_number_size"], abs=0.01)
        assert "Bold" not in w["fontname"] and "Italic" not in w["fontname"]


def header_columns(case) -> tuple[tuple[float, float], tuple[float, float]]:
    """The header's columns: where the rules put them, the boundary moved left as far as the model
    moved it for a long place-date line (test_layout_marks checks that move on its own)."""
    head, page = case.rules["header"], case.rules["page"]
    x0 = (page["margin_left_mm"] + head.get("indent_mm", 0)) * MM
    x2 = x0 + (head["left_width_mm"] + head["right_width_mm"]) * MM
    x1 = x0 + build_layout(case.draft).blocks[0].col_widths[0]
    assert x1 <= x0 + head["left_width_mm"] * MM + 0.01
    return (x0, x1), (x1, x2)


def within(chars, span) -> bool:
    return all(span[0] - TOL <= c["x0"] and c["x1"] <= span[1] + TOL for c in chars)


def test_header_elements(case):
    d, r = case.draft, case.rules
    page = case.pdf.pages[0]
    left_col, right_col = header_columns(case)
    el = r["elements"]
    for text in r["header"]["national"]:
        chars = find_chars(page, text)
        assert all("Bold" in c["fontname"] for c in chars)
        assert {round(c["size"], 2) for c in chars} == {el["national"]["size"]}
        assert within(chars, right_col)
        if d.style == "party":
            centre = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
            assert el["national"]["size"] == 15 and centre >= page.width / 2  # góc phải (05-HD 1.2)
    for text in lines(d.issuer.name):
        chars = find_chars(page, upper(text))
        assert all("Bold" in c["fontname"] for c in chars)
        assert within(chars, left_col)
    for text in lines(d.issuer.parent):
        chars = find_chars(page, upper(text))
        assert not any("Bold" in c["fontname"] for c in chars) and within(chars, left_col)
    number = find_chars(page, number_line(d, rules_for(d.style, d.edition, d.date)))
    assert not any("Bold" in c["fontname"] or "Italic" in c["fontname"] for c in number)
    assert within(number, left_col)
    if not header_date(d):  # a state biên bản (Phụ lục III Mẫu 1.9): the time is in the body only
        assert not page.search(pattern(place_date(d, r)))
        header_bottom = max(c["bottom"] for c in number) + 5
        assert not [c for c in page.chars if c["top"] < header_bottom and c["x0"] >= right_col[0] - TOL
                    and "Italic" in c["fontname"]]
        return
    dated = find_chars(page, place_date(d, r))
    assert all("Italic" in c["fontname"] for c in dated) and within(dated, right_col)


def test_margins(case):
    d, r = case.draft, case.rules
    page_rules = r["page"]
    first = case.pdf.pages[0]
    left, right_edge = page_rules["margin_left_mm"] * MM, first.width - page_rules["margin_right_mm"] * MM
    left_col, right_col = header_columns(case)
    header_texts = [upper(t) for t in lines(d.issuer.parent) + lines(d.issuer.name)] + r["header"]["national"]
    header_texts += [number_line(d, rules_for(d.style, d.edition, d.date))]
    header_texts += [place_date(d, r)] if header_date(d) else []
    header_texts += [d.subject] if d.type == "CV" else []
    header_bottom = max(c["bottom"] for t in header_texts for c in find_chars(first, t))
    body_chars = 0
    for page in case.pdf.pages:
        for c in page.chars:
            if not c["text"].strip():
                continue
            if page.page_number == 1 and c["top"] < header_bottom:
                assert left_col[0] - TOL <= c["x0"] and c["x1"] <= right_col[1] + TOL, c["text"]
            else:
                body_chars += 1
                assert c["x0"] >= left - TOL, (page.page_number, c["text"], c["x0"])
                assert c["x1"] <= right_edge + TOL, (page.page_number, c["text"], c["x1"])
    assert body_chars > len(norm(d.body)) / 2
    # The rules let only the header table reach into the margins (Party: 5 mm left, 2 mm right).
    assert right_col[1] <= first.width - TOL and left_col[0] >= 0


def test_document_info(case):
    info = pypdf.PdfReader(io.BytesIO(case.data)).metadata
    assert info is not None and (info.title or "").strip() and (info.author or "").strip()
    for line in lines(case.draft.issuer.name):
        assert line in info.author
    if case.draft.number:
        assert str(case.draft.number) in info.title
