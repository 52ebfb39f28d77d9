"""Symbols, dates and the edition in force: the details a clerk checks first."""

import dataclasses
import datetime as dt

import pytest

from dirdesk.draft import load_draft
from dirdesk.rules import edition_in_force, rules_for
from dirdesk.symbols import date_text, number_line, place_date_line

from .conftest import FIXTURES


@pytest.fixture
def party():
    return load_draft(FIXTURES / "seed-000.json")


@pytest.fixture
def state():
    return load_draft(FIXTURES / "state-cong-van.json")


def line(draft, **changes):
    draft = dataclasses.replace(draft, **changes)
    return number_line(draft, rules_for(draft.style, draft.edition, draft.date))


def test_party_symbol(party):
    assert line(party) == "Số 66-CV/ĐU"
    assert line(party, number=5, type="HD") == "Số 05-HD/ĐU"
    assert line(party, number=127, type="QĐ") == "Số 127-QĐ/ĐU"


def test_party_blank_number(party):
    assert line(party, number=None) == "Số    -CV/ĐU"


def test_state_symbols(state):
    assert line(state, number=12) == "Số: 12/UBND-VP"
    assert line(state, number=5, type="QĐ") == "Số: 05/QĐ-UBND"
    assert line(state, number=None, type="QĐ") == "Số:       /QĐ-UBND"


def test_symbol_override(state):
    assert line(state, symbol="37/2007/QĐ-UBND") == "Số: 37/2007/QĐ-UBND"


def test_quy_dinh_abbreviation_follows_edition(party):
    assert line(party, type="QĐi", number=8, date=dt.date(2021, 1, 5)) == "Số 08-QĐi/ĐU"
    assert line(party, type="QĐi", number=8, date=dt.date(2026, 6, 1)) == "Số 08-QĐ/ĐU"


def test_dates(party):
    rules = rules_for("party", None, party.date)
    assert place_date_line(party, rules) == "Bách Quang, ngày 08 tháng 9 năm 2021"
    assert date_text(dt.date(2021, 1, 14), rules) == "ngày 14 tháng 01 năm 2021"
    assert date_text(dt.date(2022, 2, 21), rules) == "ngày 21 tháng 02 năm 2022"
    assert date_text(dt.date(2021, 12, 3), rules) == "ngày 03 tháng 12 năm 2021"
    assert date_text(None, rules, year=2026) == "ngày    tháng    năm 2026"


def test_edition_in_force():
    assert edition_in_force("party", dt.date(2021, 9, 8)) == "2018"
    assert edition_in_force("party", dt.date(2026, 5, 26)) == "2018"
    assert edition_in_force("party", dt.date(2026, 5, 27)) == "2026"
    assert edition_in_force("party", dt.date(2001, 1, 1)) == "2018"  # before them all: the oldest
    assert edition_in_force("state", dt.date(2026, 11, 1)) == "2020"


def test_explicit_edition_wins(party):
    assert rules_for("party", "2026", party.date).edition == "2026"
