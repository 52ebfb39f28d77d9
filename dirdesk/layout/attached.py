"""Documents issued with a decision, and phụ lục, laid out as NĐ 30 and 05-HD show them.

- A document issued with a decision (quy chế, quy định, đề án … "ban hành kèm theo
  Quyết định"), Phụ lục III's sample: the issuer and the quốc hiệu only (no Số, no date
  line), the tên loại and trích yếu, then "(Kèm theo Quyết định số …/QĐ-… ngày … tháng …
  năm … của …)" and the rule; no Nơi nhận and no signature (the decision carries them).
- A phụ lục (NĐ 30 Phụ lục I IV.1, Phụ lục III Mẫu 2.1; 05-HD II.1): no header; "Phụ lục"
  with its number when there are two or more (state Roman, Party Arabic), its title, the
  "(Kèm theo …)" line.

Both come after the decision's signature, each on a new page with its own page numbers
(a SectionBreak). What is printed, and how, is in the rule set's [attached] table and
its annex_label / annex_title / attached_note elements.
"""

from __future__ import annotations

import dataclasses

from dirdesk import markup
from dirdesk.layout.model import Cell, Paragraph, SectionBreak, Table
from dirdesk.symbols import date_parts, symbol_text
from dirdesk.text import upper_vi

# The level of an administrative unit as a body's name says it ("ỦY BAN NHÂN DÂN PHƯỜNG BA
# ĐÌNH"): running text writes it in lower case and the place's name capitalised.
_LEVELS = ("THÀNH PHỐ", "THỊ XÃ", "THỊ TRẤN", "ĐẶC KHU", "PHƯỜNG", "XÃ", "QUẬN", "HUYỆN", "TỈNH",
           "TP.", "TX.", "TT.", "ĐK.", "P.", "X.", "Q.", "H.")  # and as 05-HD 4.2.3 lets them be shortened
# Bodies and titles as running text writes them, capitalised ("Chủ tịch Ủy ban nhân dân phường").
_NAMES = {
    "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM": "Ủy ban Mặt trận Tổ quốc Việt Nam", "ỦY BAN KIỂM TRA": "Ủy ban Kiểm tra",
    "ỦY BAN NHÂN DÂN": "Ủy ban nhân dân", "UỶ BAN NHÂN DÂN": "Uỷ ban nhân dân",
    "HỘI ĐỒNG NHÂN DÂN": "Hội đồng nhân dân", "BAN THƯỜNG VỤ": "Ban Thường vụ", "BAN CHẤP HÀNH": "Ban Chấp hành",
    "ĐẢNG ỦY": "Đảng ủy", "ĐẢNG UỶ": "Đảng uỷ", "ĐẢNG BỘ": "Đảng bộ", "CHI BỘ": "Chi bộ",
    "CHỦ TỊCH": "Chủ tịch", "BÍ THƯ": "Bí thư", "VĂN PHÒNG": "Văn phòng",
}
# The headings of a decision that are not its thẩm quyền ban hành line.
_NOT_AUTHORITY = ("QUYẾT ĐỊNH", "QUYẾT NGHỊ", "CHƯƠNG", "PHẦN", "MỤC", "ĐIỀU")
_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50),
          ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def roman(n: int) -> str:
    out = []
    for letters, value in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def annex_label(rules, index: int, count: int) -> str:
    """ "Phụ lục" alone for a single phụ lục, else numbered: "Phụ lục II" (state), "Phụ lục 2" (Party)."""
    label = rules.attached["annex_label"]
    if count < 2:
        return label
    number = roman(index) if rules.attached["annex_numerals"] == "roman" else str(index)
    return f"{label} {number}"


def _head_in_text(words: list[str]) -> list[str]:
    """The words before the level: the bodies and titles of _NAMES as running text writes them,
    any other word in lower case, the first one capitalised."""
    out: list[str] = []
    i = 0
    while i < len(words):
        name = next((n for n in _NAMES if words[i:i + len(n.split())] == n.split()), None)
        if name:
            out.extend(_NAMES[name].split())
            i += len(name.split())
        else:
            out.append(words[i].lower())
            i += 1
    if out:
        out[0] = out[0][:1].upper() + out[0][1:]
    return out


def issuer_in_text(name: str) -> str:
    """A body's printed name as running text writes it: "ỦY BAN NHÂN DÂN\\nPHƯỜNG BA ĐÌNH" ->
    "Ủy ban nhân dân phường Ba Đình"; "ĐẢNG ỦY PHƯỜNG BÁCH QUANG" -> "Đảng ủy phường Bách Quang";
    "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH" -> "Chủ tịch Ủy ban nhân dân phường Ba Đình"."""
    words = upper_vi(name).split()
    at = len(words)
    for i in range(len(words)):
        if any(words[i:i + len(level.split())] == level.split() for level in _LEVELS):
            at = i
            break
    head = _head_in_text(words[:at])
    rest = words[at:]
    level = next((lv for lv in _LEVELS if rest[:len(lv.split())] == lv.split()), "")
    n = len(level.split()) if level else 0
    tail = [w.lower() for w in rest[:n]] + [w.capitalize() for w in rest[n:]]
    return " ".join(head + tail)


def authority_in_text(draft) -> str | None:
    """Who issued the decision, from its thẩm quyền ban hành line (NĐ 30 Phụ lục III Mẫu 1.3 note 6:
    "# CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH" above the căn cứ; a Party decision's
    "# BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG" above "QUYẾT ĐỊNH"): the first heading IN HOA before the body's text."""
    preamble = markup.parse_body(draft.preamble or "")
    lines = [*preamble, *markup.parse_body(draft.body)]
    for i, line in enumerate(lines):
        text = line.text.strip()
        if line.kind != "heading":
            if i >= len(preamble):
                return None
            continue
        if text == upper_vi(text) and not upper_vi(text).startswith(_NOT_AUTHORITY):
            return issuer_in_text(text)
    return None


def note_line(builder, parent, *, own_text: bool = False) -> str:
    """The "(Kèm theo …)" line naming the decision `parent` (a Draft): its type, number, date and who
    issued it (`issued_by`; else, with `own_text`, its thẩm quyền line; else its issuer's name)."""
    r = builder.r
    spec = r.attached
    blank = spec["blank"]
    if parent.date:
        day, month, year = date_parts(parent.date, r)
    else:
        day = month = year = blank
    label = r.doc_type(parent.type).label
    return spec["note"].format(type=label[:1].upper() + label[1:], symbol=symbol_text(parent, r, blank=blank),
                               day=day, month=month, year=year,
                               issuer=parent.issued_by or (own_text and authority_in_text(parent))
                               or issuer_in_text(parent.issuer.name))


def _note_blocks(builder, note: str) -> list[Paragraph]:
    from dirdesk.layout.build import _para, _rule_after  # the builder's own helpers (build imports us)

    style = builder.el("attached_note")
    out = [_para("attached_note", style, text=note)]
    if style.rule is not None:
        out.append(_rule_after(out, style.rule, builder.page.text_width, "attached_note_rule"))
    elif "title_mark" in builder.r.elements:
        out.append(_para("title_mark", builder.el("title_mark")))
    return out


def _content(builder, preamble: str | None, body: str) -> list[Paragraph]:
    content = builder.markup_paragraphs(preamble, "preamble") if preamble else []
    content.extend(builder.markup_paragraphs(body, "body"))
    if content:
        content[0].space_before = max(content[0].space_before, builder.el("address").space_before)
    return content


def header(builder) -> Table:
    """The document's header without the elements an attached document leaves out (Số, date …)."""
    drops = set(builder.r.attached["header_drops"])
    full = builder.header()
    kept_rows = []
    for row in full.rows:
        cells = [Cell([p for p in cell.blocks if p.role.removesuffix("_rule") not in drops]) for cell in row]
        if any(cell.blocks for cell in cells):
            kept_rows.append(cells)
    return dataclasses.replace(full, rows=kept_rows)


def document_issued_with(builder, parent, doc_type, title: str | None, subject: str,
                         preamble: str | None, body: str, *, own_text: bool = False) -> list:
    """A quy chế, quy định, đề án … as the attached document of the decision `parent`."""
    from dirdesk.layout.build import _para

    name = _para("title", builder.el("title"), text=upper_vi(title or doc_type.name))
    trich_yeu = _para("title_subject", builder.el("title_subject"), text=subject)
    note = note_line(builder, parent, own_text=own_text)
    return [header(builder), name, trich_yeu, *_note_blocks(builder, note),
            *_content(builder, preamble, body)]


def annex(builder, parent, label: str, title: str | None, body: str) -> list:
    from dirdesk.layout.build import _para

    out = [_para("annex_label", builder.el("annex_label"), text=label)]
    if title:
        out.append(_para("annex_title", builder.el("annex_title"), text=upper_vi(title)))
    return out + _note_blocks(builder, note_line(builder, parent, own_text=True)) + _content(builder, None, body)


def standalone(builder) -> list:
    """A draft whose type is issued with a decision (state quy chế, quy định: `issued_with`),
    printed as that decision's attachment; its number and date are the decision's."""
    d = builder.d
    parent = dataclasses.replace(d, type=builder.doc_type.issued_with)
    return document_issued_with(builder, parent, builder.doc_type, d.title, d.subject, d.preamble, d.body)


def standalone_title(builder) -> str | None:
    """The file's title for a document issued with a decision: "Quy chế kèm theo Quyết định 25/QĐ-UBND"."""
    issued_with = builder.doc_type.issued_with
    if not issued_with:
        return None
    parent = dataclasses.replace(builder.d, type=issued_with)
    label = builder.r.doc_type(issued_with).label
    return (f"{builder.doc_type.label.capitalize()} kèm theo {label.capitalize()} "
            f"{symbol_text(parent, builder.r, blank='…')}")


def attachments(builder) -> list:
    """The draft's attachments, each after a SectionBreak; phụ lục numbered in their order."""
    d, r = builder.d, builder.r
    count = sum(a.kind == "phu-luc" for a in d.attachments)
    restart = r.attached.get("restart_page_numbers", True)
    out: list = []
    index = 0
    for a in d.attachments:
        out.append(SectionBreak(restart_numbers=restart))
        if a.kind == "phu-luc":
            index += 1
            out.extend(annex(builder, d, annex_label(r, index, count), a.title, a.body))
        else:
            out.extend(document_issued_with(builder, d, r.doc_type(a.type), a.title, a.subject, None, a.body,
                                            own_text=True))
    return out
