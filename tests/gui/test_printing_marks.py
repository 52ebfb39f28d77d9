"""The window's print writer draws the framed độ khẩn / độ mật marks in red, where the PDF has them."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinter

from dirdesk.gui import printing
from dirdesk.layout import build_layout
from dirdesk.render import render_pdf_bytes
from tests.conftest import fixture_draft
from tests.test_layout_marks import outer_boxes

MM = 72 / 25.4


def test_marks_print_in_their_red_frames(qapp, tmp_path):
    doc = build_layout(fixture_draft("state-hoa-toc"))
    job = printing.printable(doc)
    printer = printing.new_printer(job)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "marks.pdf"))
    printing.print_pages(printer, job)
    expected, pdf = outer_boxes(render_pdf_bytes(doc))
    pdf.close()
    printed, pdf = outer_boxes((tmp_path / "marks.pdf").read_bytes())
    red_text = {c["text"] for c in pdf.pages[0].chars if tuple(c["non_stroking_color"] or ())[:3] == (1.0, 0.0, 0.0)}
    pdf.close()
    assert len(printed) == len(expected) == 2
    for got, want in zip(sorted(printed), sorted(expected), strict=True):
        assert all(abs(a - b) < 0.3 * MM for a, b in zip(got, want, strict=True)), (got, want)
    assert set("HỎATỐCMẬ") <= red_text
