#!/usr/bin/env python3
"""Render benchmark for DirDesk: prints figures, is not a test.

    python3 benchmarks/render.py [--repeat N] [--fixtures GLOB]

Three parts (see benchmarks/README.md):

1. in process, warm: build_layout + DOCX, build_layout + PDF, and both files
   from one layout, per fixture (median and p95 in ms), with the page count;
2. whole process: `dirdesk render` as a subprocess against LibreOffice's
   headless DOCX -> PDF conversion of the same document;
3. memory: peak RSS of a child process that renders every fixture, and the
   tracemalloc peak of Python allocations for one render of each fixture.

Needs DirDesk installed (`pip install -e .`); part 2 also needs `libreoffice`.
"""

from __future__ import annotations

import argparse
import gc
import glob
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

try:
    import resource  # not on Windows
except ImportError:  # pragma: no cover - Windows
    resource = None

ROOT = Path(__file__).resolve().parent.parent

TARGET_IN_PROCESS_MS = 80.0  # both files for a 2-page document, in process
TARGET_SPEEDUP = 3.0  # whole-process render vs LibreOffice's conversion
SUBPROCESS_TIMEOUT_S = 300


# --------------------------------------------------------------------------- helpers


def p95(values: list[float]) -> float:
    """95th percentile, nearest-rank method (with 20 runs: the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ms(seconds: float) -> float:
    return seconds * 1000.0


def rss_to_mb(maxrss: int) -> float:
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024


def find_fixtures(pattern: str) -> list[Path]:
    if not os.path.isabs(pattern):
        pattern = str(ROOT / pattern)
    return [Path(p) for p in sorted(glob.glob(pattern))]


def find_libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def rule(title: str) -> None:
    print()
    print(title)
    print("-" * len(title))


# --------------------------------------------------------------------------- part 1


def bench_in_process(fixtures: list[Path], repeat: int) -> None:
    from dirdesk.draft import load_draft
    from dirdesk.layout import build_layout
    from dirdesk.render import render_docx_bytes, render_pdf_bytes
    from dirdesk.render.pdf_flow import paginate

    rule(f"1. In process, warm ({repeat} timed runs per figure, after one untimed warm-up render)")
    print("Times in ms: build_layout + writer(s) on an already-loaded draft; median / p95 (nearest rank).")

    drafts = {path: load_draft(path) for path in fixtures}
    pages: dict[Path, int] = {}
    for path, draft in drafts.items():  # warm-up: imports, fonts, caches
        doc = build_layout(draft)
        render_docx_bytes(doc)
        render_pdf_bytes(doc)
        pages[path] = len(paginate(doc))

    results: dict[Path, dict[str, list[float]]] = {}
    clock = time.perf_counter
    for path, draft in drafts.items():
        runs: dict[str, list[float]] = {"docx": [], "pdf": [], "both": []}
        gc.collect()
        for _ in range(repeat):  # interleaved, so drift hits all three alike
            t0 = clock()
            render_docx_bytes(build_layout(draft))
            t1 = clock()
            render_pdf_bytes(build_layout(draft))
            t2 = clock()
            doc = build_layout(draft)
            render_docx_bytes(doc)
            render_pdf_bytes(doc)
            t3 = clock()
            runs["docx"].append(ms(t1 - t0))
            runs["pdf"].append(ms(t2 - t1))
            runs["both"].append(ms(t3 - t2))
        results[path] = runs

    print()
    header = f"{'fixture':<16}{'pages':>6}   {'layout+DOCX':>17}   {'layout+PDF':>17}   {'both, one layout':>17}"
    print(header)
    print(f"{'':<16}{'':>6}   {'median / p95':>17}   {'median / p95':>17}   {'median / p95':>17}")
    print("-" * len(header))
    for path, runs in results.items():
        cells = "   ".join(
            f"{statistics.median(runs[k]):>7.1f} / {p95(runs[k]):>7.1f}" for k in ("docx", "pdf", "both")
        )
        print(f"{path.stem:<16}{pages[path]:>6}   {cells}")

    print()
    two_page = [p for p in fixtures if pages[p] == 2]
    target = f'target "both files for a 2-page document in under {TARGET_IN_PROCESS_MS:.0f} ms in process"'
    if not two_page:
        print(f"{target}: n/a (no 2-page fixture among those given)")
        return
    worst = max(two_page, key=lambda p: statistics.median(results[p]["both"]))
    worst_median = statistics.median(results[worst]["both"])
    worst_p95 = max(p95(results[p]["both"]) for p in two_page)
    verdict = "PASS" if worst_median < TARGET_IN_PROCESS_MS else "FAIL"
    print(
        f"{target}: {verdict} - slowest 2-page median {worst_median:.1f} ms ({worst.stem}), "
        f"over {len(two_page)} 2-page fixture(s); worst p95 {worst_p95:.1f} ms"
    )


# --------------------------------------------------------------------------- part 2


def timed_run(cmd: list[str], **kwargs) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=SUBPROCESS_TIMEOUT_S, **kwargs)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {detail[-500:]}")
    return elapsed


def bench_whole_process(fixtures: list[Path], repeat: int) -> None:
    runs = max(3, repeat // 4)
    rule(f"2. Whole process ({runs} timed runs per figure, median)")
    office = find_libreoffice()
    if office is None:
        print("libreoffice is not on PATH: part 2 skipped.")
        return

    work = Path(tempfile.mkdtemp(prefix="dirdesk-bench-"))
    profile = Path(tempfile.mkdtemp(prefix="dirdesk-bench-lo-profile-"))
    try:
        version = (
            subprocess.run([office, "--version"], stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
            .stdout.decode("utf-8", "replace")
            .strip()
        )
        print(f"LibreOffice: {version or office}")
        print(f"dirdesk:     {sys.executable} -m dirdesk render DRAFT --docx OUT --pdf OUT")
        print("             (one untimed warm-up run per fixture)")
        print(f"LibreOffice: {office} --headless --convert-to pdf of the DOCX dirdesk wrote,")
        print(f"             own profile {profile} (one untimed warm-up conversion first)")

        def dirdesk_render(seed: Path, docx: Path, pdf: Path) -> float:
            cmd = [sys.executable, "-m", "dirdesk", "render", str(seed), "--docx", str(docx), "--pdf", str(pdf)]
            return timed_run(cmd, cwd=ROOT)

        def lo_convert(docx: Path, outdir: Path) -> float:
            out = outdir / (docx.stem + ".pdf")
            out.unlink(missing_ok=True)
            cmd = [
                office,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ]
            elapsed = timed_run(cmd)
            if not out.is_file() or out.stat().st_size == 0:
                raise RuntimeError(f"LibreOffice wrote no PDF for {docx.name}")
            return elapsed

        # DOCX inputs for LibreOffice; these runs are also dirdesk's warm-up.
        inputs: dict[Path, Path] = {}
        for seed in fixtures:
            docx = work / f"{seed.stem}.docx"
            dirdesk_render(seed, docx, work / f"{seed.stem}.warmup.pdf")
            inputs[seed] = docx
        lo_out = work / "lo"
        lo_out.mkdir()
        lo_convert(inputs[fixtures[0]], lo_out)  # warm-up: fills the fresh profile

        rows = []
        for seed in fixtures:
            ours = [dirdesk_render(seed, work / "run.docx", work / "run.pdf") for _ in range(runs)]
            theirs = [lo_convert(inputs[seed], lo_out) for _ in range(runs)]
            rows.append((seed, ms(statistics.median(ours)), ms(statistics.median(theirs))))
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"part 2 failed, skipped: {exc}")
        return
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)

    print()
    header = f"{'fixture':<16}{'dirdesk render':>16}{'LibreOffice':>16}{'ratio':>10}"
    print(header)
    print(f"{'':<16}{'(DOCX + PDF)':>16}{'(DOCX -> PDF)':>16}{'LO / ours':>10}")
    print("-" * len(header))
    for seed, ours, theirs in rows:
        print(f"{seed.stem:<16}{ours:>13.0f} ms{theirs:>13.0f} ms{theirs / ours:>9.1f}x")
    total_ours = sum(r[1] for r in rows)
    total_theirs = sum(r[2] for r in rows)
    print(f"{'all fixtures':<16}{total_ours:>13.0f} ms{total_theirs:>13.0f} ms{total_theirs / total_ours:>9.1f}x")

    print()
    worst_seed, worst_ours, worst_theirs = min(rows, key=lambda r: r[2] / r[1])
    worst_ratio = worst_theirs / worst_ours
    verdict = "PASS" if worst_ratio >= TARGET_SPEEDUP else "FAIL"
    print(
        f'target "whole-process render at least {TARGET_SPEEDUP:.0f}x faster than LibreOffice\'s conversion": '
        f"{verdict} - lowest ratio {worst_ratio:.1f}x ({worst_seed.stem}: {worst_ours:.0f} ms vs {worst_theirs:.0f} ms)"
    )


# --------------------------------------------------------------------------- part 3

# Runs in a fresh child: renders every fixture once (layout once, both writers).
CHILD_CODE = r"""
import json, sys
from dirdesk.draft import load_draft
from dirdesk.layout import build_layout
from dirdesk.render import render_docx_bytes, render_pdf_bytes
import dirdesk.render.docx_writer, dirdesk.render.pdf_writer  # the writers import lazily
try:
    import resource
except ImportError:
    resource = None
def maxrss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss if resource else None
after_import = maxrss()
for path in sys.argv[1:]:
    doc = build_layout(load_draft(path))
    render_docx_bytes(doc)
    render_pdf_bytes(doc)
print(json.dumps({"after_import": after_import, "after_render": maxrss()}))
"""


def measure_child_rss(fixtures: list[Path]) -> dict:
    """Peak RSS of a child that renders every fixture.

    Must run before any other subprocess of this script: RUSAGE_CHILDREN's
    ru_maxrss is the largest over *all* waited-for descendants, and a
    LibreOffice conversion would dwarf this figure.
    """
    if resource is None:
        return {"error": "the resource module is not available on this platform (Windows)"}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD_CODE, *map(str, fixtures)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=SUBPROCESS_TIMEOUT_S,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        return {"error": f"child exited {proc.returncode}: {detail[-500:]}"}
    own = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    return {
        "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "after_import": own["after_import"],
        "after_render": own["after_render"],
    }


def tracemalloc_peaks(fixtures: list[Path]) -> list[tuple[Path, float, float]]:
    """Peak and retained traced Python memory (MB) of one warm render per fixture."""
    from dirdesk.draft import load_draft
    from dirdesk.layout import build_layout
    from dirdesk.render import render_docx_bytes, render_pdf_bytes

    out = []
    for path in fixtures:
        draft = load_draft(path)
        gc.collect()
        tracemalloc.start()
        try:
            doc = build_layout(draft)
            docx = render_docx_bytes(doc)
            pdf = render_pdf_bytes(doc)
            current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        del doc, docx, pdf
        out.append((path, peak / 2**20, current / 2**20))
    return out


def report_memory(rss: dict, fixtures: list[Path]) -> None:
    rule("3. Memory")
    if "error" in rss:
        print(f"peak RSS: not measured - {rss['error']}")
    else:
        print(f"peak RSS of a child process rendering all {len(fixtures)} fixture(s) once (layout + DOCX + PDF):")
        print(f"  {rss_to_mb(rss['children']):.1f} MB   (parent's getrusage(RUSAGE_CHILDREN).ru_maxrss)")
        print(
            f"  of which {rss_to_mb(rss['after_import']):.1f} MB was reached on importing dirdesk and both writers "
            f"(child's own RUSAGE_SELF; {rss_to_mb(rss['after_render']):.1f} MB at its end)"
        )

    print()
    print("tracemalloc, one warm in-process render per fixture (layout once, both writers):")
    print(f"{'fixture':<16}{'peak':>12}{'held at end':>14}   (held: the layout and both files' bytes)")
    for path, peak, current in tracemalloc_peaks(fixtures):
        print(f"{path.stem:<16}{peak:>9.2f} MB{current:>11.2f} MB")
    print("(Python allocations only: excludes the interpreter, modules and caches loaded before, and C buffers.)")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="DirDesk render benchmark (prints figures; not a test).")
    parser.add_argument(
        "--repeat", type=int, default=20, metavar="N", help="timed runs per in-process figure (default 20)"
    )
    parser.add_argument(
        "--fixtures",
        default="tests/fixtures/drafts/seed-*.json",
        metavar="GLOB",
        help="drafts to render, relative to the repo root (default tests/fixtures/drafts/seed-*.json)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    fixtures = find_fixtures(args.fixtures)
    if not fixtures:
        parser.error(f"no drafts match {args.fixtures!r} (relative to {ROOT})")

    try:
        import dirdesk
    except ImportError:
        parser.error("dirdesk is not importable; install it first (pip install -e .)")

    print("DirDesk render benchmark")
    print(
        f"dirdesk {dirdesk.__version__}, Python {platform.python_version()}, {platform.platform()}, "
        f"{os.cpu_count()} CPU(s)"
    )
    print(f"fixtures: {len(fixtures)} matching {args.fixtures}; --repeat {args.repeat}")

    # Before any other subprocess, so RUSAGE_CHILDREN sees this child only.
    rss = measure_child_rss(fixtures)

    bench_in_process(fixtures, args.repeat)
    bench_whole_process(fixtures, args.repeat)
    report_memory(rss, fixtures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
