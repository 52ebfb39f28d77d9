"""The benchmark scripts' modules (benchmarks/*.py, benchmarks/intake/*.py) for the tests that
reuse their code: loaded from their files once, by name."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    """benchmarks/NAME.py or benchmarks/intake/NAME.py as module NAME (as the scripts import them)."""
    if name not in sys.modules:
        path = BENCH / f"{name}.py"
        path = path if path.exists() else BENCH / "intake" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
