#!/usr/bin/env python3
"""Intake accuracy: how often `dirdesk parse` reads each field right.

    python3 benchmarks/intake_accuracy.py DOCS_DIR EXPECTED.json [--strict]

EXPECTED.json is a list of objects, one per document in DOCS_DIR:

    {"file": "000_….txt", "type": "CV", "symbol": "66-CV/ĐU", "date": "2021-09-08",
     "place": "Bách Quang", "subject": "V/v …", "issuer": "ĐẢNG ỦY PHƯỜNG BÁCH QUANG",
     "recipients": ["…"], "signer_title": "BÍ THƯ", "signer_name": "Nguyễn Đức Giang"}

`symbol` is the symbol as printed and `issuer` the issuing body's name on one
line, as the incoming register records them (tác giả, số ký hiệu). Values are
compared after NFC, with runs of spaces made one and the old tone placement
("UỶ", "HOÀ") read as the new ("ỦY", "HÒA"): the register keeps what the
document prints, and both spellings are the same name.

Prints per-field accuracy and every miss. With --strict, exits 1 on any miss.
Shipped expectations: benchmarks/intake/seeds.json (for ../shared/seeds or
tests/fixtures/seeds) and benchmarks/intake/own/expected.json (documents of
our own in the state shapes and other layouts: run it on benchmarks/intake/own).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

FIELDS = ("type", "symbol", "date", "place", "subject", "issuer", "recipients", "signer_title", "signer_name")

# Old ("hoà", "uỷ") to new ("hòa", "ủy") tone placement, lower and upper case.
_OLD_TONES = {
    old: new
    for vowel, second in (("o", "a"), ("o", "e"), ("u", "y"))
    for mark in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    for old, new in [
        (unicodedata.normalize("NFC", vowel + second + mark), unicodedata.normalize("NFC", vowel + mark + second)),
        (unicodedata.normalize("NFC", (vowel + second + mark).upper()),
         unicodedata.normalize("NFC", (vowel + mark + second).upper())),
    ]
}


def normalise(value):
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if not isinstance(value, str):
        return value
    value = " ".join(unicodedata.normalize("NFC", value).split())
    for old, new in _OLD_TONES.items():
        value = value.replace(old, new)
    return value


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


def evaluate(docs_dir: Path, expected: list[dict]) -> tuple[dict[str, list[int]], list[str]]:
    """Per field [right, total], and a line for every miss."""
    scores = {f: [0, 0] for f in FIELDS}
    misses = []
    for item in expected:
        path = docs_dir / item["file"]
        try:
            got = read_fields(path)
        except Exception as exc:  # a document that cannot be read counts as wrong in every field
            got = {}
            misses.append(f"{item['file']}: not read ({exc})")
        for field in FIELDS:
            if field not in item:
                continue
            scores[field][1] += 1
            if normalise(got.get(field)) == normalise(item[field]):
                scores[field][0] += 1
            elif got:
                misses.append(f"{item['file']}: {field}: got {got.get(field)!r}, expected {item[field]!r}")
    return scores, misses


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs_dir", type=Path)
    ap.add_argument("expected", type=Path)
    ap.add_argument("--strict", action="store_true", help="exit 1 on any miss")
    args = ap.parse_args(argv)
    expected = json.loads(args.expected.read_text(encoding="utf-8"))
    scores, misses = evaluate(args.docs_dir, expected)
    print(f"{len(expected)} documents in {args.docs_dir}")
    for field, (right, total) in scores.items():
        share = f"{100 * right / total:5.1f} %" if total else "    -"
        print(f"  {field:<13} {right:>3}/{total:<3} {share}")
    right = sum(r for r, _ in scores.values())
    total = sum(t for _, t in scores.values())
    print(f"  {'all fields':<13} {right:>3}/{total:<3} {100 * right / max(total, 1):5.1f} %")
    for miss in misses:
        print("  miss:", miss)
    return 1 if args.strict and misses else 0


if __name__ == "__main__":
    sys.exit(main())
