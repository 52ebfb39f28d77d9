"""The optional marks of a received document, read out of its lines before the
zones are read (so that none of them is taken for a signer's title, a body
paragraph or a Nơi nhận line): "Dự thảo lần 2", the phạm vi lưu hành
("TÀI LIỆU HỘI NGHỊ"…), "Không phổ biến trên phương tiện thông tin đại chúng",
the drafter's mark with the copy count ("NguyenVanAn-26", "PL.(300)"), and the
contact lines (address, điện thoại, fax, email, website). See
docs/draft-format-extensions.md for the fields they become.

Only lines whose wording is unmistakable are taken; anything else is left to
the zones.
"""

from __future__ import annotations

import re

from dirdesk.intake.wording import plain
from dirdesk.text import upper_vi

CIRCULATIONS = ("TÀI LIỆU HỘI NGHỊ", "LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "TÀI LIỆU THU HỒI")  # 05-HD; NĐ 30
NO_MEDIA = "KHÔNG PHỔ BIẾN TRÊN PHƯƠNG TIỆN THÔNG TIN ĐẠI CHÚNG"  # 05-HD II.4.1
HEAD_LINES = 20  # the phạm vi lưu hành and "Dự thảo lần n" stand in the header

DRAFT_ROUND = re.compile(r"^dự thảo lần (\d{1,2})$", re.IGNORECASE)
DRAFTER = (re.compile(r"^([A-Za-z]+)-(\d{1,5})$"),  # 05-HD Phụ lục 2: "NguyenVanAn-26"
           re.compile(r"^([A-ZĐ]{1,10})\.\((\d{1,5})\)$"))  # NĐ 30 Phụ lục I: "PL.(300)"
_KEY = r"(điện thoại|đt|fax|e-?mail|website)\s*:"
CONTACT_START = re.compile(rf"^{_KEY}", re.IGNORECASE)
CONTACT_ANY = re.compile(rf"(^|[;,.]\s*){_KEY}", re.IGNORECASE)
ADDRESS = re.compile(r"^Số \d+\w*\s")  # "Số 25 Liễu Giai, …" (not "Số: 12/UBND-VP", not "Số 66-CV/ĐU")


def _contact_like(line: str) -> bool:
    return bool(CONTACT_START.search(line)) or (bool(ADDRESS.match(line)) and bool(CONTACT_ANY.search(line)))


def _wrapped(block: list[str], line: str) -> bool:
    """The rest of a contact line the page wrapped: an address after "email:" or "website:"."""
    return bool(block) and block[-1].rstrip().endswith(":") and " " not in line.strip() and (
        "@" in line or "." in line)


def take_marks(lines: list[str]) -> tuple[list[str], dict]:
    """The lines without the marks, and the marks found as draft-format fields."""
    found: dict = {}
    keep: list[str] = []
    texts = [plain(line) for line in lines]
    cc_seen = False
    i = 0
    while i < len(lines):
        text = texts[i]
        upper = upper_vi(text)
        round_match = DRAFT_ROUND.match(text)
        if upper in CIRCULATIONS and i < HEAD_LINES and "circulation" not in found:
            found["circulation"] = upper
        elif round_match and i < HEAD_LINES and "draft_round" not in found:
            found["draft_round"] = int(round_match.group(1))
        elif upper == NO_MEDIA:
            found["no_media"] = True
        elif cc_seen and "drafter" not in found and any(p.match(text) for p in DRAFTER):
            drafter, copies = next(p.match(text) for p in DRAFTER if p.match(text)).groups()
            found["drafter"], found["copies"] = drafter, int(copies)
        elif _contact_like(text) or (ADDRESS.match(text) and i + 1 < len(texts) and _contact_like(texts[i + 1])):
            end = i
            block: list[str] = []
            while end < len(texts) and (end == i or _contact_like(texts[end]) or _wrapped(block, texts[end])):
                if block and _wrapped(block, texts[end]):
                    block[-1] += " " + texts[end]  # "…; email:" / "vanphong@…": one line wrapped
                else:
                    block.append(texts[end])
                end += 1
            found.setdefault("contact", "\n".join(block))
            i = end
            continue
        else:
            cc_seen = cc_seen or text.lower().startswith("nơi nhận")
            keep.append(lines[i])
        i += 1
    return keep, found
