"""The values of the checks that the style's own rule file does not hold (resources/rules/checks.toml).

`check_values(rules)` is the table of the rule set ("party-2026", "state-2020"…);
a key it lacks turns its check off. `common()` is the [all] table.
"""

from __future__ import annotations

import tomllib
from functools import cache

from dirdesk.resources import resource_path
from dirdesk.rules import RuleSet


@cache
def _tables() -> dict:
    with open(resource_path("rules", "checks.toml"), "rb") as fh:
        return tomllib.load(fh)


def check_values(rules: RuleSet) -> dict:
    return _tables().get(f"{rules.style}-{rules.edition}", {})


def common() -> dict:
    return _tables().get("all", {})
