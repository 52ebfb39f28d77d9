"""Which number sequence a document's number comes from.

State style (NĐ 30/2020, Điều 15): numbers run from 01 on 1 January to
31 December, in one sequence shared by all types or one per type, as the
office chooses (profile `state_sequence`); secret documents have a sequence of
their own.

Party style (05-HD/VPTW, 36-HD/VPTW): numbers run from 01 for each document
type within the committee's term (nhiệm kỳ), which starts on a date kept in
the profile (`terms`); secret documents share their type's sequence. Before a
term is set, each type numbers from its register's first entry, and the
register says so.

Party congress documents (issuer code "ĐH", 05-HD I.3.1.1.a): one sequence for
all types from the congress's opening to its close (`congresses` in the
profile; dirdesk/registers/congress.py).

A sequence is named by a key stored on every outgoing row; the database's
unique index on (key, number) makes a second use of a number impossible.
A symbol ("01-CV/ĐU") may appear once in each span (`symbol_span`): a state
year (secret documents apart), a Party term; outgoing.py checks it when a
number is taken, since keys alone cannot (the profile's terms or its state
sequence may change under rows already written).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dirdesk.registers import congress
from dirdesk.registers.database import Registry
from dirdesk.registers.profile import Profile
from dirdesk.rules import STYLES, doc_types

NO_TERM_NOTE = ("Chưa đặt ngày bắt đầu nhiệm kỳ trong hồ sơ cơ quan: số của mỗi loại văn bản "
                "đang được đánh liên tục từ văn bản đầu tiên của sổ.")


# How the "văn bản mật" choice says where its number comes from: NĐ 30 Điều 15 khoản 1 (a sequence
# of their own); 05-HD/VPTW 3.1.1.c ("Số văn bản mật ghi liên tục với số văn bản không mật cùng tên
# loại văn bản", 36-HD alike).
SECRET_CHOICES = {"state": "Văn bản &mật (dãy số riêng)",
                  "party": "Văn bản &mật (số liền với văn bản không mật cùng loại)"}


@dataclass(frozen=True)
class Sequence:
    key: str
    label: str  # what the clerk is told: "năm 2026, chung mọi loại"
    note: str | None = None


def other_body(profile: Profile, style: str, doc_type: str) -> str | None:
    """The issuer code of a type another body of the office issues (a ward's nghị quyết: the HĐND's,
    types-state.toml), when it is not the profile's own; that body numbers its documents apart."""
    known = doc_types(style).get(doc_type) if style in STYLES else None
    code = known.issuer_code if known else None
    return code if code and code != profile.issuer.get("code") else None


def sequence_for(profile: Profile, style: str, doc_type: str, secret: bool, on: dt.date,
                 congress_document: bool = False) -> Sequence:
    if style == "party" and congress_document:
        opened = profile.congress_start(on)
        if opened is None:
            raise congress.outside_congress(on)
        return Sequence(f"party/dh/{opened.isoformat()}", f"đại hội khai mạc {opened:%d/%m/%Y}, chung mọi loại")
    if style == "state":
        body = other_body(profile, style, doc_type)
        year, of = (f"{on.year}/{body}", f" của {body}") if body else (str(on.year), "")
        if profile.state_sequence == "per_type":
            key, label = f"state/{year}/{doc_type}", f"năm {on.year}{of}, loại {doc_type}"
        else:
            key, label = f"state/{year}/*", f"năm {on.year}{of}, chung mọi loại"
        if secret:
            key, label = key + "/mat", label + ", văn bản mật"
        return Sequence(key, label)
    start = profile.term_start(on)
    if start is None:
        return Sequence(f"party/-/{doc_type}", f"loại {doc_type}, chưa đặt nhiệm kỳ", NO_TERM_NOTE)
    return Sequence(f"party/{start.isoformat()}/{doc_type}", f"loại {doc_type}, nhiệm kỳ từ {start:%d/%m/%Y}")


def register_note(profile: Profile) -> str | None:
    """What the outgoing register must say about its numbering: a Party register with no term set says so."""
    return NO_TERM_NOTE if profile.style == "party" and not profile.terms else None


_NUMBERED = ("outgoing", "copies")  # the tables whose rows take numbers of a sequence (seq_key, number)


def next_number(reg: Registry, key: str, table: str = "outgoing") -> int:
    """The number the next document (or copy) of a sequence gets: one past the highest ever used
    (issued, reserved or cancelled: a number is never given twice)."""
    if table not in _NUMBERED:
        raise ValueError(f"no numbered table {table!r}")
    row = reg.conn.execute(f"SELECT MAX(number) FROM {table} WHERE seq_key = ?", [key]).fetchone()
    return (row[0] or 0) + 1


def number_holder(reg: Registry, key: str, number: int) -> dict | None:
    return reg.one("SELECT * FROM outgoing WHERE seq_key = ? AND number = ?", [key, number])


def skipped_numbers(reg: Registry, key: str, number: int) -> range:
    """The numbers that issuing `number` in sequence `key` would leave unused forever: from the next
    number up to it. Empty when `number` is not past the next one, or when the sequence has no number
    yet (its first number may continue a register kept on paper)."""
    following = next_number(reg, key)
    return range(following, number) if following > 1 else range(0)


def numbers_text(numbers: range) -> str:
    """"số 02" or "các số 02–49"."""
    if len(numbers) == 1:
        return f"số {numbers.start:02d}"
    return f"các số {numbers.start:02d}–{numbers[-1]:02d}"


def symbol_span(profile: Profile, style: str, on: dt.date, secret: bool, seq_key: str = "") -> tuple:
    """Where a symbol may appear only once: the state year (secret documents are numbered apart),
    a congress (its documents' sequence key), or the Party term the date falls in (before the
    first term, or with none set: one span)."""
    if seq_key.startswith("party/dh/"):
        return ("congress", seq_key)
    if style == "state":
        return ("state", on.year, secret)
    return ("party", profile.term_start(on))
