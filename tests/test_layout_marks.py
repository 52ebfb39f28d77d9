"""Độ khẩn and độ mật marks in their frames, in red, in both files (and as LibreOffice prints the DOCX).

NĐ 30 Phụ lục I III.2.b: HỎA TỐC 30x8 mm, THƯỢNG KHẨN 40x8 mm, KHẨN 20x8 mm, a single border, bright
red; the độ mật stamps by the state-secrets rules (MẬT 20x8 mm). Placed in ô 10a / 10b: under the
number (and a công văn's trích yếu) in the left column. 05-HD gives the Party "KHẨN" no frame.
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

from dirdesk.draft import draft_from_dict, load_draft
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from tests.readback import FIXTURES, rule_data

MM = 72 / 25.4
RED = (1.0, 0.0, 0.0)
FIXTURE = FIXTURES / "state-hoa-toc.json"


def frames_of(rules: dict, role: str) -> dict:
    return rules["elements"][role].get("frames", {})


def outer_boxes(pdf_bytes: bytes) -> tuple[list[tuple[float, float, float, float]], object]:
    """Red rectangles of page 1 as (x0, top, x1, bottom) of their outer edges: our rects, or
    LibreOffice's four border lines."""
    pdf = pdfplumber.open(io.BytesIO(pdf_bytes))
    page = pdf.pages[0]
    boxes = []
    for r in page.rects:
        if r["stroke"] and tuple(r["stroking_color"]) == RED:
            half = r["linewidth"] / 2
            boxes.append((r["x0"] - half, r["top"] - half, r["x1"] + half, r["bottom"] + half))
    red = [(ln["x0"], ln["top"], ln["x1"], ln["bottom"]) for ln in page.lines
           if tuple(ln.get("stroking_color") or ()) == RED]
    groups: list[list[float]] = []  # LibreOffice draws a paragraph's border as four lines: join touching ones
    for x0, top, x1, bottom in red:
        for g in groups:
            if x0 <= g[2] + 2 and x1 >= g[0] - 2 and top <= g[3] + 2 and bottom >= g[1] - 2:
                g[:] = [min(g[0], x0), min(g[1], top), max(g[2], x1), max(g[3], bottom)]
                break
        else:
            groups.append([x0, top, x1, bottom])
    boxes.extend(tuple(g) for g in groups)
    return boxes, pdf


def chars_of(page, text: str) -> list[dict]:
    found = page.search(text, return_chars=True)
    assert found, text
    return [c for c in found[0]["chars"] if c["text"].strip()]


def check_marks(pdf_bytes: bytes, draft, rules: dict, tol: float) -> None:
    boxes, pdf = outer_boxes(pdf_bytes)
    page = pdf.pages[0]
    left = rules["page"]["margin_left_mm"] * MM
    split = left + build_layout(draft).blocks[0].col_widths[0]
    number_bottom = max(c["bottom"] for c in chars_of(page, "912/UBND-VP"))
    for role, text in (("urgency", draft.urgency), ("secrecy", draft.secrecy)):
        width, height = frames_of(rules, role)[text]
        chars = chars_of(page, text)
        (box,) = [b for b in boxes if b[0] <= min(c["x0"] for c in chars) and max(c["x1"] for c in chars) <= b[2]
                  and b[1] <= chars[0]["top"] and chars[0]["bottom"] <= b[3]]
        assert box[2] - box[0] == pytest.approx(width * MM, abs=tol), text
        assert box[3] - box[1] == pytest.approx(height * MM, abs=tol), text
        assert left - tol <= box[0] and box[2] <= split + tol  # in the left column (ô 10a, 10b)
        if rules["elements"][role]["align"] == "left":  # the sơ đồ's ô 10a, 10b: at the left edge
            assert box[0] == pytest.approx(left, abs=tol)
        assert box[1] > number_bottom  # under the number
        centre = (box[0] + box[2]) / 2
        text_centre = (min(c["x0"] for c in chars) + max(c["x1"] for c in chars)) / 2
        assert text_centre == pytest.approx(centre, abs=1.0)  # "đặt cân đối trong khung"
        assert all(tuple(c["non_stroking_color"]) == RED and "Bold" in c["fontname"] for c in chars)
        assert {round(c["size"]) for c in chars} == {rules["elements"][role]["size"]}
    urgency_top = min(b[1] for b in boxes if b[2] - b[0] > 25 * MM)
    secrecy_top = min(b[1] for b in boxes if b[2] - b[0] < 25 * MM)
    assert secrecy_top < urgency_top  # 10a (độ mật) above 10b (độ khẩn), Phụ lục I IV
    pdf.close()


def test_pdf_frames():
    draft = load_draft(FIXTURE)
    check_marks(render_pdf_bytes(build_layout(draft)), draft, rule_data(draft), tol=0.1)


def test_docx_frames():
    draft = load_draft(FIXTURE)
    rules = rule_data(draft)
    doc = Document(io.BytesIO(render_docx_bytes(build_layout(draft))))
    cell = doc.tables[0].rows[1].cells[0]
    column = int(doc.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))[0].get(qn("w:w"))) / 20
    for role, text in (("urgency", draft.urgency), ("secrecy", draft.secrecy)):
        width, height = frames_of(rules, role)[text]
        (par,) = [p for p in cell.paragraphs if p.text == text]
        borders = par._p.pPr.find(qn("w:pBdr"))
        edges = {e.tag.split("}")[1]: e for e in borders}
        assert set(edges) == {"top", "left", "bottom", "right"}
        thickness = {int(e.get(qn("w:sz"))) / 8 for e in edges.values()}
        assert {e.get(qn("w:val")) for e in edges.values()} == {"single"}  # viền đơn
        assert {e.get(qn("w:color")) for e in edges.values()} == {"FF0000"}
        assert {e.get(qn("w:space")) for e in edges.values()} == {"0"}
        (t,) = thickness
        fmt = par.paragraph_format
        inner = column - fmt.left_indent.pt - fmt.right_indent.pt
        assert inner + 2 * t == pytest.approx(width * MM, abs=0.2)
        assert fmt.line_spacing.pt + 2 * t == pytest.approx(height * MM, abs=0.1)
        assert {str(r.font.color.rgb) for r in par.runs} == {"FF0000"}
        assert all(r.bold for r in par.runs)


def test_every_wording_has_its_frame():
    """The three urgencies and three secrecies each print in the frame the rules give them."""
    base = json.loads(FIXTURE.read_text("utf-8"))
    rules = rule_data(load_draft(FIXTURE))
    for role, key, values in (("urgency", "urgency", ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")),
                              ("secrecy", "secrecy", ("MẬT", "TỐI MẬT", "TUYỆT MẬT"))):
        for value in values:
            data = dict(base, **{"urgency": None, "secrecy": None, key: value})
            doc = build_layout(draft_from_dict(data))
            (p,) = [p for p in doc.paragraphs() if p.text == value]
            width, height = frames_of(rules, role)[value]
            assert p.frame.width == pytest.approx(width * MM) and p.frame.height == pytest.approx(height * MM)
            assert p.color == p.frame.color == "FF0000"
            boxes, pdf = outer_boxes(render_pdf_bytes(doc))
            pdf.close()
            assert [round((b[2] - b[0]) / MM, 1) for b in boxes] == [width], value


def test_party_urgency_is_unframed_and_secrecy_framed():
    data = json.loads((FIXTURES / "party-long-place.json").read_text("utf-8"))
    data.update(urgency="KHẨN", secrecy="MẬT")
    doc = build_layout(draft_from_dict(data))
    marks = {p.text: p for p in doc.paragraphs() if p.text in ("KHẨN", "MẬT")}
    assert marks["KHẨN"].frame is None and marks["KHẨN"].color is None  # 05-HD II.3: no frame given
    assert marks["MẬT"].frame is not None
    boxes, pdf = outer_boxes(render_pdf_bytes(doc))
    pdf.close()
    assert len(boxes) == 1


def test_two_frames_of_one_size_stay_two_boxes():
    data = json.loads(FIXTURE.read_text("utf-8"))
    data.update(urgency="KHẨN", secrecy="MẬT")  # both 20 x 8 mm, one under the other
    doc = build_layout(draft_from_dict(data))
    a, b = [p for p in doc.paragraphs() if p.frame]
    assert (a.left_indent, a.right_indent) != (b.left_indent, b.right_indent)


@pytest.mark.slow
def test_libreoffice_prints_the_frames(tmp_path):
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    draft = load_draft(FIXTURE)
    (tmp_path / "marks.docx").write_bytes(render_docx_bytes(build_layout(draft)))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "marks.docx")],
                   check=True, capture_output=True, timeout=300)
    check_marks((tmp_path / "marks.pdf").read_bytes(), draft, rule_data(draft), tol=0.8)
