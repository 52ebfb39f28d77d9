"""The number and the day written by hand on a scanned page 1.

A signed paper document gets its number ("Số: 574 /UBND-KTTH") and its day ("ngày 04 tháng 02
năm 2025") by hand, in the blanks the typed text leaves. Tesseract's page read takes such
digits for marks ("†4/UBND-KTTH", "O†tháng"). Here the two blanks are found from the typed
words around them ("Số:" and the "/…" of the symbol; "ngày" and "tháng"), and each blank is
read again on its own as digits, several ways (Tesseract's English model, which reads
handwritten digits better than the Vietnamese one, as one line, one word and raw, on the
blank alone and on the whole typed line). A value is given only when enough ways agree;
otherwise the blank is left empty for the clerk. Either way the blank is reported as
handwritten, unless the page read already gave clean digits it was sure of (typed).

Coordinates are the page image's pixels, as in Tesseract's `image_to_data` dict.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

SURE = 90.0  # Tesseract's confidence above which clean digits in a blank are taken as typed
TYPED_AGAINST = 60.0  # the same for digits run into "/UBND-VP": handwriting leaves a gap, type does not
AGREE = 3  # of the readings of a handwritten blank, how many must give the same digits
# and what share of the readings that gave digits at all (a wrong number is worse than a wrong day:
# it is the document's key in the register)
SHARE = {"number": 0.5, "day": 0.4}
CAPITAL, NARROW = 1.45, 0.6  # widths of a capital and of a mark ("/", "-", ":") in mean characters
PAD = 0.5  # of the line's height, added above and below a blank (handwriting rises and falls)
_NUMBER_WORD = re.compile(r"^S[ốô6oó]\s*:?", re.IGNORECASE)
_SLASH_WORD = re.compile(r"[-/][A-ZĐ]")  # "/UBND-KTTH", or a Party symbol's "-CV/ĐU"
_DAY_WORD = re.compile(r"^ngày", re.IGNORECASE)
_MONTH_WORD = re.compile(r"tháng$", re.IGNORECASE)

__all__ = ["Blank", "fill_blanks", "find_blanks", "read_blanks"]


@dataclass
class Blank:
    """A handwritten (or typed) blank: which ("number" or "day"), its box, the Tesseract words in it."""

    name: str
    box: tuple[int, int, int, int]  # left, top, right, bottom
    line_box: tuple[int, int, int, int]  # the typed line around it
    words: list[int]  # indexes into the data dict of the words inside the blank
    before: int  # the typed word before it ("Số:", "ngày")
    after: int  # the typed word after it ("/UBND-KTTH", "tháng")
    value: str | None = None  # the digits read
    handwritten: bool = False


def _words(data: dict) -> list[int]:
    return [i for i, t in enumerate(data["text"]) if t and t.strip()]


def _line_of(data: dict, i: int) -> tuple:
    return data["block_num"][i], data["par_num"][i], data["line_num"][i]


def _right(data: dict, i: int) -> int:
    return data["left"][i] + data["width"][i]


def _char_width(data: dict, line: list[int]) -> float:
    """The width of one typed character on the line: the median over the words Tesseract is sure of."""
    widths = sorted(data["width"][i] / len(data["text"][i].strip()) for i in line
                    if float(data["conf"][i]) >= SURE and len(data["text"][i].strip()) >= 3)
    return widths[len(widths) // 2] if widths else data["height"][line[0]] * 0.45


def _width(text: str, cw: float) -> float:
    """The width typed `text` takes: capitals are wider than the line's mean character, marks narrower."""
    return sum(cw * (CAPITAL if c.isupper() else NARROW if not c.isalnum() else 1.0) for c in text)


def _typed_end(data: dict, i: int, pattern: re.Pattern, cw: float) -> int:
    """Where the typed part matched at the start of word `i` ends ("Số:" of "Số:4@`", "ngày" of a
    "ngày" box that took the handwriting in): the word's left plus its typed characters' width."""
    text = data["text"][i].strip()
    m = pattern.search(text)
    typed = data["left"][i] + round(cw * (m.end() if m else len(text)))  # "Số:" is about three mean characters
    return min(_right(data, i), typed)


def _typed_start(data: dict, i: int, pattern: re.Pattern, cw: float) -> int:
    """Where the typed part matched in word `i` starts ("/UBND-KTTH" of "†4/UBND-KTTH")."""
    text = data["text"][i].strip()
    m = pattern.search(text)
    if not m or m.start() == 0:
        return data["left"][i]
    return max(data["left"][i], _right(data, i) - round(_width(text[m.start():], cw)))


def _blank(data: dict, name: str, before: int, after: int, first: re.Pattern, second: re.Pattern) -> Blank:
    line = [i for i in _words(data) if _line_of(data, i) == _line_of(data, before)]
    cw = _char_width(data, line)
    left = _typed_end(data, before, first, cw)
    right = max(left + 1, _typed_start(data, after, second, cw))
    top = min(data["top"][i] for i in (before, after))
    bottom = max(data["top"][i] + data["height"][i] for i in (before, after))
    pad = round((bottom - top) * PAD)
    inside = [i for i in _words(data) if i not in (before, after) and left - 5 <= data["left"][i] < right
              and data["top"][i] < bottom and data["top"][i] + data["height"][i] > top]
    return Blank(name, (left, top - pad, right, bottom + pad),
                 (data["left"][before] - 10, top - pad, _right(data, after) + 10, bottom + pad), inside, before, after)


def _next_on_line(data: dict, words: list[int], i: int, pattern: re.Pattern) -> int | None:
    """The first word right of word `i` on its line that `pattern` finds in."""
    same = [j for j in words
            if j != i and _line_of(data, j) == _line_of(data, i) and data["left"][j] >= data["left"][i]]
    return next((j for j in sorted(same, key=lambda j: data["left"][j]) if pattern.search(data["text"][j])), None)


_BLANKS = (("number", _NUMBER_WORD, _SLASH_WORD), ("day", _DAY_WORD, _MONTH_WORD))


def find_blanks(data: dict, page_height: int) -> list[Blank]:
    """The number and day blanks of page 1's header (its top third), as far as they are found."""
    words = [i for i in _words(data) if data["top"][i] < page_height / 3]
    found: dict[str, Blank] = {}
    for i in words:
        for name, first, second in _BLANKS:
            if name not in found and first.match(data["text"][i]):
                after = _next_on_line(data, words, i, second)
                if after is not None:
                    found[name] = _blank(data, name, i, after, first, second)
    return list(found.values())


def _typed(data: dict, blank: Blank) -> str | None:
    """Clean digits the page read found in the blank and was sure of (a typed number), else None.
    A number typed against the slash ("856/UBND-VP") or the colon ("Số:856") is in the word beside."""
    if len(blank.words) == 1:
        i = blank.words[0]
        text = data["text"][i].strip().rstrip(".")
        return text if re.fullmatch(r"\d{1,6}", text) and float(data["conf"][i]) >= SURE else None
    if blank.words or blank.name != "number":
        return None
    for i, pattern in ((blank.after, r"^(\d{1,6})[-/]"), (blank.before, r":(\d{1,6})$")):
        m = re.search(pattern, data["text"][i].strip())
        if m and float(data["conf"][i]) >= TYPED_AGAINST:
            return m[1]
    return None


def _trimmed(crop):
    """The blank's crop without the typed marks at its edges (the colon of "Số:", the tail of the
    "y" of "ngày"): columns of ink are grouped into runs, and a run at an edge whose ink covers
    less than half of its rows (two dots) or that is shorter than a third of the crop is dropped."""
    import numpy as np

    ink = np.asarray(crop) < 128
    cols = ink.any(axis=0)
    runs, start = [], None
    for x, on in enumerate([*cols, False]):
        if on and start is None:
            start = x
        elif not on and start is not None:
            runs.append((start, x))
            start = None

    def mark(run):
        rows = ink[:, run[0]:run[1]].any(axis=1)
        ys = np.nonzero(rows)[0]
        span = ys[-1] - ys[0] + 1
        return rows.sum() < 0.5 * span or span < ink.shape[0] / 3

    while runs and mark(runs[0]):
        runs.pop(0)
    while runs and mark(runs[-1]):
        runs.pop()
    if not runs:
        return None
    return crop.crop((max(0, runs[0][0] - 8), 0, min(crop.width, runs[-1][1] + 8), crop.height))


def _readings(image, data: dict, blank: Blank, timeout: float) -> list[str]:
    """The digits of the blank as read several ways: the page read's own words in it, then
    Tesseract's English model on the blank (as it is, without the typed marks at its edges,
    at half size; as a line, a word and raw text) and on the whole typed line."""
    import pytesseract

    digits = "-c tessedit_char_whitelist=0123456789"
    out = ["".join(data["text"][i] for i in blank.words)]
    crop = image.crop(blank.box)
    trimmed = _trimmed(crop)
    for variant in (crop, trimmed, crop.reduce(2)):
        if variant is None:
            continue
        for psm in (7, 8, 13):
            out.append(pytesseract.image_to_string(variant, lang="eng", config=f"--psm {psm} {digits}",
                                                   timeout=timeout))
    line = image.crop(blank.line_box)
    for psm in (7, 13):
        text = pytesseract.image_to_string(line, lang="eng", config=f"--psm {psm}", timeout=timeout)
        # the digits between the typed words: "Sé: 514 /UBND", "ngay 24- thang"
        m = re.search(r":\s*(\S+?)\s*_?/" if blank.name == "number" else r"ng\S*?\s*(\S+?)\s*th", text)
        out.append(m[1] if m else "")
    return [re.sub(r"\D", "", t) for t in out]


def _agreed(readings: list[str], name: str) -> str | None:
    """The digits most readings give, when at least AGREE of them and SHARE of those that gave any
    agree (a day from 1 to 31); None when they disagree, for the clerk to read."""
    valid = [r for r in readings if r and len(r) <= 6 and (name != "day" or 1 <= int(r) <= 31)]
    if not valid:
        return None
    counts = Counter(valid)
    value, n = counts.most_common(1)[0]
    if n < AGREE or n < SHARE[name] * len(valid):
        return None
    if any(value in other and other != value and k >= 2 for other, k in counts.items()):
        return None  # "6" and "46": a digit may be lost from the blank's edge
    return value.zfill(2) if name == "day" else value


def _judge(image, data: dict, blank: Blank, timeout: float) -> None:
    typed = _typed(data, blank)
    if typed is not None:
        blank.value = typed
        return
    blank.handwritten = True
    try:
        blank.value = _agreed(_readings(image, data, blank, timeout), blank.name)
    except RuntimeError:  # pytesseract's timeout: the blank stays empty
        blank.value = None


def read_blanks(image, data: dict, timeout: float) -> list[Blank]:
    """The number and day blanks of page 1, each read (value) and judged (handwritten); the two
    side by side (each reading is a Tesseract process)."""
    blanks = find_blanks(data, image.height)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for job in [pool.submit(_judge, image, data, blank, timeout) for blank in blanks]:
            job.result()
    return blanks


_KEYS = ("block_num", "par_num", "line_num", "top", "height")


def fill_blanks(data: dict, blanks: list[Blank]) -> None:
    """Put what was read of each blank into Tesseract's `data` in place of its marks: the words in
    the blank and the handwriting run into the typed words around it go, and the digits read (if
    any) come in as one word of the typed line, so the line reads "Số: 574/UBND-KTTH"."""
    for blank in blanks:
        for i in blank.words:
            data["text"][i] = ""
        for i, pattern, keep_start in ((blank.before, _NUMBER_WORD if blank.name == "number" else _DAY_WORD, True),
                                       (blank.after, _SLASH_WORD if blank.name == "number" else _MONTH_WORD, False)):
            text = data["text"][i].strip()
            m = pattern.search(text)
            if m:
                data["text"][i] = text[:m.end()] if keep_start else text[m.start():]
        if blank.value:
            for key in _KEYS:
                data[key].append(data[key][blank.before])
            data["text"].append(blank.value)
            data["conf"].append(50.0)
            data["left"].append(blank.box[0])
            data["width"].append(max(1, blank.box[2] - blank.box[0]))
