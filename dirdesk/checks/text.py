"""Checks of the text itself: template blanks "[…]" left in, the căn cứ punctuation, the end of the text.

The placeholder check is also what Ban hành runs before it takes a number:
`unfinished(draft)` lists its findings, and `refuse_unfinished(draft)` raises
UnfinishedDraft (a DraftError, so every issue path already reports it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from dirdesk.checks.base import ERROR, WARNING, Finding, _Context, _short
from dirdesk.draft import Draft, DraftError
from dirdesk.markup import parse_body
from dirdesk.rules import rules_for

# A blank of a template: "[Họ và tên]", "[...]", "[…]", "[]". Brackets holding only a
# number ("[1]", a reference) are not blanks.
BLANK = re.compile(r"\[(?!\s*\d+\s*\])[^\[\]\n]{0,200}\]")
_BLOCKING = frozenset({"text.placeholder"})  # the codes Ban hành refuses


def _text_fields(draft: Draft) -> Iterator[tuple[str, str]]:
    """(field, text) of every field a clerk types, in the form's order."""
    yield "issuer.parent", draft.issuer.parent or ""
    yield "issuer.name", draft.issuer.name
    yield "place", draft.place
    yield "title", draft.title or ""
    yield "subject", draft.subject
    yield "recipients", "\n".join(draft.recipients)
    yield "preamble", draft.preamble or ""
    yield "body", draft.body
    yield "cc_note", draft.cc_note or ""
    yield "cc", "\n".join(draft.cc)
    for key in ("signer", "signer2", "signer_confirm"):  # the second signature and the confirmation too
        signer = getattr(draft, key)
        if signer is not None:
            yield f"{key}.authority", signer.authority or ""
            yield f"{key}.title", signer.title or ""
            yield f"{key}.name", signer.name or ""
    if draft.co_issuer is not None:
        yield "co_issuer.name", draft.co_issuer.name
    yield "issued_by", draft.issued_by or ""
    yield "drafter", draft.marks.drafter or ""  # the optional marks a clerk types (dirdesk/draft_marks.py)
    yield "contact", draft.marks.contact or ""
    for i, part in enumerate(draft.attachments):  # the quy chế, phụ lục … issued with it: one document
        for name in ("title", "subject", "body"):
            yield f"attachments[{i}].{name}", getattr(part, name) or ""


def _check_placeholders(c: _Context) -> Iterator[Finding]:
    """12. A template's blank "[…]" not filled in: an error, and Ban hành refuses it."""
    cite = c.values().get("placeholder_cite")
    for field, text in _text_fields(c.draft):
        blanks = list(dict.fromkeys(m.group() for m in BLANK.finditer(text)))
        if not blanks:
            continue
        shown = ", ".join(f"'{_short(b, 40)}'" for b in blanks[:3]) + (f" và {len(blanks) - 3} chỗ khác"
                                                                        if len(blanks) > 3 else "")
        yield c.finding("text.placeholder", field, f"Còn chỗ trống của mẫu chưa điền: {shown}: thay bằng nội dung "
                        "thật (hoặc xóa), văn bản còn chỗ trống thì không ban hành được.", ERROR, cite=cite)


def _ends(text: str, mark: str) -> bool:
    return text.rstrip().endswith(mark)


def _check_grounds(c: _Context) -> Iterator[Finding]:
    """13. Căn cứ: each ends ";" and the last "."; Party ones begin "- ", state ones do not."""
    v = c.values()
    starts = [s.casefold() for s in v.get("grounds_starts", [])]
    if not starts or not c.draft.preamble:
        return
    lines = [line.text.strip() for line in parse_body(c.draft.preamble) if line.kind != "heading"]
    grounds = [t for t in lines if t.removeprefix("-").strip().casefold().startswith(tuple(starts))]
    sep, last, severity = v["grounds_separator"], v["grounds_last"], v.get("grounds_severity", ERROR)
    for i, line in enumerate(grounds):
        bare = line.removeprefix("-").strip()
        want = last if i == len(grounds) - 1 else sep
        if not _ends(bare, want):
            which = "là căn cứ cuối cùng" if want == last else "chưa phải căn cứ cuối cùng"
            fixed = re.sub(r"[\s;,.:]*$", "", bare) + want
            yield c.finding("preamble.grounds-punctuation", "preamble", f"Dòng căn cứ '{_short(bare)}' {which} nên "
                            f"phải kết thúc bằng dấu '{want}': viết '…{fixed[-30:]}'.", severity,
                            cite=v.get("grounds_cite"))
        dashed = line.startswith("-")
        if dashed != v.get("grounds_dash", False):
            fix = "thêm '- ' ở đầu dòng" if not dashed else "bỏ gạch đầu dòng"
            yield c.finding("preamble.grounds-dash", "preamble", f"Dòng căn cứ '{_short(bare)}' "
                            f"{'thiếu' if not dashed else 'không dùng'} gạch đầu dòng (-): {fix}.", severity,
                            cite=v.get("grounds_dash_cite"))


def _check_end_mark(c: _Context) -> Iterator[Finding]:
    """14. The end of the text: "./." (state samples), "." (05-HD 6.2.2)."""
    v = c.values()
    mark = v.get("end_mark")
    lines = [line.text.strip() for line in parse_body(c.draft.body)]
    if not mark or not lines or not lines[-1]:
        return
    end, foreign = lines[-1], v.get("end_foreign")
    tail = f"'…{end[-30:]}'"
    if foreign and _ends(end, foreign):
        yield c.finding("body.end-mark", "body", f"Nội dung kết thúc bằng '{foreign}' ({tail}), dấu kết thúc của "
                        f"văn bản hành chính: kết thúc bằng dấu '{mark}'.", v.get("end_foreign_severity", WARNING),
                        cite=v.get("end_cite"))
    elif not _ends(end, mark):
        fixed = re.sub(r"[\s;,.:/]*$", "", end) + mark
        yield c.finding("body.end-mark", "body", f"Nội dung văn bản phải kết thúc bằng dấu '{mark}' (đoạn cuối "
                        f"đang là {tail}): viết '…{fixed[-30:]}'.", v.get("end_severity", ERROR),
                        cite=v.get("end_cite"))


CHECKS = [_check_placeholders, _check_grounds, _check_end_mark]


class UnfinishedDraft(DraftError):
    """A draft Ban hành refuses before it takes a number: a template's blanks left in."""


def unfinished(draft: Draft, *, today: dt.date | None = None) -> list[Finding]:
    """The findings that keep a draft from being issued (template blanks "[…]")."""
    today = today or dt.date.today()
    context = _Context(draft, rules_for(draft.style, draft.edition, draft.date or today), today)
    return [f for f in _check_placeholders(context) if f.code in _BLOCKING]


def unfinished_error(draft: Draft) -> UnfinishedDraft | None:
    """The UnfinishedDraft naming every field that still holds a blank, or None."""
    found = unfinished(draft)
    return UnfinishedDraft([(f.field, f.message) for f in found]) if found else None


def refuse_unfinished(draft: Draft) -> None:
    """Raise UnfinishedDraft when the draft still holds a template's blank; nothing when it holds none."""
    if (error := unfinished_error(draft)) is not None:
        raise error
