"""Before the QApplication: on Linux under X11, are the libraries Qt's xcb plugin needs installed?

Without them Qt prints "could not load the Qt platform plugin xcb" and aborts
(a core dump, no window, nothing the clerk can act on). `xcb_problem()` looks
for them first and returns a Vietnamese message naming the Debian/Ubuntu
packages to install, or None when all is there or xcb will not be used.
Nothing here imports Qt.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# What libQt6XcbQpa and the xcb plugin link against: (soname, Debian/Ubuntu package).
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-render.so.0", "libxcb-render0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-shm.so.0", "libxcb-shm0"),
    ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-util.so.1", "libxcb-util1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxcb.so.1", "libxcb1"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libX11.so.6", "libx11-6"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
)
SKIP_ENV = "DIRDESK_SKIP_QT_CHECK"  # =1: start anyway (the check is wrong about this machine)


def loadable(soname: str) -> bool:
    """True when the dynamic loader finds `soname` (as Qt's plugin will look for it)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(find: Callable[[str], bool] | None = None) -> list[tuple[str, str]]:
    """The (soname, package) pairs of XCB_LIBRARIES that `find(soname)` (default: `loadable`) does not find."""
    find = find or loadable
    return [(soname, package) for soname, package in XCB_LIBRARIES if not find(soname)]


def will_use_xcb(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Qt will pick its xcb plugin: Linux, an X display, and QT_QPA_PLATFORM unset or xcb. A Wayland
    session with QT_QPA_PLATFORM unset goes to the wayland plugin first, so it is not checked."""
    if not platform.startswith("linux") or not environ.get("DISPLAY") or environ.get(SKIP_ENV) == "1":
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def message(missing: list[tuple[str, str]]) -> str:
    packages = " ".join(dict.fromkeys(package for _, package in missing))
    names = ", ".join(soname for soname, _ in missing)
    return ("DirDesk chưa mở được cửa sổ: máy còn thiếu thư viện giao diện X11 mà Qt cần "
            f"({names}).\n\nTrên Debian/Ubuntu, cài chúng bằng lệnh:\n\n    sudo apt install {packages}\n\n"
            "rồi mở lại DirDesk. Các lệnh dòng lệnh vẫn dùng được: dirdesk --help\n")


def xcb_problem(environ: Mapping[str, str] = os.environ, platform: str = sys.platform,
                find: Callable[[str], bool] | None = None) -> str | None:
    """The message to print instead of Qt's abort, or None to go on."""
    if not will_use_xcb(environ, platform):
        return None
    missing = missing_libraries(find)
    return message(missing) if missing else None
