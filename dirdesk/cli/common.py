"""What every command shares: output, the register file option, JSON output, dates."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from dirdesk.text import clean


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
    """The register file the command works on (`--db`, else $DIRDESK_DB, else the data folder)."""
    from dirdesk.registers import open_registry

    return open_registry(args.db)


def date_arg(text: str) -> dt.date:
    """argparse type: a date as YYYY-MM-DD or DD/MM/YYYY."""
    text = clean(text).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"ngày '{text}' không hợp lệ (cần YYYY-MM-DD hoặc DD/MM/YYYY)")


def text_arg(text: str) -> str:
    """argparse type: any text, NFC."""
    return clean(text, keep_newlines=False).strip()
