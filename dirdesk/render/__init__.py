"""The two writers of a laid-out document: DOCX (python-docx) and PDF (reportlab)."""

from __future__ import annotations

from pathlib import Path

from dirdesk.draft import Draft, atomic_write
from dirdesk.layout import LaidOutDocument, build_layout


def render_docx_bytes(doc: LaidOutDocument) -> bytes:
    from dirdesk.render.docx_writer import write_docx  # lazy: python-docx only when a DOCX is written

    return write_docx(doc)


def render_pdf_bytes(doc: LaidOutDocument) -> bytes:
    from dirdesk.render.pdf_writer import write_pdf  # lazy, as write_docx: a DOCX alone needs no PDF writer

    return write_pdf(doc)


def render_draft(draft: Draft, docx: Path | None = None, pdf: Path | None = None) -> LaidOutDocument:
    """Lay out once, write either or both files atomically (never half-written)."""
    doc = build_layout(draft)
    outputs = []
    if docx:
        outputs.append((docx, render_docx_bytes(doc)))
    if pdf:
        outputs.append((pdf, render_pdf_bytes(doc)))
    for path, data in outputs:
        atomic_write(path, data)
    return doc
