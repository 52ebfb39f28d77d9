"""The four faces the PDF embeds, and the metrics the layout measures with.

Both texts require Times New Roman (Nghị định 30/2020/NĐ-CP, Phụ lục I, I.4; Hướng dẫn
05-HD/VPTW, Phần II, IV.1). The PDF embeds the system's Times New Roman where it is installed
(every Windows PC has C:\\Windows\\Fonts\\times.ttf, timesbd.ttf, timesi.ttf, timesbi.ttf) and the
bundled Liberation Serif 2.x only when it is not. Liberation Serif is metric-compatible with
Times New Roman, and the layout always measures with it, so the lines and pages are the same
whichever is embedded: a Times New Roman is taken only when its advance widths over the
characters of Vietnamese text agree with Liberation's (`metric_differences`) and it has every
Vietnamese letter. `embedded()` says which was taken, and why, for the clerk.

DIRDESK_TIMES_DIR names the one folder to look in (tests, administrators); a folder without
the four faces there means the bundled font.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from dirdesk.resources import resource_path

ENV_DIR = "DIRDESK_TIMES_DIR"
FAMILY = "DirDeskSerif"
KEYS = ((False, False), (True, False), (False, True), (True, True))  # (bold, italic)
FACES = {  # the bundled faces: reportlab name, file in resources/fonts
    (False, False): ("DirDeskSerif", "LiberationSerif-Regular.ttf"),
    (True, False): ("DirDeskSerif-Bold", "LiberationSerif-Bold.ttf"),
    (False, True): ("DirDeskSerif-Italic", "LiberationSerif-Italic.ttf"),
    (True, True): ("DirDeskSerif-BoldItalic", "LiberationSerif-BoldItalic.ttf"),
}
TIMES = "Times New Roman"
BUNDLED = "Liberation Serif"
# Times New Roman's files by their name folded (lower case, no space, "_" or "-"): Windows', msttcorefonts', macOS'.
_TIMES_FILES = {
    "times": (False, False), "timesbd": (True, False), "timesi": (False, True), "timesbi": (True, True),
    "timesnewroman": (False, False), "timesnewromanbold": (True, False), "timesnewromanitalic": (False, True),
    "timesnewromanbolditalic": (True, True),
}
WIDTH_TOLERANCE = 0.05  # thousandths of an em: 0.0007 pt at 14 pt


def _vietnamese_letters() -> str:
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
    vowels = {unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưy" for t in tones}
    lower = "".join(sorted(vowels | set("bcdđghklmnpqrstvx")))
    return lower + lower.upper()


VIETNAMESE = _vietnamese_letters()
# The characters a document is written in: these must be there, with Liberation's widths.
ALPHABET = "".join(chr(c) for c in range(0x20, 0x7F)) + VIETNAMESE + "\u00a0–—‘’“”…•°§«»×"


@dataclass(frozen=True)
class FontChoice:
    """The font the PDF embeds: `family` as the clerk is told it, the four files, and why."""

    family: str
    system: bool  # the system's Times New Roman (False: the bundled Liberation Serif)
    files: tuple[str, str, str, str]  # in KEYS order
    names: tuple[str, str, str, str]  # reportlab's names of the registered faces, in KEYS order
    reason: str = ""  # why the bundled font, in Vietnamese ("" when Times New Roman is embedded)

    def file(self, bold: bool, italic: bool) -> str:
        return self.files[KEYS.index((bool(bold), bool(italic)))]

    def describe(self) -> str:
        """One line for the clerk: which font the PDF embeds, and where from or why not Times New Roman."""
        if self.system:
            return f"Phông chữ của tệp PDF: {TIMES} (của máy, {Path(self.files[0]).parent})."
        return (f"Phông chữ của tệp PDF: {BUNDLED} (kèm theo DirDesk, cùng kích thước chữ với {TIMES}) "
                f"vì {self.reason}.")

    def short(self) -> str:
        """A few words for a status line."""
        if self.system:
            return f"Phông chữ của tệp PDF: {TIMES}"
        return f"Phông chữ của tệp PDF: {BUNDLED} (máy không có {TIMES}; cùng kích thước chữ)"


def _search_folders() -> list[Path]:
    """Where Times New Roman is looked for on this system, most likely first."""
    home = Path.home()
    if sys.platform.startswith("win"):
        folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        if os.environ.get("LOCALAPPDATA"):
            folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
        return folders
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts/Supplemental"), home / "Library" / "Fonts"]
    folders = [Path("/usr/share/fonts/truetype/msttcorefonts"), home / ".fonts", home / ".local/share/fonts"]
    return folders + [f for f in _fontconfig_folders() if f not in folders]


def _fontconfig_folders() -> list[Path]:
    """The folders fontconfig knows a Times New Roman in (no substitutes: fc-list matches the family)."""
    try:
        out = subprocess.run(["fc-list", f":family={TIMES}", "file"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    folders: list[Path] = []
    for line in out.splitlines():
        folder = Path(line.split(":")[0].strip()).parent
        if line.strip() and folder not in folders:
            folders.append(folder)
    return folders


def _times_files(folder: Path) -> dict[tuple[bool, bool], Path]:
    """The Times New Roman files in a folder, by (bold, italic), as their names say."""
    found: dict[tuple[bool, bool], Path] = {}
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return found
    for path in entries:
        folded = path.stem.lower().replace(" ", "").replace("_", "").replace("-", "")
        if path.suffix.lower() == ".ttf" and folded in _TIMES_FILES:
            found.setdefault(_TIMES_FILES[folded], path)
    return found


@cache
def _bundled_fonts() -> tuple[TTFont, ...]:
    """The bundled faces, registered with reportlab once, in KEYS order."""
    fonts = tuple(TTFont(FACES[key][0], str(resource_path("fonts", FACES[key][1]))) for key in KEYS)
    for key, font in zip(KEYS, fonts, strict=True):
        pdfmetrics.registerFont(font)
        addMapping(FAMILY, int(key[0]), int(key[1]), font.fontName)
    return fonts


def metric_differences(fonts: tuple[TTFont, ...], text: str = ALPHABET) -> list[str]:
    """The characters of `text` whose advance width in a face differs from the bundled face's (or that it lacks)."""
    differ = []
    for font, bundled in zip(fonts, _bundled_fonts(), strict=True):
        mine, ref = font.face.charWidths, bundled.face.charWidths
        for ch in text:
            code = ord(ch)
            if code not in font.face.charToGlyph or abs(mine.get(code, -1) - ref.get(code, -1)) > WIDTH_TOLERANCE:
                if ch not in differ:
                    differ.append(ch)
    return differ


def _try_times(folder: Path) -> tuple[tuple[TTFont, ...] | None, str]:
    """The four Times New Roman faces of a folder, loaded (not registered), or None and the reason."""
    files = _times_files(folder)
    if len(files) < 4:
        return None, f"không thấy đủ bốn kiểu chữ {TIMES} (thường, đậm, nghiêng, đậm nghiêng) ở {folder}"
    family = f"DirDeskTimes-{zlib.crc32(str(folder).encode()):08x}"  # one per folder: tests try several
    try:
        fonts = tuple(TTFont(f"{family}-{i}", str(files[key])) for i, key in enumerate(KEYS))
    except (TTFError, OSError, ValueError) as exc:
        return None, f"không đọc được {TIMES} ở {folder} ({exc})"
    wrong = [f.face.familyName.decode("latin-1", "replace") for f in fonts
             if f.face.familyName.decode("latin-1", "replace") != TIMES]
    if wrong:
        return None, f"tệp ở {folder} là phông {wrong[0]}, không phải {TIMES}"
    differ = metric_differences(fonts)
    if differ:
        sample = " ".join(differ[:8])
        return None, f"{TIMES} ở {folder} thiếu chữ hoặc khác độ rộng chữ ({sample}), bản in sẽ lệch dòng"
    return fonts, ""


@cache
def _choose(override: str | None) -> FontChoice:
    folders = [Path(override)] if override else _search_folders()
    reason = f"không tìm thấy {TIMES} trên máy"
    for folder in folders:
        if override is None and not _times_files(folder):
            continue
        fonts, why = _try_times(folder)
        if fonts is None:
            reason = why
            continue
        for key, font in zip(KEYS, fonts, strict=True):
            pdfmetrics.registerFont(font)
            addMapping(font.fontName.rsplit("-", 1)[0], int(key[0]), int(key[1]), font.fontName)
        return FontChoice(TIMES, True, tuple(f.face.filename for f in fonts), tuple(f.fontName for f in fonts))
    bundled = _bundled_fonts()
    files = tuple(str(resource_path("fonts", FACES[key][1])) for key in KEYS)
    return FontChoice(BUNDLED, False, files, tuple(f.fontName for f in bundled), reason)


_LOOKUP = threading.RLock()  # two workers asking first must not register the faces twice


def embedded() -> FontChoice:
    """The font the PDF embeds on this system (looked for once per DIRDESK_TIMES_DIR value)."""
    with _LOOKUP:
        _bundled_fonts()  # the layout measures with it in every case
        return _choose(os.environ.get(ENV_DIR) or None)


def register_fonts() -> str:
    """Register the faces with reportlab (once); return the bundled family's name."""
    embedded()
    return FAMILY


def face(bold: bool, italic: bool) -> str:
    """reportlab's name of the face the PDF draws with."""
    return embedded().names[KEYS.index((bool(bold), bool(italic)))]


def measure_face(bold: bool, italic: bool) -> str:
    """reportlab's name of the face the layout measures with (always the bundled one)."""
    if not _bundled_fonts.cache_info().currsize:
        with _LOOKUP:
            _bundled_fonts()
    return FACES[(bool(bold), bool(italic))][0]


def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """Width in points of `text` set on one line."""
    return pdfmetrics.stringWidth(text, measure_face(bold, italic), size)


@cache
def _shown(choice: FontChoice) -> frozenset[int]:
    """The code points every face of the embedded font and of the measuring font has a glyph for."""
    fonts = [pdfmetrics.getFont(name) for name in choice.names] + list(_bundled_fonts())
    codes = set(fonts[0].face.charToGlyph)
    for font in fonts[1:]:
        codes &= set(font.face.charToGlyph)
    return frozenset(codes)


def shown() -> frozenset[int]:
    """The code points the PDF can show (and the layout measure) with the embedded font."""
    return _shown(embedded())


def has_glyph(ch: str) -> bool:
    """Whether the PDF can show this character (line ends always pass)."""
    return ch == "\n" or ord(ch) in shown()


_DRAWING = threading.RLock()


@contextmanager
def drawing() -> Iterator[None]:
    """One PDF drawn at a time in the process. reportlab is not thread-safe: a registered TTFont keeps
    each document's subset state, and rl_config is global; two workers of the window drawing at once
    (a register preview and an issue) crashed the process in TTFont.makeSubset."""
    with _DRAWING:
        yield
