"""Where Tesseract is when it is not on PATH: the copy bundled with DirDesk's Windows build,
or the usual folder of the Windows installer.

The Windows build (build.spec, README "Windows bundle") carries a `tesseract/` folder:
tesseract.exe with its DLLs, and `tessdata/` with vie.traineddata and osd.traineddata. In the
frozen program it lies under `sys._MEIPASS` (PyInstaller's folder of data, `_internal/` next
to DirDesk.exe) or beside the executable. `configure()` finds it and points pytesseract at it
(`pytesseract.pytesseract.tesseract_cmd`), sets TESSDATA_PREFIX to its tessdata folder, and puts
the folder first on PATH, so that `shutil.which("tesseract")` (ocr.unavailable) finds it too.
Out of a bundle, a Tesseract on PATH is left as it is; only when there is none is the UB
Mannheim installer's folder (`C:\\Program Files\\Tesseract-OCR`) tried, which that installer
does not put on PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

BUNDLE_FOLDER = "tesseract"  # the folder build.spec copies Tesseract into

__all__ = ["BUNDLE_FOLDER", "bundled_folder", "configure"]


def _program() -> str:
    return "tesseract.exe" if sys.platform.startswith("win") else "tesseract"


def bundled_folder() -> Path | None:
    """The folder of the Tesseract bundled with a frozen DirDesk, or None (not frozen, none there)."""
    if not getattr(sys, "frozen", False):
        return None
    roots = [Path(sys._MEIPASS)] if getattr(sys, "_MEIPASS", None) else []
    roots.append(Path(sys.executable).resolve().parent)
    for root in roots:
        folder = root / BUNDLE_FOLDER
        if (folder / _program()).is_file():
            return folder
    return None


def _installed_folder() -> Path | None:
    """The Windows installer's folder when Tesseract is not on PATH (it does not add itself)."""
    if not sys.platform.startswith("win") or shutil.which("tesseract"):
        return None
    for base in (os.environ.get("ProgramFiles"), os.environ.get("ProgramFiles(x86)"),
                 os.environ.get("LOCALAPPDATA") and str(Path(os.environ["LOCALAPPDATA"]) / "Programs")):
        if base and (Path(base) / "Tesseract-OCR" / _program()).is_file():
            return Path(base) / "Tesseract-OCR"
    return None


def configure() -> str | None:
    """Point pytesseract (and PATH, TESSDATA_PREFIX) at the bundled Tesseract, or at the Windows
    installer's when none is on PATH. Returns the program's path, or None when there is no such
    copy and the Tesseract on PATH, if any, is used as it is. Cheap: call it before each use."""
    folder = bundled_folder() or _installed_folder()
    if folder is None:
        return None
    program = str(folder / _program())
    path = os.environ.get("PATH", "")
    if str(folder) not in path.split(os.pathsep):
        os.environ["PATH"] = str(folder) + (os.pathsep + path if path else "")
    if (folder / "tessdata").is_dir():
        os.environ["TESSDATA_PREFIX"] = str(folder / "tessdata")
    try:
        import pytesseract
    except ImportError:  # ocr.unavailable() says so
        return program
    pytesseract.pytesseract.tesseract_cmd = program
    return program
