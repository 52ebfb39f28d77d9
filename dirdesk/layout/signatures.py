"""Signature blocks: one signer, or two side by side, and the confirmation under the main one.

One signature sits on the right with Nơi nhận on its left. Two signatures (a
biên bản: thư ký / người ghi biên bản on the left, chủ tọa / chủ trì on the
right, Phụ lục III Mẫu 1.9 and 05-HD 7.1.4.e, 7.2.4; a document of two bodies:
the lead body's signer on the right, the other's on the left, 05-HD 7.1.4.g,
7.2.4) take both columns, the confirmation of the chủ trì's signature (05-HD
7.1.4.e (ii)) goes under the right one, in its cell so that the two never part
across a page, and Nơi nhận goes below them on the left, as in Mẫu 1.9. Which
side each signer takes is fixed here; every size, weight, width and wording
comes from the rule set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dirdesk.draft import Draft, Signer
from dirdesk.layout.model import Cell, Paragraph, Table
from dirdesk.rules import MM, RuleSet
from dirdesk.text import upper_vi

if TYPE_CHECKING:  # the builder imports this module
    from dirdesk.layout.build import _Builder


def has_pair(draft: Draft) -> bool:
    """Does the draft print more than the one signature on the right?"""
    return draft.signer2 is not None or draft.signer_confirm is not None


def issuer_name(draft: Draft, rules: RuleSet) -> str:
    """The issuer's name as printed: a joint document's bodies, lead first, joined (05-HD 2.2.3)."""
    if draft.co_issuer is None:
        return draft.issuer.name
    return draft.issuer.name + rules.header["joint_separator"] + draft.co_issuer.name


def signer_block(b: _Builder, signer: Signer) -> list[Paragraph]:
    """Authority, title, the space for the signature and seal, and the name, centred."""
    from dirdesk.layout.build import _para

    block: list[Paragraph] = []
    for role, value in (("authority", signer.authority), ("signer_title", signer.title)):
        if value:
            block.extend(_para(role, b.el(role), text=upper_vi(v)) for v in value.split("\n"))
    if signer.name or block:
        name_style = b.el("signer_name")
        block.append(Paragraph(role="sign_space", runs=[], size=name_style.size,
                               line=b.r.signature["sign_space_pt"], align="center"))
        if signer.name:
            block.append(_para("signer_name", name_style, text=signer.name))
    return block


def confirm_block(b: _Builder) -> list[Paragraph]:
    """ "Xác nhận chữ ký của đồng chí …", then the confirming signer's block (05-HD 7.1.4.e (ii))."""
    from dirdesk.layout.build import _para

    confirm = b.d.signer_confirm
    if confirm is None:
        return []
    lead = b.r.signature["confirm_lead"].format(name=b.d.signer.name or "…")
    return [_para("confirm_lead", b.el("confirm_lead"), text=lead), *signer_block(b, confirm)]


def pair_table(b: _Builder, cc: list[Paragraph], main: list[Paragraph]) -> Table:
    """Two signatures side by side, the confirmation under the right one, Nơi nhận below on the left."""
    # The main signature keeps the column it has in every other document (signature.left_width_mm).
    left_w = b.r.signature["left_width_mm"] * MM
    widths = [left_w, b.page.text_width - left_w]
    gap = b.r.signature["space_before_pt"]
    second = signer_block(b, b.d.signer2) if b.d.signer2 else []
    if confirm := confirm_block(b):
        confirm[0].space_before = gap
    # The confirmation shares the main signature's cell: a row never splits, so the two stay on one page.
    rows = [[second, main + confirm]]
    if cc:
        rows.append([cc, []])
    for row in rows:
        for cell in row:
            if cell:
                cell[0].space_before = gap
    return Table("signature", widths, [[Cell(left), Cell(right)] for left, right in rows])
