import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "drafts"
SEEDS = sorted(FIXTURES.glob("seed-*.json"))
STATE_FIXTURES = sorted(FIXTURES.glob("state-*.json"))
PARTY_FIXTURES = sorted(FIXTURES.glob("party-*.json"))
ALL_FIXTURES = SEEDS + STATE_FIXTURES + PARTY_FIXTURES


@pytest.fixture
def seed_dict():
    """A fresh, valid draft as a dict (seed 000) to spoil in tests."""
    return json.loads((FIXTURES / "seed-000.json").read_text(encoding="utf-8"))


@pytest.fixture
def registry(tmp_path):
    """A new, empty register file in a temporary folder."""
    from dirdesk.registers import open_registry

    reg = open_registry(tmp_path / "so.sqlite")
    yield reg
    reg.close()


def fixture_draft(name: str, **changes):
    """A fixture draft (tests/fixtures/drafts/NAME.json) with fields replaced; number cleared unless given."""
    import dataclasses

    from dirdesk.draft import load_draft

    draft = load_draft(FIXTURES / f"{name}.json")
    changes.setdefault("number", None)
    return dataclasses.replace(draft, **changes)


@pytest.fixture
def db(tmp_path):
    """The path of a register file (not yet created) for `--db`."""
    return str(tmp_path / "so.sqlite")


def run(capsys, *argv):
    """Run `dirdesk ARGV…` in this process: (exit code, stdout, stderr)."""
    from dirdesk.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err
