"""Every template a clerk starts from: one per document type of each style, and each
renders to DOCX and PDF with its issuer and (except công văn) its type name printed."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import docx
import pdfplumber
import pytest

from dirdesk.draft import load_draft
from dirdesk.layout import build_layout
from dirdesk.markup import parse_body
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from dirdesk.rules import STYLES, doc_types

TEMPLATES = Path(__file__).resolve().parents[1] / "resources" / "templates"
PATHS = sorted(TEMPLATES.glob("*/*.json"))


def norm(text: str) -> str:
    return re.sub(r"- ", "-", re.sub(r"\s+", " ", text)).strip()


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


@pytest.mark.parametrize("style", STYLES)
def test_one_template_per_type(style):
    types = doc_types(style)
    files = sorted(p.stem for p in (TEMPLATES / style).glob("*.json"))
    slugs = sorted(t.slug for t in types.values())
    assert files == slugs
    assert len(set(slugs)) == len(types)
    for code, doc_type in types.items():
        draft = load_draft(TEMPLATES / style / f"{doc_type.slug}.json")
        assert (draft.style, draft.type) == (style, code)


def test_templates_cover_both_styles():
    assert {p.parent.name for p in PATHS} == set(STYLES)
    assert len(PATHS) == sum(len(doc_types(s)) for s in STYLES)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_template_renders(path):
    draft = load_draft(path)
    assert draft.style == path.parent.name
    doc_type = doc_types(draft.style)[draft.type]
    assert doc_type.slug == path.stem
    layout = build_layout(draft)
    document = docx.Document(io.BytesIO(render_docx_bytes(layout)))
    docx_text = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    docx_text += [p.text for p in document.paragraphs]
    pdf_bytes = render_pdf_bytes(layout)
    assert pdf_bytes.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        assert len(pdf.pages) >= 1
        text = norm(" ".join(page.extract_text() for page in pdf.pages))
    for line in draft.issuer.name.split("\n"):
        assert norm(upper(line)) in text
        assert upper(line.strip()) in docx_text
    name = upper(draft.title or doc_type.name)
    if doc_type.print_name:
        assert norm(name) in text
        assert name in docx_text
    else:
        assert draft.type == "CV" and name not in docx_text
    assert norm(parse_body(draft.body)[-1].text) in text


def test_a_new_document_takes_the_office_profile():
    import datetime as dt

    from dirdesk.registers.profile import Profile
    from dirdesk.templates import draft_from_profile

    profile = Profile(style="state", issuer={"parent": None, "name": "ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH", "code": "UBND"},
                      place="Ba Đình", units=[{"code": "VP", "name": "Văn phòng"}],
                      signers=[{"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Lê Hoàng Nam"}])
    draft = draft_from_profile(profile, "CV", today=dt.date(2026, 11, 22))
    issuer = draft.issuer
    assert (issuer.name, issuer.code, issuer.unit) == ("ỦY BAN NHÂN DÂN\nPHƯỜNG BA ĐÌNH", "UBND", "VP")
    assert (draft.place, draft.date, draft.number) == ("Ba Đình", dt.date(2026, 11, 22), None)
    assert (draft.signer.title, draft.signer.name) == ("CHỦ TỊCH", "Lê Hoàng Nam")
    other = draft_from_profile(profile, "CV", today=dt.date(2026, 11, 22), style="party")
    assert other.issuer.code != "UBND"  # a form of the other style keeps its template's issuer

