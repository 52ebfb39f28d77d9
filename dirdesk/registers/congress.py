"""Party congress documents (05-HD/VPTW Phần II mục I.3.1.1.a and I.3.1.2.b.i).

During a congress (from the opening, counting the preparatory session, to the
close) the documents of the đại hội, its đoàn chủ tịch, đoàn thư ký, ban thẩm
tra tư cách đại biểu and ban kiểm phiếu take one sequence from 01 shared by all
types, and the issuer part of their symbol is "ĐH": "Số 01-BC/ĐH",
"Số 20-BB/ĐH". A congress is kept in the profile (`congresses`: its start, and
its end once closed); a Party draft whose issuer code is "ĐH" is a congress
document and takes the congress's sequence, in the same transaction and under
the same unique index as every other number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from dirdesk import limits
from dirdesk.draft import Draft, Issuer
from dirdesk.registers.errors import RegisterError
from dirdesk.text import upper_vi

CODE = "ĐH"  # 05-HD I.3.1.2.b.i: "ghi chung ký hiệu là ĐH"


def is_congress_document(style: str, issuer_code: str | None) -> bool:
    return style == "party" and issuer_code == CODE


def validate(value, fail) -> list[dict]:
    """The profile's `congresses`: a list of {"start": date, "end": date or null, "name": the congress's
    issuer lines or null}, not overlapping, at most the last one still open; returned sorted by start."""
    if not isinstance(value, list) or not all(isinstance(v, dict) and set(v) <= {"start", "end", "name"}
                                              and "start" in v and isinstance(v.get("name") or "", str)
                                              for v in value):
        fail('phải là danh sách {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD" hoặc null, "name": tên đại hội}')
    spans = []
    for v in value:
        try:
            start = dt.date.fromisoformat(v["start"])
            end = dt.date.fromisoformat(v["end"]) if v.get("end") else None
        except (TypeError, ValueError):
            fail("ngày khai mạc, bế mạc đại hội phải có dạng YYYY-MM-DD")
        if limits.year_problem(start.year):
            fail(f"ngày {start.isoformat()}: {limits.year_problem(start.year)}")
        if end is not None and end < start:
            fail(f"đại hội khai mạc {start:%d/%m/%Y} không thể bế mạc trước đó ({end:%d/%m/%Y})")
        spans.append((start, end, upper_vi(v["name"]) if v.get("name") else None))
    spans.sort(key=lambda span: span[0])
    for (s1, e1, _), (s2, _, _) in zip(spans, spans[1:], strict=False):
        if e1 is None or e1 >= s2:
            fail(f"hai kỳ đại hội chồng lên nhau (khai mạc {s1:%d/%m/%Y} và {s2:%d/%m/%Y})")
    return [{"start": s.isoformat(), "end": e.isoformat() if e else None, "name": n} for s, e, n in spans]


def congress_on(congresses: list[dict], on: dt.date) -> dt.date | None:
    """The opening date of the congress `on` falls in (an open congress runs on), or None."""
    for c in congresses:
        start = dt.date.fromisoformat(c["start"])
        end = dt.date.fromisoformat(c["end"]) if c.get("end") else None
        if start <= on and (end is None or on <= end):
            return start
    return None


def open_congress(congresses: list[dict]) -> dict | None:
    return next((c for c in congresses if not c.get("end")), None)


def started(congresses: list[dict], start: dt.date, name: str | None = None) -> list[dict]:
    """The list with a congress opened on `start`, its issuer lines `name` (refused while another is open)."""
    running = open_congress(congresses)
    if running:
        raise RegisterError(f"Đại hội khai mạc {dt.date.fromisoformat(running['start']):%d/%m/%Y} chưa bế mạc: "
                            "ghi ngày bế mạc trước (dirdesk profile congress end NGÀY).")
    return [*congresses, {"start": start.isoformat(), "end": None, "name": name or None}]


def ended(congresses: list[dict], end: dt.date) -> list[dict]:
    """The list with the open congress closed on `end`."""
    running = open_congress(congresses)
    if running is None:
        raise RegisterError("Không có đại hội nào đang diễn ra để ghi ngày bế mạc.")
    return [c if c is not running else {**c, "end": end.isoformat()} for c in congresses]


def outside_congress(on: dt.date) -> RegisterError:
    return RegisterError(f"Văn bản của đại hội (ký hiệu {CODE}) ngày {on:%d/%m/%Y} không thuộc kỳ đại hội nào trong "
                         "hồ sơ cơ quan: ghi ngày khai mạc (dirdesk profile congress start NGÀY, hoặc Cài đặt), "
                         "số của văn bản đại hội chạy chung mọi loại từ 01 (05-HD, mục 3.1.1.a).")


def describe(c: dict) -> str:
    """"đại hội khai mạc 20/06/2025, bế mạc 22/06/2025" (or "đang diễn ra")."""
    start = dt.date.fromisoformat(c["start"])
    end = f"bế mạc {dt.date.fromisoformat(c['end']):%d/%m/%Y}" if c.get("end") else "đang diễn ra"
    return f"đại hội khai mạc {start:%d/%m/%Y}, {end}"


def as_congress_document(draft: Draft, congresses: list[dict]) -> Draft:
    """A new Party draft dated within a congress that has a name: the congress's document (its issuer
    lines, code ĐH); any other draft as it is."""
    if draft.style != "party" or draft.date is None:
        return draft
    opened = congress_on(congresses, draft.date)
    entry = next((c for c in congresses if opened and c["start"] == opened.isoformat()), None)
    if not entry or not entry.get("name"):
        return draft
    return dataclasses.replace(draft, issuer=Issuer(name=entry["name"], code=CODE))
