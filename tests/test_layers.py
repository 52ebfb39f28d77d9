"""The layers of pyproject's [tool.importlinter] hold: gui and cli on top, registers above intake, the
document core below them all (test_architecture.py keeps Qt out of the core beside this)."""

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    command = shutil.which("lint-imports")
    if command is None:
        pytest.fail("lint-imports is missing: pip install -e '.[test]'")
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([command, "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_layer_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_top_level_module_is_in_a_contract():
    named = set()
    for contract in CONFIG["contracts"]:
        for key in ("layers", "source_modules"):
            for entry in contract.get(key, []):
                named.update(part.strip() for part in entry.split("|"))
    found = {f"dirdesk.{p.stem if p.is_file() else p.name}" for p in (ROOT / "dirdesk").iterdir()
             if (p.suffix == ".py" and p.stem not in ("__init__", "__main__")) or (p / "__init__.py").exists()}
    assert found - named == set(), "a new module of dirdesk needs its place in pyproject's [tool.importlinter]"


@pytest.mark.parametrize("module, imports", [
    ("text.py", "import dirdesk.registers.search"),  # the core importing a register
    ("intake/parse.py", "import dirdesk.registers.incoming"),  # intake importing the registers
    ("registers/search.py", "import dirdesk.cli.common"),  # a register importing the command line
    ("cli/stamp.py", "import dirdesk.gui.workers"),  # the command line importing the window
])
def test_a_broken_layer_fails(tmp_path, module, imports):
    shutil.copytree(ROOT / "dirdesk", tmp_path / "dirdesk", ignore=shutil.ignore_patterns("__pycache__"))
    path = tmp_path / "dirdesk" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{imports}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout + result.stderr
