"""The reading of a received document's lines, zone by zone.

parse.parse_text runs these phases in order on one `Doc` (the lines, what each phase found, the
lines already taken): the ends of the text (`ends`: "Nơi nhận", or a signature without it),
the header (`national`, `number_line`, `date_line`, `title`, `type_and_code`, `markings`,
`issuer`), then `subject`, `recipients`, `body` and `signature` (Nơi nhận and the signer). Each
phase writes its fields into `doc.result`, the draft-format dict, and marks the lines it used.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from dirdesk.draft import FORMAT_VERSION, SECRECIES, URGENCIES
from dirdesk.intake.issuer import split_parent
from dirdesk.intake.signers import peel_signatures, split_joint_issuer, split_signatures
from dirdesk.intake.wording import (
    AUTHORITY,
    DATE,
    LIST_ITEM,
    MOTTO,
    PARTY_HEAD,
    PREAMBLE_START,
    STAMP,
    STATE_HEAD,
    SYMBOL,
    TITLE_TAIL,
    abbr_to_code,
    computed_symbol,
    drop_imposed,
    headless_signature,
    imposed_emphasis,
    is_national,
    is_scribble,
    is_separator,
    is_type_name,
    is_upper,
    plain,
    rejoin,
    strip_item,
    title_tail,
    type_by_name,
)
from dirdesk.rules import doc_types
from dirdesk.text import fold, upper_vi

_RECIPIENT_HEAD = ("kinh gui", "kinh trinh")
_SPECKS = "_'\"`~ "  # what OCR leaves at the ends of a signature's lines ("_Nguyễn Đức Giang")


def empty_result() -> dict:
    return {
        "dirdesk": FORMAT_VERSION, "style": None, "edition": None, "type": None,
        "issuer": {"parent": None, "name": None, "code": None, "unit": None},
        "number": None, "symbol": None, "place": None, "date": None, "title": None,
        "subject": None, "recipients": [], "preamble": None, "body": None, "cc": [],
        "cc_note": None, "signer": {"authority": None, "title": None, "name": None},
        "urgency": None, "secrecy": None,
    }


@dataclass
class Doc:
    """The lines being read (as markup and as plain text) and what the phases found so far."""

    raw: list[str]
    plains: list[str]
    result: dict = field(default_factory=empty_result)
    used: set[int] = field(default_factory=set)
    cc_at: int | None = None  # "Nơi nhận"
    headless: int | None = None  # the signature's TM./KT./TL. line when "Nơi nhận" is missing
    limit: int = 0  # the end of the text proper
    style: str | None = None
    sym_at: int | None = None
    sym_parts: tuple | None = None  # (number, separator, the rest of the symbol)
    title_at: int | None = None
    title_type: tuple[str, str, str] | None = None
    doc_type: str | None = None
    recip_at: int | None = None
    header_end: int = 0
    tail: list[str] = field(default_factory=list)  # a signature block left at the end of the body


def ends(doc: Doc) -> None:
    plains = doc.plains
    doc.cc_at = next((i for i, p in enumerate(plains) if fold(p).startswith("noi nhan")), None)
    doc.headless = headless_signature(plains) if doc.cc_at is None else None
    doc.limit = doc.cc_at if doc.cc_at is not None else doc.headless if doc.headless is not None else len(plains)


def national(doc: Doc) -> None:
    """The style from the national header ("ĐẢNG CỘNG SẢN VIỆT NAM" or the quốc hiệu), and its lines."""
    for i, p in enumerate(doc.plains[:doc.limit]):
        f = fold(p)
        if f == PARTY_HEAD:
            doc.style = "party"
            doc.used.add(i)
        elif f.startswith(STATE_HEAD):
            doc.style = "state"
            doc.used.add(i)
        elif f.replace("–", "-") == MOTTO:
            doc.used.add(i)


def number_line(doc: Doc) -> None:
    """The "Số: …" line: the number and the rest of the symbol (the style from its separator)."""
    doc.sym_at = next((i for i, p in enumerate(doc.plains[:doc.limit]) if SYMBOL.match(p)), None)
    if doc.sym_at is None:
        return
    doc.used.add(doc.sym_at)
    m = SYMBOL.match(doc.plains[doc.sym_at])
    number, sep, rest = int(m.group(1)) if m.group(1) else None, m.group(2), re.sub(r"\s+", "", m.group(3))
    doc.sym_parts = (number, sep, rest)
    if doc.style is None:
        doc.style = "party" if sep == "-" else "state"
    doc.result["number"] = number


def date_line(doc: Doc) -> None:
    """The place and date line ("Quảng Ngãi, ngày 04 tháng 02 năm 2025")."""
    for i, p in enumerate(doc.plains[:doc.limit]):
        m = DATE.match(p)
        if m and len(p) < 90:
            day = None
            if m.group(2) and m.group(3):
                try:
                    day = dt.date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
                except ValueError:
                    continue
            doc.result["place"] = m.group(1).strip()
            doc.result["date"] = day.isoformat() if day else None
            doc.used.add(i)
            return


def title(doc: Doc) -> None:
    """The printed type name (the title), only before the body proper. A line that is a type's name
    exactly wins over one that is only like one ("THÔNG TIN", the end of "PHÒNG VĂN HÓA VÀ THÔNG
    TIN", is like "THÔNG TRI"); of a known style, its types only."""
    order = [doc.style] if doc.style else ["party", "state"]
    candidates = []
    for i, p in enumerate(doc.plains[:min(doc.limit, 61)]):
        if i in doc.used or not p or not is_upper(p) or fold(p).endswith(":"):
            continue
        found = type_by_name(p, order)
        if found:
            candidates.append((i, found))
            if is_type_name(p, found):
                break
    if candidates:
        doc.title_at, doc.title_type = next(((i, f) for i, f in candidates if is_type_name(doc.plains[i], f)),
                                            candidates[0])
        doc.used.add(doc.title_at)
        doc.style = doc.style or doc.title_type[0]
    doc.style = doc.style or "party"
    doc.result["style"] = doc.style


def _from_symbol(doc: Doc) -> str | None:
    """The type and the issuer code (and unit) the symbol's letters give."""
    _, _, rest = doc.sym_parts
    issuer = doc.result["issuer"]
    if doc.style == "party":
        abbr, _, code = rest.partition("/")
        issuer["code"] = code or None
        return "CV" if abbr.upper() == "CV" else abbr_to_code(abbr, doc.style)
    # A legal document's symbol may carry its year: "37/2007/QĐ-UBND".
    tokens = re.sub(r"^(19|20)\d\d/", "", rest).split("-")
    code = abbr_to_code(tokens[0], doc.style) if tokens else None
    if code and code != "CV" and len(tokens) > 1:
        issuer["code"], issuer["unit"] = tokens[1], "-".join(tokens[2:]) or None
        return code
    issuer["code"], issuer["unit"] = tokens[0] or None, "-".join(tokens[1:]) or None
    return "CV"


def type_and_code(doc: Doc) -> None:
    """The type (from the symbol, else the title), the symbol when printed otherwise than the rules
    print it, and the title when it is not the type's own name."""
    style, result = doc.style, doc.result
    doc_type = _from_symbol(doc) if doc.sym_parts else None
    if doc_type != "CV" and doc.title_type and doc.title_type[1] in doc_types(style):
        doc_type = doc.title_type[1]
    doc.doc_type = result["type"] = doc_type
    if doc.sym_parts and doc.sym_parts[0] is not None and doc_type:
        printed = f"{SYMBOL.match(doc.plains[doc.sym_at]).group(1)}{doc.sym_parts[1]}{doc.sym_parts[2]}"
        if printed != computed_symbol(result, style, doc_type):
            result["symbol"] = printed
    if doc.title_type and doc_type and doc_type in doc_types(style):
        printed = upper_vi(doc.plains[doc.title_at]).rstrip(":").strip()
        name = fold(doc_types(style)[doc_type].name)
        if fold(printed) != name and difflib.SequenceMatcher(None, fold(printed), name).ratio() < 0.85:
            result["title"] = printed


def markings(doc: Doc) -> None:
    """Độ khẩn and độ mật, each a line of its own."""
    for i, p in enumerate(doc.plains[:doc.limit]):
        f = fold(p)
        for value in URGENCIES + ("HOẢ TỐC",):
            if f == fold(value):
                doc.result["urgency"] = "HỎA TỐC" if fold(value) == fold("HỎA TỐC") else value
                doc.used.add(i)
        for value in SECRECIES:
            if f == fold(value):
                doc.result["secrecy"] = value
                doc.used.add(i)


def issuer(doc: Doc) -> None:
    """The issuer: the first run of capital lines of the header; a superior body split off."""
    plains = doc.plains
    doc.header_end = max([i for i in (doc.sym_at, doc.title_at) if i is not None] + [0])
    doc.recip_at = next((i for i, p in enumerate(plains[:doc.limit])
                         if fold(strip_item(p)).startswith(_RECIPIENT_HEAD)), None)
    scan_to = min(x for x in (doc.recip_at, doc.title_at, doc.limit, 40) if x is not None)
    lines = []
    for i in range(scan_to):
        p = plains[i]
        if i in doc.used:  # the national header or the date line, interleaved with the issuer's lines
            continue
        if not p or is_separator(p):
            if lines:
                break
            continue
        if is_upper(p) and not DATE.match(p) and not SYMBOL.match(p):
            lines.append(p)
            doc.used.add(i)
        elif lines:
            break
    if not lines:
        return
    parent, lines = split_parent(doc.style, lines)
    if parent is None and len(lines) > 1:
        if doc.style == "party" and fold(lines[0]).startswith("dang bo"):
            parent = lines.pop(0)
        elif doc.style != "party" and fold(lines[0]) not in ("uy ban nhan dan", "hoi dong nhan dan"):
            parent = lines.pop(0)
    doc.result["issuer"]["parent"] = parent
    doc.result["issuer"]["name"] = "\n".join(lines)


def _ends_subject(doc: Doc, i: int, taken: list[str]) -> bool:
    p = doc.plains[i]
    if (not p or i in doc.used or is_separator(p) or DATE.match(p) or is_national(p)
            or fold(strip_item(p)).startswith(_RECIPIENT_HEAD) or SYMBOL.match(p)):
        return True
    if doc.doc_type == "CV" and is_upper(p):
        return True
    if taken and (p.startswith(PREAMBLE_START) or is_upper(p)):
        return True
    # a sentence: the text has begun (extracted text has no blank line between)
    return bool(taken and p.lstrip("[(\"“")[:1].isupper() and re.search(r"[.:;!?][)\]]?$", p))


def subject(doc: Doc) -> None:
    """The trích yếu: for a công văn the lines under the symbol; otherwise under the title."""
    known = doc_types(doc.style).get(doc.doc_type or "") if doc.style in ("party", "state") else None
    if known is not None and not known.subject:  # giấy giới thiệu (Mẫu 1.8): the text follows the title
        doc.result["subject"] = known.label[:1].upper() + known.label[1:]
        return
    anchor = doc.sym_at if doc.doc_type == "CV" or doc.title_at is None else doc.title_at
    taken: list[str] = []
    end = anchor
    if anchor is not None:
        i = anchor + 1
        while i < doc.limit and (not doc.plains[i] or is_separator(doc.plains[i])):  # the rule under a title
            i += 1
        while i < doc.limit and not _ends_subject(doc, i, taken):
            taken.append(doc.plains[i])
            doc.used.add(i)
            end = i
            i += 1
    doc.result["subject"] = " ".join(taken) or None
    if end is not None:
        doc.header_end = max(doc.header_end, end)


def _recipient_line(doc: Doc, p: str, found: list[str], last: int) -> bool:
    """Take line `p` into the recipients `found` (True), or say the list has ended (False)."""
    if not found and len(p.split()) <= 20 and not p.startswith(PREAMBLE_START):
        found.append(strip_item(p))  # "Kính gửi:" alone, the one recipient on the next line without a dash
        return True
    if found and p[:1].islower() and len(p.split()) <= 20 and not re.search(r"[;.:]\s*$", doc.plains[last]):
        # a recipient's name wrapped onto the next line ("- Bộ trưởng Bộ Nội vụ, Tổ phó Tổ
        # công tác cải cách" / "thủ tục hành chính của Thủ tướng Chính phủ.")
        found[-1] = f"{found[-1]} {strip_item(p)}"
        return True
    if re.match(r"^[-–—•+]\s*", p) and not re.match(r"^[-–—]\s*\d", p):
        if item := strip_item(p):
            found.append(item)
        return True
    return False


def recipients(doc: Doc) -> None:
    """"Kính gửi:" and the recipients: on its line ("A; B; C."), or one a line under it."""
    if doc.recip_at is None:
        return
    doc.used.add(doc.recip_at)
    first = re.sub(r"^Kính (gửi|trình)\s*:?\s*", "", strip_item(doc.plains[doc.recip_at]), flags=re.IGNORECASE)
    found = [strip_item(part) for part in first.split(";") if strip_item(part)] if strip_item(first) else []
    last = doc.recip_at
    for i in range(doc.recip_at + 1, doc.limit):
        p = doc.plains[i]
        if not p or i in doc.used:
            continue
        if not _recipient_line(doc, p, found, last):
            break
        doc.used.add(i)
        last = i
    doc.result["recipients"] = found
    doc.header_end = max(doc.header_end, last)


def _preamble(paras: list[str], doc_type: str | None) -> tuple[list[str], list[str]]:
    """The căn cứ lines before the body of a document other than a công văn, and the body."""
    if doc_type == "CV":
        return [], paras
    k = 1 if paras and is_upper(plain(paras[0])) and not plain(paras[0]).endswith(":") else 0
    j = k
    while j < len(paras) and plain(paras[j]).startswith(PREAMBLE_START):
        j += 1
    if j == k:
        return [], paras
    preamble = paras[:j]
    if k:
        preamble[0] = "# " + plain(preamble[0])
    return preamble, paras[j:]


def body(doc: Doc) -> None:
    """The preamble and body: every line between the header and the end of the text."""
    doc.header_end = max([doc.header_end] + [i for i in doc.used if i < doc.limit])
    paras: list[str] = []
    for i in range(doc.header_end + 1, doc.limit):
        if i in doc.used or not doc.raw[i] or is_separator(doc.plains[i]):
            continue
        if doc.plains[i].isdigit() and len(doc.plains[i]) <= 3:  # a page number left in extracted text
            continue
        paras.append(doc.raw[i])
    if doc.cc_at is None:  # without "Nơi nhận", a trailing signature block is not body
        while paras and (is_upper(plain(paras[-1])) or STAMP.search(paras[-1])
                         or (len(plain(paras[-1]).split()) <= 5 and not re.search(r"[.;:,]$", paras[-1]))):
            doc.tail.insert(0, paras.pop())
    else:  # two signatures stand above "Nơi nhận" (Phụ lục III Mẫu 1.9)
        doc.tail[:0] = peel_signatures(paras)
    preamble, paras = _preamble(rejoin(paras), doc.doc_type)
    paras = ["# " + plain(p) if is_upper(plain(p)) and plain(p).endswith(":") else p for p in paras]
    imposed = imposed_emphasis(doc.style, doc.result["date"])
    doc.result["preamble"] = "\n".join(drop_imposed(p, imposed["preamble"]) for p in preamble) or None
    doc.result["body"] = "\n".join(drop_imposed(p, imposed["body"]) for p in paras) or None


def _cc_list(rest: list[str]) -> tuple[list[str], list[str], int]:
    """The Nơi nhận items, the note lines before them, and where the signature's lines start."""
    items: list[str] = []
    note: list[str] = []
    last_raw = ""
    k = 0
    while k < len(rest):
        p = rest[k]
        if not p:
            k += 1
            # a blank between items (a Word file's paragraphs) does not end the list
            if items and not LIST_ITEM.match(next((q for q in rest[k:] if q), "")):
                break
            continue
        if re.match(r"^[-–—•+]\s*", p):
            if item := strip_item(p):
                items.append(item)
                last_raw = p
        # A line under an item goes on with it unless the item has ended (";", ".");
        # an item ending in "," ("Các Sở: Tài chính,") always goes on.
        elif (items and not is_upper(p) and not AUTHORITY.match(p) and not STAMP.search(p)
              and (not re.search(r"[,;.]$", last_raw) or last_raw.endswith(","))):
            last_raw = last_raw + " " + p
            items[-1] = strip_item(last_raw)
        elif not items and not is_upper(p) and not AUTHORITY.match(p):
            note.append(p)
        else:
            break
        k += 1
    return items, note, k


def signature(doc: Doc) -> None:
    """Nơi nhận, then the signature block (or the signature whose Nơi nhận heading was lost)."""
    sig_lines: list[str] = list(doc.tail)
    if doc.headless is not None:
        block = doc.plains[doc.headless:]
        doc.result["cc"] = [strip_item(TITLE_TAIL.sub(r"\1", line)) for line in block if LIST_ITEM.match(line)]
        sig_lines += block
    if doc.cc_at is not None:
        first = re.sub(r"^Nơi nhận\s*:?\s*", "", doc.plains[doc.cc_at], flags=re.IGNORECASE)
        rest = ([first] if first else []) + doc.plains[doc.cc_at + 1:]
        items, note, k = _cc_list(rest)
        # A long list runs on under the signature (its rows after the signer's, dirdesk.layout.keep).
        items += [item for line in rest[k:] if LIST_ITEM.match(line) and (item := strip_item(line))]
        doc.result["cc"] = items
        doc.result["cc_note"] = " ".join(note) or None
        sig_lines += rest[k:]
    signer(doc.result, [plain(s) for s in sig_lines])


def signer(result: dict, lines: list[str]) -> None:
    """The signer (and a second signer, a confirmation of the signature) from the signature's lines."""
    main, second, confirm = split_signatures(_signature_lines(lines))
    result["signer"] = _signer_fields(main)
    for key, part in (("signer2", second), ("signer_confirm", confirm)):
        if part:
            result[key] = _signer_fields(part)


def _signature_lines(lines: list[str]) -> list[str]:
    """The signature block's lines without Nơi nhận items, digital-signature stamps and scribbles."""
    # A list item ("- VPUB: CVP, PCVP;") is a Nơi nhận line, never part of the signature; but
    # the signature's title may be run into one, after its ";" ("- PCT UBND tỉnh; CHÁNH VĂN PHÒNG").
    lines = [title_tail(line) if LIST_ITEM.match(line) else line for line in lines]
    lines = [line for line in lines if line and not is_separator(line) and not LIST_ITEM.match(line)]
    # Drop digital-signature stamps: a time stamp, the agency line above it and
    # the unaccented signer name above that.
    drop = set()
    for i, line in enumerate(lines):
        if STAMP.search(line):
            drop.add(i)
            if i >= 1 and not is_upper(lines[i - 1]):
                drop.add(i - 1)
            if i >= 2 and lines[i - 2].isascii() and not is_upper(lines[i - 2]):
                drop.add(i - 2)
    lines = [line.strip(_SPECKS) for i, line in enumerate(lines) if i not in drop]
    return [line for line in lines if line and not is_scribble(line)]


def _signer_fields(lines: list[str]) -> dict:
    """The authority (TM./KT./TL. lines), title and name of one signature."""
    authority = [line for line in lines if is_upper(line) and AUTHORITY.match(line)]
    titles = [line for line in lines if is_upper(line) and not AUTHORITY.match(line)]
    names = [line for line in lines if not is_upper(line) and len(line.split()) <= 6
             and not re.search(r"[,;:]$", line)]
    return {
        "authority": "\n".join(authority) or None,
        "title": "\n".join(titles) or None,
        "name": names[-1] if names else None,
    }


def joint_issuer(doc: Doc) -> None:
    """A Party document of two bodies (liên tịch): the second body out of the issuer's name and code."""
    if doc.style == "party" and (split := split_joint_issuer(doc.result["issuer"])):
        doc.result["issuer"], doc.result["co_issuer"] = split


PHASES = (ends, national, number_line, date_line, title, type_and_code, markings, issuer, subject, recipients,
          body, signature, joint_issuer)
