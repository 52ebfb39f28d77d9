"""Where the resource files (rules, templates, fonts) live.

In a source checkout or an editable install they sit in `resources/` at the
top of the repository; a wheel installs them as the package `dirdesk_resources`;
a PyInstaller bundle unpacks them under `sys._MEIPASS/resources`.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resource_dir() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    try:
        import dirdesk_resources  # here: optional, there only when installed from a wheel

        candidates.extend(Path(p) for p in dirdesk_resources.__path__)
    except ImportError:
        pass
    for path in candidates:
        if (path / "rules").is_dir():
            return path
    looked = ", ".join(map(str, candidates))
    raise FileNotFoundError(f"DirDesk resources not found (looked in: {looked})")


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
