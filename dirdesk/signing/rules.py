"""The digital signature's rule data (resources/rules/e-signature.toml)."""

from __future__ import annotations

import tomllib
from functools import cache

from dirdesk.resources import resource_path


@cache
def signing_rules() -> dict:
    with resource_path("rules", "e-signature.toml").open("rb") as fh:
        return tomllib.load(fh)
