"""Rule sets as data: one TOML file per style and edition under resources/rules.

A rule set tells the layout everything it needs (page, sizes, weights,
spacing, punctuation, prefixes); nothing about the official format is decided
in code. `rules_for(style, edition, date)` picks the edition in force.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache

from dirdesk.resources import resource_path

STYLES = ("party", "state")
MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class ElementStyle:
    """How one element (role) of a document is printed."""

    size: float = 14
    bold: bool = False
    italic: bool = False
    underline: bool = False
    align: str = "left"
    line: float | None = None  # exact line height in pt; None = single (1.15 x size)
    space_before: float = 0
    space_after: float = 0
    first_indent_mm: float = 0
    rule: str | float | None = None  # "text" or a fraction of the text width
    text: str | None = None  # fixed wording, e.g. "Nơi nhận:"
    label_italic: bool = False
    single_centered: bool = False

    @property
    def line_height(self) -> float:
        return self.line if self.line else round(self.size * 1.15, 2)


@dataclass(frozen=True)
class DocType:
    code: str
    name: str
    label: str
    slug: str
    purpose: str
    print_name: bool = True
    address: str | None = None
    cc_first: str | None = None
    listed: bool = True
    abbr_by_edition: dict = field(default_factory=dict)

    def abbr(self, edition: str) -> str:
        return self.abbr_by_edition.get(edition, self.code)


@dataclass(frozen=True)
class RuleSet:
    style: str
    edition: str
    source: str
    in_force_from: dt.date
    font: str
    page: dict
    symbol: dict
    date: dict
    recipients: dict
    cc: dict
    signing: dict
    header: dict
    signature: dict
    elements: dict[str, ElementStyle]
    types: dict[str, DocType]
    marks: dict = field(default_factory=dict)  # the optional marks' wording and places ([marks])

    def element(self, role: str) -> ElementStyle:
        return self.elements[role]

    def doc_type(self, code: str) -> DocType:
        return self.types[code]

    @property
    def label(self) -> str:
        return f"{self.source} ({self.style} {self.edition})"


def _load_toml(name: str) -> dict:
    with open(resource_path("rules", name), "rb") as fh:
        return tomllib.load(fh)


@cache
def doc_types(style: str) -> dict[str, DocType]:
    """The document types of a style, by code, in the data file's order."""
    if style not in STYLES:
        raise KeyError(style)
    data = _load_toml(f"types-{style}.toml")
    return {t["code"]: DocType(**t) for t in data["types"]}


@cache
def editions(style: str) -> tuple[str, ...]:
    """The editions known for a style, oldest first."""
    found = []
    for path in resource_path("rules").glob(f"{style}-*.toml"):
        found.append(path.stem.split("-", 1)[1])
    return tuple(sorted(found))


@cache
def load_rules(style: str, edition: str) -> RuleSet:
    data = _load_toml(f"{style}-{edition}.toml")
    elements = {name: ElementStyle(**spec) for name, spec in data["elements"].items()}
    return RuleSet(
        style=data["style"],
        edition=data["edition"],
        source=data["source"],
        in_force_from=dt.date.fromisoformat(data["in_force_from"]),
        font=data["font"],
        page=data["page"],
        symbol=data["symbol"],
        date=data["date"],
        recipients=data["recipients"],
        cc=data["cc"],
        signing=data["signing"],
        header=data["header"],
        signature=data["signature"],
        elements=elements,
        types=doc_types(style),
        marks=data.get("marks", {}),
    )


def edition_in_force(style: str, on: dt.date | None) -> str:
    """The edition in force on a date: today's when None, the oldest before them all."""
    on = on or dt.date.today()
    known = [load_rules(style, e) for e in editions(style)]
    known.sort(key=lambda r: r.in_force_from)
    chosen = known[0]
    for rules in known:
        if rules.in_force_from <= on:
            chosen = rules
    return chosen.edition


def rules_for(style: str, edition: str | None, on: dt.date | None) -> RuleSet:
    return load_rules(style, edition or edition_in_force(style, on))
