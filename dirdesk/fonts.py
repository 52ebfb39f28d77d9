"""The bundled Liberation Serif 2.x faces: metric-compatible with Times New
Roman, with every Vietnamese glyph. The layout measures text with them and the
PDF writer embeds them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from dirdesk.resources import resource_path

FAMILY = "DirDeskSerif"
FACES = {
    (False, False): ("DirDeskSerif", "LiberationSerif-Regular.ttf"),
    (True, False): ("DirDeskSerif-Bold", "LiberationSerif-Bold.ttf"),
    (False, True): ("DirDeskSerif-Italic", "LiberationSerif-Italic.ttf"),
    (True, True): ("DirDeskSerif-BoldItalic", "LiberationSerif-BoldItalic.ttf"),
}


@cache
def register_fonts() -> str:
    """Register the four faces with reportlab once; return the family name."""
    for (bold, italic), (name, filename) in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        addMapping(FAMILY, int(bold), int(italic), name)
    return FAMILY


def face(bold: bool, italic: bool) -> str:
    register_fonts()
    return FACES[(bool(bold), bool(italic))][0]


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width in points of `text` set on one line."""
    return pdfmetrics.stringWidth(text, face(bold, italic), size)


_DRAWING = threading.RLock()


@contextmanager
def drawing() -> Iterator[None]:
    """One PDF drawn at a time in the process. reportlab is not thread-safe: a registered TTFont keeps
    each document's subset state, and rl_config is global; two workers of the window drawing at once
    (a register preview and an issue) crashed the process in TTFont.makeSubset."""
    with _DRAWING:
        yield
