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


def test_the_box_adds_a_quy_che_from_its_draft_file_and_phu_luc(qtbot, context, monkeypatch):
    from dirdesk.draft_attachments import Attachment
    from dirdesk.gui import dialogs

    section = DraftingSection(context)
    qtbot.addWidget(section)
    section.recover()
    state = dict(load_draft(FIXTURE).to_dict(), attachments=[])
    section.load_data(state)
    box = section.form.attached
    assert box.list.count() == 0 and "attachments" not in section.form.data()

    template = Path(__file__).resolve().parents[2] / "resources" / "templates" / "state" / "quy-che.json"
    assert box.add_from_file(str(template))
    box.run_dialog = lambda a: Attachment(kind="phu-luc", body="1. Nội dung phụ lục.", title="Danh sách")
    box.add_annex()
    box.add_annex()
    assert [box.list.item(i).text() for i in range(3)] == [
        "Quy chế — Làm việc của Ủy ban nhân dân phường nhiệm kỳ [2026 - 2031]",
        "Phụ lục — Danh sách", "Phụ lục — Danh sách"]
    box.list.setCurrentRow(2)
    box.move_up()
    box.remove()  # the one moved up, now second
    got = draft_from_dict(section.form.data())
    assert [a.kind for a in got.attachments] == ["van-ban", "phu-luc"]
    assert got.attachments[0].type == "QC" and got.attachments[0].body.startswith("# Chương I")

    def previewed() -> str:
        data = section.preview.pdf_bytes
        return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages) if data else ""

    qtbot.waitUntil(lambda: "QUY CHẾ" in previewed(), timeout=15000)  # the edits reach the preview
    assert "Phụ lục" in previewed()

    said = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text, title="": said.append(text))
    box.style_name = "party"  # a Party decision cannot issue a state quy chế
    assert not box.add_from_file(str(template)) and "cùng kiểu" in said[0]
    assert len(box.items) == 2


def test_the_dialog_edits_a_phu_luc_and_a_document(qtbot):
    from dirdesk.draft_attachments import Attachment
    from dirdesk.gui.drafting.attached_list import AttachmentDialog

    annex = AttachmentDialog(Attachment(kind="phu-luc", body="cũ", title="Cũ"), "state")
    qtbot.addWidget(annex)
    annex.title_edit.setText("Danh sách thành viên")
    annex.body.set_markup("1. **Ông** Nguyễn Văn A.")
    assert annex.attachment() == Attachment(kind="phu-luc", body="1. **Ông** Nguyễn Văn A.",
                                            title="Danh sách thành viên")
    doc = AttachmentDialog(Attachment(kind="van-ban", body="x", type="QC", subject="Cũ"), "state")
    qtbot.addWidget(doc)
    assert doc.type_combo.currentData() == "QC"
    doc.type_combo.setCurrentIndex(doc.type_combo.findData("QyĐ"))
    doc.subject.setPlainText("Về quản lý trật tự đô thị")
    made = doc.attachment()
    assert (made.kind, made.type, made.subject, made.body) == ("van-ban", "QyĐ", "Về quản lý trật tự đô thị", "x")
