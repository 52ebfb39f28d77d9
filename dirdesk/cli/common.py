"""What every command shares: output, the register file option, JSON output, and the argument types
(dates, months, years, counts) that refuse what is out of range with a Vietnamese message."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from dirdesk import limits, registers
from dirdesk.dates import EXAMPLE, DateError, parse_typed_date
from dirdesk.registers.errors import RegisterError
from dirdesk.text import clean, one_line


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    sys.stderr.write(text + "\n")


def print_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH",
                        help="tệp sổ (mặc định: biến DIRDESK_DB, hoặc dirdesk.sqlite trong thư mục dữ liệu)")


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON cho chương trình khác đọc")


def open_db(args):
    """The register file the command works on (`--db`, else $DIRDESK_DB, else the data folder).

    The first use of the day also makes the day's automatic backup (kept 14 days)."""
    from dirdesk.cli.backups import auto_backup_on_open  # here: dirdesk.cli.backups imports this module

    reg = registers.open_registry(args.db)  # looked up when called: tests put a failing disk in its place
    auto_backup_on_open(reg)
    return reg


def leaf_command(group, name: str, func, help_text: str, *, json_output: bool = False):
    """A command of a group (`outgoing issue`) with the register file option, and --json when it prints data."""
    p = group.add_parser(name, help=help_text)
    add_db_option(p)
    if json_output:
        add_json_option(p)
    p.set_defaults(func=func)
    return p


def date_arg(text: str) -> dt.date:
    """argparse type: a date as a dialog reads it (dirdesk.dates.parse_typed_date: 2026-11-08,
    08/11/2026, 8.11.26, "ngày 08 tháng 11 năm 2026" …), in the years limits allows."""
    try:
        date = parse_typed_date(text)
    except DateError:
        date = None
    if date is None:  # worded as the other argument types word a refusal
        raise argparse.ArgumentTypeError(f"ngày '{one_line(text)}' không hợp lệ (cần ngày/tháng/năm, ví dụ {EXAMPLE})")
    _check_year(f"ngày '{one_line(text)}'", date.year)
    return date


def _check_year(what: str | None, year: int) -> None:
    problem = limits.year_problem(year)
    if problem:
        raise argparse.ArgumentTypeError(f"{what}: {problem}" if what else problem)


def _whole(text: str) -> int | None:
    """The whole number written in `text` (ASCII digits, at most 18 of them), else None."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def year_arg(text: str) -> int:
    """argparse type: a year (2026)."""
    text = clean(text).strip()
    if _whole(text) is None:
        raise argparse.ArgumentTypeError(f"năm '{text}' không hợp lệ (cần 4 chữ số, ví dụ 2026)")
    _check_year(None, _whole(text))
    return _whole(text)


def count_arg(high: int, what: str):
    """argparse type: a whole number from 1 to `high` (`what`: "số lượng bản")."""
    def parse(text: str) -> int:
        text = clean(text).strip()
        number = _whole(text)
        if number is None or not 1 <= number <= high:
            raise argparse.ArgumentTypeError(f"{what} '{text}' không hợp lệ (cần số nguyên từ 1 đến "
                                             f"{limits.thousands(high)})")
        return number

    parse.__name__ = what
    return parse


def text_arg(text: str) -> str:
    """argparse type: any text, NFC."""
    return one_line(text)


def add_period_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--month", metavar="YYYY-MM", help="một tháng, ví dụ 2026-11")
    group.add_argument("--year", type=int, metavar="YYYY", help="cả năm")
    parser.add_argument("--from", dest="start", type=date_arg, metavar="NGÀY", help="từ ngày (kèm --to)")
    parser.add_argument("--to", dest="end", type=date_arg, metavar="NGÀY", help="đến ngày")


def month_of(text: str):
    """The Period of a month given as YYYY-MM (--month), refused with a RegisterError when there is no such
    month or its year is out of range."""
    from dirdesk.registers.columns import month_period  # lazy: start-up, see dirdesk.cli

    period = month_period(clean(text).strip())
    if limits.year_problem(period.start.year):
        raise RegisterError(f"Tháng '{text}' không hợp lệ: {limits.year_problem(period.start.year)}.")
    return period


def period_from_args(args, *, required: bool = False):
    """The Period named by --month, --year or --from/--to; None when none was given and none is required."""
    from dirdesk.registers.columns import range_period, year_period  # lazy: start-up, see dirdesk.cli

    if (args.start or args.end) and (args.month or args.year is not None):
        raise RegisterError("Chọn một kỳ: --month, --year, hoặc --from và --to.")
    if args.month:
        return month_of(args.month)
    if args.year is not None:
        if limits.year_problem(args.year):
            raise RegisterError(f"Năm {args.year} không hợp lệ: {limits.year_problem(args.year)}.")
        return year_period(args.year)
    if args.start or args.end:
        if not (args.start and args.end):
            raise RegisterError("Cần cả --from và --to.")
        return range_period(args.start, args.end)
    if required:
        raise RegisterError("Cần chọn kỳ: --month YYYY-MM, --year YYYY, hoặc --from NGÀY --to NGÀY.")
    return None
