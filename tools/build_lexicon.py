"""Make resources/lexicon/bigrams.tsv, the word and word-pair counts dirdesk/intake/correct.py
uses to put back the tone marks OCR drops.

Counts come from administrative Vietnamese the project has: NĐ 30/2020 and its Phụ lục, the
layout reference (../shared/reference), the seed Party documents (../shared/seeds), the
templates and rule data (resources/), and the hand-kept phrases of
resources/lexicon/admin-phrases.txt (counted PHRASE_WEIGHT times). The received corpus
(../shared/corpus), which measures the reading, is never read here.

    python3 tools/build_lexicon.py [SHARED_DIR]
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "lexicon" / "bigrams.tsv"
PHRASES = ROOT / "resources" / "lexicon" / "admin-phrases.txt"
PHRASE_WEIGHT = 5
_WORD = re.compile(r"[^\W\d_]+")


def _texts(shared: Path):
    for pattern in ("reference/*.md", "reference/sources/*/*.md", "seeds/*.txt"):
        for path in sorted(shared.glob(pattern)):
            yield path.read_text(encoding="utf-8"), 1
    for pattern in ("templates/**/*", "rules/*.toml"):
        for path in sorted((ROOT / "resources").glob(pattern)):
            if path.is_file() and path.suffix in (".json", ".toml", ".md", ".txt"):
                yield path.read_text(encoding="utf-8"), 1
    section = ""
    for line in PHRASES.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif line.strip() and not line.startswith("#") and section == "phrases":
            yield line, PHRASE_WEIGHT


def count(shared: Path) -> tuple[Counter, Counter]:
    words, pairs = Counter(), Counter()
    for text, weight in _texts(shared):
        for line in unicodedata.normalize("NFC", text).splitlines():
            # a pair is two words with only spaces between them (not across ", " or a line)
            for chunk in re.split(r"[^\w\s]|\d|_", line.lower()):
                tokens = _WORD.findall(chunk)
                for w in tokens:
                    words[w] += weight
                for a, b in zip(tokens, tokens[1:], strict=False):
                    pairs[f"{a} {b}"] += weight
    return words, pairs


def main(argv: list[str]) -> int:
    shared = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared"
    words, pairs = count(shared)
    lines = [f"{n}\t{w}" for w, n in sorted(words.items())]
    lines += [f"{n}\t{p}" for p, n in sorted(pairs.items())]
    OUT.write_text("# made by tools/build_lexicon.py; count<TAB>word or word pair\n" + "\n".join(lines) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(words)} words, {len(pairs)} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
