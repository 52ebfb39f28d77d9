"""State "Kính gửi:" with several recipients stands on its own line, the recipients one a line under it
(NĐ 30 Phụ lục I II.8.a, Phụ lục III Mẫu 1.5: "Kính gửi:" at 35 mm, the "- …;" lines at 45 mm from the
margin); one recipient stays on the line of "Kính gửi:"; Party keeps its own arrangement (05-HD 9.2.3)."""

from __future__ import annotations

import io
from itertools import pairwise

import pdfplumber
import pytest
from docx import Document

from dirdesk.draft import load_draft
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from tests.readback import FIXTURES, rule_data

MM = 72 / 25.4


def pdf_lines(name: str) -> tuple[list[dict], dict]:
    draft = load_draft(FIXTURES / f"{name}.json")
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(draft)))) as pdf:
        return pdf.pages[0].extract_text_lines(), rule_data(draft)


def test_state_several_recipients_pdf():
    lines, rules = pdf_lines("state-cong-van")
    draft = load_draft(FIXTURES / "state-cong-van.json")
    texts = [ln["text"] for ln in lines]
    at = texts.index("Kính gửi:")  # alone on its line
    spec, left = rules["elements"]["address"], rules["page"]["margin_left_mm"] * MM
    assert lines[at]["x0"] == pytest.approx(left + spec["label_indent_mm"] * MM, abs=0.5)
    items = lines[at + 1:at + 1 + len(draft.recipients)]
    expected = [f"- {r};" for r in draft.recipients[:-1]] + [f"- {draft.recipients[-1]}."]
    assert [ln["text"] for ln in items] == expected
    for ln in items:
        assert ln["x0"] == pytest.approx(left + spec["items_indent_mm"] * MM, abs=0.5)
        assert {round(c["size"]) for c in ln["chars"]} == {spec["size"]}
        assert not any("Bold" in c["fontname"] or "Italic" in c["fontname"] for c in ln["chars"])
    tops = [ln["top"] for ln in lines[at:at + 1 + len(items)]]
    assert all(b > a for a, b in pairwise(tops))  # one under the other


def test_state_several_recipients_docx():
    draft = load_draft(FIXTURES / "state-cong-van.json")
    rules = rule_data(draft)
    doc = Document(io.BytesIO(render_docx_bytes(build_layout(draft))))
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("Kính gửi:")
    spec = rules["elements"]["address"]
    label = doc.paragraphs[at]
    assert label.paragraph_format.left_indent.mm == pytest.approx(spec["label_indent_mm"], abs=0.1)
    for p, name in zip(doc.paragraphs[at + 1:], draft.recipients, strict=False):
        assert p.text.startswith(f"- {name}")
        assert p.paragraph_format.left_indent.mm == pytest.approx(spec["items_indent_mm"], abs=0.1)
        assert not (p.paragraph_format.first_line_indent or 0)


def test_state_one_recipient_stays_on_the_label_line():
    lines, _ = pdf_lines("state-long-place")
    draft = load_draft(FIXTURES / "state-long-place.json")
    assert f"Kính gửi: {draft.recipients[0]}." in [ln["text"] for ln in lines]


def test_party_keeps_its_arrangement():
    lines, _ = pdf_lines("seed-000")
    draft = load_draft(FIXTURES / "seed-000.json")
    first = [ln["text"] for ln in lines if ln["text"].startswith("Kính gửi:")]
    assert first and draft.recipients[0] in first[0]


@pytest.mark.parametrize(("edition", "sep", "last"), [("2026", ";", ";"), ("2018", ",", ".")])
def test_party_kinh_gui_punctuation_by_edition(edition, sep, last):
    """05-HD 9.2.5: a semicolon after every recipient of "Kính gửi", the last one too; 36-HD's
    documents (the 2018 seeds) separate with "," and end the list with a full stop."""
    import dataclasses

    draft = load_draft(FIXTURES / "seed-001.json")
    draft = dataclasses.replace(draft, edition=edition, recipients=["Các chi bộ trực thuộc", "Ban Tuyên giáo"])
    with pdfplumber.open(io.BytesIO(render_pdf_bytes(build_layout(draft)))) as doc:
        text = doc.pages[0].extract_text()
    assert f"Các chi bộ trực thuộc{sep}" in text and f"Ban Tuyên giáo{last}" in text
    document = Document(io.BytesIO(render_docx_bytes(build_layout(draft))))
    texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(f"Ban Tuyên giáo{last}" in t for t in texts)
