"""Every limit on what goes in, in one place: how long a text may be, how large a number, which dates.

A limit is set so that every real document fits (a trích yếu of six lines is
some 600 characters; a long plan's body some 60,000) and so that a mistaken
paste or a hostile file is refused with a message instead of being stored:
a 10 MB trích yếu once grew the register by 48 MB. The draft format
(dirdesk/draft.py) and every register write (outgoing, incoming, follow-up
notes, profile) check against these numbers.
"""

from __future__ import annotations

import datetime as dt

# Characters, counted after NFC normalisation.
SUBJECT = 1_000  # trích yếu
NAME = 300  # a name or a title: cơ quan, người ký, nơi nhận (one line), địa danh, người xử lý
SYMBOL = 100  # số, ký hiệu
NOTE = 2_000  # ghi chú, tiến độ giải quyết, lý do hủy, ký nhận
BODY = 300_000  # the body or the căn cứ of a document (a 60-page plan fits)
LIST_ITEMS = 500  # entries in a list: recipients, cc, units, signers, the address book
LIST_TEXT = LIST_ITEMS * (NAME + 2)  # a register column joining a list ("; "): nơi nhận, đơn vị lưu

DRAFT_FILE_BYTES = 4_000_000  # a draft file (JSON); the longest body fits with room to spare

MAX_NUMBER = 999_999  # a document's number in its sequence
MAX_COPIES = 10_000  # số lượng bản
MAX_ROW_ID = 999_999_999  # a row named by its number (#12, --row, --id)
MAX_LISTED = 10_000  # results a search or the audit log shows at once
QUERY = 500  # a search: more than a trích yếu's worth of words finds nothing more, and costs the index

# Any date typed or read (a draft's date, a period, a received document's date).
FIRST_YEAR, LAST_YEAR = 1945, 2100
# The date a document is issued (or a number reserved) with.
FIRST_ISSUE_DATE = dt.date(2000, 1, 1)
ISSUE_DAYS_AHEAD = 366

# The register columns with a length limit, and what the clerk calls them.
COLUMNS: dict[str, tuple[str, int]] = {
    "subject": ("trích yếu", SUBJECT),
    "type_name": ("tên loại văn bản", NAME),
    "type": ("mã loại văn bản", NAME),
    "author": ("tác giả (cơ quan ban hành)", NAME),
    "symbol": ("số, ký hiệu", SYMBOL),
    "reply_symbol": ("số, ký hiệu văn bản trả lời", SYMBOL),
    "recipient": ("nơi nhận", NAME),
    "recipients": ("nơi nhận", LIST_TEXT),
    "copy_holder": ("đơn vị lưu", LIST_TEXT),
    "handler": ("người xử lý", NAME),
    "signer": ("người ký", NAME),
    "receipt": ("ký nhận", NOTE),
    "note": ("ghi chú", NOTE),
    "text": ("nội dung tiến độ", NOTE),
    "cancel_reason": ("lý do hủy", NOTE),
}


def thousands(n: int) -> str:
    """1000000 -> "1.000.000", as Vietnamese writes numbers."""
    return f"{n:,}".replace(",", ".")


def too_long(text: str, limit: int) -> str | None:
    """What is wrong with `text` if it is longer than `limit` characters, else None."""
    if len(text) <= limit:
        return None
    return f"dài {thousands(len(text))} ký tự, quá giới hạn {thousands(limit)} ký tự"


def column_problems(values: dict) -> list[str]:
    """"trích yếu dài … ký tự, quá giới hạn 1.000 ký tự" for each text column of `values` over its limit."""
    problems = []
    for key, value in values.items():
        if key in COLUMNS and isinstance(value, str):
            label, limit = COLUMNS[key]
            problem = too_long(value, limit)
            if problem:
                problems.append(f"{label} {problem}")
    return problems


def year_problem(year: int) -> str | None:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return f"năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}"


def issue_date_problem(on: dt.date, today: dt.date | None = None) -> str | None:
    """Why a document cannot be issued (or a number reserved) with date `on`, else None."""
    today = today or dt.date.today()
    last = today + dt.timedelta(days=ISSUE_DAYS_AHEAD)
    if FIRST_ISSUE_DATE <= on <= last:
        return None
    return (f"Ngày ban hành {on:%d/%m}/{on.year:04d} không hợp lệ: chỉ nhận từ {FIRST_ISSUE_DATE:%d/%m/%Y} "
            f"đến {last:%d/%m/%Y} (không quá một năm sau hôm nay).")
