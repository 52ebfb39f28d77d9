"""Text hygiene at every entry point: NFC normalisation and removal of the
characters a DOCX (XML 1.0) cannot hold."""

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
