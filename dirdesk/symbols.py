"""Document symbols ("Số 66-CV/ĐU", "Số: 12/UBND-VP") and dates
("Bách Quang, ngày 08 tháng 9 năm 2021"), driven by the rule set."""

from __future__ import annotations

import datetime as dt

from dirdesk.draft import Draft
from dirdesk.rules import RuleSet


def pad_number(number: int) -> str:
    """Numbers under 10 get a leading zero (05-HD, NĐ 30)."""
    return f"{number:02d}"


def symbol_text(draft: Draft, rules: RuleSet, blank: str | None = None) -> str:
    """The symbol without "Số": "66-CV/ĐU", "05/QĐ-UBND", "12/UBND-VP".

    A draft without a number gets the rule's blank ("    -CV/ĐU"), or `blank`.
    """
    if draft.symbol:
        return draft.symbol
    number = pad_number(draft.number) if draft.number else (rules.symbol["blank_number"] if blank is None else blank)
    doc_type = rules.doc_type(draft.type)
    pattern = rules.symbol["cv_pattern"] if draft.type == "CV" else rules.symbol["pattern"]
    unit = draft.issuer.unit
    if "{unit}" in pattern and not unit:
        pattern = pattern.replace("-{unit}", "")
    issuer = draft.issuer.code
    if draft.co_issuer is not None:  # two bodies: "05-QC/BTCTU-BNCTU", lead body first (05-HD 3.1.2.b.iii)
        issuer += rules.symbol["joint_separator"] + draft.co_issuer.code
    return pattern.format(number=number, abbr=doc_type.abbr(rules.edition), issuer=issuer, unit=unit or "")


def number_line(draft: Draft, rules: RuleSet) -> str:
    """The printed line: "Số 66-CV/ĐU" (Party) or "Số: 12/UBND-VP" (state)."""
    return rules.symbol["number_label"] + symbol_text(draft, rules)


def date_parts(date: dt.date, rules: RuleSet) -> tuple[str, str, str]:
    day = f"{date.day:02d}" if date.day < rules.date["pad_day_below"] else str(date.day)
    month = f"{date.month:02d}" if date.month < rules.date["pad_month_below"] else str(date.month)
    return day, month, str(date.year)


def date_text(date: dt.date | None, rules: RuleSet, *, year: int | None = None) -> str:
    """"ngày 08 tháng 9 năm 2021"; with no date, blanks to fill in by hand and this year."""
    if date is None:
        day, month = rules.date["blank_day"], rules.date["blank_month"]
        yr = str(year or dt.date.today().year)
    else:
        day, month, yr = date_parts(date, rules)
    return f"ngày {day} tháng {month} năm {yr}"


def place_date_line(draft: Draft, rules: RuleSet, *, year: int | None = None) -> str:
    """"Bách Quang, ngày 08 tháng 9 năm 2021"."""
    return f"{draft.place}, {date_text(draft.date, rules, year=year)}"
