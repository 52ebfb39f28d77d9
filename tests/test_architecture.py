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


# One implementation of each helper: where each lives, and the other definitions of the name
# that are something else on purpose (module: why).
HELPERS = {
    "fold": "dirdesk.text",
    "fold_with_map": "dirdesk.text",
    "one_line": "dirdesk.text",
    "safe_file_name": "dirdesk.text",
    "human_size": "dirdesk.text",
    "date_text": "dirdesk.dates",
    "parse_typed_date": "dirdesk.dates",
    "full_year": "dirdesk.dates",
}
NOT_COPIES = {
    ("date_text", "dirdesk.symbols"): "the document's own date line, 'Bách Quang, ngày 08 tháng 9 năm 2021'",
}


def _delegates(node: ast.FunctionDef, name: str) -> bool:
    """A definition that only hands over to the helper (a property `date_text` calling date_text)."""
    return any(isinstance(n, ast.Call) and getattr(n.func, "id", getattr(n.func, "attr", None)) == name
               for n in ast.walk(node))


def all_modules():
    for path in sorted((ROOT / "dirdesk").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        yield ".".join(part for part in rel.parts if part != "__init__"), path


def test_each_text_and_date_helper_is_defined_once():
    """No package keeps its own fold, safe_file_name, date_text, parse_typed_date…: a copy named like
    one (with or without a leading underscore, as a function, a method or a lambda) fails here."""
    copies = []
    for module, path in all_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                defined = [(node.name, node)]
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                defined = [(t.id, node) for t in node.targets if isinstance(t, ast.Name)]
            else:
                continue
            for name, where in defined:
                helper = name.lstrip("_")
                if helper not in HELPERS or HELPERS[helper] == module or (helper, module) in NOT_COPIES:
                    continue
                if isinstance(where, ast.FunctionDef) and _delegates(where, helper):
                    continue
                copies.append(f"{module}:{where.lineno} {name} (use {HELPERS[helper]}.{helper})")
    assert copies == []


def test_diacritics_are_stripped_only_by_the_one_folding():
    """Removing combining marks is how a fold is written: only dirdesk.text does it, and the places that
    look at combining marks for another reason are named here with it."""
    reasons = {"dirdesk.gui.search": "a highlighted match takes in the marks typed after it (NFD)"}
    found = sorted(module for module, path in all_modules()
                   if "combining(" in path.read_text(encoding="utf-8") and module != "dirdesk.text")
    assert found == sorted(reasons)


def _gui_sources():
    for path in sorted((ROOT / "dirdesk" / "gui").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def _names_used(source: str) -> set[str]:
    tree = ast.parse(source)
    return ({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)})


def test_every_message_box_goes_through_the_dialogs_module():
    """Qt's own buttons say "Yes"/"Cancel": only dirdesk/gui/dialogs.py makes message boxes (with
    Vietnamese buttons)."""
    offenders = [name for name, source in _gui_sources()
                 if name != "dirdesk/gui/dialogs.py" and {"QMessageBox", "QInputDialog"} & _names_used(source)]
    assert offenders == []


def test_the_window_connects_to_the_register_only_through_the_operations():
    """A worker's own register connection is made in one place (dirdesk/gui/operations.py), so every
    register action of the window has the one error path and tells every section; the window's own
    connection is opened at start and reopened after a restore (app.py, main_window.py)."""
    allowed = {"open_job_registry": {"dirdesk/gui/operations.py", "dirdesk/gui/workers.py"},
               "open_registry": {"dirdesk/gui/app.py", "dirdesk/gui/main_window.py", "dirdesk/gui/workers.py"}}
    offenders = [(name, what) for name, source in _gui_sources() for what, places in allowed.items()
                 if what in _names_used(source) and name not in places]
    assert offenders == []


def test_sections_and_the_window_are_not_probed():
    """The section contract and the window's services are typed (dirdesk.gui.sections): nothing asks
    whether the window or a section happens to have a method."""
    probe = ("getattr(window", "hasattr(window", "getattr(self.context", "hasattr(self.context",
             "getattr(context", "getattr(widget", "getattr(current", "getattr(section", "context.extras")
    offenders = [(name, p) for name, source in _gui_sources() for p in probe if p in source]
    assert offenders == []


def test_the_window_writes_no_sql():
    """The register's SQL lives in the core (dirdesk/registers); the window calls its functions."""
    offenders = [name for name, source in _gui_sources()
                 if any(word in source for word in ('"SELECT ', '"INSERT ', '"UPDATE ', '"DELETE ', ".execute("))]
    assert offenders == []
