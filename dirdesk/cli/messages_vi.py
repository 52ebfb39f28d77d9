"""argparse's own messages in Vietnamese ("usage:", "error:", "the following arguments are required"…).

argparse looks its messages up through gettext at the moment it prints them
(`argparse._`); DirDesk ships no compiled catalogue, so the clerk-facing ones
are this table, installed by `install()` before the parser is built. A
message not in the table (the programmer's errors of a parser definition)
stays in English.
"""

from __future__ import annotations

import argparse

VIETNAMESE = {
    "usage: ": "cách dùng: ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "xem hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "còn thiếu: %s",
    "unrecognized arguments: %s": "không hiểu: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong: %(choices)s)",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "chỉ được một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s chưa rõ: có thể là %(matches)s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "not allowed with argument %s": "không dùng được cùng với %s",
    "one of the arguments %s is required": "cần một trong: %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}


def translate(message: str) -> str:
    return VIETNAMESE.get(message, message)


def install() -> None:
    """Make argparse print its messages in Vietnamese (idempotent)."""
    argparse._ = translate
