"""The optional marks of a draft (draft format, version 1, compatible extension):
the draft round, the circulation notice, "not for the media", the drafter's
mark and copy count, the office's contact lines.

See docs/draft-format-extensions.md. Each field is written to the file only
when set, so a draft that uses none of them stays byte-for-byte what an older
DirDesk writes and reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from dirdesk import limits
from dirdesk.text import upper_vi

MAX_ROUND = 99  # "Dự thảo lần 99": more rounds than any document goes through


@dataclass
class Marks:
    draft_round: int | None = None  # "Dự thảo lần 2" (05-HD II.4.2, ô 11b)
    circulation: str | None = None  # "TÀI LIỆU HỘI NGHỊ", "XEM XONG TRẢ LẠI" (05-HD II.4.1, ô 11a; NĐ 30 ô 11)
    no_media: bool = False  # "Không phổ biến trên phương tiện thông tin đại chúng" (05-HD II.4.1)
    drafter: str | None = None  # ký hiệu người soạn thảo (05-HD II.5, NĐ 30 ô 12)
    copies: int | None = None  # số lượng bản phát hành (same)
    contact: str | None = None  # địa chỉ, điện thoại, email… (05-HD II.6, NĐ 30 ô 13); "\n" separates lines

    @property
    def any(self) -> bool:
        return any(v not in (None, False) for v in vars(self).values())


FIELDS = ("draft_round", "circulation", "no_media", "drafter", "copies", "contact")


def marks_to_dict(marks: Marks) -> dict:
    """The fields that are set, in spec order (unset ones are left out of the file)."""
    return {k: getattr(marks, k) for k in FIELDS if getattr(marks, k) not in (None, False)}


def _count(reader, data: dict, key: str, top: int, what: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= top:
        reader.fail(key, f"phải là số nguyên từ 1 đến {limits.thousands(top)} ({what}) hoặc null")
        return None
    return value


def read_marks(reader, data: dict) -> Marks:
    """Read the mark fields of a draft's JSON object with draft.py's reader (problems collected there)."""
    no_media = data.get("no_media", False)
    if no_media is None:
        no_media = False
    if not isinstance(no_media, bool):
        reader.fail("no_media", "phải là true hoặc false")
        no_media = False
    circulation = reader.string(data, "circulation", "circulation", required=False, lines=False) or None
    return Marks(
        draft_round=_count(reader, data, "draft_round", MAX_ROUND, "lần dự thảo"),
        circulation=upper_vi(circulation) if circulation else None,
        no_media=no_media,
        drafter=reader.string(data, "drafter", "drafter", required=False, lines=False) or None,
        copies=_count(reader, data, "copies", limits.MAX_COPIES, "số lượng bản phát hành"),
        contact=reader.string(data, "contact", "contact", required=False, limit=limits.NOTE) or None,
    )
