"""The wording a received document is read by: its fixed lines (quốc hiệu, "Số:", the date
line, "Kính gửi", "Nơi nhận", TM./KT./TL.), the type names, and the line-level repairs of
extracted text (lines a narrow column wrapped, a number line run into the date line). Used by
the reading phases (zones.py); nothing here decides a field.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from types import SimpleNamespace

from dirdesk.markup import Span, parse_inline, spans_to_markup
from dirdesk.rules import doc_types, rules_for
from dirdesk.symbols import symbol_text
from dirdesk.text import fold, upper_vi

# --- text helpers -------------------------------------------------------------

ESCAPED = re.compile(r"\\([\\*_])")


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


def strip_item(text: str) -> str:
    text = re.sub(r"^[-–—•+]\s*", "", text.strip())
    text = text.replace(" | ", " - ")
    return text.rstrip(" ,.;:-").strip()


_VOWEL = re.compile(r"[aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.IGNORECASE)


def is_scribble(line: str) -> bool:
    """A line OCR made of a handwritten signature ("YÀY) ¡WW", "'WVWV", "7) XZXZ"): marks that are
    no letters, or a word without a vowel, which no Vietnamese word is, unless it is an
    abbreviation in capitals ("TM.", "BCH"; but not "WW": no Vietnamese letter is w, z, f or j)."""
    if re.search(r"[^\w\s.,/()\[\]…-]", line):  # "[Họ và tên]", "(đã ký)" are a template's, not marks
        return True
    words = re.findall(r"[^\W\d_]+", line)
    return not words or any(len(w) > 1 and not _VOWEL.search(w)
                            and (not w.isupper() or re.search(r"[WZFJ]", w)) for w in words)


SYMBOL = re.compile(r"^Số\s*:?\s*(\d*)[\s._…]*([-/])\s*([0-9A-Za-zĐđ][0-9A-Za-zĐđ\-/ .]*)$")
DATE = re.compile(r"^([^,\d]{2,60}),\s*ngày\s*(\d{1,2})?[\s._…]*tháng\s*(\d{1,2})?[\s._…]*năm\s+(\d{4})\b")
STAMP = re.compile(r"\d{4}[.\-/]\d{2}[.\-/]\d{2}\s+\d{2}:\d{2}(:\d{2})?")
AUTHORITY = re.compile(r"^(T/M|TM\.|TM |K/T|KT\.|KT |T/L|TL\.|TL |TUQ\.|Q\.|Q/|THAY MẶT|KÝ THAY|THỪA LỆNH)",
                        re.IGNORECASE)
PREAMBLE_START = ("Căn cứ", "Thực hiện", "Theo đề nghị", "Xét ", "Theo ", "(Ban hành kèm theo")
# Lines are compared folded (dirdesk.text.fold): lower case, no diacritics, đ as d, one space.
PARTY_HEAD = "dang cong san viet nam"
STATE_HEAD = "cong hoa xa hoi chu nghia viet nam"
MOTTO = "doc lap - tu do - hanh phuc"


def is_national(p: str) -> bool:
    f = fold(p)
    return f in (PARTY_HEAD, STATE_HEAD) or f.replace("–", "-") == MOTTO or f.startswith(STATE_HEAD)


def is_separator(p: str) -> bool:
    return bool(p) and set(p) <= set("*-_ ") and len(p) <= 20


def type_by_name(p: str, style_order: list[str]) -> tuple[str, str, str] | None:
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


def is_type_name(p: str, found: tuple[str, str, str]) -> bool:
    return fold(p).rstrip(":").strip() == fold(doc_types(found[0])[found[1]].name)


def abbr_to_code(abbr: str, style: str) -> str | None:
    for code, t in doc_types(style).items():
        if abbr == code or abbr in t.abbr_by_edition.values():
            return code
    folded = fold(abbr)
    for code in doc_types(style):
        if fold(code) == folded:
            return code
    return None


# --- the parser ---------------------------------------------------------------
DATE_CUT = re.compile(r"\bngày\s+\S+\s+(tháng(\s+\S+\s+năm)?)?$", re.IGNORECASE)
HEADS = (PARTY_HEAD, STATE_HEAD, MOTTO)


def join_wrapped(raw: list[str]) -> list[str]:
    """The header lines a narrow table column wrapped, joined again: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" /
    "VIỆT NAM", "Hải Châu, ngày 12 tháng 11 năm" / "2026"."""
    out: list[str] = []
    for line in raw:
        if out and line:
            last = out[-1]
            both = f"{fold(plain(last))} {fold(plain(line))}"
            head = any(h.startswith(fold(plain(last)) + " ") and h.startswith(both) for h in HEADS)
            if head or (DATE_CUT.search(plain(last)) and re.match(r"\d", plain(line))):
                out[-1] = f"{last} {line}"
                continue
        out.append(line)
    return out


MERGED_SYMBOL_DATE = re.compile(r"^(Số\s*:?[\s\d._…]*[-/]\s*[0-9A-Za-zĐđ][^\s,]*)\s+(\S[^,]{1,60},\s*ngày\b.*)$")


def split_merged(line: str) -> list[str]:
    """Text extracted from a PDF puts the two header columns on one line:
    "Số: 12/QĐ-UBND Ba Đình, ngày …" is the symbol line and the date line."""
    m = MERGED_SYMBOL_DATE.match(plain(line))
    return [m.group(1), m.group(2)] if m else [line]


def computed_symbol(result: dict, style: str, doc_type: str) -> str | None:
    """The symbol the renderer would print for these fields (None if unknown)."""
    try:
        day = dt.date.fromisoformat(result["date"]) if result["date"] else None
        rules = rules_for(style, None, day)
        draft = SimpleNamespace(symbol=None, number=result["number"], type=doc_type, co_issuer=None,
                                issuer=SimpleNamespace(code=result["issuer"]["code"], unit=result["issuer"]["unit"]))
        return symbol_text(draft, rules)
    except Exception:  # unknown type or rules: keep what the document printed
        return None


def imposed_emphasis(style: str, date: str | None) -> dict[str, tuple[bool, bool]]:
    """(bold, italic) the layout gives every line of the preamble and of the body."""
    rules = rules_for(style, None, dt.date.fromisoformat(date) if date else None)
    return {role: (rules.element(role).bold, rules.element(role).italic) for role in ("preamble", "body")}


def drop_imposed(line: str, imposed: tuple[bool, bool]) -> str:
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


def rejoin(paras: list[str]) -> list[str]:
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


LIST_ITEM = re.compile(r"^[-–—•+]\s")


TITLE_TAIL = re.compile(r"^(.*?[;:.])\s+([^\W\d_]{2,}(?:\s+[^\W\d_]{2,})+)$")


def title_tail(line: str) -> str:
    """A Nơi nhận line with the signature's title run into it after its ";" gives that title."""
    m = TITLE_TAIL.match(line)
    return m[2] if m and is_upper(m[2]) else line


def headless_signature(plains: list[str]) -> int | None:
    """Where the signature block starts when OCR lost the "Nơi nhận" heading: the last "TM./KT./TL."
    line in capitals that list items ("- Như trên;") follow within a few lines (OCR's order of
    the two columns), or the first of the items just above it (the text layer's)."""
    for i in range(len(plains) - 1, -1, -1):
        p = plains[i]
        if is_upper(p) and AUTHORITY.match(p):
            j = i
            while j > 0 and (LIST_ITEM.match(plains[j - 1]) or not plains[j - 1]):
                j -= 1
            while j < i and not plains[j]:
                j += 1
            if j < i:
                return j
            return i if any(LIST_ITEM.match(q) for q in plains[i + 1:i + 6]) else None
    return None

