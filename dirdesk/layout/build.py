"""Build the laid-out document from a draft and its rule set.

Every value printed comes from the rule data (resources/rules/*.toml); this
module only arranges the elements in the order the rules give.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from dirdesk import markup
from dirdesk.draft import Draft
from dirdesk.fonts import text_width
from dirdesk.glyphs import printable
from dirdesk.layout import attached, marks, signatures
from dirdesk.layout.frames import framed, keep_apart
from dirdesk.layout.header_fit import fit_header
from dirdesk.layout.keep import keep_titles, split_tall_left
from dirdesk.layout.model import Cell, LaidOutDocument, PageSetup, Paragraph, Run, Table
from dirdesk.rules import MM, ElementStyle, RuleSet, rules_for
from dirdesk.symbols import number_line, place_date_line, symbol_text
from dirdesk.text import clean, upper_vi

RULE_LINE = 2.0  # height of the empty paragraph that carries a rule line, pt
RULE_GAP = 1.0  # distance from that paragraph to the line, pt
RULE_THICKNESS = 0.75


def address_own_line(style: ElementStyle, label: Run, items: list[str]) -> list[Paragraph]:
    """"Kính gửi:" on its own line, then one recipient a line (Phụ lục III Mẫu 1.5)."""
    head = _para("address", style, runs=[dataclasses.replace(label, text=label.text.rstrip())], align="left",
                 left_indent=style.label_indent_mm * MM, keep_with_next=True)
    rest = [_para("address", style, text=item, align="left", left_indent=style.items_indent_mm * MM,
                  space_before=0, keep_with_next=i < len(items) - 1) for i, item in enumerate(items)]
    return [head, *rest]


def _para(role: str, style: ElementStyle, runs: list[Run] | None = None, text: str | None = None,
          **overrides) -> Paragraph:
    if runs is None:
        runs = [Run(text if text is not None else (style.text or ""), style.size, style.bold, style.italic,
                    style.underline)]
    fields = dict(
        role=role, runs=runs, size=style.size, line=style.line_height, align=style.align,
        first_indent=style.first_indent_mm * MM, space_before=style.space_before, space_after=style.space_after,
    )
    fields.update(overrides)
    return Paragraph(**fields)


def _widest(paragraphs: list[Paragraph]) -> float:
    """The widest printed line of these paragraphs, in points."""
    widths = [0.0]
    for p in paragraphs:
        first = p.runs[0] if p.runs else Run("", p.size)
        widths.extend(text_width(line, p.size, first.bold, first.italic) for line in p.text.split("\n"))
    return max(widths)


def _rule_after(paragraphs: list[Paragraph], spec, available: float, role: str) -> Paragraph:
    """An empty paragraph carrying a centred solid line under `paragraphs`."""
    text_w = min(_widest(paragraphs), available)
    width = text_w if spec == "text" else text_w * float(spec)
    side = max((available - width) / 2, 0)
    return Paragraph(role=role, runs=[], size=RULE_LINE, line=RULE_LINE, align="center",
                     left_indent=side, right_indent=side, rule_width=width, rule_gap=RULE_GAP,
                     rule_thickness=RULE_THICKNESS)


class _Builder:
    def __init__(self, draft: Draft, rules: RuleSet, year: int | None):
        self.d = draft
        self.r = rules
        self.year = year
        p = rules.page
        self.page = PageSetup(
            width=p["width_mm"] * MM, height=p["height_mm"] * MM,
            top=p["margin_top_mm"] * MM, bottom=p["margin_bottom_mm"] * MM,
            left=p["margin_left_mm"] * MM, right=p["margin_right_mm"] * MM,
            page_number_size=p["page_number_size"], page_number_top=p["page_number_top_mm"] * MM,
        )
        self.doc_type = rules.doc_type(draft.type)
        self.place_date_style = self.el("place_date")

    def el(self, role: str) -> ElementStyle:
        return self.r.element(role)

    # -- header -----------------------------------------------------------
    def header_element(self, role: str, width: float) -> list[Paragraph]:
        d, r = self.d, self.r
        lines: list[str] = []
        if role == "parent":
            lines = d.issuer.parent.split("\n") if d.issuer.parent else []
        elif role == "issuer":
            lines = signatures.issuer_name(d, r).split("\n")
        elif role == "issuer_mark":
            lines = [r.header["issuer_mark"]] if r.header.get("issuer_mark") else []
        elif role == "number":
            lines = [number_line(d, r)] if self.doc_type.numbered else []
        elif role == "cv_subject":
            lines = [d.subject] if d.type == "CV" else []
        elif role == "urgency":
            lines = [d.urgency] if d.urgency else []
        elif role == "secrecy":
            lines = [d.secrecy] if d.secrecy else []
        elif role in ("national", "motto"):
            lines = list(r.header[role])
        elif role == "place_date":
            lines = [place_date_line(d, r, year=self.year)] if self.doc_type.header_date else []
        else:
            raise KeyError(f"unknown header element {role!r} in {r.label}")
        style = self.place_date_style if role == "place_date" else self.el(role)
        upper = role in ("parent", "issuer", "national", "urgency", "secrecy")
        paras = [framed(_para(role, style, text=upper_vi(line) if upper else line, space_before=0), style, width)
                 for line in lines]
        if not paras:
            return []
        paras[0].space_before = style.space_before
        if style.rule is not None:
            paras.append(_rule_after(paras, style.rule, width, f"{role}_rule"))
        return paras

    def header(self) -> Table:
        head = self.r.header
        widths = self.header_widths()
        rows = []
        for row in self.r.header["rows"]:
            cells = []
            for side, width in zip(("left", "right"), widths, strict=True):
                blocks: list[Paragraph] = []
                for role in row[side]:
                    blocks.extend(self.header_element(role, width))
                    blocks.extend(marks.after_header_element(self.d, self.r, role))
                keep_apart(blocks)
                cells.append(Cell(blocks))
            rows.append(cells)
        return Table("header", widths, rows, indent=head.get("indent_mm", 0) * MM)

    def header_widths(self) -> list[float]:
        """The columns' widths, the boundary moved left where the place-date line needs it
        (dirdesk.layout.header_fit); the size it takes replaces the element's own."""
        head, style = self.r.header, self.el("place_date")
        left, right = head["left_width_mm"] * MM, head["right_width_mm"] * MM
        text = place_date_line(self.d, self.r, year=self.year)
        left_blocks = [p for row in head["rows"] for role in row["left"] for p in self.header_element(role, left)]
        fit = fit_header(lambda size: text_width(text, size, style.bold, style.italic), style.sizes or [style.size],
                         indent=head.get("indent_mm", 0) * MM, left=left, right=right,
                         text_width=self.page.text_width, left_floor=head.get("left_min_width_mm", 0) * MM,
                         left_need=_widest([p for p in left_blocks if p.rule_width is None]))
        self.place_date_style = dataclasses.replace(style, size=fit.size)
        return [fit.left, fit.right]

    # -- title, address, content ------------------------------------------
    def title(self) -> list[Paragraph]:
        if not self.doc_type.print_name:
            return []
        d = self.d
        title = _para("title", self.el("title"), text=upper_vi(d.title or self.doc_type.name))
        subject_style = self.el("title_subject")
        # A type whose title has no trích yếu (giấy giới thiệu, Mẫu 1.8) keeps its subject for the
        # register but prints none: the rule goes under the type's name.
        subject = [_para("title_subject", subject_style, text=d.subject)] if self.doc_type.subject else []
        out = [title, *subject]
        if "title_mark" in self.r.elements:
            out.append(_para("title_mark", self.el("title_mark")))
        elif subject_style.rule is not None:
            out.append(_rule_after(subject or [title], subject_style.rule, self.page.text_width, "title_subject_rule"))
        return out

    def address(self) -> list[Paragraph]:
        d = self.d
        if not d.recipients:
            return []
        style = self.el("address")
        label = f"{self.doc_type.address or 'Kính gửi'}:"
        label_run = Run(label + " ", style.size, italic=style.label_italic)
        sep, last, dash = (self.r.recipients[k] for k in ("separator", "last", "dash"))
        width = self.page.text_width
        if len(d.recipients) == 1 and style.single_centered:
            runs = [label_run, Run(d.recipients[0] + last, style.size)]
            return [_para("address", style, runs=runs, align="center")]
        items = [dash + name + (last if i == len(d.recipients) - 1 else sep) for i, name in enumerate(d.recipients)]
        if style.own_line:
            return address_own_line(style, label_run, items)
        label_w = text_width(label + " ", style.size, italic=style.label_italic)
        block_w = label_w + max(text_width(t, style.size) for t in items)
        indent = max((width - block_w) / 2, 0) + label_w
        indent = min(indent, width / 2)
        paras = []
        for i, item in enumerate(items):
            runs = ([label_run] if i == 0 else []) + [Run(item, style.size)]
            paras.append(_para("address", style, runs=runs, align="left", left_indent=indent,
                               first_indent=-label_w if i == 0 else 0,
                               space_before=style.space_before if i == 0 else 0))
        return paras

    def markup_paragraphs(self, source: str, role: str) -> list[Paragraph]:
        style = self.el(role)
        heading = self.el("heading")
        out = []
        for line in markup.parse_body(source):
            if line.kind == "heading":
                runs = [Run(s.text, heading.size, True, s.italic, s.underline) for s in line.spans]
                out.append(_para("heading", heading, runs=runs, keep_with_next=True, keep_together=True))
            else:
                runs = [Run(s.text, style.size, s.bold or style.bold, s.italic or style.italic,
                            s.underline or style.underline) for s in line.spans]
                out.append(_para(role, style, runs=runs))
        return out

    # -- signature ---------------------------------------------------------
    def signature(self) -> Table | None:
        d, r = self.d, self.r
        left_w = r.signature["left_width_mm"] * MM
        widths = [left_w, self.page.text_width - left_w]
        left: list[Paragraph] = []
        if d.cc or d.cc_note:
            label_style = self.el("cc_label")
            text = label_style.text or "Nơi nhận:"
            head, colon = (text[:-1], ":") if text.endswith(":") else (text, "")
            runs = [Run(head, label_style.size, label_style.bold, label_style.italic, label_style.underline)]
            if colon:
                runs.append(Run(colon, label_style.size, label_style.bold, label_style.italic))
            left.append(_para("cc_label", label_style, runs=runs))
            if d.cc_note:
                left.append(_para("cc_note", self.el("cc_note"), text=d.cc_note))
            sep, last = r.cc["separator"], r.cc["last"]
            for i, item in enumerate(d.cc):
                end = last if i == len(d.cc) - 1 else sep
                left.append(_para("cc_item", self.el("cc_item"), text=f"- {item}{end}"))
        left.extend(marks.after_cc(d, r))
        right = signatures.signer_block(self, d.signer)
        if signatures.has_pair(d):
            return signatures.pair_table(self, left, right)
        if not left and not right:
            return None
        gap = r.signature["space_before_pt"]
        for cell in (left, right):
            if cell:
                cell[0].space_before = gap
        return Table("signature", widths, [[Cell(left), Cell(right)]])

    def build(self) -> LaidOutDocument:
        d = self.d
        doc = LaidOutDocument(page=self.page, font=self.r.font)
        if self.doc_type.issued_with:  # NĐ 30 Phụ lục III: printed as the attached document of a decision
            doc.blocks.extend(attached.standalone(self))
        else:
            self.own_blocks(doc)
        doc.blocks.extend(attached.attachments(self))  # after the signature, each on a new page
        doc.marks = marks.page_marks(d, self.r, self.page)  # phạm vi lưu hành, "không phổ biến" (05-HD)
        type_label = self.doc_type.label
        doc.title = (attached.standalone_title(self)
                     or f"{type_label.capitalize()} {symbol_text(d, self.r, blank='…')}".strip())
        doc.subject = d.subject
        doc.author = d.issuer.name.replace("\n", " ")
        doc.keywords = f"DirDesk; {self.r.source}"
        return doc

    def own_blocks(self, doc: LaidOutDocument) -> None:
        d = self.d
        doc.blocks.append(self.header())
        doc.blocks.extend(self.title())
        doc.blocks.extend(self.address())
        content = []
        if d.preamble:
            content.extend(self.markup_paragraphs(d.preamble, "preamble"))
        content.extend(self.markup_paragraphs(d.body, "body"))
        if content:
            content[0].space_before = max(content[0].space_before, self.el("address").space_before)
        keep_titles(content, self.page.text_width)
        signature = self.signature()
        if signature:
            signature = split_tall_left(signature)
        if content and signature:
            # The signature never stands alone on a page: it takes the last paragraph, whole, with it
            # (LibreOffice moves a paragraph kept with a table whole, split or not).
            content[-1].keep_with_next = True
            content[-1].keep_together = True
        doc.blocks.extend(content)
        if signature:
            doc.blocks.append(signature)
        doc.blocks.extend(marks.contact_blocks(d, self.r, self.page.text_width))


def build_layout(draft: Draft, rules: RuleSet | None = None, *, year: int | None = None) -> LaidOutDocument:
    """Lay out a draft with the rules of its style and edition (or those given).

    `year` is printed after "năm" when the draft has no date (default: this year).
    """
    rules = rules or rules_for(draft.style, draft.edition, draft.date)
    doc = _Builder(draft, rules, year or dt.date.today().year).build()
    for p in doc.all_paragraphs():  # drafts built in code skip draft_from_dict's cleaning
        # printable: what the font has no glyph for prints as "□" in both files (dirdesk.glyphs)
        p.runs = [dataclasses.replace(r, text=printable(clean(r.text))) for r in p.runs]
    return doc
