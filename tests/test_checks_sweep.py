"""Every template and every draft fixture shows exactly the findings it is meant to show.

Templates hold blanks "[…]" on purpose (text.placeholder) and nothing else but the few
findings named below; a fixture's findings are declared in
tests/fixtures/drafts/expected-findings.toml (none when it is not named there), so
the drafts under mistakes/ are each caught with their exact codes.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from dirdesk.checks import ERROR, WARNING, check_draft
from dirdesk.draft import load_draft

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "drafts"
TEMPLATES = sorted((ROOT / "resources" / "templates").glob("*/*.json"))
DRAFTS = sorted(p for p in FIXTURES.rglob("*.json"))
EXPECT = tomllib.loads((FIXTURES / "expected-findings.toml").read_text(encoding="utf-8"))["expect"]
# Far enough ahead that no fixture's date is in the future; a null date still takes today's rules
# (the newest edition of each style), as when a clerk opens the template today.
TODAY = dt.date(2030, 1, 1)
# What a template shows besides its blanks, and why.
TEMPLATE_EXTRAS = {
    "state/ket-luan": {"type.not-listed"},  # kept for the record; NĐ 30 has no kết luận (types-state.toml)
}


def _key(path: Path, root: Path) -> str:
    return path.relative_to(root).with_suffix("").as_posix()


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: _key(p, p.parents[1]))
def test_template_shows_only_its_blanks(path):
    findings = check_draft(load_draft(path), today=TODAY)
    found = {f.code for f in findings}
    assert "text.placeholder" in found  # a template is a form to fill in: its blanks are caught
    assert found - {"text.placeholder"} <= TEMPLATE_EXTRAS.get(_key(path, path.parents[1]), set()), findings


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: _key(p, FIXTURES))
def test_fixture_shows_exactly_what_it_declares(path):
    findings = check_draft(load_draft(path), today=TODAY)
    assert [f.code for f in findings] == EXPECT.get(_key(path, FIXTURES), []), findings
    for f in findings:
        assert f.severity in (ERROR, WARNING) and f.field and f.message and f.source


def test_every_declared_fixture_exists_and_the_mistakes_are_ten_or_more():
    keys = {_key(p, FIXTURES) for p in DRAFTS}
    assert set(EXPECT) <= keys
    mistakes = [k for k in keys if k.startswith("mistakes/")]
    assert len(mistakes) >= 10 and all(EXPECT.get(k) for k in mistakes)  # each mistake is caught


def test_a_mistake_finding_cites_its_rule():
    """The clerk reads where each rule comes from: the article, Phụ lục item or 05-HD section."""
    cited = {f.code: f.source for p in DRAFTS if "mistakes" in p.parts
             for f in check_draft(load_draft(p), today=TODAY)}
    assert cited["preamble.grounds-punctuation"] == "Nghị định 30/2020/NĐ-CP, Phụ lục I mục II.6.a"
    assert cited["preamble.grounds-dash"] == "Hướng dẫn 05-HD/VPTW, mục 6.2.3"
    assert cited["signing.name-honorific"] == "Nghị định 30/2020/NĐ-CP, Phụ lục I mục II.7.c"
    assert cited["symbol.style"] == "Hướng dẫn 05-HD/VPTW, mục 3.2.2"
    assert all(", " in source for source in cited.values())  # every new check names its item
