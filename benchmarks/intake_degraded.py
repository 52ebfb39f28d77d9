#!/usr/bin/env python3
"""Intake of bad scans: how often `dirdesk parse` reads each field of our own documents
printed and scanned badly.

    python3 benchmarks/intake_degraded.py [--seed N] [--strength S] [--only NAME ...] [--keep DIR] [--no-clean]

Each document of benchmarks/intake/scans.py (the fixtures of tests/fixtures/drafts and
filled templates of resources/templates, both styles: công văn with Kính gửi, quyết
định, nghị quyết, thông báo, giấy mời, kế hoạch, tờ trình; the Party seeds run to 2–3
pages) is rendered to PDF by dirdesk.render, rasterised at 200 dpi and spoiled as a
scan (grey paper, a red seal over the left third of the signature, blur, noise, a turn
of 1–3°, some through JPEG), then made an image-only PDF and read with `parse_file`
(OCR). The fields and their scoring are those of benchmarks/intake_accuracy.py
(`evaluate`), against the values the draft prints.

First the clean renderings (text layer, no OCR) are scored the same way: a miss there is
the parser's, not the scan's, and the scans' misses are marked "(clean: read right)" or
"(clean: missed too)". Seeded: the same --seed gives the same scans.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this tree's dirdesk, not an installed one
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "intake"))

import intake_accuracy  # noqa: E402
import scans  # noqa: E402


def build(folder: Path, seed: int, only: list[str] | None, strength: float = 1.0) -> tuple[list[dict], dict[str, str]]:
    """Write every document's clean rendering (NAME-clean.pdf) and scan (NAME.pdf) into `folder`;
    the expected fields of each scan, and how each was spoiled, by file name."""
    expected, how = [], {}
    for i, (name, draft) in enumerate(scans.documents()):
        if only and name not in only:
            continue
        clean, scan, spoil = scans.scan_of(draft, seed + i, strength=strength)
        (folder / f"{name}-clean.pdf").write_bytes(clean)
        (folder / f"{name}.pdf").write_bytes(scan)
        expected.append({"file": f"{name}.pdf", **scans.expected(draft)})
        how[f"{name}.pdf"] = (f"{len(scans.raster(clean, 10))} p., {spoil.angle:+.1f}°, blur {spoil.blur:.1f}, "
                              f"noise {spoil.noise:.0f}, paper {spoil.paper}, "
                              f"{'JPEG q' + str(spoil.jpeg) if spoil.jpeg else 'no JPEG'}")
    return expected, how


def _marked(misses: list[str], clean_misses: list[str]) -> list[str]:
    """Each scan miss told apart: did the clean rendering read that field right?"""
    missed_clean = {m.split(": got")[0].replace("-clean.pdf", ".pdf") for m in clean_misses}
    return [f"{m}  (clean: {'missed too' if m.split(': got')[0] in missed_clean else 'read right'})"
            for m in misses]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=scans.SEED)
    ap.add_argument("--strength", type=float, default=1.0, help="scale of blur and noise (2: a worn scanner)")
    ap.add_argument("--only", nargs="*", help="document names (scans.documents())")
    ap.add_argument("--keep", type=Path, help="write the PDFs here and keep them")
    ap.add_argument("--no-clean", action="store_true", help="do not score the clean renderings")
    args = ap.parse_args(argv)
    from dirdesk.intake import ocr

    if ocr.unavailable():
        print(f"no OCR here: {ocr.unavailable()}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        expected, how = build(folder, args.seed, args.only, args.strength)
        print(f"{len(expected)} documents made in {time.perf_counter() - started:.1f} s (seed {args.seed}, "
              f"{scans.DPI} dpi, strength {args.strength:g}) in {folder}")
        clean_misses: list[str] = []
        if not args.no_clean:
            clean = [{**item, "file": item["file"].replace(".pdf", "-clean.pdf")} for item in expected]
            scores, clean_misses = intake_accuracy.evaluate(folder, clean)
            print("clean renderings (text layer):")
            intake_accuracy.print_report(scores, clean_misses, {})
        times: dict[str, float] = {}
        scores, misses = intake_accuracy.evaluate(folder, expected, times)
        print("scans (image only, OCR):")
        intake_accuracy.print_report(scores, _marked(misses, clean_misses), {})
        print(f"time per document: mean {sum(times.values()) / len(times):.2f} s, max {max(times.values()):.2f} s")
        for name, seconds in times.items():
            print(f"  {seconds:6.2f} s  {name}  ({how[name]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
