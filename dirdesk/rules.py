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
    sizes: tuple[float, ...] = ()  # the sizes the rule allows, when the builder picks one (largest that fits)
    frames: dict | None = field(default=None, hash=False)  # framed mark: text -> [width_mm, height_mm]
    frame: dict | None = field(default=None, hash=False)  # its border, thickness, gap_mm, color
    own_line: bool = False  # "Kính gửi:" on a line of its own above several recipients
    label_indent_mm: float = 0  # where that line starts, from the left margin
    items_indent_mm: float = 0  # where the recipients start

    def __post_init__(self):
        object.__setattr__(self, "sizes", tuple(self.sizes))

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
    header_date: bool = True  # False: no place-date line in the header (the time is in the body)
    abbr_by_edition: dict = field(default_factory=dict)
    subject: bool = True  # False: the title has no trích yếu (NĐ 30 Phụ lục III Mẫu 1.8, 1.10)
    numbered: bool = True  # False: no "Số …" line (thư công: no abbreviation in Phụ lục III)
    issuer_code: str | None = None  # the type is the act of another body of the office (state NQ: HĐND)
    authority_note: str | None = None  # what is unconfirmed about who may issue it (399-QĐ/TW)
    issued_with: str | None = None  # the type of the decision it is issued with (NĐ 30: quy chế, quy định)

    def abbr(self, edition: str) -> str:
        return self.abbr_by_edition.get(edition, self.code)

    def choice_label(self, edition: str) -> str:
        """How lists name the type: "Quy định (QĐ)" under 05-HD, "Thư công (không số)"."""
        name = self.label[:1].upper() + self.label[1:]
        return f"{name} ({self.abbr(edition) if self.numbered else 'không số'})"


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
    font_cite: str = ""  # where the rule text requires the font (a finding about the font cites it)
    attached: dict = field(default_factory=dict)  # documents issued with a decision, phụ lục
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
        font_cite=data.get("font_cite", ""),
        attached=data.get("attached", {}),
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


def editions_note(style: str, on: dt.date | None = None) -> str:
    """The rules in force and those they replaced, for the clerk: "Hướng dẫn 05-HD/VPTW, từ 27/05/2026;
    Hướng dẫn 36-HD/VPTW cho văn bản trước ngày đó"."""
    current = load_rules(style, edition_in_force(style, on))
    older = [r for r in (load_rules(style, e) for e in editions(style)) if r.in_force_from < current.in_force_from]
    note = f"{current.source}, từ {current.in_force_from:%d/%m/%Y}"
    if older:
        note += f"; {older[-1].source} cho văn bản trước ngày đó"
    return note
