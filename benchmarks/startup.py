#!/usr/bin/env python3
"""Start-up benchmark for the DirDesk window: prints figures, is not a test.

    python3 benchmarks/startup.py [--runs 5] [--entries 100000] [--keep DIR]

1. Start-up: time from launching a new Python process to the main window
   shown (a QTimer.singleShot(0) fired once the window is shown and its first
   section built, i.e. the first turn of the event loop), on a register with
   a filled profile; median of --runs. The child does what `dirdesk` does
   (QApplication, open the register on the GUI thread, check the profile,
   build and show the window) except the daily automatic backup, which runs
   on a worker after the window is up anyway. Target: under 1.5 s.
2. Memory: a register of --entries outgoing and --entries incoming entries
   (benchmarks/registers.py's bulk loaders), the window opened on the
   "Văn bản đi" section: RSS as shown, then after every row was fetched into
   its table (the worst case: the clerk scrolled to the very end), and the
   peak RSS of that process. Target: under 300 MB.

Runs Qt on the offscreen platform unless QT_QPA_PLATFORM is set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, os, sys, time
t_start = time.time()
from PySide6.QtCore import QTimer
from dirdesk.gui.app import build_main_window, create_application
from dirdesk.gui.settings_profile import profile_is_empty
from dirdesk.registers import open_registry
t_imports = time.time()
app = create_application()
reg = open_registry(os.environ["DIRDESK_DB"])
assert not profile_is_empty(reg)
t_open = time.time()
window = build_main_window(reg, os.environ["DIRDESK_DATA_DIR"])
section = sys.argv[1]
window.start_key = section
window.start(daily_backup=False)
t_built = time.time()
result = {}

def rss():
    fields = {}
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS", "VmHWM")):
                    key, value = line.split(":")
                    fields[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return fields

def shown():
    result.update(shown=time.time(), start=t_start, imports=t_imports, open=t_open, built=t_built,
                  visible=window.isVisible(), section=type(window.stack.currentWidget()).__name__,
                  failed=window._failed.get(section))
    if sys.argv[2] == "memory":
        app.processEvents()
        result["shown_rss"] = rss()
        widget = window.stack.currentWidget()
        from PySide6.QtWidgets import QAbstractItemView
        for view in widget.findChildren(QAbstractItemView):
            model = view.model()
            while model is not None and model.canFetchMore(view.rootIndex()):
                model.fetchMore(view.rootIndex())
            view.scrollToBottom()
            result.setdefault("rows", 0)
            result["rows"] = max(result["rows"], model.rowCount() if model is not None else 0)
        app.processEvents()
        result.update(rss())
        result["after"] = time.time()
    print("RESULT " + json.dumps(result), flush=True)
    app.quit()

QTimer.singleShot(0, shown)
app.exec()
window.close()
reg.close()
"""


def load_registers_bench():
    spec = importlib.util.spec_from_file_location("dirdesk_bench_registers", HERE / "registers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_register(folder: Path, entries: int) -> Path:
    from dirdesk.registers import open_registry
    from dirdesk.registers.profile import add_term, set_profile_value

    bench = load_registers_bench()
    db = folder / "dirdesk.sqlite"
    reg = open_registry(db)
    set_profile_value(reg, "style", "party")
    set_profile_value(reg, "issuer", {"parent": "ĐẢNG BỘ THÀNH PHỐ SÔNG CÔNG", "name": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG",
                                      "code": "ĐU"})
    set_profile_value(reg, "place", "Bách Quang")
    set_profile_value(reg, "signers", [{"authority": "T/M BAN THƯỜNG VỤ", "title": "BÍ THƯ",
                                        "name": "Nguyễn Đức Giang"}])
    add_term(reg, dt.date(2015, 10, 1))
    if entries:
        rng = random.Random(2026)
        bench.bulk_outgoing(reg, entries, rng)
        bench.bulk_incoming(reg, entries, rng)
    reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    reg.close()
    return db


def run_child(db: Path, data: Path, section: str, mode: str) -> tuple[float, dict]:
    env = {**os.environ, "DIRDESK_DB": str(db), "DIRDESK_DATA_DIR": str(data)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, section, mode], env=env, capture_output=True, text=True,
                         timeout=600)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"child failed ({out.returncode}):\n{out.stderr[-3000:]}")
    result = json.loads(line[len("RESULT "):])
    return result["shown"] - t0, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=100_000, help="outgoing and incoming entries (default 100,000)")
    parser.add_argument("--keep", metavar="DIR", help="build the registers in DIR and keep them")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dirdesk-startup-"))
    folder.mkdir(parents=True, exist_ok=True)
    from dirdesk.gui.sections import SECTIONS

    print(f"DirDesk start-up benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")

    small = folder / "small"
    small.mkdir(exist_ok=True)
    db = small / "dirdesk.sqlite"
    if not db.exists():
        make_register(small, 0)
    first = SECTIONS[0].key
    run_child(db, small / "data", first, "startup")  # warm the disk cache, as a second start would be
    times, parts = [], []
    for _ in range(args.runs):
        took, result = run_child(db, small / "data", first, "startup")
        times.append(took)
        parts.append(result)
    median = statistics.median(times)
    mid = parts[times.index(sorted(times)[len(times) // 2])]
    print(f"\n1. Start-up to a shown window (first section: {SECTIONS[0].label}), {args.runs} runs")
    print(f"   median {median:.2f} s   min {min(times):.2f} s   max {max(times):.2f} s   "
          f"{'PASS' if median < 1.5 else 'FAIL'} (target: under 1.5 s)")
    print(f"   of the median run: interpreter + imports until Qt app {mid['imports'] - mid['start']:.2f} s, "
          f"register open {mid['open'] - mid['imports']:.2f} s, window + first section "
          f"{mid['built'] - mid['open']:.2f} s, first event loop turn {mid['shown'] - mid['built']:.2f} s")
    if mid.get("failed"):
        print(f"   note: the first section did not load ({mid['failed']}); measured with its placeholder page")

    big = folder / f"big-{args.entries}"
    big.mkdir(exist_ok=True)
    db = big / "dirdesk.sqlite"
    if not db.exists():
        t0 = time.perf_counter()
        make_register(big, args.entries)
        print(f"\n   (built a register of {args.entries:,} outgoing + {args.entries:,} incoming entries in "
              f"{time.perf_counter() - t0:.0f} s, {db.stat().st_size / 2**20:.0f} MB)")
    took, result = run_child(db, big / "data", "outgoing", "memory")
    print(f"\n2. Memory with {args.entries:,} outgoing (+ {args.entries:,} incoming) entries, Văn bản đi shown")
    if result.get("failed"):
        print(f"   note: the Văn bản đi section did not load ({result['failed']}); this measures the window "
              "without it")
    print(f"   window shown after {took:.2f} s (register open {result['open'] - result['imports']:.2f} s, window + "
          f"Văn bản đi {result['built'] - result['open']:.2f} s)")
    print(f"   section {result['section']}, rows fetched into its table: "
          f"{result.get('rows', 0):,}; fetched and scrolled to the end in {result['after'] - result['shown']:.2f} s")
    if "VmRSS" in result:
        peak = result.get("VmHWM", result["VmRSS"])
        print(f"   RSS when shown {result['shown_rss'].get('VmRSS', 0):.0f} MB; after fetching every row and "
              f"scrolling to the end {result['VmRSS']:.0f} MB; peak {peak:.0f} MB   "
              f"{'PASS' if peak < 300 else 'FAIL'} (target: under 300 MB)")
    else:
        print("   RSS not measured (no /proc on this system)")
    print(f"\nfiles in {folder}" if args.keep else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
