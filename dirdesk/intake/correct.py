"""Putting back what OCR drops from Vietnamese: tone marks, and the end of a signing title.

Tesseract reads "bổ sung" as "bô sung", "Phát triển" as "Phát triên", "PHÓ CHỦ TỊCH" as
"PHO CHU TỊCH" or "PHÓ CHỦ TỊC", "Trần" as "Trân": the letters are right and a tone mark (or
a last letter) is lost. A word of an OCR'd line is corrected only when it carries no tone
mark and a word with the same letters and a tone mark makes a known pair with its
neighbours (resources/lexicon/bigrams.tsv, made by tools/build_lexicon.py from NĐ 30, the
rule data, the templates and the hand-kept phrases of admin-phrases.txt), or, for a word
that is no known word at all, when it is a known name (a capitalised word) or a known word.
A short line in capitals close to a known signing title (within TITLE_DISTANCE letters,
diacritics aside) becomes that title. Words with a tone mark are left as read: OCR seldom
adds one.

Only text read by OCR is corrected (text_of._scan_lines); a text layer is taken as it is.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from dirdesk.resources import resource_path
from dirdesk.text import fold

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
TITLE_DISTANCE = 2
STRONG = 3  # known pairs a word must make to replace one read with a tone mark
_WORD = re.compile(r"[^\W\d_]+")
_VV = re.compile(r"^V\s*[/⁄∕]\s*[vwy]?\s+(?=\w)")
_CAPS_TAIL = re.compile(r"([;:.])\s+([^\W\d_a-zà-ỹđ][^a-zà-ỹđ]*)$")

__all__ = ["correct_line", "correct_lines", "known", "known_title", "strip_tones"]


def strip_tones(word: str) -> str:
    """`word` without its tone mark, its other marks kept: "triển" -> "triên", "Trần" -> "Trân"."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if c not in TONES))


def _has_tone(word: str) -> bool:
    return any(c in TONES for c in unicodedata.normalize("NFD", word))


class _Lexicon:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.names: dict[str, int] = {}  # name -> rank (0 most common)
        self.titles: list[str] = []
        self.by_letters: dict[str, list[str]] = {}
        for line in resource_path("lexicon", "bigrams.tsv").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                n, _, text = line.partition("\t")
                self.counts[text] = int(n)
        section = ""
        for line in resource_path("lexicon", "admin-phrases.txt").read_text(encoding="utf-8").splitlines():
            if line.startswith("["):
                section = line.strip("[]")
            elif line.strip() and not line.startswith("#"):
                if section == "titles":
                    self.titles.append(line.strip())
                elif section == "names":
                    for name in line.split():
                        self.names.setdefault(name.lower(), len(self.names))
        for word in [*(w for w in self.counts if " " not in w), *self.names]:
            group = self.by_letters.setdefault(strip_tones(word), [])
            if word not in group:
                group.append(word)

    def pair(self, a: str | None, b: str | None) -> int:
        return self.counts.get(f"{a} {b}", 0) if a and b else 0


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon()


def _cased(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _better(lex: _Lexicon, word: str, prev: str | None, nxt: str | None, capital: bool,
            name_line: bool = False) -> str | None:
    """The word with a tone mark that `word` (lower case, none) should be, or None to keep it.
    On a `name_line` (every word capitalised: "Trân Hoàng Tuân") a known name is preferred."""
    candidates = [w for w in lex.by_letters.get(word, []) if w != word and _has_tone(w)]
    if not candidates:
        return None
    names = [w for w in candidates if w in lex.names]
    if name_line and names and word not in lex.names:
        return min(names, key=lambda w: lex.names[w])

    def context(w: str) -> int:
        return lex.pair(prev, w) + lex.pair(w, nxt)

    best = max(candidates, key=lambda w: (context(w), lex.counts.get(w, 0)))
    if context(best) > context(word):
        return best
    if context(word) or word in lex.counts or word in lex.names:
        return None  # a known word, or one its neighbours confirm: as read
    if capital and names:
        return min(names, key=lambda w: lex.names[w])
    return best if lex.counts.get(best) else None


def _retoned(lex: _Lexicon, word: str, prev: str | None, nxt: str | None) -> str | None:
    """A word read with a tone mark that its neighbours say is another ("chỉ bộ" for "chi bộ",
    "tỉnh thần" for "tinh thần"): only when the other makes STRONG known pairs and it none."""
    def context(w: str) -> int:
        return lex.pair(prev, w) + lex.pair(w, nxt)

    if context(word):
        return None
    others = [w for w in lex.by_letters.get(strip_tones(word), []) if w != word]
    best = max(others, key=context, default=None)
    return best if best is not None and context(best) >= STRONG else None


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (short strings)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _title(line: str, lex: _Lexicon) -> str | None:
    """The known signing title a short capitals line is, read with letters lost or changed."""
    text = line.strip()
    letters = [c for c in text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters) or len(text.split()) > 6:
        return None
    key = fold(text)
    best = min(lex.titles, key=lambda t: _distance(key, fold(t)))
    gap = _distance(key, fold(best))
    if gap == 0:
        return best
    return best if gap <= TITLE_DISTANCE and len(key) > 3 * gap else None


def correct_line(line: str) -> str:
    """`line` with its OCR-lost tone marks put back (see the module's doc)."""
    lex = _lexicon()
    line = _VV.sub("V/v ", line)  # "V⁄w", "V⁄", "V/y" at the head of a trích yếu
    title = _title(line, lex)
    if title is not None:
        return line[:len(line) - len(line.lstrip())] + title
    tail = _CAPS_TAIL.search(line)  # the signature's title run into a Nơi nhận line: "- PCT UBND tỉnh; CHÁNH VAN PHONG"
    if tail and (title := _title(tail[2], lex)) is not None:
        return correct_line(line[:tail.start(2)]) + title
    matches = list(_WORD.finditer(line))
    name_line = 2 <= len(matches) <= 5 and all(m[0][:1].isupper() and not m[0].isupper() for m in matches)
    out, last, done = [], 0, ""
    for k, m in enumerate(matches):
        word = m[0]
        low = word.lower()
        # neighbours only across spaces: "Phát triên nông" but not "triên, nông"; the one before as corrected
        prev = done if k and not line[matches[k - 1].end():m.start()].strip() else None
        nxt = (matches[k + 1][0].lower() if k + 1 < len(matches)
               and not line[m.end():matches[k + 1].start()].strip() else None)
        if _has_tone(low):
            fixed = _retoned(lex, low, prev, nxt)
        else:
            fixed = _better(lex, low, prev, nxt, word[:1].isupper(), name_line)
        out.append(line[last:m.start()])
        out.append(_cased(fixed, word) if fixed else word)
        done = (fixed or low).lower()
        last = m.end()
    out.append(line[last:])
    return "".join(out)


def correct_lines(lines: list[str]) -> list[str]:
    return [correct_line(line) for line in lines]


def known(text: str) -> bool:
    """Whether every word of `text` is a word of the lexicon or a known name (an abbreviation in
    capitals, "TTHC", "HĐND", counts as known: it is read letter by letter)."""
    lex = _lexicon()
    for word in _WORD.findall(text or ""):
        low = word.lower()
        if not (low in lex.counts or low in lex.names or (word.isupper() and len(word) >= 2)):
            return False
    return True


def known_title(text: str) -> bool:
    return (text or "").strip() in _lexicon().titles
