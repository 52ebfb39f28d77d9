"""One reader of typed dates and one folding of text, used by every dialog, import and search."""

import datetime as dt

import pytest

from dirdesk.dates import DateError, date_text, full_year, parse_typed_date
from dirdesk.registers.importing import _date, _Skip
from dirdesk.text import fold, fold_with_map, human_size


@pytest.mark.parametrize("typed", ["08/09/2021", "8/9/2021", "8.9.21", "08-09-2021", "2021-09-08",
                                   "ngày 08 tháng 9 năm 2021", "ngay 8 thang 9 nam 2021", "08/09/2021 10:30"])
def test_every_way_a_clerk_types_a_date_is_read(typed):
    assert parse_typed_date(typed) == dt.date(2021, 9, 8)


@pytest.mark.parametrize("typed", ["31/02/2026", "13/13/2026", "8/9", "hôm qua", "01/01/1850", "00/01/2026"])
def test_what_is_not_a_date_is_refused_naming_the_field(typed):
    with pytest.raises(DateError, match="^Ngày đến .*không phải một ngày hợp lệ"):
        parse_typed_date(typed, "Ngày đến")


def test_empty_is_no_date_and_two_digit_years_pivot_on_next_year():
    assert parse_typed_date("  ") is None and parse_typed_date(None) is None
    today = dt.date(2026, 12, 7)
    assert (full_year(21, today), full_year(27, today), full_year(95, today)) == (2021, 2027, 1995)


def test_both_dialogs_read_dates_with_the_same_function():
    from dirdesk.gui.intake_fields import parse_date as intake_parse
    from dirdesk.gui.registers.common import parse_date as entry_parse

    assert entry_parse("8.9.21") == intake_parse("8.9.21", "date", "Ngày") == dt.date(2021, 9, 8)


def test_register_cells_show_dd_mm_yyyy_and_never_raise():
    assert date_text("2026-01-03") == "03/01/2026"
    assert date_text("2026-01-03 10:00:00") == "03/01/2026"
    assert date_text(dt.date(2026, 1, 3)) == "03/01/2026"
    assert date_text("khoảng tháng 3") == "khoảng tháng 3" and date_text(None) == ""


def test_folding_ignores_case_tone_marks_old_tone_placement_and_spacing():
    assert fold("Ủy ban") == fold("Uỷ  ban") == fold("UY BAN") == "uy ban"
    assert fold("Đảng ủy", spaces=False) == "danguy"
    folded, origin = fold_with_map("Ủy ban")
    assert folded == "uy ban" and [("Ủy ban")[i] for i in origin[:2]] == ["Ủ", "y"]


@pytest.mark.parametrize("typed", ["08/09/2021", "8.9.21", "2021-09-08", "ngày 08 tháng 9 năm 2021",
                                   "Ngày: 08/09/2021", "08/09/2021 10:30", "2021-09-08T10:30:00"])
def test_an_imported_register_reads_a_text_date_as_a_dialog_does(typed):
    assert _date(typed, "Ngày") == parse_typed_date(typed) == dt.date(2021, 9, 8)


def test_an_imported_register_also_reads_excel_day_numbers():
    assert _date(44600, "Ngày") == _date("44600", "Ngày") == dt.date(2022, 2, 8)
    with pytest.raises(_Skip, match="ngày 'mai' không hợp lệ ở cột «Ngày chuyển»"):
        _date("mai", "Ngày chuyển")


def test_sizes_read_as_the_clerk_reads_them():
    assert human_size(512) == "512 byte" and human_size(1536) == "1,5 KB"
    assert human_size(200 * 1024 * 1024) == "200 MB" and human_size(int(100.4 * 1024 * 1024)) == "100,4 MB"
