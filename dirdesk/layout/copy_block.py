"""The block a copy (sao văn bản) carries after the copied pages, laid out with the document model.

State copies (NĐ 30/2020 Phụ lục I Phần II mục II and Phụ lục III Mẫu 3.1): a solid line across the text
width, then two columns: on the left the copying office, its number "Số: 05/SY-UBND" and Nơi nhận; on
the right the form ("SAO Y", "SAO LỤC", "TRÍCH SAO"), the place and date, and the copying signer
(TM./KT., chức vụ, the space for signature and seal, the name).

Party copies (05-HD/VPTW Phụ lục 3): the same line, then on the left the red "BẢN SAO VĂN BẢN" stamp of
80 × 50 mm with its five lines, on the right the copying signer.

Every size comes from the rule set of the style in force (the document's own elements: issuer, number,
place_date, authority, signer_title, signer_name, cc_label, cc_item) and from resources/rules/copies.toml.
The block is laid out as a document whose page is the copied page and whose top margin is where the block
begins (dirdesk/intake/copy_pdf.py finds it under the page's lowest content); the PDF writer draws it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from dirdesk.draft import Signer
from dirdesk.layout.build import RULE_GAP, RULE_LINE, _para, _rule_after
from dirdesk.layout.model import Cell, LaidOutDocument, PageSetup, Paragraph, Run, Table
from dirdesk.layout.signatures import signer_block
from dirdesk.resources import resource_path
from dirdesk.rules import MM, RuleSet, rules_for
from dirdesk.symbols import date_parts, pad_number
from dirdesk.text import upper_vi

KINDS = ("sao-y", "sao-luc", "trich-sao")


@cache
def copy_rules() -> dict:
    with open(resource_path("rules", "copies.toml"), "rb") as fh:
        return tomllib.load(fh)


def kind_of(kind: str) -> dict:
    try:
        return copy_rules()["kinds"][kind]
    except KeyError:
        raise ValueError(f"hình thức sao không có: {kind} (sao-y, sao-luc, trich-sao)") from None


def copy_symbol(style: str, kind: str, number: int, issuer_code: str, rules: RuleSet) -> str:
    """"05/SY-UBND" (NĐ 30) or "05-BS/ĐU" (05-HD: one "BS" for every kind), without "Số"."""
    abbr = copy_rules()["numbering"]["party_abbr"] if style == "party" else kind_of(kind)["state_abbr"]
    return rules.symbol["pattern"].format(number=pad_number(number), abbr=abbr, issuer=issuer_code, unit="")


@dataclass(frozen=True)
class CopyFields:
    """What the block says: the copying office, the copy's symbol (without "Số"), place and date, signer."""

    style: str
    kind: str
    office: str
    symbol: str
    place: str
    date: dt.date
    signer: Signer
    recipients: list[str] = field(default_factory=list)

    @property
    def rules(self) -> RuleSet:
        return rules_for(self.style, None, self.date)

    def place_date(self) -> str:
        day, month, year = date_parts(self.date, self.rules)
        return self.rules.date["pattern"].format(place=self.place, day=day, month=month, year=year)


@dataclass
class CopyBlock:
    doc: LaidOutDocument
    stamp: tuple[float, float, float, float] | None  # Party: (x, top, width, height) of the red box, pt
    stamp_color: str = ""
    stamp_thickness: float = 0.0


def _cc(rules: RuleSet, items: list[str]) -> list[Paragraph]:
    label = rules.element("cc_label")
    text = label.text or "Nơi nhận:"
    out = [_para("cc_label", label, runs=[Run(text[:-1], label.size, label.bold, label.italic, label.underline),
                                          Run(":", label.size, label.bold, label.italic)])]
    sep, last = rules.cc["separator"], rules.cc["last"]
    for i, item in enumerate(items):
        out.append(_para("cc_item", rules.element("cc_item"), text=f"- {item}{last if i == len(items) - 1 else sep}"))
    return out


def _signer(rules: RuleSet, signer: Signer) -> list[Paragraph]:
    return signer_block(SimpleNamespace(el=rules.element, r=rules), signer)


def _state_rows(f: CopyFields, rules: RuleSet, left_w: float, right_w: float) -> list[list[Cell]]:
    spec = copy_rules()["block"]
    issuer = rules.element("issuer")
    # Phụ lục III Mẫu 3.1 names the copying office alone (no line of the body above it)
    left = [_para("copy_office", issuer, text=upper_vi(f.office))]
    if issuer.rule:
        left.append(_rule_after(left[-1:], issuer.rule, left_w, "copy_office_rule"))
    left.append(_para("copy_number", rules.element("number"), text=rules.symbol["number_label"] + f.symbol))
    words = Run(kind_of(f.kind)["words"], spec["words_size"], True)
    right = [_para("copy_kind", rules.element("issuer"), runs=[words], size=words.size, line=words.size + 3),
             _para("copy_place_date", rules.element("place_date"), text=f.place_date(), space_before=6)]
    gap = rules.signature["space_before_pt"]
    cc, sign = _cc(rules, f.recipients), _signer(rules, f.signer)
    for cell in (cc, sign):
        if cell:
            cell[0].space_before = gap
    return [[Cell(left), Cell(right)], [Cell(cc), Cell(sign)]]


def _stamp_cell(f: CopyFields, rules: RuleSet, col_w: float) -> list[Paragraph]:
    spec = copy_rules()["party_stamp"]
    w, pad, color = spec["width_mm"] * MM, spec["padding_mm"] * MM, spec["color"]
    indents = dict(left_indent=pad, right_indent=col_w - w + pad, color=color)
    size, line = spec["field_size"], spec["field_line"]
    heading = Paragraph("copy_stamp_heading", [Run(spec["heading"], spec["heading_size"], True)],
                        spec["heading_size"], spec["heading_size"] + 3, align="center", space_before=pad,
                        space_after=3, **indents)
    values = [upper_vi(f.office), f.symbol, kind_of(f.kind)["name"], f.place_date(), "; ".join(f.recipients)]
    fields = [Paragraph("copy_stamp_field", [Run(f"{label}: ", size), Run(value, size, True)], size, line,
                        **indents) for label, value in zip(spec["labels"], values, strict=True)]
    return [heading, *fields]


def _pad_to(blocks: list[Paragraph], width: float, height: float) -> None:
    """Lengthen the cell's last paragraph's space after so that the cell is `height` tall (the red box)."""
    from dirdesk.render.pdf_flow import break_lines  # lazy: the renderer measures lines once, as it prints

    used, after = 0.0, None
    for p in blocks:
        used += p.space_before if after is None else max(after, p.space_before)
        used += p.line * len(break_lines(p, width))
        after = p.space_after
    blocks[-1].space_after = max(height - used, blocks[-1].space_after)


def build_copy_block(f: CopyFields, page: PageSetup) -> CopyBlock:
    """The copy block laid out on `page`, beginning at its top margin."""
    rules, spec = f.rules, copy_rules()["block"]
    width = page.text_width
    rule = Paragraph("copy_rule", [], RULE_LINE, RULE_LINE, rule_width=width, rule_gap=RULE_GAP,
                     rule_thickness=spec["rule_thickness"], space_after=spec["rule_gap_mm"] * MM,
                     keep_with_next=True)
    stamp = None
    extra = {}
    if f.style == "party":
        s = copy_rules()["party_stamp"]
        left_w = s["width_mm"] * MM + 5 * MM
        cell = _stamp_cell(f, rules, left_w)
        box_h = s["height_mm"] * MM
        _pad_to(cell, left_w, box_h)
        rows = [[Cell(cell), Cell(_signer(rules, f.signer))]]
        stamp = (page.left, page.top + rule.line + rule.rule_gap + rule.rule_thickness + rule.space_after,
                 s["width_mm"] * MM, box_h)
        extra = {"stamp_color": s["color"], "stamp_thickness": s["thickness"]}
    else:
        left_w = spec["left_width_mm"] * MM
        rows = _state_rows(f, rules, left_w, width - left_w)
    table = Table("copy_block", [left_w, width - left_w], rows)
    doc = LaidOutDocument(page=page, font=rules.font, blocks=[rule, table], title="Bản sao")
    return CopyBlock(doc, stamp, **extra)


def block_page(width: float, height: float, top: float, rules: RuleSet) -> PageSetup:
    """A page of the copied page's size whose text begins at `top`, with the rule set's side margins."""
    p = rules.page
    return PageSetup(width=width, height=height, top=top, bottom=p["margin_bottom_mm"] * MM,
                     left=p["margin_left_mm"] * MM, right=p["margin_right_mm"] * MM,
                     page_number_size=p["page_number_size"], page_number_top=p["page_number_top_mm"] * MM)
