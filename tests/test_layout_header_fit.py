"""A long place-date line stays on one line, inside the margins, at the largest size its rule allows.

NĐ 30 Phụ lục I II.4.c gives the state line 13-14 pt; 05-HD Phụ lục 2 item 4 gives the Party line 14 pt
only. The places are the longest real ones a ward office prints: 05-HD 4.1.1.c's "Phường Ngô Quyền",
"Thành phố Huế", and "Thành phố Hồ Chí Minh", "Phường Nguyễn Thái Bình", "Phường Đông Hưng Thuận".
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn

from dirdesk.draft import draft_from_dict
from dirdesk.fonts import text_width
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from tests.readback import FIXTURES, place_date, rule_data
from tests.test_render_pdf import find_chars

MM = 72 / 25.4
PLACES = ["Thành phố Hồ Chí Minh", "Phường Nguyễn Thái Bình", "Phường Đông Hưng Thuận", "Phường Ngô Quyền",
          "Thành phố Huế"]
STYLES = {"state": "state-long-place.json", "party": "party-long-place.json"}


def draft_at(style: str, place: str):
    data = json.loads((FIXTURES / STYLES[style]).read_text("utf-8"))
    data["place"] = place
    return draft_from_dict(data)


def date_chars(pdf_bytes: bytes, text: str) -> tuple[list[dict], float]:
    """The printed chars of the date line on page 1 (found across a line break too) and the page width."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        return find_chars(page, text), page.width


def allowed_sizes(rules: dict) -> list[float]:
    spec = rules["elements"]["place_date"]
    return spec.get("sizes", [spec["size"]])


@pytest.fixture(params=[(s, p) for s in STYLES for p in PLACES], ids=lambda c: f"{c[0]}-{c[1]}")
def case(request):
    """(draft, its raw rules, its date line) for a style and a place."""
    draft = draft_at(*request.param)
    rules = rule_data(draft)
    return draft, rules, place_date(draft, rules)


def test_pdf_date_line_is_one_line_inside_the_margins(case):
    draft, rules, text = case
    chars, page_width = date_chars(render_pdf_bytes(build_layout(draft)), text)
    assert "".join(c["text"] for c in chars) == text.replace(" ", "")
    assert len({round(c["top"], 1) for c in chars}) == 1  # one line
    page = rules["page"]
    assert min(c["x0"] for c in chars) >= page["margin_left_mm"] * MM - 0.01
    assert max(c["x1"] for c in chars) <= page_width - page["margin_right_mm"] * MM + 0.01
    sizes = {round(c["size"], 2) for c in chars}
    assert len(sizes) == 1 and sizes <= set(allowed_sizes(rules))
    assert all("Italic" in c["fontname"] for c in chars)


def test_the_largest_allowed_size_is_taken():
    """State: 14 pt where it fits, 13 pt for "Thành phố Hồ Chí Minh" (the issue's own example, which
    wraps at 14 pt); Party: always 14 pt."""
    expected = {("state", "Thành phố Huế"): 14, ("state", "Phường Ngô Quyền"): 14,
                ("state", "Thành phố Hồ Chí Minh"): 13, ("state", "Phường Đông Hưng Thuận"): 13}
    expected.update({("party", p): 14 for p in PLACES})
    for (style, place), size in expected.items():
        draft = draft_at(style, place)
        chars, _ = date_chars(render_pdf_bytes(build_layout(draft)), place_date(draft, rule_data(draft)))
        assert {round(c["size"], 2) for c in chars} == {size}, (style, place)


def test_short_place_keeps_the_rules_columns():
    for style in STYLES:
        draft = draft_at(style, "Huế")
        head = rule_data(draft)["header"]
        widths = build_layout(draft).blocks[0].col_widths
        assert widths == pytest.approx([head["left_width_mm"] * MM, head["right_width_mm"] * MM])


def test_docx_header_column_holds_the_line_inside_the_margins(case):
    draft, rules, text = case
    doc = Document(io.BytesIO(render_docx_bytes(build_layout(draft))))
    table = doc.tables[0]
    grid = [int(g.get(qn("w:w"))) / 20 for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    ind = int(table._tbl.tblPr.find(qn("w:tblInd")).get(qn("w:w"))) / 20
    head, page = rules["header"], rules["page"]
    # The columns share the rules' width; only the boundary moves, and never below the floor.
    assert sum(grid) == pytest.approx((head["left_width_mm"] + head["right_width_mm"]) * MM, abs=0.1)
    assert grid[0] >= head["left_min_width_mm"] * MM - 0.1
    (par,) = [p for row in table.rows for p in row.cells[1].paragraphs if p.text == text]
    (size,) = {r.font.size.pt for r in par.runs}
    assert size in allowed_sizes(rules)
    width = text_width(text, size, italic=True)
    assert width <= grid[1]  # fits its column on one line
    centre = ind + grid[0] + grid[1] / 2
    text_area = (210 - page["margin_left_mm"] - page["margin_right_mm"]) * MM
    assert centre + width / 2 <= text_area + 0.01  # and ends inside the right margin


@pytest.mark.slow
def test_libreoffice_prints_the_date_on_one_line_inside_the_margins(tmp_path):
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    cases = {}
    for style in STYLES:
        for place in ("Thành phố Hồ Chí Minh", "Phường Đông Hưng Thuận"):
            draft = draft_at(style, place)
            name = f"{style}-{len(cases)}"
            (tmp_path / f"{name}.docx").write_bytes(render_docx_bytes(build_layout(draft)))
            cases[name] = (draft, rule_data(draft))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), *sorted(str(p) for p in tmp_path.glob("*.docx"))],
                   check=True, capture_output=True, timeout=300)
    for name, (draft, rules) in cases.items():
        text = place_date(draft, rules)
        chars, page_width = date_chars((tmp_path / f"{name}.pdf").read_bytes(), text)
        assert "".join(c["text"] for c in chars) == text.replace(" ", ""), name
        assert len({round(c["top"]) for c in chars}) == 1, name
        assert min(c["x0"] for c in chars) >= rules["page"]["margin_left_mm"] * MM - 0.5, name
        assert max(c["x1"] for c in chars) <= page_width - rules["page"]["margin_right_mm"] * MM + 0.5, name
