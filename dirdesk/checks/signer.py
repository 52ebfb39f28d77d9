"""Checks of the signer: học hàm/học vị before the name, a deputy's title, an authority of the other system."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dirdesk.checks.base import (
    ERROR,
    Finding,
    _authority_lines,
    _bodies,
    _Context,
    _split_prefix,
    _starting_body,
    norm,
)
from dirdesk.checks.data import common


def _honorific(name: str) -> tuple[str, str] | None:
    """(the học hàm/học vị/danh hiệu as typed, the name without it) for "ThS. Lê Văn A", or None."""
    flat = " ".join(name.split())
    key = norm(flat)
    for word in sorted(common().get("honorifics", []), key=len, reverse=True):
        if m := re.match(rf"{re.escape(norm(word))}(\.\s*|\s+)(?=\w)", key):
            return flat[:m.end()].strip(), flat[m.end():]
    return None


def _check_honorific(c: _Context) -> Iterator[Finding]:
    """19. "TS. Nguyễn Văn A": học hàm, học vị, quân hàm, danh hiệu before the signer's name."""
    found = _honorific(c.draft.signer.name or "")
    if found is None:
        return
    word, bare = found
    yield c.finding("signing.name-honorific", "signer.name", f"Không ghi học hàm, học vị, quân hàm hay danh hiệu "
                    f"('{word}') trước họ tên người ký: viết '{bare}'.", ERROR,
                    cite=c.values().get("honorifics_cite"))


def _check_deputy_title(c: _Context) -> Iterator[Finding]:
    """20. "K/T CHỦ TỊCH" signed by someone whose title is not "PHÓ CHỦ TỊCH"."""
    s, title = c.rules.signing, norm(c.draft.signer.title)
    if not title:
        return
    bodies = _bodies(c)
    for line in _authority_lines(c.draft):
        prefix, head = _split_prefix(line, s["prefixes"])
        if prefix != s["deputy"] or not head:
            continue
        if bodies and (_starting_body(head, bodies) or _starting_body(norm(c.draft.issuer.name), bodies)):
            continue  # a collective body's deputy: reported by _check_collective
        if title == f"PHÓ {head}" or title.startswith(f"PHÓ {head} "):
            continue
        yield c.finding("signing.deputy-title", "signer.title", f"Ký thay '{line}' thì người ký là cấp phó: chức "
                        f"vụ phải là 'PHÓ {head}', không phải '{title}' (cấp trưởng ký thì bỏ '{prefix}').", ERROR,
                        cite=c.values().get("deputy_cite"))


def _check_foreign_authority(c: _Context) -> Iterator[Finding]:
    """21. An authority or title of the other system: T/M ỦY BAN NHÂN DÂN on a Party document, BÍ THƯ on a state one."""
    v = c.values()
    bodies = [norm(b) for b in v.get("foreign_bodies", [])]
    prefixes = [*c.rules.signing["prefixes"], *c.rules.signing["foreign_prefixes"]]
    own = "văn bản của Đảng" if c.draft.style == "party" else "văn bản hành chính nhà nước"
    for line in _authority_lines(c.draft):
        _, rest = _split_prefix(line, prefixes)
        if body := _starting_body(rest, bodies):
            yield c.finding("signing.authority-foreign", "signer.authority", f"'{line}': {own} không ký thay mặt "
                            f"'{body}'. Ghi quyền hạn của cơ quan ban hành '{norm(c.draft.issuer.name)}', "
                            "hoặc chọn đúng loại văn bản (Đảng hay chính quyền).", ERROR,
                            cite=v.get("authority_cite"))
    title = norm(c.draft.signer.title)
    if title and title in {norm(t) for t in v.get("foreign_titles", [])}:
        yield c.finding("signing.title-foreign", "signer.title", f"Chức vụ '{title}' là chức vụ trong Đảng, không ký "
                        f"{own}: ghi chức vụ của người ký trong cơ quan ban hành (ví dụ 'CHỦ TỊCH'), hoặc soạn "
                        "văn bản này là văn bản của Đảng.", ERROR, cite=v.get("authority_cite"))


def _check_authority_issuer(c: _Context) -> Iterator[Finding]:
    """23. "T/M" for a body that is not the issuer: "T/M CHI BỘ" on the Đảng ủy's document."""
    v, s = c.values(), c.rules.signing
    if "own_organs" not in v:
        return
    bodies = _bodies(c) or [norm(b) for b in v.get("own_bodies", [])]
    organs, issuer = {norm(o) for o in v["own_organs"]}, norm(c.draft.issuer.name)
    for line in _authority_lines(c.draft):
        prefix, rest = _split_prefix(line, s["prefixes"])
        body = _starting_body(rest, bodies) if prefix == s["collective"] else None
        if body is None or body in organs or re.search(rf"(?<!\w){re.escape(body)}(?!\w)", issuer):
            continue
        own = _starting_body(issuer, bodies)
        fix = f"viết '{prefix} {own}'" if own else f"ghi tên tập thể của cơ quan ban hành sau '{prefix}'"
        yield c.finding("signing.authority-issuer", "signer.authority", f"'{line}': {body} không phải cơ quan ban "
                        f"hành văn bản ('{issuer}'), người ký thay mặt cơ quan ban hành: {fix}.", ERROR,
                        cite=v.get("authority_cite"))


CHECKS = [_check_honorific, _check_deputy_title, _check_foreign_authority, _check_authority_issuer]
