"""A quyết định with its quy chế and phụ lục in the window: the form keeps what it has no fields
for, the preview shows every part, and the print writer numbers each part's pages on its own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
from PySide6.QtPrintSupport import QPrinter

from dirdesk.draft import draft_from_dict, load_draft
from dirdesk.gui.drafting import DraftingSection
from dirdesk.gui.drafting.printing import draft_printable
from dirdesk.gui.printing import print_pages

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "drafts" / "state-quyet-dinh-kem-theo.json"


def test_form_keeps_attachments_previews_and_prints_each_part(qtbot, context, tmp_path):
    section = DraftingSection(context)
    qtbot.addWidget(section)
    section.recover()
    draft = load_draft(FIXTURE)
    section.load_data(draft.to_dict())
    qtbot.waitUntil(lambda: section.preview.pdf_bytes is not None and not section.preview.busy, timeout=15000)
    data = section.form.data()
    assert draft_from_dict(data).attachments == draft.attachments  # saved back unchanged
    assert len(pypdf.PdfReader(io.BytesIO(section.preview.pdf_bytes)).pages) == 5

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "ban-in.pdf"))
    printer.setResolution(150)
    result = print_pages(printer, draft_printable(data))
    assert result.painted == 5 and not result.cancelled
    printed = pypdf.PdfReader(str(tmp_path / "ban-in.pdf"))
    firsts = [re.split(r"\s+", page.extract_text().strip())[0] for page in printed.pages]
    # the quy chế's second page shows 2; the first page of every part shows none
    assert firsts == ["ỦY", "ỦY", "2", "Phụ", "Phụ"]
