"""What the DOCX and PDF read-back tests both expect, computed from the raw
rule files and the draft independently of the renderer."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
import unicodedata
from pathlib import Path

from dirdesk.draft import Draft

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "drafts"
PATHS = sorted(FIXTURES.glob("*.json"))
RULES_DIR = ROOT / "resources" / "rules"


def main_part(draft: Draft) -> Draft:
    """The draft without its attachments: the document-wide read-back tests look at the decision
    itself; tests/test_attached.py reads back what is laid out after it."""
    return dataclasses.replace(draft, attachments=[])


def rule_data(draft: Draft) -> dict:
    """The raw rule file in force for the draft: its edition, else the newest in force on its date."""
    files = [tomllib.loads(p.read_text("utf-8")) for p in RULES_DIR.glob(f"{draft.style}-*.toml")]
    if draft.edition:
        return next(f for f in files if f["edition"] == draft.edition)
    files.sort(key=lambda f: f["in_force_from"])
    on = (draft.date or dt.date.today()).isoformat()
    return ([f for f in files if f["in_force_from"] <= on] or files)[-1]


def header_date(draft: Draft) -> bool:
    """Does the draft's type print the place-date line in the header (types-*.toml `header_date`)?"""
    types = tomllib.loads((RULES_DIR / f"types-{draft.style}.toml").read_text("utf-8"))["types"]
    return next(t for t in types if t["code"] == draft.type).get("header_date", True)


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text.upper())


def lines(text: str | None) -> list[str]:
    return [t.strip() for t in text.split("\n") if t.strip()] if text else []


def place_date(draft: Draft, rules: dict) -> str:
    d, r = draft.date, rules["date"]
    day = f"{d.day:02d}" if d.day < r["pad_day_below"] else str(d.day)
    month = f"{d.month:02d}" if d.month < r["pad_month_below"] else str(d.month)
    return r["pattern"].format(place=draft.place, day=day, month=month, year=d.year)
