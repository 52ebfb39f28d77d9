"""Page breaks a reviewer rejects: the signature on a page with no body text (a long Nơi nhận), and a
heading left alone at a page foot. The PDF's pages are read back; the DOCX carries the keep flags and
rows that let LibreOffice break alike (test_libreoffice_agreement holds the two fixtures to the PDF)."""

from __future__ import annotations

import io
import json

import pdfplumber
from docx import Document
from docx.oxml.ns import qn

from dirdesk.draft import draft_from_dict, load_draft
from dirdesk.intake.parse import parse_file
from dirdesk.layout import build_layout
from dirdesk.layout.model import Table
from dirdesk.markup import parse_body
from dirdesk.render import render_docx_bytes, render_pdf_bytes
from dirdesk.render.pdf_flow import paginate
from tests.readback import FIXTURES

REPORT = FIXTURES / "state-bao-cao-50.json"
HEADING = FIXTURES / "state-heading-foot.json"
TITLE = "II. TỒN TẠI, HẠN CHẾ"


def page_texts(pdf_bytes: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def test_fifty_recipients_keep_the_signature_with_the_body():
    draft = load_draft(REPORT)
    assert len(draft.cc) == 50
    pages = page_texts(render_pdf_bytes(build_layout(draft)))
    (signed,) = [i for i, text in enumerate(pages) if draft.signer.name in text]
    last = parse_body(draft.body)[-1].text
    assert " ".join(last.split()[-6:]) in pages[signed]  # the body's last lines stand over the signature
    assert " ".join(last.split()[:6]) in pages[signed]  # the last paragraph goes whole (as in LibreOffice)
    printed = " ".join(pages)
    positions = [printed.index(f"- {item}") for item in draft.cc]
    assert positions == sorted(positions)  # every recipient, in order, the list running on
    assert signed < len(pages) - 1 and f"- {draft.cc[-1]}." in pages[-1]


def test_fifty_recipients_rows_in_the_docx():
    draft = load_draft(REPORT)
    doc = Document(io.BytesIO(render_docx_bytes(build_layout(draft))))
    table = doc.tables[-1]
    first_left, first_right = table.rows[0].cells
    assert draft.signer.name in first_right.text
    items = [p.text for row in table.rows for p in row.cells[0].paragraphs if p.text.startswith("- ")]
    assert items == [f"- {c}{'.' if i == len(draft.cc) - 1 else ';'}" for i, c in enumerate(draft.cc)]
    assert len(table.rows) > 2 and all(not row.cells[1].text.strip() for row in table.rows[1:])
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    last_body = [p for p in doc.paragraphs if p.text.strip()][-1]
    assert last_body.paragraph_format.keep_with_next and last_body.paragraph_format.keep_together


def test_short_list_keeps_one_row():
    data = json.loads(REPORT.read_text("utf-8"))
    data["cc"] = data["cc"][:3] + data["cc"][-1:]
    (signature,) = [b for b in build_layout(draft_from_dict(data)).blocks if isinstance(b, Table)
                    and b.role == "signature"]
    assert len(signature.rows) == 1


def heading_pages(doc) -> tuple[int, int, int]:
    """The page the title begins on, the page its paragraph begins on, and the pages."""
    pages = paginate(doc)
    at: dict[str, int] = {}
    for i, page in enumerate(pages):
        for text in page.first_texts:
            at.setdefault(text, i)
    texts = [p.text for p in doc.paragraphs()]
    after = texts[texts.index(TITLE) + 1]
    return at[TITLE], at[after], pages


def test_heading_goes_with_its_paragraph():
    doc = build_layout(load_draft(HEADING))
    title_page, para_page, pages = heading_pages(doc)
    assert title_page == para_page == 1
    assert pages[1].first_texts[0] == TITLE  # it opens page 2 instead of closing page 1
    # Without the keep the fixture's title would close page 1: the case is real.
    for p in doc.paragraphs():
        if p.text == TITLE:
            p.keep_with_next = p.keep_together = False
    title_page, para_page, pages = heading_pages(doc)
    assert (title_page, para_page) == (0, 1) and pages[0].first_texts[-1] == TITLE


def test_heading_in_pdf_and_docx():
    draft = load_draft(HEADING)
    doc = build_layout(draft)
    pages = page_texts(render_pdf_bytes(doc))
    (page,) = [text for text in pages if TITLE in text]
    assert "Một số hồ sơ còn phải bổ sung" in page
    docx = Document(io.BytesIO(render_docx_bytes(doc)))
    titles = [p for p in docx.paragraphs if p.text in ("I. KẾT QUẢ THỰC HIỆN", TITLE, "III. NHIỆM VỤ 6 THÁNG CUỐI NĂM")]
    assert len(titles) == 3
    assert all(p.paragraph_format.keep_with_next and p.paragraph_format.keep_together for p in titles)
    bodies = [p for p in docx.paragraphs if p.text.startswith("Một số hồ sơ")]
    assert bodies and not bodies[0].paragraph_format.keep_with_next  # an ordinary paragraph is not kept


def test_fifty_recipients_parse_back(tmp_path):
    """The list that runs on under the signature is read back whole, from the DOCX and the PDF."""
    draft = load_draft(REPORT)
    doc = build_layout(draft)
    (tmp_path / "bc.docx").write_bytes(render_docx_bytes(doc))
    (tmp_path / "bc.pdf").write_bytes(render_pdf_bytes(doc))
    for name in ("bc.docx", "bc.pdf"):
        got = parse_file(tmp_path / name)
        assert got["cc"] == draft.cc, name
        assert got["signer"]["name"] == draft.signer.name, name
