"""Read a received document's text into a draft-format dict.

The parser recognises the parts of an official document by their wording, not
by their position, because converted documents put the two header columns in
either order or interleave them. A field the document does not show is null
(or an empty list): nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from types import SimpleNamespace

from dirdesk.draft import FORMAT_VERSION, SECRECIES, URGENCIES
from dirdesk.intake.budget import is_omitted_line
from dirdesk.intake.confidence import reading_of
from dirdesk.intake.issuer import infer_issuer, split_parent
from dirdesk.intake.text_of import lines_of
from dirdesk.markup import Span, parse_inline, spans_to_markup
from dirdesk.rules import doc_types, rules_for
from dirdesk.symbols import symbol_text
from dirdesk.text import clean, fold, upper_vi

# --- text helpers -------------------------------------------------------------

_ESCAPED = re.compile(r"\\([\\*_])")


def plain(line: str) -> str:
    """A markup line as plain text: emphasis marks dropped, escapes undone."""
    line = line.replace("\\\\", "\x00").replace("\\*", "\x01").replace("\\_", "\x02")
    line = line.replace("**", "").replace("__", "").replace("*", "")
    line = line.replace("\x00", "\\").replace("\x01", "*").replace("\x02", "_")
    line = re.sub(r"^#+\s+", "", line)
    return " ".join(line.split())


def is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and text == upper_vi(text) and len(letters) >= 2


def _strip_item(text: str) -> str:
    text = re.sub(r"^[-–—•+]\s*", "", text.strip())
    text = text.replace(" | ", " - ")
    return text.rstrip(" ,.;").strip()


_SYMBOL = re.compile(r"^Số\s*:?\s*(\d*)[\s._…]*([-/])\s*([0-9A-Za-zĐđ][0-9A-Za-zĐđ\-/ .]*)$")
_DATE = re.compile(r"^([^,\d]{2,60}),\s*ngày\s*(\d{1,2})?[\s._…]*tháng\s*(\d{1,2})?[\s._…]*năm\s+(\d{4})\b")
_STAMP = re.compile(r"\d{4}[.\-/]\d{2}[.\-/]\d{2}\s+\d{2}:\d{2}(:\d{2})?")
_AUTHORITY = re.compile(r"^(T/M|TM\.|TM |K/T|KT\.|KT |T/L|TL\.|TL |TUQ\.|Q\.|Q/|THAY MẶT|KÝ THAY|THỪA LỆNH)",
                        re.IGNORECASE)
_PREAMBLE_START = ("Căn cứ", "Thực hiện", "Theo đề nghị", "Xét ", "Theo ", "(Ban hành kèm theo")
# Lines are compared folded (dirdesk.text.fold): lower case, no diacritics, đ as d, one space.
_PARTY_HEAD = "dang cong san viet nam"
_STATE_HEAD = "cong hoa xa hoi chu nghia viet nam"
_MOTTO = "doc lap - tu do - hanh phuc"


def _is_national(p: str) -> bool:
    f = fold(p)
    return f in (_PARTY_HEAD, _STATE_HEAD) or f.replace("–", "-") == _MOTTO or f.startswith(_STATE_HEAD)


def _is_separator(p: str) -> bool:
    return bool(p) and set(p) <= set("*-_ ") and len(p) <= 20


def _type_by_name(p: str, style_order: list[str]) -> tuple[str, str, str] | None:
    """(style, code, printed) when the line is a type's printed name, fuzzily."""
    f = fold(p).rstrip(":").strip()
    if not f or len(f) > 30:
        return None
    best = None
    for style in style_order:
        for code, t in doc_types(style).items():
            name = fold(t.name)
            ratio = difflib.SequenceMatcher(None, f, name).ratio()
            if ratio >= 0.85 and (best is None or ratio > best[0]):
                best = (ratio, style, code)
    return (best[1], best[2], p) if best else None


def _is_type_name(p: str, found: tuple[str, str, str]) -> bool:
    return fold(p).rstrip(":").strip() == fold(doc_types(found[0])[found[1]].name)


def _abbr_to_code(abbr: str, style: str) -> str | None:
    for code, t in doc_types(style).items():
        if abbr == code or abbr in t.abbr_by_edition.values():
            return code
    folded = fold(abbr)
    for code in doc_types(style):
        if fold(code) == folded:
            return code
    return None


# --- the parser ---------------------------------------------------------------

def parse_text(lines: list[str], notes: list[str] | None = None) -> dict:
    """Parse text lines (in body markup) into a draft-format dict.

    What was inferred rather than read (an issuer named from its symbol, place
    and "Lưu" line) is appended to `notes`, in Vietnamese, when it is given.
    """
    raw = [clean(line).rstrip().rstrip("\\").rstrip() for line in lines]
    raw = _join_wrapped([part for line in raw for part in _split_merged(line.strip())])
    plains = [plain(line) for line in raw]
    n = len(raw)

    result = {
        "dirdesk": FORMAT_VERSION, "style": None, "edition": None, "type": None,
        "issuer": {"parent": None, "name": None, "code": None, "unit": None},
        "number": None, "symbol": None, "place": None, "date": None, "title": None,
        "subject": None, "recipients": [], "preamble": None, "body": None, "cc": [],
        "cc_note": None, "signer": {"authority": None, "title": None, "name": None},
        "urgency": None, "secrecy": None,
    }
    used: set[int] = set()

    # The end of the text proper: "Nơi nhận".
    cc_at = next((i for i, p in enumerate(plains) if fold(p).startswith("noi nhan")), None)
    headless = _headless_signature(plains) if cc_at is None else None
    limit = cc_at if cc_at is not None else headless if headless is not None else n

    # Style from the national header.
    style = None
    for i, p in enumerate(plains[:limit]):
        f = fold(p)
        if f == _PARTY_HEAD:
            style = "party"
            used.add(i)
        elif f.startswith(_STATE_HEAD):
            style = "state"
            used.add(i)
        elif f.replace("–", "-") == _MOTTO:
            used.add(i)

    # Symbol line.
    sym_at = None
    for i, p in enumerate(plains[:limit]):
        m = _SYMBOL.match(p)
        if m:
            sym_at = i
            break
    sym_parts = None
    if sym_at is not None:
        used.add(sym_at)
        m = _SYMBOL.match(plains[sym_at])
        number, sep, rest = int(m.group(1)) if m.group(1) else None, m.group(2), re.sub(r"\s+", "", m.group(3))
        sym_parts = (number, sep, rest)
        if style is None:
            style = "party" if sep == "-" else "state"
        result["number"] = number

    # Date and place.
    for i, p in enumerate(plains[:limit]):
        m = _DATE.match(p)
        if m and len(p) < 90:
            day = None
            if m.group(2) and m.group(3):
                try:
                    day = dt.date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
                except ValueError:
                    continue
            result["place"] = m.group(1).strip()
            result["date"] = day.isoformat() if day else None
            used.add(i)
            break

    order = [style] if style else ["party", "state"]
    order += [s for s in ("party", "state") if s not in order]

    # Printed type name (the title), only before the body proper.
    title_at = None
    title_type = None
    # A line that is a type's name exactly wins over one that is only like one ("THÔNG TIN",
    # the end of "PHÒNG VĂN HÓA VÀ THÔNG TIN", is like "THÔNG TRI"); of a known style, its types only.
    candidates = []
    for i, p in enumerate(plains[:min(limit, 61)]):
        if i in used or not p or not is_upper(p) or fold(p).endswith(":"):
            continue
        found = _type_by_name(p, [style] if style else order)
        if found:
            candidates.append((i, found))
            if _is_type_name(p, found):
                break
    if candidates:
        title_at, title_type = next(((i, f) for i, f in candidates if _is_type_name(plains[i], f)), candidates[0])
        used.add(title_at)
        style = style or title_type[0]
    style = style or "party"
    result["style"] = style

    # Type and issuer code from the symbol.
    doc_type = None
    if sym_parts:
        number, sep, rest = sym_parts
        if style == "party":
            abbr, _, code = rest.partition("/")
            doc_type = "CV" if abbr.upper() == "CV" else _abbr_to_code(abbr, style)
            result["issuer"]["code"] = code or None
        else:
            # A legal document's symbol may carry its year: "37/2007/QĐ-UBND".
            tokens = re.sub(r"^(19|20)\d\d/", "", rest).split("-")
            code_ = _abbr_to_code(tokens[0], style) if tokens else None
            if code_ and code_ != "CV" and len(tokens) > 1:
                doc_type = code_
                result["issuer"]["code"] = tokens[1]
                result["issuer"]["unit"] = "-".join(tokens[2:]) or None
            else:
                doc_type = "CV"
                result["issuer"]["code"] = tokens[0] or None
                result["issuer"]["unit"] = "-".join(tokens[1:]) or None
    if doc_type != "CV" and title_type and title_type[1] in doc_types(style):
        doc_type = title_type[1]
    result["type"] = doc_type
    if sym_parts and sym_parts[0] is not None and doc_type:
        printed = f"{_SYMBOL.match(plains[sym_at]).group(1)}{sym_parts[1]}{sym_parts[2]}"
        if printed != _computed_symbol(result, style, doc_type):
            result["symbol"] = printed
    if title_type and doc_type and doc_type in doc_types(style):
        printed = upper_vi(plains[title_at]).rstrip(":").strip()
        if fold(printed) != fold(doc_types(style)[doc_type].name) and \
                difflib.SequenceMatcher(None, fold(printed), fold(doc_types(style)[doc_type].name)).ratio() < 0.85:
            result["title"] = printed

    # Urgency / secrecy markings.
    for i, p in enumerate(plains[:limit]):
        f = fold(p)
        for value in URGENCIES + ("HOẢ TỐC",):
            if f == fold(value):
                result["urgency"] = "HỎA TỐC" if fold(value) == fold("HỎA TỐC") else value
                used.add(i)
        for value in SECRECIES:
            if f == fold(value):
                result["secrecy"] = value
                used.add(i)

    # Issuer: the first run of capital lines of the header.
    header_end = max([i for i in (sym_at, title_at) if i is not None] + [0])
    recip_at = next((i for i, p in enumerate(plains[:limit])
                     if fold(_strip_item(p)).startswith(("kinh gui", "kinh trinh"))), None)
    scan_to = min(x for x in (recip_at, title_at, limit, 40) if x is not None)
    issuer_lines = []
    for i in range(scan_to):
        p = plains[i]
        if i in used:  # the national header or the date line, interleaved with the issuer's lines
            continue
        if not p or _is_separator(p):
            if issuer_lines:
                break
            continue
        if is_upper(p) and not _DATE.match(p) and not _SYMBOL.match(p):
            issuer_lines.append(p)
            used.add(i)
        elif issuer_lines:
            break
    if issuer_lines:
        parent, issuer_lines = split_parent(style, issuer_lines)
        if parent is None and len(issuer_lines) > 1:
            if style == "party" and fold(issuer_lines[0]).startswith("dang bo"):
                parent = issuer_lines.pop(0)
            elif style != "party" and fold(issuer_lines[0]) not in ("uy ban nhan dan", "hoi dong nhan dan"):
                parent = issuer_lines.pop(0)
        result["issuer"]["parent"] = parent
        result["issuer"]["name"] = "\n".join(issuer_lines)

    # Subject: for a công văn the lines under the symbol; otherwise under the title.
    subject_lines: list[str] = []
    anchor = sym_at if doc_type == "CV" or title_at is None else title_at
    subj_end = anchor
    if anchor is not None:
        i = anchor + 1
        while i < limit and not plains[i]:
            i += 1
        while i < limit:
            p = plains[i]
            if (not p or i in used or _is_separator(p) or _DATE.match(p) or _is_national(p)
                    or fold(_strip_item(p)).startswith(("kinh gui", "kinh trinh")) or _SYMBOL.match(p)):
                break
            if doc_type == "CV" and is_upper(p):
                break
            if subject_lines and (p.startswith(_PREAMBLE_START) or is_upper(p)):
                break
            if subject_lines and p.lstrip("[(\"“")[:1].isupper() and re.search(r"[.:;!?][)\]]?$", p):
                break  # a sentence: the text has begun (extracted text has no blank line between)
            subject_lines.append(p)
            used.add(i)
            subj_end = i
            i += 1
    result["subject"] = " ".join(subject_lines) or None
    if subj_end is not None:
        header_end = max(header_end, subj_end)

    # Recipients.
    if recip_at is not None:
        used.add(recip_at)
        first = _strip_item(plains[recip_at])
        first = re.sub(r"^Kính (gửi|trình)\s*:?\s*", "", first, flags=re.IGNORECASE)
        recipients = []
        if _strip_item(first):
            # "Kính gửi: A; B; C." on one line is a list of three.
            recipients += [_strip_item(part) for part in first.split(";") if _strip_item(part)]
        i = recip_at + 1
        last = recip_at
        while i < limit:
            p = plains[i]
            if not p:
                i += 1
                continue
            if i in used:
                i += 1
                continue
            if not recipients and len(p.split()) <= 20 and not p.startswith(_PREAMBLE_START):
                # "Kính gửi:" alone, the one recipient on the next line without a dash
                recipients.append(_strip_item(p))
                used.add(i)
                last = i
                i += 1
                continue
            if (recipients and p[:1].islower() and len(p.split()) <= 20
                    and not re.search(r"[;.:]\s*$", plains[last])):
                # a recipient's name wrapped onto the next line ("- Bộ trưởng Bộ Nội vụ, Tổ phó Tổ
                # công tác cải cách" / "thủ tục hành chính của Thủ tướng Chính phủ.")
                recipients[-1] = f"{recipients[-1]} {_strip_item(p)}"
                used.add(i)
                last = i
                i += 1
                continue
            if re.match(r"^[-–—•+]\s*", p) and not re.match(r"^[-–—]\s*\d", p):
                item = _strip_item(p)
                if item:
                    recipients.append(item)
                used.add(i)
                last = i
                i += 1
                continue
            break
        result["recipients"] = recipients
        header_end = max(header_end, last)
    # Every header line seen so far ends the header.
    header_end = max([header_end] + [i for i in used if i < limit])

    # Body (and preamble) between the header and "Nơi nhận".
    paras: list[str] = []
    for i in range(header_end + 1, limit):
        if i in used or not raw[i] or _is_separator(plains[i]):
            continue
        if plains[i].isdigit() and len(plains[i]) <= 3:  # a page number left in extracted text
            continue
        paras.append(raw[i])
    # Without "Nơi nhận", a trailing signature block is not body.
    tail: list[str] = []
    if cc_at is None:
        while paras and (is_upper(plain(paras[-1])) or _STAMP.search(paras[-1])
                         or (len(plain(paras[-1]).split()) <= 5 and not re.search(r"[.;:,]$", paras[-1]))):
            tail.insert(0, paras.pop())
    paras = _rejoin(paras)
    preamble = []
    if doc_type != "CV":
        k = 0
        if paras and is_upper(plain(paras[0])) and not plain(paras[0]).endswith(":"):
            k = 1
        j = k
        while j < len(paras) and plain(paras[j]).startswith(_PREAMBLE_START):
            j += 1
        if j > k:
            preamble = paras[:j]
            if k:
                preamble[0] = "# " + plain(preamble[0])
            paras = paras[j:]
    paras = ["# " + plain(p) if is_upper(plain(p)) and plain(p).endswith(":") else p for p in paras]
    imposed = _imposed_emphasis(style, result["date"])
    result["preamble"] = "\n".join(_drop_imposed(p, imposed["preamble"]) for p in preamble) or None
    result["body"] = "\n".join(_drop_imposed(p, imposed["body"]) for p in paras) or None

    # Nơi nhận, then the signature block.
    sig_lines: list[str] = list(tail)
    if headless is not None:
        block = plains[headless:]
        result["cc"] = [_strip_item(_TITLE_TAIL.sub(r"\1", line)) for line in block if _LIST_ITEM.match(line)]
        sig_lines += block
    if cc_at is not None:
        first = re.sub(r"^Nơi nhận\s*:?\s*", "", plains[cc_at], flags=re.IGNORECASE)
        items = []
        last_raw = ""
        note = []
        pending = [first] if first else []
        i = cc_at + 1
        rest = pending + [plains[j] for j in range(i, n)]
        k = 0
        while k < len(rest):
            p = rest[k]
            if not p:
                k += 1
                following = next((q for q in rest[k:] if q), "")
                # a blank between items (a Word file's paragraphs) does not end the list
                if items and not _LIST_ITEM.match(following):
                    break
                continue
            if re.match(r"^[-–—•+]\s*", p):
                item = _strip_item(p)
                if item:
                    items.append(item)
                    last_raw = p
                k += 1
                continue
            # A line under an item goes on with it unless the item has ended (";", ".");
            # an item ending in "," ("Các Sở: Tài chính,") always goes on.
            if (items and not is_upper(p) and not _AUTHORITY.match(p) and not _STAMP.search(p)
                    and (not re.search(r"[,;.]$", last_raw) or last_raw.endswith(","))):
                last_raw = last_raw + " " + p
                items[-1] = _strip_item(last_raw)
                k += 1
                continue
            if not items and not is_upper(p) and not _AUTHORITY.match(p):
                note.append(p)
                k += 1
                continue
            break
        result["cc"] = items
        result["cc_note"] = " ".join(note) or None
        sig_lines += [p for p in rest[k:]]
    _signer(result, [plain(s) for s in sig_lines])
    inferred = infer_issuer(result, [p for i, p in enumerate(plains) if i < limit])
    if notes is not None:
        notes.extend(f"Văn bản dài: {line[2:-2].strip()}; các trường lấy từ phần đầu và phần cuối."
                     for line in plains if is_omitted_line(line))
        notes.extend(inferred)
    return result


_DATE_CUT = re.compile(r"\bngày\s+\S+\s+(tháng(\s+\S+\s+năm)?)?$", re.IGNORECASE)
_HEADS = (_PARTY_HEAD, _STATE_HEAD, _MOTTO)


def _join_wrapped(raw: list[str]) -> list[str]:
    """The header lines a narrow table column wrapped, joined again: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" /
    "VIỆT NAM", "Hải Châu, ngày 12 tháng 11 năm" / "2026"."""
    out: list[str] = []
    for line in raw:
        if out and line:
            last = out[-1]
            both = f"{fold(plain(last))} {fold(plain(line))}"
            head = any(h.startswith(fold(plain(last)) + " ") and h.startswith(both) for h in _HEADS)
            if head or (_DATE_CUT.search(plain(last)) and re.match(r"\d", plain(line))):
                out[-1] = f"{last} {line}"
                continue
        out.append(line)
    return out


_MERGED_SYMBOL_DATE = re.compile(r"^(Số\s*:?[\s\d._…]*[-/]\s*[0-9A-Za-zĐđ][^\s,]*)\s+(\S[^,]{1,60},\s*ngày\b.*)$")


def _split_merged(line: str) -> list[str]:
    """Text extracted from a PDF puts the two header columns on one line:
    "Số: 12/QĐ-UBND Ba Đình, ngày …" is the symbol line and the date line."""
    m = _MERGED_SYMBOL_DATE.match(plain(line))
    return [m.group(1), m.group(2)] if m else [line]


def _computed_symbol(result: dict, style: str, doc_type: str) -> str | None:
    """The symbol the renderer would print for these fields (None if unknown)."""
    try:
        day = dt.date.fromisoformat(result["date"]) if result["date"] else None
        rules = rules_for(style, None, day)
        draft = SimpleNamespace(symbol=None, number=result["number"], type=doc_type,
                                issuer=SimpleNamespace(code=result["issuer"]["code"], unit=result["issuer"]["unit"]))
        return symbol_text(draft, rules)
    except Exception:  # unknown type or rules: keep what the document printed
        return None


def _imposed_emphasis(style: str, date: str | None) -> dict[str, tuple[bool, bool]]:
    """(bold, italic) the layout gives every line of the preamble and of the body."""
    rules = rules_for(style, None, dt.date.fromisoformat(date) if date else None)
    return {role: (rules.element(role).bold, rules.element(role).italic) for role in ("preamble", "body")}


def _drop_imposed(line: str, imposed: tuple[bool, bool]) -> str:
    """A line without the emphasis its element imposes on the whole of it; a
    heading ("# ", bold by rule) without its bold."""
    heading = line.startswith("# ")
    text = line[2:] if heading else line
    spans = parse_inline(text)
    solid = [s for s in spans if s.text.strip()]
    if not solid:
        return line
    bold = (heading or imposed[0]) and all(s.bold for s in solid)
    italic = imposed[1] and not heading and all(s.italic for s in solid)
    if not (bold or italic):
        return line
    spans = [Span(s.text, bold=s.bold and not bold, italic=s.italic and not italic, underline=s.underline)
             for s in spans]
    return ("# " if heading else "") + spans_to_markup(spans)


def _rejoin(paras: list[str]) -> list[str]:
    """Rejoin paragraphs split by a page break: no final stop, next starts in lower case."""
    out: list[list[str]] = []  # each paragraph's parts, joined once: linear in the text
    last_end = ""  # the plain text of the last part of the last paragraph
    for p in paras:
        text = plain(p)
        if out and text[:1].islower() and not re.search(r"[.:;!?…]\W*$", last_end):
            out[-1].append(" " + p)
        else:
            out.append([p])
        last_end = text[-200:]
    return ["".join(parts) for parts in out]


_LIST_ITEM = re.compile(r"^[-–—•+]\s")


_TITLE_TAIL = re.compile(r"^(.*?[;:.])\s+([^\W\d_]{2,}(?:\s+[^\W\d_]{2,})+)$")


def _title_tail(line: str) -> str:
    """A Nơi nhận line with the signature's title run into it after its ";" gives that title."""
    m = _TITLE_TAIL.match(line)
    return m[2] if m and is_upper(m[2]) else line


def _headless_signature(plains: list[str]) -> int | None:
    """Where the signature block starts when OCR lost the "Nơi nhận" heading: the last "TM./KT./TL."
    line in capitals that a list item ("- Như trên;") follows within a few lines."""
    for i in range(len(plains) - 1, -1, -1):
        p = plains[i]
        if is_upper(p) and _AUTHORITY.match(p):
            return i if any(_LIST_ITEM.match(q) for q in plains[i + 1:i + 6]) else None
    return None


def _signer(result: dict, lines: list[str]) -> None:
    # A list item ("- VPUB: CVP, PCVP;") is a Nơi nhận line, never part of the signature; but
    # the signature's title may be run into one, after its ";" ("- PCT UBND tỉnh; CHÁNH VĂN PHÒNG").
    lines = [_title_tail(line) if _LIST_ITEM.match(line) else line for line in lines]
    lines = [line for line in lines if line and not _is_separator(line) and not _LIST_ITEM.match(line)]
    # Drop digital-signature stamps: a time stamp, the agency line above it and
    # the unaccented signer name above that.
    drop = set()
    for i, line in enumerate(lines):
        if _STAMP.search(line):
            drop.add(i)
            if i >= 1 and not is_upper(lines[i - 1]):
                drop.add(i - 1)
            if i >= 2 and lines[i - 2].isascii() and not is_upper(lines[i - 2]):
                drop.add(i - 2)
    lines = [line for i, line in enumerate(lines) if i not in drop]
    authority = [line for line in lines if is_upper(line) and _AUTHORITY.match(line)]
    titles = [line for line in lines if is_upper(line) and not _AUTHORITY.match(line)]
    names = [line for line in lines if not is_upper(line) and len(line.split()) <= 6
             and not re.search(r"[,;:]$", line)]
    result["signer"] = {
        "authority": "\n".join(authority) or None,
        "title": "\n".join(titles) or None,
        "name": names[-1] if names else None,
    }


def parse_file(path: str | Path, notes: list[str] | None = None, data: bytes | None = None,
               reading: dict | None = None) -> dict:
    """Read a .txt, .docx or .pdf received document into a draft-format dict (see parse_text for
    `notes`); `data` are its bytes when the caller has read them (see text_of.lines_of).
    `reading`, when given, is filled with how it was read (confidence.reading_of: "ocr",
    "handwritten", "confidence"), which is no part of the draft format."""
    lines = lines_of(path, data)
    parsed = parse_text(lines, notes)
    if reading is not None:
        reading.update(reading_of(parsed, scan=lines.scan, handwritten=lines.handwritten))
    return parsed
