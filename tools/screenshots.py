"""Screenshots of every section and main dialog at 100 % and 200 %, to look for what is cut or cramped.

    python3 tools/screenshots.py OUT_DIR [--scales 1,2] [--received FILE.pdf]

Each scale runs in a process of its own (QT_SCALE_FACTOR=1, 2; Qt offscreen,
on a 1920×1080 screen) over a temporary register with sample entries, made
through the core API; nothing touches the clerk's files. The window is
1180×760 logical px at 100 % (its size on a 1920×1080 screen) and 960×540 at
200 % (the whole of a 1920×1080 screen). PNGs go to OUT_DIR/100/ and
OUT_DIR/200/; each process prints its shots with their logical sizes and
flags a dialog larger than 960×540.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL = (960, 540)
WINDOW = {"1": (1180, 760), "2": SMALL}
OUTGOING = [("CV", "về việc chuẩn bị Đại hội chi bộ nhiệm kỳ 2025 - 2027"),
            ("TB", "kết luận của Ban Thường vụ Đảng ủy tại hội nghị tháng 11"),
            ("KH", "tổ chức học tập, quán triệt nghị quyết Đại hội đại biểu Đảng bộ phường")]
INCOMING = [("Thành ủy Sông Công", "45-CV/TU", "CV", "về việc tổng kết công tác xây dựng Đảng năm 2026", 3),
            ("UBND thành phố Sông Công", "1234/UBND-VP", "CV", "về việc rà soát hộ nghèo, hộ cận nghèo", -2),
            ("Ban Tổ chức Thành ủy", "12-HD/BTCTU", "HD", "hướng dẫn đánh giá, xếp loại chất lượng tổ chức đảng",
             None)]


# --- the parent: one process a scale -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scales", default="1,2")
    parser.add_argument("--received", type=Path, help="a received PDF for the intake dialog")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.out, args.received)
    failed = 0
    for scale in args.scales.split(","):
        folder = args.out / f"{round(float(scale) * 100)}"
        env = {**os.environ, "QT_SCALE_FACTOR": scale, "PYTHONPATH": str(ROOT),
               "QT_QPA_PLATFORM": f"offscreen:configfile={_screen_config(args.out)}"}
        command = [sys.executable, __file__, str(folder), "--child", scale]
        if args.received:
            command += ["--received", str(args.received)]
        failed |= subprocess.run(command, env=env, cwd=ROOT, timeout=900).returncode
    return failed


def _screen_config(out: Path) -> Path:
    """The offscreen platform's screen: 1920×1080 physical pixels (QT_SCALE_FACTOR makes the logical size)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "offscreen-screen.json"
    path.write_text(json.dumps({"screens": [{"name": "1080p", "x": 0, "y": 0, "width": 1920, "height": 1080,
                                             "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    return path


# --- the child: the register, the window, the shots ---------------------------------------------------------


def settle(ms: int = 150, until=None, timeout_ms: int = 20000) -> None:
    """Run the event loop for `ms`, or until `until()` is true (at most `timeout_ms`)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + (timeout_ms if until else ms) / 1000
    while time.monotonic() < end:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        QApplication.processEvents()
        if until is not None and until():
            break
    QApplication.processEvents()


def sample_register(path: Path):
    from dirdesk.draft import draft_from_dict
    from dirdesk.registers import incoming, open_registry, outgoing
    from dirdesk.registers.profile import load_profile, set_profile_value
    from dirdesk.templates import draft_from_profile

    registry = open_registry(path)
    sys.path.insert(0, str(ROOT))
    from tests.blanks import fill_blanks  # issued documents have their template's blanks filled in
    from tests.gui.conftest import PARTY_PROFILE  # the tests' ward Party committee

    for key, value in PARTY_PROFILE.items():
        set_profile_value(registry, key, value)
    profile = load_profile(registry)
    for code, subject in OUTGOING:
        data = fill_blanks(draft_from_profile(profile, code).to_dict())
        data["subject"] = subject
        outgoing.issue(registry, draft_from_dict(data), render=False)
    outgoing.reserve(registry, "CV")
    today = dt.date.today()
    for author, symbol, code, subject, due in INCOMING:
        deadline = today + dt.timedelta(days=due) if due is not None else None
        incoming.add(registry, incoming.IncomingEntry(received_date=today - dt.timedelta(days=5), author=author,
                                                      symbol=symbol, doc_date=today - dt.timedelta(days=7),
                                                      type=code, subject=subject, deadline=deadline))
    return registry


class Shots:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.taken: list[tuple[str, int, int]] = []

    def take(self, name: str, widget) -> None:
        settle()
        widget.grab().save(str(self.folder / f"{name}.png"))
        self.taken.append((name, widget.width(), widget.height()))

    def report(self, screen: tuple[int, int]) -> int:
        """Print the shots; the count of those larger than the screen (logical px)."""
        larger = 0
        for name, width, height in self.taken:
            too_big = width > screen[0] or height > screen[1]
            larger += too_big
            flag = "  <-- larger than the screen" if too_big else ""
            print(f"{self.folder.name}/{name}.png  {width}×{height}{flag}")
        return larger


def shoot_sections(window, shots: Shots) -> None:
    from PySide6.QtWidgets import QTabWidget

    from dirdesk.gui.sections import SECTIONS

    drafting = window.show_section("drafting")
    shots.take("01-soan-thao-trong", window)
    from dirdesk.registers.profile import load_profile
    from dirdesk.templates import draft_from_profile

    data = draft_from_profile(load_profile(window.context.registry), "CV").to_dict()
    data["subject"] = "về việc chuẩn bị Đại hội chi bộ nhiệm kỳ 2025 - 2027"
    drafting.load_data(data)
    settle(until=lambda: drafting.preview.pdf_bytes is not None and not drafting.preview.busy)
    shots.take("02-soan-thao", window)
    for index, spec in enumerate(SECTIONS[1:], start=3):
        window.show_section(spec.key)
        settle(400)
        shots.take(f"{index:02d}-{spec.key}", window)
    tabs = window.section("settings").findChild(QTabWidget, "tabs")
    for index in range(1, tabs.count()):
        tabs.setCurrentIndex(index)
        shots.take(f"09-settings-tab{index + 1}", window)
    tabs.setCurrentIndex(0)


def shoot_dialogs(window, shots: Shots, received: Path | None, empty_registry) -> None:
    from dirdesk.gui.drafting.newdoc import NewDocumentDialog
    from dirdesk.gui.registers.entry_incoming import IncomingEntryDialog
    from dirdesk.gui.registers.entry_outgoing import OutgoingEntryDialog
    from dirdesk.gui.registers.import_dialog import ImportDialog
    from dirdesk.gui.registers.reserve import ReserveDialog
    from dirdesk.gui.settings import FirstRunDialog
    from dirdesk.registers import incoming, outgoing

    context = window.context
    first_out = outgoing.list_rows(context.registry)[0]["id"]
    first_in = incoming.list_rows(context.registry)[0]["id"]
    dialogs = [("20-vb-di-mo-dong", lambda: OutgoingEntryDialog(context, first_out, window)),
               ("21-vb-den-mo-dong", lambda: IncomingEntryDialog(context, first_in, window)),
               ("22-vb-den-them", lambda: IncomingEntryDialog(context, None, window)),
               ("23-lay-so-truoc", lambda: ReserveDialog(context, window)),
               ("24-nhap-so-cu", lambda: ImportDialog(context, "incoming", window)),
               ("25-van-ban-moi", lambda: NewDocumentDialog("party", window).dialog),
               ("26-thiet-lap-co-quan", lambda: FirstRunDialog(empty_registry, window))]
    for name, make in dialogs:
        dialog = make()
        dialog.show()
        shots.take(name, dialog)
        dialog.close()
        dialog.deleteLater()
    if received is not None:
        from dirdesk.gui.intake import start_intake

        dialog = start_intake(context, received)
        settle(until=lambda: dialog.ready, timeout_ms=60000)  # read, scanned pages recognised
        shots.take("27-vao-so-van-ban-den", dialog)
        dialog.close()


def _received_pdf(given: Path | None) -> Path | None:
    if given is not None:
        return given
    for folder in (ROOT.parent / "shared" / "corpus" / "received", ROOT.parents[1] / "shared" / "corpus" / "received"):
        found = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
        if found:
            return found[0]
    return None


def child(scale: str, folder: Path, received: Path | None) -> int:
    with tempfile.TemporaryDirectory(prefix="dirdesk-shots-") as tmp:
        os.environ["DIRDESK_DATA_DIR"] = tmp
        os.environ["DIRDESK_DB"] = str(Path(tmp) / "dirdesk.sqlite")
        from dirdesk.gui.app import build_main_window, create_application
        from dirdesk.gui.workers import wait_for_background
        from dirdesk.registers import open_registry

        app = create_application()
        registry = sample_register(Path(tmp) / "dirdesk.sqlite")
        empty = open_registry(Path(tmp) / "trong.sqlite")
        window = build_main_window(registry, tmp)
        window.start(daily_backup=False)
        window.resize(*WINDOW.get(scale, SMALL))
        settle(300)
        shots = Shots(folder)
        print(f"scale {scale}: device pixel ratio {window.devicePixelRatioF()}, window {window.width()}×"
              f"{window.height()} (minimum {window.minimumSizeHint().width()}×{window.minimumSizeHint().height()})")
        shoot_sections(window, shots)
        shoot_dialogs(window, shots, _received_pdf(received), empty)
        screen = app.primaryScreen().availableGeometry()
        larger = shots.report((screen.width(), screen.height()))
        wait_for_background()
        window.close()
        app.processEvents()
        window.context.registry.close()
        empty.close()
    return 1 if larger else 0


if __name__ == "__main__":
    sys.exit(main())
