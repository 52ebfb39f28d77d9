"""Name the issuer of a received document whose header lines are missing.

Converted documents sometimes lose the header table, and with it the issuing
body's lines. The document still says who issued it: the issuer code at the
end of its symbol ("606-CV/HU"), the "Lưu …" line of Nơi nhận ("Lưu Văn phòng
Huyện ủy") and the place of the date line ("Đại Từ, ngày …") give "HUYỆN ỦY
ĐẠI TỪ"; a superior body named in the text ("Tỉnh ủy Thái Nguyên (báo cáo)")
gives the parent line "ĐẢNG BỘ TỈNH THÁI NGUYÊN". The kinds of body, their
codes and superiors are data (resources/rules/issuers.toml).

Only what these clues support is filled in; when they disagree or say nothing
the field stays null, and every inference is reported as a note.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache

from dirdesk.resources import resource_path
from dirdesk.text import fold, upper_vi


@dataclass(frozen=True)
class BodyKind:
    style: str
    codes: tuple[str, ...]
    kind: str
    words: tuple[str, ...]
    levels: tuple[str, ...] = ()
    superiors: tuple[tuple[str, str], ...] = ()
    split_lines: bool = False


@cache
def body_kinds() -> tuple[BodyKind, ...]:
    with open(resource_path("rules", "issuers.toml"), "rb") as fh:
        data = tomllib.load(fh)
    return tuple(
        BodyKind(style=b["style"], codes=tuple(b["codes"]), kind=b["kind"], words=tuple(b["words"]),
                 levels=tuple(b.get("levels", ())), superiors=tuple(tuple(s) for s in b.get("superiors", ())),
                 split_lines=b.get("split_lines", False))
        for b in data["body"]
    )


def _tokens(line: str) -> list[str]:
    return re.sub(r"([(),;:.\[\]])", r" \1 ", line).split()


@lru_cache(maxsize=4096)  # the lines of the document being read; bounded for a long session
def _folded_tokens(line: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in _tokens(line))


def _find(words: str, line: str) -> int | None:
    """Index (in `_tokens(line)`) just after the first occurrence of `words`, compared folded."""
    want = tuple(fold(words).split())
    folded = _folded_tokens(line)
    for i in range(len(folded) - len(want) + 1):
        if folded[i:i + len(want)] == want:
            return i + len(want)
    return None


def _proper_name(tokens: list[str]) -> str | None:
    """The capitalised words at the start of `tokens` ("Thái Nguyên" of "Thái Nguyên ( báo cáo")."""
    name = []
    for t in tokens:
        if t[:1].isalpha() and t[:1].isupper():
            name.append(t)
        else:
            break
    return " ".join(name) or None


def _mentions(kind: BodyKind, text: str) -> int:
    folded = f" {fold(text)} "
    return sum(folded.count(f" {fold(w)} ") for w in kind.words)


def _pick_kind(style: str, code: str | None, keep_line: str, text: str) -> BodyKind | None:
    kinds = [k for k in body_kinds() if k.style == style]
    if code:
        kinds = [k for k in kinds if fold(code) in {fold(c) for c in k.codes}]
    named = [k for k in kinds if _mentions(k, keep_line)]
    if named:
        kinds = named
    elif not code:
        return None  # no code and no "Lưu" clue: nothing to go on
    if len(kinds) > 1:
        counts = [_mentions(k, text) for k in kinds]
        best = max(counts)
        kinds = [k for k, c in zip(kinds, counts, strict=True) if c == best and c > 0]
    return kinds[0] if len(kinds) == 1 else None


def _level(kind: BodyKind, place: str, lines: list[str]) -> str | None:
    """The level word the text puts between the kind and the place ("Đảng ủy phường Bách Quang")."""
    for level in kind.levels:
        for words in kind.words:
            if any(_find(f"{words} {level} {place}", line) is not None for line in lines):
                return level
    return None


def _parent(kind: BodyKind, cc: list[str], lines: list[str]) -> tuple[str, str] | None:
    """(parent line, the mention it came from): a superior named in Nơi nhận ("báo cáo" first), else the text."""
    reports = [c for c in cc if "bao cao" in fold(c)]
    for line in reports + cc + lines:
        tokens = _tokens(line)
        for words, parent_prefix in kind.superiors:
            at = _find(words, line)
            if at is None:
                continue
            name = _proper_name(tokens[at:])
            if name:
                return f"{parent_prefix} {upper_vi(name)}", f"{words} {name}"
    return None


def infer_issuer(result: dict, lines: list[str]) -> list[str]:
    """Fill `result["issuer"]` name (and parent) from the clues; returns notes saying what was inferred."""
    issuer = result["issuer"]
    if issuer["name"] or not result.get("style"):
        return []
    place = result.get("place")
    keep_line = next((c for c in result.get("cc") or [] if fold(c).startswith("luu")), "")
    kind = _pick_kind(result["style"], issuer["code"], keep_line, "\n".join(lines))
    if kind is None or not place:
        return []
    level = _level(kind, place, lines)
    rest = " ".join(filter(None, [level, upper_vi(place)]))
    issuer["name"] = f"{kind.kind}\n{rest}" if kind.split_lines else f"{kind.kind} {rest}"
    clues = [f"ký hiệu …/{issuer['code']}" if issuer["code"] else None,
             f"dòng “{keep_line}”" if _mentions(kind, keep_line) else None,
             f"địa danh “{place}”"]
    notes = [f"Không có dòng tên cơ quan ban hành; suy ra “{issuer['name'].replace(chr(10), ' ')}” từ "
             + ", ".join(filter(None, clues)) + "."]
    if not issuer["parent"]:
        found = _parent(kind, result.get("cc") or [], lines)
        if found:
            issuer["parent"] = found[0]
            notes.append(f"Cơ quan cấp trên suy ra “{found[0]}” từ “{found[1]}” trong văn bản.")
    return notes


@cache
def _subordinates() -> dict[str, tuple[str, ...]]:
    with open(resource_path("rules", "issuers.toml"), "rb") as fh:
        data = tomllib.load(fh).get("subordinates", {})
    # longest first: "ĐẢNG ỦY KHỐI" before "ĐẢNG ỦY"
    return {style: tuple(sorted(words, key=len, reverse=True)) for style, words in data.items()}


def _is_superior(style: str, line: str) -> bool:
    folded = fold(line)
    if style == "party" and folded.startswith("dang bo "):
        return True
    return any(b.style == style and folded.startswith(fold(b.kind) + " ") for b in body_kinds())


def _starts_subordinate(style: str, line: str) -> bool:
    folded = fold(line)
    return any(folded == fold(w) or folded.startswith(fold(w) + " ") for w in _subordinates().get(style, ()))


def split_parent(style: str | None, lines: list[str]) -> tuple[str | None, list[str]]:
    """The superior body's line and the issuer's lines of a header's issuer block: "THÀNH ỦY HÀ
    NỘI" / "BAN TỔ CHỨC" gives ("THÀNH ỦY HÀ NỘI", ["BAN TỔ CHỨC"]); one line holding both
    ("THÀNH ỦY HÀ NỘI BAN TỔ CHỨC") is cut where the subordinate body's name starts."""
    if not lines or style not in _subordinates():
        return None, lines
    first = lines[0]
    for k in range(1, len(lines)):  # the superior's name may take two lines: "ỦY BAN NHÂN DÂN" / "QUẬN HẢI CHÂU"
        if _starts_subordinate(style, lines[k]):
            superior = " ".join(lines[:k])  # judged as one name, given back as printed (its own lines)
            return ("\n".join(lines[:k]), lines[k:]) if _is_superior(style, superior) else (None, lines)
    if len(lines) == 1 and _is_superior(style, first):
        words = first.split()
        for k in range(2, len(words)):
            if _starts_subordinate(style, " ".join(words[k:])) and not _starts_subordinate(style, first):
                return " ".join(words[:k]), [" ".join(words[k:])]
    return None, lines
