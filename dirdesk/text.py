"""Text hygiene at every entry point: NFC normalisation and removal of the
characters a DOCX (XML 1.0) cannot hold; the one folding that search and every
comparison of names use (`fold`); file names and sizes as the clerk sees them.

Everything above the document core uses these: no package keeps its own copy."""

from __future__ import annotations

import re
import unicodedata

# XML 1.0 forbids C0 controls except tab, newline and carriage return, and
# the non-characters U+FFFE/U+FFFF; lone surrogates cannot be encoded at all.
# C1 controls (U+0080-U+009F) are legal XML but are never meant in a document
# (they come from mis-decoded Windows-1252 text), so they go too.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """Return `text` in NFC with line ends unified and unprintable characters removed.

    Tabs become spaces (official documents align nothing with tabs).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _UNPRINTABLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if not keep_newlines:
        text = " ".join(part.strip() for part in text.split("\n") if part.strip())
    return text


def upper_vi(text: str) -> str:
    """Upper-case Vietnamese text (str.upper handles đ -> Đ correctly)."""
    return unicodedata.normalize("NFC", text.upper())


def one_line(text: str | None) -> str:
    """Text typed in a one-line field, as it is stored: NFC, on one line, trimmed."""
    return clean(text or "", keep_newlines=False).strip()


# --------------------------------------------------------------- folding (search and comparison)


def _unmarked(text: str) -> str:
    """Case-folded, without diacritics, đ as d; white space left as it is."""
    text = unicodedata.normalize("NFD", text.casefold()).replace("đ", "d")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fold(text: str | None, *, spaces: bool = True) -> str:
    """The form text is searched and compared in: lower case, no diacritics, đ -> d,
    white space collapsed to single spaces (removed with `spaces=False`).

    "Ủy ban", "Uỷ ban" (old tone placement), "UY BAN" and "uy  ban" all fold to "uy ban".
    """
    if not text:
        return ""
    words = _unmarked(text).split()
    return " ".join(words) if spaces else "".join(words)


_TONES = "\u0300\u0301\u0303\u0309\u0323"
# Old tone placement at the end of a syllable: UỶ -> ỦY, HOÀ -> HÒA (not QUÝ).
_OLD_TONE = re.compile(f"(?<!Q)([OU])([AEY])([{_TONES}])(?![\\w\u0300-\u036f])")


def same_form(text: str | None) -> str:
    """The key printed words are compared by: upper case, NFC, white space collapsed to single
    spaces, the old tone placement ("UỶ", "HOÀ") read as the new ("ỦY", "HÒA").

    Unlike `fold`, a missing or different tone mark still makes a different word:
    "Ủy ban" and "UỶ  BAN" are the same, "Uy ban" is not."""
    if not text:
        return ""
    text = unicodedata.normalize("NFD", " ".join(upper_vi(text).split()))
    return unicodedata.normalize("NFC", _OLD_TONE.sub(r"\1\3\2", text))


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """`text` folded as `fold` folds it, but with white space kept one for one, and for
    each folded character the index of the original character it came from (a character
    may fold to none, as a combining mark, or to several). The words are those of `fold(text)`."""
    folded: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        part = _unmarked(ch)
        folded.append(part)
        origin.extend([i] * len(part))
    return "".join(folded), origin


# --------------------------------------------------------------- names and sizes

_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED_NAMES = re.compile(r"(con|prn|aux|nul|com\d|lpt\d)(\..*)?", re.IGNORECASE)  # Windows device names
FILE_NAME_MAX = 120


def safe_file_name(name: str | None, default: str = "tep") -> str:
    """A file name every system accepts, made from a name shown to the clerk: its last
    part only (no folders), NFC on one line, each run of characters Windows refuses
    as "-", no dots or spaces at the ends, at most FILE_NAME_MAX characters (the
    extension kept), a Windows device name prefixed with "_"; `default` when nothing is left."""
    name = one_line(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _NOT_IN_FILE_NAMES.sub("-", name).strip(" .-")
    if len(name) > FILE_NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        keep = dot + ext if stem and len(ext) <= 10 else ""
        name = name[:FILE_NAME_MAX - len(keep)].rstrip(" .-") + keep
    if _RESERVED_NAMES.fullmatch(name):
        name = "_" + name
    return name or default


def human_size(size: int) -> str:
    """1536 -> "1,5 KB" (Vietnamese decimal comma), 200 MiB -> "200 MB" (no ",0": a limit reads whole)."""
    value, unit = float(size), "byte"
    for next_unit in ("KB", "MB", "GB", "TB"):
        if value < 1024:
            break
        value, unit = value / 1024, next_unit
    text = f"{value:.0f}" if unit == "byte" else f"{value:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text} {unit}"
