"""On Linux under X11 without the libraries of Qt's xcb plugin, DirDesk says which packages to install
and exits, instead of Qt's abort. The check runs without a display."""

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

from dirdesk.gui import platform_check
from dirdesk.gui.platform_check import XCB_LIBRARIES, message, missing_libraries, will_use_xcb, xcb_problem

ROOT = Path(__file__).resolve().parents[2]
X11 = {"DISPLAY": ":0"}
WANTED = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
          "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libxkbcommon-x11-0")


def test_the_packages_of_qt_xcb_are_all_checked():
    packages = {package for _, package in XCB_LIBRARIES}
    assert set(WANTED) <= packages


def test_missing_libraries_names_what_the_finder_lacks():
    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1"}
    assert missing_libraries(lambda soname: soname not in absent) == [
        ("libxcb-icccm.so.4", "libxcb-icccm4"), ("libxcb-keysyms.so.1", "libxcb-keysyms1")]
    assert missing_libraries(lambda soname: True) == []
    assert len(missing_libraries(lambda soname: False)) == len(XCB_LIBRARIES)


def test_xcb_is_checked_only_when_qt_will_use_it():
    assert will_use_xcb(X11, "linux")
    assert will_use_xcb({**X11, "QT_QPA_PLATFORM": "xcb"}, "linux")
    assert will_use_xcb({**X11, "QT_QPA_PLATFORM": "xcb:nomitshm"}, "linux")
    assert not will_use_xcb({**X11, "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not will_use_xcb({**X11, "QT_QPA_PLATFORM": "wayland"}, "linux")
    assert not will_use_xcb({**X11, "WAYLAND_DISPLAY": "wayland-0"}, "linux")  # Qt tries wayland first
    assert not will_use_xcb({}, "linux")  # no display: app.main says so itself
    assert not will_use_xcb(X11, "win32") and not will_use_xcb(X11, "darwin")
    assert not will_use_xcb({**X11, platform_check.SKIP_ENV: "1"}, "linux")


def test_the_message_is_vietnamese_with_the_apt_command():
    text = xcb_problem(X11, "linux", find=lambda soname: soname != "libxcb-cursor.so.0")
    assert text is not None and unicodedata.is_normalized("NFC", text)
    assert "sudo apt install libxcb-cursor0\n" in text and "libxcb-cursor.so.0" in text
    assert "thiếu thư viện" in text
    assert xcb_problem(X11, "linux", find=lambda soname: True) is None
    assert xcb_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", find=lambda soname: False) is None
    two = message([("a.so", "liba"), ("b.so", "libb"), ("c.so", "liba")])
    assert "sudo apt install liba libb\n" in two


def test_this_machines_libraries_are_found_by_the_loader():
    found = {soname for soname, _ in XCB_LIBRARIES if platform_check.loadable(soname)}
    if sys.platform.startswith("linux"):
        assert "libxcb.so.1" in found  # Qt's own libraries link it: it is there wherever the tests run
    assert not platform_check.loadable("libdirdesk-khong-co.so.9")


PROBE = r"""
import sys
from dirdesk.gui import app, platform_check
platform_check.loadable = lambda soname: soname != "libxcb-keysyms.so.1"
def no_qt(*args, **kwargs):
    raise SystemExit("the QApplication was made")
app.create_application = no_qt
sys.exit(app.main([]))
"""


def test_main_exits_with_the_message_before_any_qapplication(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY",
                                                            platform_check.SKIP_ENV)}
    env.update(DISPLAY=":99", DIRDESK_DATA_DIR=str(tmp_path), DIRDESK_DB=str(tmp_path / "dirdesk.sqlite"),
               PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    if not sys.platform.startswith("linux"):
        return
    assert out.returncode == 3, out.stderr
    assert "sudo apt install libxcb-keysyms1" in out.stderr
    assert "QApplication was made" not in out.stderr
    assert not (tmp_path / "dirdesk.sqlite").exists()  # nothing opened
