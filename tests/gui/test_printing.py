"""Printing in vector form: the painter writer draws the pages the PDF writer
draws, word for word within 0.5 mm (to a PDF-file QPrinter and through a
CUPS queue), a job stops after the page being drawn when Hủy is pressed, and
the copies start at the register row's số lượng bản."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from dirdesk.gui import printing
from dirdesk.gui.drafting.printing import draft_printable, issued_printable
from dirdesk.gui.painter_writer import PainterWriter
from dirdesk.gui.registers.books import register_printable
from dirdesk.gui.workers import error_message
from dirdesk.layout import build_layout
from dirdesk.registers import outgoing
from dirdesk.registers.columns import month_period
from dirdesk.render import render_pdf_bytes
from tests.conftest import fixture_draft

MM = 72 / 25.4
TOLERANCE = 0.5 * MM  # every word within 0.5 mm of where the PDF writer put it
QUEUE = "DirDeskPDF"
MONTH = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month
PERIOD = month_period(MONTH.strftime("%Y-%m"))
SUBJECTS = ("V/v tăng cường công tác phòng, chống dịch bệnh COVID-19 trên địa bàn phường",
            "V/v tổ chức hội nghị sơ kết công tác quý", "V/v kiểm tra, giám sát đảng viên dự bị",
            "V/v triển khai kế hoạch chuyển đổi số và cải cách hành chính, một cửa liên thông")


# ---------------------------------------------------------------- comparing two PDFs


def words(pdf) -> list[list[dict]]:
    """Every page's words (text, x0, x1, top) as pdfplumber reads them."""
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pdfplumber.open(source) as doc:
        return [page.extract_words() for page in doc.pages]


def word_offsets(expected: list[dict], printed: list[dict]) -> list[tuple[str, float]]:
    """For each expected word, how far (pt) the nearest printed word of the same text is."""
    by_text: dict[str, list[dict]] = {}
    for w in printed:
        by_text.setdefault(w["text"], []).append(w)
    out = []
    for w in expected:
        near = [max(abs(w["x0"] - p["x0"]), abs(w["x1"] - p["x1"]), abs(w["top"] - p["top"]))
                for p in by_text.get(w["text"], [])]
        out.append((w["text"], min(near, default=float("inf"))))
    return out


def assert_same_words(expected_pdf: bytes, printed_pdf) -> int:
    expected, printed = words(expected_pdf), words(printed_pdf)
    assert len(printed) == len(expected)
    count = 0
    for page, (want, got) in enumerate(zip(expected, printed, strict=True), 1):
        assert sorted(w["text"] for w in got) == sorted(w["text"] for w in want), f"trang {page}"
        far = [(text, round(d / MM, 2)) for text, d in word_offsets(want, got) if d > TOLERANCE]
        assert far == [], f"trang {page}: từ lệch quá 0,5 mm (mm)"
        count += len(want)
    return count


def pdf_printer(path: Path, job: printing.Printable) -> QPrinter:
    printer = printing.new_printer(job)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


# ---------------------------------------------------------------- the documents


def cong_van():
    doc = build_layout(fixture_draft("seed-000"))
    return doc, printing.printable(doc)


@pytest.fixture
def register_month(context):
    """An outgoing register with 40 documents in one month (3 pages printed)."""
    reg = context.registry
    for i in range(40):
        on = MONTH + dt.timedelta(days=i % 28)
        draft = dataclasses.replace(fixture_draft("seed-000", date=on), subject=SUBJECTS[i % len(SUBJECTS)])
        outgoing.issue(reg, draft, render=False, copies=i % 5 + 1)
    return context


def register_pdf(context) -> bytes:
    from dirdesk.registers.columns import register_table
    from dirdesk.registers.printing import register_layout

    return render_pdf_bytes(register_layout(register_table(context.registry, "outgoing", PERIOD)))


def month_job(context) -> printing.Printable:
    return register_printable(context.registry, "outgoing", PERIOD, "Sổ đi")


# ---------------------------------------------------------------- to a PDF file


def test_cong_van_prints_every_word_where_the_pdf_writer_puts_it(qapp, tmp_path):
    doc, job = cong_van()
    printer = pdf_printer(tmp_path / "cv.pdf", job)
    result = printing.print_pages(printer, job)
    assert (result.painted, result.total, result.cancelled) == (2, 2, False)
    assert assert_same_words(render_pdf_bytes(doc), str(tmp_path / "cv.pdf")) > 800
    printed = pypdf.PdfReader(tmp_path / "cv.pdf")
    assert all(len(page.images) == 0 for page in printed.pages)  # vector: no picture of a page
    assert (tmp_path / "cv.pdf").stat().st_size < 200_000  # the raster print was 12.8 MB


def test_register_month_prints_every_word_and_rule_where_the_pdf_has_them(register_month, qapp, tmp_path):
    job = month_job(register_month)
    expected = register_pdf(register_month)
    assert len(job.pages) == len(pypdf.PdfReader(io.BytesIO(expected)).pages) >= 3
    result = printing.print_pages(pdf_printer(tmp_path / "so.pdf", job), job)
    assert result.painted == len(job.pages)
    assert assert_same_words(expected, str(tmp_path / "so.pdf")) > 1000
    with pdfplumber.open(io.BytesIO(expected)) as want, pdfplumber.open(tmp_path / "so.pdf") as got:
        for a, b in zip(want.pages, got.pages, strict=True):
            assert a.width > a.height and b.width > b.height  # A4 landscape
            # the table's grid, row by row and column by column
            for orientation, key in (("h", "top"), ("v", "x0")):
                want_edges = sorted(e[key] for e in a.edges if e["orientation"] == orientation)
                got_edges = sorted(e[key] for e in b.edges if e["orientation"] == orientation)
                assert len(got_edges) == len(want_edges) >= 4
                assert max(abs(x - y) for x, y in zip(want_edges, got_edges, strict=True)) <= TOLERANCE


def test_a_shifted_word_is_caught(qapp, tmp_path):
    """The comparison can fail: a page drawn 1 mm to the right is out of tolerance."""
    doc, job = cong_van()
    printer = pdf_printer(tmp_path / "lech.pdf", job)
    original = PainterWriter.draw

    def shifted(self, page):
        self.painter.translate(1 * MM * self.k, 0)
        original(self, page)

    PainterWriter.draw = shifted
    try:
        printing.print_pages(printer, job)
    finally:
        PainterWriter.draw = original
    with pytest.raises(AssertionError, match="lệch"):
        assert_same_words(render_pdf_bytes(doc), str(tmp_path / "lech.pdf"))


def test_printer_that_cannot_open_is_a_print_error_in_vietnamese(qapp, tmp_path):
    _, job = cong_van()
    printer = pdf_printer(tmp_path / "khong-co" / "thu-muc" / "cv.pdf", job)
    with pytest.raises(printing.PrintError) as caught:
        printing.print_pages(printer, job)
    assert error_message(caught.value) == str(caught.value) and "Không mở được máy in" in str(caught.value)


# ---------------------------------------------------------------- Hủy


def test_cancel_after_the_first_page_draws_no_more_pages(register_month, qapp, tmp_path):
    job = month_job(register_month)
    cancel = threading.Event()
    drawn = []

    def on_page(i, n):
        drawn.append(i)
        if i == 1:
            cancel.set()  # Hủy pressed while page 1 is drawn

    result = printing.print_pages(pdf_printer(tmp_path / "huy.pdf", job), job, on_page, cancel)
    assert (result.painted, result.cancelled, drawn) == (1, True, [1])
    assert result.total == len(job.pages) >= 3
    assert len(pypdf.PdfReader(tmp_path / "huy.pdf").pages) == 1


def test_cancel_before_the_job_begins_sends_nothing(qapp, tmp_path):
    _, job = cong_van()
    cancel = threading.Event()
    cancel.set()
    result = printing.print_pages(pdf_printer(tmp_path / "khong.pdf", job), job, None, cancel)
    assert (result.painted, result.total, result.cancelled) == (0, 2, True)
    assert not (tmp_path / "khong.pdf").exists()


def test_huy_in_the_progress_dialog_stops_after_the_page_being_drawn(register_month, qtbot, tmp_path):
    from PySide6.QtWidgets import QPushButton, QWidget

    job = month_job(register_month)
    owner = QWidget()
    qtbot.addWidget(owner)
    go, original = threading.Event(), PainterWriter.draw

    def slow(self, page):
        go.wait(10)  # page 1 waits until Hủy has been pressed
        original(self, page)

    results = []
    PainterWriter.draw = slow
    try:
        progress = printing.start_print(owner, pdf_printer(tmp_path / "huy.pdf", job), job, results.append,
                                        pytest.fail)
        qtbot.waitUntil(lambda: "Đang in trang 1/" in progress.dialog.labelText(), timeout=10000)
        assert "Hủy" in progress.dialog.labelText()  # the dialog says what Hủy does
        button = progress.dialog.findChild(QPushButton)
        assert button.text() == "Hủy"
        button.click()
        go.set()
        qtbot.waitUntil(lambda: bool(results), timeout=10000)
    finally:
        PainterWriter.draw = original
    assert (results[0].painted, results[0].cancelled) == (1, True)
    assert printing.done_text(results[0]) == f"Đã dừng in: 1/{len(job.pages)} trang đã gửi tới máy in."
    assert len(pypdf.PdfReader(tmp_path / "huy.pdf").pages) == 1


# ---------------------------------------------------------------- copies


def dialog_copies(monkeypatch) -> list[int]:
    """The copies the print dialog opens with (the dialog is then cancelled)."""
    seen = []

    def exec_(self):
        seen.append(self.printer().copyCount())
        return QPrintDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    return seen


def test_copies_start_at_the_rows_so_luong_ban_for_an_issued_document(context, qtbot, monkeypatch):
    from dirdesk.gui.drafting import DraftingSection
    from dirdesk.gui.drafting.issuing import IssueConfirmDialog

    section = DraftingSection(context)
    qtbot.addWidget(section)
    section.show()
    section.load_data(fixture_draft("seed-000").to_dict())

    def confirm(dialog):
        dialog.dialog.copies.setValue(15)  # số lượng bản typed in the confirmation
        return True

    monkeypatch.setattr(IssueConfirmDialog, "exec", confirm)
    with qtbot.waitSignal(section.issued, timeout=20000) as blocker:
        section.issue()
    row = blocker.args[0]
    assert row["copies"] == 15
    seen = dialog_copies(monkeypatch)
    section.ui.issued_print.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    outgoing.edit(context.registry, row["id"], copies=12)  # edited in Văn bản đi later: the row as it is now
    section.ui.issued_print.click()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10000)
    assert seen == [15, 12]
    job = issued_printable(context.registry, row["id"])
    assert (job.copies, job.title, len(job.pages)) == (12, row["symbol"], 2)


def test_copies_start_at_one_for_a_draft_and_a_register(register_month, qapp, monkeypatch):
    from PySide6.QtWidgets import QWidget

    seen = dialog_copies(monkeypatch)
    parent = QWidget()
    assert printing.ask_printer(parent, draft_printable(fixture_draft("seed-000").to_dict())) is None
    assert printing.ask_printer(parent, month_job(register_month), "In sổ") is None
    assert seen == [1, 1]


def test_copies_are_drawn_when_the_printer_does_not_make_them(qapp, tmp_path):
    _, job = cong_van()
    job = dataclasses.replace(job, copies=3)
    printer = pdf_printer(tmp_path / "ba-ban.pdf", job)  # a PDF file makes no copies itself
    result = printing.print_pages(printer, job)
    assert result.painted == 6 and len(pypdf.PdfReader(tmp_path / "ba-ban.pdf").pages) == 6


def test_issued_document_whose_stored_pdf_differs_is_not_printed(context, qapp):
    import json

    row = outgoing.issue(context.registry, fixture_draft("seed-000"), copies=2)
    data = json.loads(row["draft_json"])
    data["subject"] = "Một trích yếu khác với bản đã lưu"
    context.registry.conn.execute("UPDATE outgoing SET draft_json = ? WHERE id = ?",
                                  [json.dumps(data, ensure_ascii=False), row["id"]])
    context.registry.conn.commit()
    with pytest.raises(printing.PrintError, match="Mở PDF"):
        issued_printable(context.registry, row["id"])


# ---------------------------------------------------------------- through CUPS (cups-pdf)


def cups_out_dirs() -> list[Path]:
    """Where cups-pdf writes (its Out setting, ${HOME} for the user printing) and the usual places."""
    dirs = []
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.is_file():
        for line in conf.read_text(errors="replace").splitlines():
            match = re.match(r"\s*Out\s+(\S+)", line)
            if match:
                dirs.append(Path(match.group(1).replace("${HOME}", str(Path.home()))))
    return [*dirs, Path.home() / "PDF", Path("/var/spool/cups-pdf/ANONYMOUS")]


def cups_queue_problem() -> str | None:
    if not shutil.which("lpstat"):
        return "CUPS is not installed (no lpstat); .ci/run installs cups and printer-driver-cups-pdf"
    if subprocess.run(["lpstat", "-r"], capture_output=True, text=True).stdout.strip() != "scheduler is running":
        return "cupsd is not running (.ci/run starts it)"
    if subprocess.run(["lpstat", "-p", QUEUE], capture_output=True).returncode:
        return f"no CUPS queue {QUEUE} (.ci/run adds it with lpadmin)"
    return None


def wait_for_output(token: str, timeout: float = 60) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for folder in cups_out_dirs():
            for path in folder.glob(f"*{token}*.pdf") if folder.is_dir() else []:
                data = path.read_bytes()
                if data.rstrip().endswith(b"%%EOF"):
                    return path
        time.sleep(0.2)
    pytest.fail(f"cups-pdf wrote no file for {token} in {timeout:.0f} s ({', '.join(map(str, cups_out_dirs()))})")


def glyph_origins(pdf) -> list[list[tuple[float, float]]]:
    """Every page's glyphs but spaces, in drawing order: where each starts (x, baseline from the top)."""
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pdfplumber.open(source) as doc:
        return [[(c["matrix"][4], float(page.height) - c["matrix"][5]) for c in page.chars if c["text"].strip()]
                for page in doc.pages]


def test_cong_van_through_the_cups_pdf_queue_lands_where_the_pdf_has_it(qapp):
    problem = cups_queue_problem()
    if problem:
        pytest.skip(problem)
    doc, job = cong_van()
    token = f"dirdesk-test-{os.getpid()}-{time.monotonic_ns()}"
    job = dataclasses.replace(job, title=token)
    printer = printing.new_printer(job)
    printer.setPrinterName(QUEUE)
    assert printer.isValid() and printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    assert printing.print_pages(printer, job).painted == 2
    path = wait_for_output(token)
    try:
        # cups-pdf's filters (pdftops, Ghostscript) set Qt's fonts again as Type 3 glyphs without their
        # text, so glyphs are compared by where they start, in order, rather than words by their text
        expected, printed = glyph_origins(render_pdf_bytes(doc)), glyph_origins(str(path))
        assert len(printed) == len(expected) == 2
        for want, got in zip(expected, printed, strict=True):
            assert len(got) == len(want) > 800
            worst = max(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in zip(want, got, strict=True))
            assert worst <= TOLERANCE, f"a glyph {worst / MM:.2f} mm away"
    finally:
        path.unlink(missing_ok=True)


def test_the_outgoing_entry_prints_its_document_with_the_copies_typed_there(context, qtbot, monkeypatch):
    """Văn bản đi → a row → In…: the print dialog opens with the row's số lượng bản, or with what the
    clerk has just typed there; a reserved number (no document yet) cannot be printed."""
    from dirdesk.gui.registers.entry_outgoing import OutgoingEntryDialog
    from tests.gui.settle import settle

    row = outgoing.issue(context.registry, fixture_draft("seed-000"), copies=7)
    dialog = OutgoingEntryDialog(context, row["id"])
    qtbot.addWidget(dialog)
    seen = dialog_copies(monkeypatch)
    assert dialog.print_button.isEnabled()
    dialog.print_button.click()
    settle(qtbot)
    dialog.child("copies").setValue(3)  # typed, not yet saved
    dialog.print_button.click()
    settle(qtbot)
    assert seen == [7, 3]
    reserved = outgoing.reserve(context.registry, "CV")
    other = OutgoingEntryDialog(context, reserved["id"])
    qtbot.addWidget(other)
    assert not other.print_button.isEnabled()
