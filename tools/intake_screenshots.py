"""The intake dialog (Vào sổ văn bản đến) on each received PDF of the corpus, as the clerk sees it once
the fields are filled, at 100 % and 200 %.

    python3 tools/intake_screenshots.py OUT [--scales 1,2] [--simulate-contract] [FILE.pdf …]

By default the files are ../shared/corpus/received/*.pdf. Each scale runs in a process of its own
(QT_SCALE_FACTOR, Qt offscreen on a 1920×1080 screen, as tools/screenshots.py does; under xvfb-run
pass QT_QPA_PLATFORM=xcb) over a temporary register; nothing touches the clerk's files. PNGs go to
OUT/100/ and OUT/200/, one per file, named after it; each process prints the shots with their logical
size and the fields the dialog marked.

--simulate-contract adds to what the parser reads from a scan (`text_layer: false` in the corpus's
expected.json) the keys the parser is to give (`ocr`, `handwritten` for a missing number or date,
the symbol's "/CODE-UNIT" when its number is missing), to see the marks before the parser gives them;
those PNGs are named …-mo-phong.png.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from screenshots import SMALL, WINDOW, Shots, _screen_config, sample_register, settle  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "received"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--scales", default="1,2")
    parser.add_argument("--simulate-contract", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_intermixed_args(argv)
    files = [f.resolve() for f in args.files] or sorted(CORPUS.glob("*.pdf"))
    if not files:
        print(f"không có tệp PDF nào (thư mục mẫu: {CORPUS})", file=sys.stderr)
        return 2
    if args.child:
        return child(args.child, args.out, files, args.simulate_contract)
    failed = 0
    for scale in args.scales.split(","):
        folder = args.out / f"{round(float(scale) * 100)}"
        platform = os.environ.get("QT_QPA_PLATFORM") or f"offscreen:configfile={_screen_config(args.out)}"
        env = {**os.environ, "QT_SCALE_FACTOR": scale, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": platform}
        command = [sys.executable, __file__, str(folder), *map(str, files), "--child", scale]
        if args.simulate_contract:
            command.append("--simulate-contract")
        failed |= subprocess.run(command, env=env, cwd=ROOT, timeout=1800).returncode
    return failed


def simulate_contract() -> None:
    """Wrap the parser so that a corpus scan carries the keys the parser is to give (see the module's doc)."""
    from dirdesk.registers import intake_entry

    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8")) if CORPUS.is_dir() else []
    scans = {item["file"] for item in expected if not item.get("text_layer", True)}
    parse_file = intake_entry.parse_file

    def parse(path, *args, **kwargs):
        parsed = parse_file(path, *args, **kwargs)
        if Path(path).name in scans:
            issuer = parsed.get("issuer") or {}
            parsed["ocr"] = True
            parsed["handwritten"] = [name for name, missing in (("symbol", not (parsed.get("number")
                                                                              or parsed.get("symbol"))),
                                                                ("doc_date", not parsed.get("date"))) if missing]
            if "symbol" in parsed["handwritten"] and not parsed.get("symbol") and issuer.get("code"):
                parsed["symbol"] = "/" + "-".join(filter(None, [issuer["code"], issuer.get("unit")]))
        return parsed

    intake_entry.parse_file = parse


def marks_of(dialog) -> str:
    """The fields the dialog marked: unread (outlined) and to check (yellow), for the printed report."""
    from dirdesk.gui.intake import CHECK_STYLE

    marked = [(name, "vàng" if CHECK_STYLE in w.styleSheet() else "viền")
              for name, w in dialog._read_fields().items() if w.styleSheet()]
    line = ", ".join(f"{name} ({how})" for name, how in marked) or "không ô nào"
    return line + (" | viết tay" if dialog.handwritten.isVisible() else "")


def child(scale: str, folder: Path, files: list[Path], simulated: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="dirdesk-intake-shots-") as tmp:
        os.environ["DIRDESK_DATA_DIR"] = tmp
        os.environ["DIRDESK_DB"] = str(Path(tmp) / "dirdesk.sqlite")
        from dirdesk.gui.app import build_main_window, create_application
        from dirdesk.gui.intake import start_intake
        from dirdesk.gui.workers import wait_for_background

        if simulated:
            simulate_contract()
        app = create_application()
        registry = sample_register(Path(tmp) / "dirdesk.sqlite")
        window = build_main_window(registry, tmp)
        window.start(daily_backup=False)
        window.resize(*WINDOW.get(scale, SMALL))
        settle(300)
        shots = Shots(folder)
        for path in files:
            dialog = start_intake(window.context, path)
            settle(until=lambda d=dialog: d.ready, timeout_ms=120000)  # read, scanned pages recognised
            settle(600)  # the PDF preview drawn
            name = path.stem + ("-mo-phong" if simulated else "")
            shots.take(name, dialog)
            print(f"{folder.name}/{name}.png: {marks_of(dialog)}")
            dialog.close()
            settle(100)
        screen = app.primaryScreen().availableGeometry()
        larger = shots.report((screen.width(), screen.height()))
        wait_for_background()
        window.close()
        app.processEvents()
        window.context.registry.close()
    return 1 if larger else 0


if __name__ == "__main__":
    sys.exit(main())
