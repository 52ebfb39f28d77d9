"""The optional marks of a document, laid out from the draft's `marks` and the
rule set's [marks] table and elements (see resources/rules/*.toml):

- "Dự thảo lần n" under the number (05-HD II.4.2, ô 11b);
- the phạm vi lưu hành at the top right of page 1, 10 mm from the top edge
  (05-HD II.4.1, ô 11a), framed in the state style (NĐ 30 Phụ lục I II.2.c, ô 11);
- "Không phổ biến trên phương tiện thông tin đại chúng", centred 10 mm from the
  bottom edge of the last page (05-HD II.4.1);
- the drafter's mark and copy count at the end of Nơi nhận (05-HD II.5; NĐ 30 ô 12);
- the contact lines under a rule across the text width: after the signature
  (05-HD II.6, "trang cuối"), at the foot of page 1 (NĐ 30 ô 13, "trang thứ nhất").

An element the rule set does not define is not printed (NĐ 30 has no draft
mark and no "Không phổ biến …").
"""

from __future__ import annotations

from dirdesk.fonts import text_width
from dirdesk.layout.model import Cell, PageMark, Paragraph, Table
from dirdesk.rules import MM, ElementStyle
from dirdesk.text import upper_vi


def _para(role: str, style: ElementStyle, text: str, **extra) -> Paragraph:
    from dirdesk.layout import build  # build imports this module

    return build._para(role, style, text=text, **extra)


def _style(rules, role: str) -> ElementStyle | None:
    return rules.elements.get(role)


def after_header_element(draft, rules, role: str) -> list[Paragraph]:
    """What follows a header element: "Dự thảo lần n" after the number."""
    n = draft.marks.draft_round
    style = _style(rules, "draft_mark")
    if not n or style is None or role != rules.marks.get("draft_after") or "draft" not in rules.marks:
        return []
    return [_para("draft_mark", style, rules.marks["draft"].format(n=n))]


def drafter_text(draft, rules) -> str | None:
    m = draft.marks
    if not (m.drafter or m.copies) or "drafter" not in rules.marks:
        return None
    drafter = upper_vi(m.drafter) if m.drafter and rules.marks.get("drafter_upper") else (m.drafter or "")
    if not m.copies:
        return drafter
    return rules.marks["drafter"].format(drafter=drafter, copies=m.copies).lstrip("-.")


def after_cc(draft, rules) -> list[Paragraph]:
    """The drafter's mark and copy count, the last line of the Nơi nhận cell."""
    text = drafter_text(draft, rules)
    style = _style(rules, "drafter")
    return [_para("drafter", style, text)] if text and style is not None else []


def _contact(draft, rules, text_w: float, space_before: float) -> list[Paragraph]:
    """The contact lines under a solid rule across the text width."""
    from dirdesk.layout.build import RULE_GAP, RULE_LINE, RULE_THICKNESS

    style = _style(rules, "contact")
    out = []
    if rules.marks.get("contact_rule"):
        out.append(Paragraph(role="contact_rule", runs=[], size=RULE_LINE, line=RULE_LINE,
                             space_before=space_before, keep_with_next=True, keep_together=True,
                             rule_width=text_w, rule_gap=RULE_GAP, rule_thickness=RULE_THICKNESS))
    lines = draft.marks.contact.split("\n")
    for i, line in enumerate(lines):
        out.append(_para("contact", style, line, space_before=0, keep_together=True,
                         keep_with_next=i < len(lines) - 1))
    return out


def _contact_at_foot(rules) -> bool:
    return rules.marks.get("contact_place") == "first_page_foot"


def contact_blocks(draft, rules, text_w: float) -> list[Paragraph]:
    """The contact lines after the signature, on the last page (05-HD II.6)."""
    style = _style(rules, "contact")
    if not draft.marks.contact or style is None or _contact_at_foot(rules):
        return []
    return _contact(draft, rules, text_w, style.space_before)


def contact_mark(draft, rules, page) -> PageMark | None:
    """The contact lines at the foot of page 1 (NĐ 30 Phụ lục I II.4: "ở trang thứ nhất"; sơ đồ ô 13)."""
    if not draft.marks.contact or _style(rules, "contact") is None or not _contact_at_foot(rules):
        return None
    return PageMark(_contact(draft, rules, page.text_width, 0), "first_foot")


def circulation_mark(draft, rules, page) -> PageMark | None:
    """The phạm vi lưu hành at the top right of page 1; framed where the rules say so."""
    style = _style(rules, "circulation")
    text = draft.marks.circulation
    if not text or style is None:
        return None
    top = rules.marks.get("circulation_top_mm", 10) * MM
    para = _para("circulation", style, text)
    if not rules.marks.get("circulation_box"):
        return PageMark([para], "first", top)
    line = rules.marks.get("circulation_box_line", 0.75)
    pad = rules.marks.get("circulation_box_padding", 3)
    width = text_width(text, style.size, style.bold, style.italic) + 2 * pad + 2 * line + 1
    indent = page.text_width - width  # at the right margin, unless over the header's right column
    if rules.marks.get("circulation_over_right_column"):
        head = rules.header
        column = (head.get("indent_mm", 0) + head["left_width_mm"]) * MM
        indent = column + (head["right_width_mm"] * MM - width) / 2
    table = Table("circulation_box", [width], [[Cell([para])]], indent=indent, borders=line, padding=pad)
    return PageMark([table], "first", top)


def no_media_mark(draft, rules, page) -> PageMark | None:
    style = _style(rules, "no_media")
    if not draft.marks.no_media or style is None or "no_media" not in rules.marks:
        return None
    top = page.height - rules.marks.get("no_media_bottom_mm", 10) * MM - style.line_height
    return PageMark([_para("no_media", style, upper_vi(rules.marks["no_media"]))], "last", top)


def page_marks(draft, rules, page) -> list[PageMark]:
    marks = [circulation_mark(draft, rules, page), no_media_mark(draft, rules, page),
             contact_mark(draft, rules, page)]
    return [m for m in marks if m is not None]
