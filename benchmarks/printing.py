#!/usr/bin/env python3
"""Printing benchmark for DirDesk: prints figures, is not a test.

    python3 benchmarks/printing.py [--dpi 600] [--raster]

What is printed, each to a PDF-file QPrinter (the file Qt's CUPS engine would
spool to the printer, so its size is the bytes sent): a 2-page công văn
(tests/fixtures/drafts/seed-000.json) and the outgoing register of a month
holding 1,000 entries (a temporary register built with the core's audited
insert path, benchmarks/registers.py). For each: seconds from the first page
to the job's end, bytes, pages.

  vector  the window's print path: the paginated layout drawn by the painter
          writer (dirdesk.gui.painter_writer), text and lines;
  raster  with --raster, the print path before it, kept here only: every page
          of the PDF rendered by QPdfDocument at the printer's resolution in
          bands and painted as an image (the register month takes minutes).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize  # noqa: E402
from PySide6.QtGui import QPainter  # noqa: E402
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from dirdesk.draft import load_draft  # noqa: E402
from dirdesk.gui import printing  # noqa: E402
from dirdesk.layout import build_layout  # noqa: E402
from dirdesk.layout.model import LaidOutDocument  # noqa: E402
from dirdesk.render import render_pdf_bytes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BAND_PIXELS = 8_000_000  # the old path's band: at most this many pixels rendered at once


def raster_print(printer: QPrinter, data: bytes) -> int:
    """The old print path: each PDF page rendered at the printer's resolution and painted as an image."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    dpi = printer.resolution()
    painter = QPainter(printer)
    for index in range(document.pageCount()):
        if index:
            printer.newPage()
        points = document.pagePointSize(index)
        full = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        band = max(64, BAND_PIXELS // full.width())
        for top in range(0, full.height(), band):
            height = min(band, full.height() - top)
            options = QPdfDocumentRenderOptions()
            options.setScaledSize(full)
            options.setScaledClipRect(QRect(0, top, full.width(), height))
            painter.drawImage(QPoint(0, top), document.render(index, QSize(full.width(), height), options))
    painter.end()
    pages = document.pageCount()
    document.close()
    return pages


def file_printer(path: Path, job: printing.Printable, dpi: int) -> QPrinter:
    printer = printing.new_printer(job)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


def measure(slug: str, label: str, doc: LaidOutDocument, folder: Path, dpi: int, raster: bool) -> None:
    t0 = time.perf_counter()
    job = printing.printable(doc)
    print(f"   {label:<18} paginated in {time.perf_counter() - t0:.2f} s "
          "(the print job does this first, in its worker)")
    runs = [("vector", lambda p: printing.print_pages(p, job).painted)]
    if raster:
        data = render_pdf_bytes(doc)
        runs.append(("raster", lambda p: raster_print(p, data)))
    for kind, run in runs:
        path = folder / f"{slug}-{kind}.pdf"
        printer = file_printer(path, job, dpi)
        t0 = time.perf_counter()
        pages = run(printer)
        seconds = time.perf_counter() - t0
        size = path.stat().st_size
        print(f"   {label:<18} {kind:<7} {pages:4d} pages  {seconds:8.2f} s  {size / 1e6:10.3f} MB  "
              f"({size / pages / 1e3:,.1f} kB a page)")


def register_month(folder: Path) -> LaidOutDocument:
    """The outgoing register of a month with 1,000 entries, laid out for print."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from registers import MONTH, bulk_outgoing

    from dirdesk.registers import open_registry
    from dirdesk.registers.columns import month_period, register_table
    from dirdesk.registers.printing import register_layout
    from dirdesk.registers.profile import set_profile_value

    reg = open_registry(folder / "bench.sqlite")
    set_profile_value(reg, "style", "party")
    set_profile_value(reg, "issuer", {"parent": "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG", "name": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG",
                                      "code": "ĐU"})
    set_profile_value(reg, "place", "Bách Quang")
    bulk_outgoing(reg, 1000, random.Random(2026))  # all 1,000 fall in MONTH
    table = register_table(reg, "outgoing", month_period(f"{MONTH[0]}-{MONTH[1]:02d}"))
    reg.close()
    assert len(table.rows) == 1000, len(table.rows)
    return register_layout(table)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=600, help="the printer's resolution (default 600)")
    parser.add_argument("--raster", action="store_true", help="also time the old raster path (minutes)")
    args = parser.parse_args()
    QApplication([])
    with tempfile.TemporaryDirectory(prefix="dirdesk-print-") as tmp:
        folder = Path(tmp)
        print(f"DirDesk printing benchmark — PDF-file QPrinter at {args.dpi} dpi (its file is what is sent)")
        cong_van = build_layout(load_draft(ROOT / "tests" / "fixtures" / "drafts" / "seed-000.json"))
        t0 = time.perf_counter()
        month = register_month(folder)
        print(f"   (register of 1,000 entries built and laid out in {time.perf_counter() - t0:.1f} s)")
        for slug, label, doc in (("cong-van", "công văn 2 trang", cong_van), ("so-di", "sổ đi 1.000 dòng", month)):
            measure(slug, label, doc, folder, args.dpi, args.raster)
    return 0


if __name__ == "__main__":
    sys.exit(main())
