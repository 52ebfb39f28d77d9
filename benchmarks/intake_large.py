#!/usr/bin/env python3
"""Reading a very long received PDF: time and memory of `parse_file` against the page count.

    python3 benchmarks/intake_large.py [--pages 1 100 2000] [--keep DIR]

Two PDFs of each page count are made from one page repeated with pypdf (the page object's
content is shared, so a 2,000-page file stays small): one with a text layer (a thông báo
rendered by dirdesk.render) and one image only (the same page spoiled as a scan,
benchmarks/intake/scans.py). Each is read by `parse_file` in a fresh child process, which
prints the seconds, its peak RSS (VmHWM, else getrusage; MB; the process with DirDesk imported and
nothing read is the "baseline" line) and, in a second child, the tracemalloc peak (MB of
Python allocations; tracemalloc slows pdfminer down about 3×, so its run is not timed).
Memory that grows with the page count shows as a rising figure down a column.
Not on Windows (no `resource` module).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # this tree's dirdesk, not an installed one
sys.path.insert(0, str(HERE / "intake"))

CHILD = r"""
import json, resource, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
from dirdesk.intake import parse_file
from dirdesk.registers.intake_entry import author_of, symbol_of
path, trace = sys.argv[2], sys.argv[3] == "trace"
def peak_rss():
    # VmHWM belongs to this program's memory map (made anew by exec); ru_maxrss would carry the
    # parent's high-water mark over the fork.
    try:
        with open("/proc/self/status") as status:
            return next(int(ln.split()[1]) for ln in status if ln.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if path == "-":
    print(json.dumps({"rss": peak_rss()}))
    sys.exit(0)
if trace:
    tracemalloc.start()
started = time.perf_counter()
try:
    parsed = parse_file(path)
    read = f"{symbol_of(parsed)} {parsed['date']} {author_of(parsed['issuer'])}"
except Exception as exc:
    read = f"not read: {exc}"
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rss": peak_rss(),
                  "traced": tracemalloc.get_traced_memory()[1] / 2**20 if trace else None, "read": read},
                 ensure_ascii=False))
"""


def repeated(page_pdf: bytes, count: int) -> bytes:
    """A PDF of `count` copies of the first page of `page_pdf` (their content shared)."""
    import pypdf

    page = pypdf.PdfReader(io.BytesIO(page_pdf)).pages[0]
    writer = pypdf.PdfWriter()
    for _ in range(count):
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def one_page_pdfs() -> tuple[bytes, bytes]:
    """(a one-page thông báo with a text layer, the same page as a spoiled scan)."""
    import scans

    draft = dict(scans.documents())["state-thong-bao"]
    clean, scan, _ = scans.scan_of(draft, 1007)
    return clean, scan


def measure(path: Path | str, trace: bool) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(path), "trace" if trace else "-"],
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, nargs="*", default=[1, 100, 2000])
    ap.add_argument("--keep", type=Path, help="write the PDFs here and keep them")
    args = ap.parse_args(argv)
    if sys.platform.startswith("win"):
        print("not measured on Windows (no resource module)")
        return 0
    text_page, scan_page = one_page_pdfs()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"baseline (DirDesk's intake imported, nothing read): {measure('-', False)['rss']:.0f} MB RSS")
        print(f"  {'PDF':<24} {'size':>9} {'time':>8} {'peak RSS':>9} {'tracemalloc':>12}  read")
        for kind, page in (("text layer", text_page), ("image only (OCR)", scan_page)):
            for count in args.pages:
                path = folder / f"{kind.split()[0]}-{count}.pdf"
                path.write_bytes(repeated(page, count))
                plain, traced = measure(path, False), measure(path, True)
                print(f"  {kind + ', ' + str(count) + ' p.':<24} {path.stat().st_size / 1024:6.0f} KB "
                      f"{plain['seconds']:6.2f} s {plain['rss']:6.0f} MB {traced['traced']:9.1f} MB  {plain['read']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
