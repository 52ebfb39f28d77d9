"""A "Times New Roman" for the tests: the bundled Liberation Serif faces with their name table
renamed (fontTools), written under the file names Windows gives Times New Roman."""

from __future__ import annotations

from pathlib import Path

from dirdesk.resources import resource_path

# file name, bundled face, subfamily, PostScript name (Windows' Times New Roman)
FACES = (
    ("times.ttf", "LiberationSerif-Regular.ttf", "Regular", "TimesNewRomanPSMT"),
    ("timesbd.ttf", "LiberationSerif-Bold.ttf", "Bold", "TimesNewRomanPS-BoldMT"),
    ("timesi.ttf", "LiberationSerif-Italic.ttf", "Italic", "TimesNewRomanPS-ItalicMT"),
    ("timesbi.ttf", "LiberationSerif-BoldItalic.ttf", "Bold Italic", "TimesNewRomanPS-BoldItalicMT"),
)
POSTSCRIPT_NAMES = tuple(face[3] for face in FACES)


def make_times(folder: Path, *, family: str = "Times New Roman", widen: str = "") -> Path:
    """Write the four faces into `folder`; `widen` gives those characters a wider advance (a Times
    whose metrics do not agree with Liberation's)."""
    from fontTools.ttLib import TTFont  # the test extra (pyproject.toml)

    folder.mkdir(parents=True, exist_ok=True)
    for filename, bundled, subfamily, postscript in FACES:
        font = TTFont(str(resource_path("fonts", bundled)))
        names = {1: family, 2: subfamily, 3: f"{postscript} (DirDesk test)", 4: f"{family} {subfamily}".strip(),
                 6: postscript, 16: family, 17: subfamily}
        for record in font["name"].names:
            if record.nameID in names:
                record.string = names[record.nameID]
        cmap = font.getBestCmap()
        for ch in widen:
            glyph = cmap[ord(ch)]
            advance, lsb = font["hmtx"][glyph]
            font["hmtx"][glyph] = (advance + 100, lsb)
        font.save(str(folder / filename))
    return folder
