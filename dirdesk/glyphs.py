"""Text the embedded font cannot show (emoji, rare symbols): one behaviour for both files.

The layout (dirdesk.layout.build) passes every run through `printable`, so the DOCX and the
PDF carry the same text: each stretch of characters the font has no glyph for (with the
zero-width joiners U+200D between them: one family emoji) becomes one SUBSTITUTE, and invisible
format characters the font lacks (a variation selector U+FE0F) are dropped. The draft keeps what the clerk typed, and
`check_glyphs` names it (the characters, their field, U+XXXX) so it can be put right.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Iterator

from dirdesk.fonts import embedded, has_glyph, shown

SUBSTITUTE = "\u25a1"  # □ WHITE SQUARE: in Times New Roman (WGL4) and in Liberation Serif
FALLBACK = "?"


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cf", "Mn")


def substitute() -> str:
    """What the files print for a character the font lacks: SUBSTITUTE, or "?" in a font without it."""
    return SUBSTITUTE if has_glyph(SUBSTITUTE) else FALLBACK


def missing(text: str) -> list[str]:
    """The visible characters of `text` the embedded font has no glyph for, each once, in order."""
    found: list[str] = []
    codes = shown()
    for ch in text:
        if ord(ch) not in codes and ch != "\n" and not _invisible(ch) and ch not in found:
            found.append(ch)
    return found


def printable(text: str) -> str:
    """`text` as the files print it: each stretch of characters without a glyph becomes one SUBSTITUTE."""
    codes = shown()
    if all(ord(ch) in codes or ch == "\n" for ch in text):
        return text
    mark = substitute()
    out: list[str] = []
    stretch: list[str] = []
    for ch in text + "\n":  # the line end closes the last stretch
        # a zero-width joiner inside an emoji (in the font or not) belongs to its stretch
        if (ord(ch) not in codes and ch != "\n") or (stretch and _invisible(ch)):
            stretch.append(ch)
            continue
        if stretch and not all(_invisible(c) for c in stretch):
            out.append(mark)
        stretch = []
        out.append(ch)
    return "".join(out[:-1])


def draft_texts(value, name: str = "") -> Iterator[tuple[str, str]]:
    """(field, text) of every text of a draft: "subject", "signer.name", "recipients[2]"…"""
    if isinstance(value, str):
        yield name, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from draft_texts(item, f"{name}.{key}" if name else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from draft_texts(item, f"{name}[{i}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from draft_texts(getattr(value, f.name), f"{name}.{f.name}" if name else f.name)


def unshown(draft) -> Iterator[tuple[str, list[str]]]:
    """(field, characters) of each field of a draft with characters the embedded font cannot show."""
    for field, text in draft_texts(draft):
        if chars := missing(text):
            yield field, chars


def code_points(chars: list[str]) -> str:
    """"'😀' (U+1F600), '✓' (U+2713)"."""
    return ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in chars)


def check_glyphs(c) -> Iterator:
    """A checks.CHECKS entry: a field with characters the embedded font cannot show (an error: the
    printed document would show a □ where the clerk sees a character)."""
    font, mark = embedded().family, substitute()
    cite = {"cite": c.rules.font_cite} if getattr(c.rules, "font_cite", "") else None
    for field, chars in unshown(c.draft):
        yield c.finding("text.no-glyph", field, f"Phông {font} của văn bản không có chữ {code_points(chars)}: "
                        f"tệp DOCX và PDF in '{mark}' vào chỗ đó; xóa hoặc thay bằng chữ thường.", table=cite)
