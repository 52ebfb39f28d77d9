import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "drafts"
SEEDS = sorted(FIXTURES.glob("seed-*.json"))
STATE_FIXTURES = sorted(FIXTURES.glob("state-*.json"))
ALL_FIXTURES = SEEDS + STATE_FIXTURES


@pytest.fixture
def seed_dict():
    """A fresh, valid draft as a dict (seed 000) to spoil in tests."""
    return json.loads((FIXTURES / "seed-000.json").read_text(encoding="utf-8"))
