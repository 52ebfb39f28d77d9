#!/usr/bin/env python3
"""Intake accuracy: how often `dirdesk parse` reads each field right.

    python3 benchmarks/intake_accuracy.py DOCS_DIR EXPECTED.json [--strict]

EXPECTED.json is a list of objects, one per document in DOCS_DIR:

    {"file": "000_….txt", "type": "CV", "symbol": "66-CV/ĐU", "date": "2021-09-08",
     "place": "Bách Quang", "subject": "V/v …", "issuer": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG",
     "recipients": ["…"], "signer_title": "BÍ THƯ", "signer_name": "Nguyễn Đức Giang"}

`symbol` is the symbol as printed and `issuer` the issuing body's name, as the
incoming register records them (tác giả, số ký hiệu); `type_code` (the corpus's
name) stands for `type`. Values are compared as the corpus README says
(../shared/corpus/received/README.md): case-insensitively, after NFC, with runs
of spaces and line breaks made one and the old tone placement ("uỷ", "hoà")
read as the new ("ủy", "hòa") — `dirdesk.text.same_form`. A field an object
leaves out or gives as null (a person could not read it) is not scored.

Prints per-field accuracy, every miss and the time each document took to read. With --strict, exits 1 on any miss.
Shipped expectations: benchmarks/intake/seeds.json (for ../shared/seeds or
tests/fixtures/seeds) and benchmarks/intake/own/expected.json (documents of
our own in the state shapes and other layouts: run it on benchmarks/intake/own).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this tree's dirdesk, not an installed one

FIELDS = ("type", "symbol", "date", "place", "subject", "issuer", "recipients", "signer_title", "signer_name")

# Keys of an expected object that name a field under another name (the corpus README's).
ALIASES = {"type": ("type", "type_code")}


def normalise(value):
    """The form values are compared in (the corpus README): case-insensitive, NFC, runs of
    spaces (and line breaks) made one, old tone placement ("uỷ", "hoà") read as the new."""
    from dirdesk.text import same_form

    if isinstance(value, list):
        return [normalise(v) for v in value]
    if not isinstance(value, str):
        return value
    return same_form(value)


def expected_value(item: dict, field: str):
    """(whether `item` scores `field`, its expected value): a field the object does not
    name, or names as null (a person could not read it on the page), is not scored."""
    for key in ALIASES.get(field, (field,)):
        if item.get(key) is not None:
            return True, item[key]
    return False, None


def read_fields(path: Path) -> dict:
    """The benchmarked fields of one document, as DirDesk reads them."""
    from dirdesk.intake import parse_file
    from dirdesk.registers.intake_entry import author_of, symbol_of

    parsed = parse_file(path)
    return {
        "type": parsed["type"], "symbol": symbol_of(parsed) or None, "date": parsed["date"],
        "place": parsed["place"], "subject": parsed["subject"], "issuer": author_of(parsed["issuer"]) or None,
        "recipients": parsed["recipients"], "signer_title": parsed["signer"]["title"],
        "signer_name": parsed["signer"]["name"],
    }


def evaluate(docs_dir: Path, expected: list[dict],
             times: dict[str, float] | None = None) -> tuple[dict[str, list[int]], list[str]]:
    """Per field [right, total], and a line for every miss; `times` gets the seconds each
    document took to read, by file name."""
    scores = {f: [0, 0] for f in FIELDS}
    misses = []
    for item in expected:
        path = docs_dir / item["file"]
        started = time.perf_counter()
        try:
            got = read_fields(path)
        except Exception as exc:  # a document that cannot be read counts as wrong in every field
            got = {}
            misses.append(f"{item['file']}: not read ({exc})")
        if times is not None:
            times[item["file"]] = time.perf_counter() - started
        for field in FIELDS:
            scored, want = expected_value(item, field)
            if not scored:
                continue
            scores[field][1] += 1
            if normalise(got.get(field)) == normalise(want):
                scores[field][0] += 1
            elif got:
                misses.append(f"{item['file']}: {field}: got {got.get(field)!r}, expected {want!r}")
    return scores, misses


def print_report(scores: dict[str, list[int]], misses: list[str], times: dict[str, float]) -> None:
    """Per-field accuracy, the share over all fields, every miss and the time per document."""
    for field, (right, total) in scores.items():
        share = f"{100 * right / total:5.1f} %" if total else "    -"
        print(f"  {field:<13} {right:>3}/{total:<3} {share}")
    right = sum(r for r, _ in scores.values())
    total = sum(t for _, t in scores.values())
    print(f"  {'all fields':<13} {right:>3}/{total:<3} {100 * right / max(total, 1):5.1f} %")
    for miss in misses:
        print("  miss:", miss)
    if times:
        print(f"time per document: mean {sum(times.values()) / len(times):.2f} s, "
              f"max {max(times.values()):.2f} s")
        for name, seconds in times.items():
            print(f"  {seconds:6.2f} s  {name}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs_dir", type=Path)
    ap.add_argument("expected", type=Path)
    ap.add_argument("--strict", action="store_true", help="exit 1 on any miss")
    args = ap.parse_args(argv)
    expected = json.loads(args.expected.read_text(encoding="utf-8"))
    times: dict[str, float] = {}
    scores, misses = evaluate(args.docs_dir, expected, times)
    print(f"{len(expected)} documents in {args.docs_dir}")
    print_report(scores, misses, times)
    return 1 if args.strict and misses else 0


if __name__ == "__main__":
    sys.exit(main())
