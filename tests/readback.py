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


def drafter_line(draft: Draft, rules: dict) -> str | None:
    """The drafter's mark and copy count as the rule file words it ("NguyenVanAn-26", "PL.(300)")."""
    m, marks = draft.marks, rules.get("marks", {})
    if not (m.drafter and m.copies) or "drafter" not in marks:
        return None
    drafter = upper(m.drafter) if marks.get("drafter_upper") else m.drafter
    return marks["drafter"].format(drafter=drafter, copies=m.copies)


def draft_mark_line(draft: Draft, rules: dict) -> str | None:
    """"Dự thảo lần 2", where the rules have a draft mark (NĐ 30 has none)."""
    marks = rules.get("marks", {})
    if not draft.marks.draft_round or "draft" not in marks or "draft_mark" not in rules["elements"]:
        return None
    return marks["draft"].format(n=draft.marks.draft_round)


def trailing_mark_paragraphs(draft: Draft, rules: dict) -> int:
    """How many body paragraphs follow the signature: the contact rule and lines, "Không phổ biến …"."""
    n = 0
    if draft.marks.contact and "contact" in rules["elements"] and not contact_at_page_one_foot(rules):
        n += len(lines(draft.marks.contact)) + (1 if rules["marks"].get("contact_rule") else 0)
    if draft.marks.no_media and "no_media" in rules["elements"]:
        n += 1
    return n


def contact_at_page_one_foot(rules: dict) -> bool:
    """NĐ 30 Phụ lục I II.4: the contact lines "ở trang thứ nhất", at the foot (sơ đồ ô 13)."""
    return rules.get("marks", {}).get("contact_place") == "first_page_foot"
