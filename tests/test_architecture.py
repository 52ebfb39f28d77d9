"""The core never imports Qt: only a GUI package may (Anki's pylib/aqt split)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "qtpy")


def core_modules():
    for path in sorted((ROOT / "dirdesk").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "gui" in rel.parts:
            continue
        yield ".".join(part for part in rel.parts if part != "__init__"), path


def test_core_source_names_no_qt():
    offenders = []
    for name, path in core_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            offenders += [f"{name}: {n}" for n in names if n.split(".")[0] in QT]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    modules = [name for name, _ in core_modules() if name != "dirdesk.__main__"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_the_window_imports_nothing_from_the_command_line():
    import re

    gui = ROOT / "dirdesk" / "gui"
    offenders = [str(path.relative_to(ROOT)) for path in gui.rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+dirdesk\.cli\b", path.read_text(encoding="utf-8"), re.M)]
    assert offenders == []
