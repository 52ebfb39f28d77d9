"""Two signatures in a received document: a biên bản (thư ký / người ghi biên bản on the left,
chủ tọa / chủ trì on the right, Phụ lục III Mẫu 1.9; 05-HD 7.1.4.e), a document of two bodies
(05-HD 7.1.4.g), and the confirmation of the chủ trì's signature ("Xác nhận chữ ký của đồng
chí …", 05-HD 7.1.4.e (ii)).

Such signatures stand above "Nơi nhận" (Mẫu 1.9), so they end what would otherwise be read as the
body (`peel_signatures`). The signature lines, in reading order (the left column, then the right
one), fall into blocks of capital lines each followed by a name (`split_signatures`): the last
block is the main signer (the right column), the one before it the second signer.
"""

from __future__ import annotations

import re

from dirdesk.intake.wording import is_upper, plain
from dirdesk.text import fold

CONFIRM_LEAD = "xac nhan chu ky"  # folded: "Xác nhận chữ ký của đồng chí …"
_NAME_WORDS = 6  # a name line: at most this many words, no final punctuation
_MOST_LINES = 14  # a longer tail is body text, not signatures


def _is_name(line: str) -> bool:
    return not is_upper(line) and len(line.split()) <= _NAME_WORDS and not re.search(r"[.;:,!?]$", line)


def peel_signatures(paras: list[str]) -> list[str]:
    """The signature blocks at the end of the body paragraphs (markup), taken off `paras`.

    Only a tail that starts with a capital line and holds a name after one is taken, so that a
    body ending "Trân trọng!" or a short last line keeps it."""
    k = len(paras)
    while k > 0 and len(paras) - k < _MOST_LINES:
        text = plain(paras[k - 1])
        if not (is_upper(text) or _is_name(text) or fold(text).startswith(CONFIRM_LEAD)):
            break
        k -= 1
    tail = [plain(p) for p in paras[k:]]
    while tail and not is_upper(tail[0]):  # the body's own short last lines stay body
        k += 1
        tail.pop(0)
    capitals = [i for i, line in enumerate(tail) if is_upper(line)]
    if not capitals or not any(_is_name(line) for line in tail[capitals[0]:]):
        return []
    peeled = paras[k:]
    del paras[k:]
    return peeled


def split_signatures(lines: list[str]) -> tuple[list[str], list[str] | None, list[str] | None]:
    """The main signer's lines, the second signer's (None if one signature), the confirmation's
    (None if none), from the signature lines in reading order."""
    lead = next((i for i, line in enumerate(lines) if fold(line).startswith(CONFIRM_LEAD)), None)
    confirm = None
    if lead is not None:
        confirm = lines[lead + 1:]
        while confirm and not is_upper(confirm[0]):  # the wrapped end of the lead line
            confirm.pop(0)
        lines = lines[:lead]
    blocks: list[list[str]] = []
    for line in lines:
        if not blocks or (is_upper(line) and blocks[-1] and not is_upper(blocks[-1][-1])):
            blocks.append([])
        blocks[-1].append(line)
    if len(blocks) < 2:
        return lines, None, confirm
    return blocks[-1], [line for block in blocks[:-1] for line in block], confirm


def split_joint_issuer(issuer: dict) -> tuple[dict, dict] | None:
    """A Party document of two bodies: the name "A - B" over the symbol's "X-Y" (05-HD 2.2.3,
    3.1.2.b.iii) gives the lead body (A, X) and the other (B, Y); None if the header is one body's."""
    codes = (issuer.get("code") or "").split("-")
    names = re.split(r"\s+-\s+", issuer.get("name") or "")
    if len(codes) != 2 or not all(codes) or len(names) != 2 or not all(n.strip() for n in names):
        return None
    first, second = (" ".join(n.split()) for n in names)  # one paragraph, wrapped where the column ends
    return {**issuer, "name": first, "code": codes[0]}, {"name": second, "code": codes[1]}
