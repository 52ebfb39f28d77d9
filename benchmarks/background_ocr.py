"""The background OCR of a scan (intake/searchable.py, registers/ocr_text.py): time and memory.

    PYTHONPATH=. python3 benchmarks/background_ocr.py            # a 10-page scan made here
    PYTHONPATH=. python3 benchmarks/background_ocr.py SCAN.pdf   # a scan of your own
    PYTHONPATH=. python3 benchmarks/background_ocr.py --pages 45

Prints the time of each page (render, OSD, deskew, one Tesseract run for its text and its text-only
PDF page, the merge), the total, the register write (the copy kept, the text indexed, one
transaction, in a temporary register), and the peak resident memory of this process. Passes or
fails nothing; exits 0 (2 when OCR cannot run here).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dirdesk.intake import ocr  # noqa: E402
from dirdesk.intake.searchable import make_searchable  # noqa: E402


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scan", nargs="?", help="a scanned PDF (default: a scan of --pages pages made here)")
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()
    if reason := ocr.unavailable():
        print(f"OCR cannot run here: {reason}")
        return 2
    if args.scan:
        data, what = Path(args.scan).read_bytes(), args.scan
    else:
        from tests.scans import scan_of_pages

        data, what = scan_of_pages(args.pages), f"a {args.pages}-page scan made here (A4, 200 dpi, 26 lines a page)"
    before = _peak_mb(resource.RUSAGE_SELF)
    started = time.perf_counter()
    made = make_searchable(data)
    total = time.perf_counter() - started
    print(f"{what}: {len(data) / 1e6:.1f} MB, {len(made.texts)} pages, {len(made.read)} read with OCR")
    for index, seconds in sorted(made.seconds.items()):
        print(f"  page {index + 1:>3}: {seconds:5.2f} s  {len(made.texts[index]):>5} characters")
    per_page = sorted(made.seconds.values())
    print(f"total {total:.1f} s; a page {per_page[len(per_page) // 2]:.2f} s median, {per_page[-1]:.2f} s slowest"
          + (f"; pages skipped (time limit): {[i + 1 for i in made.skipped]}" if made.skipped else ""))
    print(f"searchable copy {len(made.pdf) / 1e6:.1f} MB (original {len(data) / 1e6:.1f} MB)")
    # Tesseract's own memory is not told here: a child's ru_maxrss counts the parent's pages it was forked
    # with (`/usr/bin/time -v tesseract page.png out -l vie pdf txt` gives about 70 MB for an A4 page).
    print(f"peak RSS of this process {_peak_mb(resource.RUSAGE_SELF):.0f} MB (before reading {before:.0f} MB)")
    _register_write(data, made)
    return 0


def _register_write(data: bytes, made) -> None:
    """The one transaction that keeps the copy and indexes the text, in a temporary register."""
    from dirdesk.registers import incoming, ocr_text, open_registry

    with tempfile.TemporaryDirectory() as folder:
        reg = open_registry(Path(folder) / "so.sqlite")
        try:
            row = incoming.add(reg, incoming.IncomingEntry(subject="Bản quét", files=[("scan.pdf", data)]))
            real = ocr_text.make_searchable
            ocr_text.make_searchable = lambda *a, **k: made  # the reading is timed above
            try:
                started = time.perf_counter()
                ocr_text.read_entry_text(reg, row["id"])
                print(f"register write (copy kept, text indexed, one transaction): "
                      f"{(time.perf_counter() - started) * 1000:.0f} ms")
            finally:
                ocr_text.make_searchable = real
        finally:
            reg.close()


if __name__ == "__main__":
    sys.exit(main())
