"""The checks of the signing, Nơi nhận, title, date and type, and the machinery they share.

`check_draft(draft)` picks the rule set of the draft (style, edition, date),
runs every function in CHECKS and returns Findings. A Finding names the draft
field it concerns, tells the clerk in Vietnamese what is wrong and what to
write instead, cites the rule's source and is an "error" or a "warning".

Every rule-specific value (signing prefixes, collective bodies, archive line
forms, flags) is read from the rule set (resources/rules/*.toml, tables
[signing] and [cc]); this module only compares. It is core code: no GUI.
To add a check, write `def _check_x(c: _Context) -> Iterator[Finding]` and
append it to CHECKS (here, or in a module of this package by theme: see
dirdesk/checks/__init__.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from dirdesk.checks.data import check_values
from dirdesk.draft import Draft
from dirdesk.glyphs import check_glyphs
from dirdesk.rules import RuleSet, rules_for
from dirdesk.text import same_form, upper_vi

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "LỖI", WARNING: "CẢNH BÁO"}
_STYLE_NAMES = {"party": "văn bản của Đảng", "state": "văn bản hành chính nhà nước"}
_TYPO_DISTANCE = 2  # a title this close to the type's name is a misspelling
_VV = "v/v"  # the lead-in the flags cv_subject_needs_vv / cv_subject_no_vv are about


@dataclass(frozen=True)
class Finding:
    code: str  # stable short id, e.g. "signing.prefix-foreign"
    field: str  # the draft field, e.g. "signer.authority", "cc"
    message: str  # Vietnamese, one sentence
    source: str  # e.g. "Nghị định 30/2020/NĐ-CP, Phụ lục I"
    severity: str  # ERROR or WARNING


@dataclass(frozen=True)
class _Context:
    draft: Draft
    rules: RuleSet
    today: dt.date

    def finding(self, code: str, field: str, message: str, severity: str = ERROR,
                table: dict | None = None, cite: str | None = None) -> Finding:
        """A Finding whose source is the rule set's, plus `cite` or else the table's `cite` if any."""
        cite = cite or (table or {}).get("cite")
        source = f"{self.rules.source}, {cite}" if cite else self.rules.source
        return Finding(code, field, message, source, severity)

    def doc_type(self):
        return self.rules.types.get(self.draft.type)

    def values(self) -> dict:
        """The rule set's table of resources/rules/checks.toml (empty: those checks are off)."""
        return check_values(self.rules)


# --- text helpers -----------------------------------------------------------

def norm(text: str | None) -> str:
    """Comparison key: upper case, NFC, single spaces, tone marks placed the new way."""
    # Not text.fold on purpose: the checks compare printed words, where a missing or wrong tone
    # mark is a finding; only the old and the new placement of a tone mark count as the same.
    return same_form(text)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _split_prefix(line: str, prefixes: Iterable[str]) -> tuple[str | None, str]:
    """("T/M", "BAN THƯỜNG VỤ") for "T/M BAN THƯỜNG VỤ"; (None, line) without a prefix."""
    for p in sorted(prefixes, key=len, reverse=True):
        if line.startswith(p) and (p.endswith(".") or len(line) == len(p) or line[len(p)] == " "):
            return p, line[len(p):].strip()
    return None, line


def _authority_lines(draft: Draft, signer=None) -> list[str]:
    return [norm(line) for line in ((signer or draft.signer).authority or "").split("\n") if line.strip()]


def _signers(draft: Draft):
    """(field, signer) of each signature the draft prints: the signer, a second one, a confirmation."""
    for key, signer in (("signer", draft.signer), ("signer2", draft.signer2), ("signer_confirm", draft.signer_confirm)):
        if signer is not None:
            yield key, signer


def _bodies(c: _Context) -> list[str]:
    return list(dict.fromkeys(norm(b) for b in c.rules.signing.get("collective_bodies", [])))


def _starting_body(text: str, bodies: list[str]) -> str | None:
    """The collective body `text` starts with ("ĐẢNG ỦY" for "ĐẢNG ỦY PHƯỜNG X")."""
    for body in sorted(bodies, key=len, reverse=True):
        if text == body or text.startswith(body + " "):
            return body
    return None


# --- the checks ---------------------------------------------------------------

def _check_signing_prefix(c: _Context) -> Iterator[Finding]:
    """1. A Party document signed "TM." or a state one signed "T/M"."""
    s = c.rules.signing
    own, foreign = s["prefixes"], s["foreign_prefixes"]
    other = _STYLE_NAMES["state" if c.draft.style == "party" else "party"]
    for key, signer in _signers(c.draft):
        for line in _authority_lines(c.draft, signer):
            prefix, rest = _split_prefix(line, [*own, *foreign])
            if prefix is None or prefix in own:
                continue
            right = s.get("prefix_equivalents", {}).get(prefix)
            fix = f"viết '{right} {rest}'" if right else f"dùng một trong {', '.join(own)}"
            yield c.finding("signing.prefix-foreign", f"{key}.authority",
                            f"'{prefix}' là cách ghi quyền hạn của {other}, "
                            f"{_STYLE_NAMES[c.draft.style]} không dùng: {fix}.", ERROR, s)


def _check_collective(c: _Context) -> Iterator[Finding]:
    """2. A collective body (cấp ủy, chi bộ…) signed K/T, or without T/M."""
    bodies = _bodies(c)
    if not bodies:
        return
    s = c.rules.signing
    collective, deputy = s["collective"], s["deputy"]
    allowed = s.get("collective_prefixes", [collective])
    issuer_body = _starting_body(norm(c.draft.issuer.name), bodies)
    for line in _authority_lines(c.draft):
        prefix, rest = _split_prefix(line, [*s["prefixes"], *s["foreign_prefixes"]])
        if prefix in s["foreign_prefixes"]:
            continue  # reported by _check_signing_prefix
        body = _starting_body(rest, bodies)
        if prefix == deputy and body:
            message = f"{body.capitalize()} là tập thể lãnh đạo nên không ký '{deputy}': viết '{collective} {rest}'."
        elif prefix == deputy and issuer_body:
            title = norm(c.draft.signer.title) or f"PHÓ {rest}"
            message = (f"{issuer_body.capitalize()} là tập thể lãnh đạo nên cấp phó không ký '{line}': "
                       f"viết '{collective}' và tên tập thể (ví dụ '{collective} {issuer_body}'), "
                       f"chức vụ '{title}' ở dòng dưới.")
        elif body and prefix not in allowed:
            message = f"{body.capitalize()} là tập thể lãnh đạo, phải ký thay mặt: viết '{collective} {rest}'."
        else:
            continue
        yield c.finding("signing.collective", "signer.authority", message, ERROR, s)


def _check_title_committee(c: _Context) -> Iterator[Finding]:
    """3. The signer's title repeats the committee's name ("BÍ THƯ ĐẢNG ỦY")."""
    if not c.rules.signing.get("title_no_committee") or not c.draft.signer.title:
        return
    if c.draft.co_issuer is not None:  # 05-HD 7.1.2: a joint document names each signer's body
        return
    title = norm(c.draft.signer.title)
    hits = [m for body in _bodies(c) if (m := re.search(rf"(?<!\w){re.escape(body)}(?!\w)", title))]
    if not hits:
        return
    first = min(hits, key=lambda m: m.start())
    short = title[:first.start()].strip()
    fix = f"viết '{short}'" if short else "chỉ ghi chức vụ"
    yield c.finding("signing.title-committee", "signer.title",
                    f"Chức vụ người ký không được ghi kèm tên cấp ủy ('{first.group()}'): {fix}, "
                    f"không viết '{upper_vi(c.draft.signer.title)}'.", ERROR, c.rules.signing)


def _archive_problems(item: str, word: str, cc: dict) -> list[str]:
    rest = item[len(word):].strip()
    wants_colon = cc["archive_prefix"].strip().endswith(":")
    has_colon = rest.startswith(":")
    rest = rest.lstrip(":").strip()
    problems = []
    if has_colon and not wants_colon:
        problems.append("có dấu hai chấm")
    if wants_colon and not has_colon:
        problems.append("thiếu dấu hai chấm")
    if cc.get("archive_forbids_vt") and re.search(r"(?<!\w)VT(?!\w)", rest):
        problems.append("ghi 'VT'")
    if cc.get("archive_needs_vt") and not re.match(r"VT(?!\w)", rest):
        problems.append("thiếu 'VT' (văn thư) ở đầu")
    return problems


def _check_archive(c: _Context) -> Iterator[Finding]:
    """4. Nơi nhận without its "Lưu …" line, a "Lưu" line of the wrong form or not last."""
    cc, table, signer = c.draft.cc, c.rules.cc, c.draft.signer
    word = table["archive_prefix"].strip().rstrip(":").strip()  # "Lưu"
    example = table["archive_example"]
    found = [i for i, item in enumerate(cc)
             if item[:len(word)].casefold() == word.casefold() and not item[len(word):][:1].isalnum()]
    if not found:
        if cc or signer.authority or signer.title or signer.name:
            yield c.finding("cc.archive-missing", "cc",
                            f"Nơi nhận thiếu dòng lưu văn bản: thêm dòng cuối '{example}'.", ERROR, table)
        return
    severity = table.get("archive_form_severity", "off")
    for i in found if severity in (ERROR, WARNING) else ():
        if problems := _archive_problems(cc[i], word, table):
            yield c.finding("cc.archive-form", "cc", f"Dòng lưu '{cc[i]}' {' và '.join(problems)}: "
                            f"viết theo mẫu '{example}'.", severity, table, table.get("archive_form_cite"))
    if found[-1] != len(cc) - 1:
        yield c.finding("cc.archive-not-last", "cc", f"Dòng lưu '{cc[found[-1]]}' phải là dòng cuối "
                        "của Nơi nhận: chuyển nó xuống cuối danh sách.", WARNING, table)


def _check_cv_subject(c: _Context) -> Iterator[Finding]:
    """5. Công văn subject: "V/v …" required (NĐ 30) or forbidden (05-HD)."""
    if c.draft.type != "CV":
        return
    s = c.rules.signing
    subject = c.draft.subject.strip()
    has_vv = subject[:len(_VV)].casefold() == _VV
    rest = _short(re.sub(r"^(v/v|về việc|về)\s+", "", subject, flags=re.IGNORECASE))
    lead = s.get("cv_subject_lead", "")
    if s.get("cv_subject_needs_vv") and not has_vv:
        yield c.finding("subject.vv-missing", "subject", f"Trích yếu công văn phải mở đầu bằng '{lead}': "
                        f"viết '{lead} {rest}'.", ERROR, s)
    elif s.get("cv_subject_no_vv") and has_vv:
        yield c.finding("subject.vv-forbidden", "subject", f"Trích yếu công văn của Đảng không dùng "
                        f"'{subject[:len(_VV)]}': viết '{lead} {rest}'.", s.get("cv_subject_vv_severity", ERROR), s,
                        s.get("cv_subject_vv_cite"))


def _check_title(c: _Context) -> Iterator[Finding]:
    """6. A title (tên loại) misspelt or not matching the type; a công văn with one."""
    doc_type = c.doc_type()
    if not c.draft.title or doc_type is None:
        return
    typed = upper_vi(" ".join(c.draft.title.split()))
    if not doc_type.print_name:
        yield c.finding("title.not-printed", "title", f"{doc_type.label.capitalize()} không có tên loại nên "
                        f"'{typed}' sẽ không được in: xóa tên loại.", WARNING, cite=c.values().get("title_cite"))
        return
    key, want = norm(typed), norm(doc_type.name)
    if key == want:
        return
    other = next((t for t in c.rules.types.values() if t.code != doc_type.code and norm(t.name) == key), None)
    if other is not None:
        yield c.finding("title.other-type", "title", f"Tên loại '{typed}' là tên của loại {other.label} "
                        f"({other.code}), không phải {doc_type.label}: chọn loại {other.code} "
                        f"hoặc sửa tên loại thành '{doc_type.name}'.", WARNING,
                        cite=c.values().get("title_cite"))
    elif edit_distance(key, want) <= _TYPO_DISTANCE:
        yield c.finding("title.misspelt", "title",
                        f"Tên loại '{typed}' sai chính tả: phải là '{doc_type.name}'.", ERROR,
                        cite=c.values().get("title_cite"))
    else:
        yield c.finding("title.mismatch", "title", f"Tên loại '{typed}' khác tên loại '{doc_type.name}' "
                        "của loại văn bản đã chọn: kiểm tra lại loại văn bản hoặc tên loại.", WARNING,
                        cite=c.values().get("title_cite"))


def _check_date(c: _Context) -> Iterator[Finding]:
    """7. A date in the future; a date before the edition chosen explicitly."""
    date = c.draft.date
    if date is None:
        return
    if date > c.today:
        yield c.finding("date.future", "date", f"Ngày ban hành {date:%d/%m/%Y} chưa đến (hôm nay là "
                        f"{c.today:%d/%m/%Y}): ghi đúng ngày ký hoặc để trống để điền tay.", ERROR,
                        cite=c.values().get("date_cite"))
    if c.draft.edition and date < c.rules.in_force_from:
        yield c.finding("date.before-edition", "edition", f"Văn bản ngày {date:%d/%m/%Y} có trước khi "
                        f"{c.rules.source} có hiệu lực ({c.rules.in_force_from:%d/%m/%Y}): bỏ chọn phiên "
                        "bản quy định để dùng quy định có hiệu lực vào ngày ban hành.", WARNING)


def _check_listed(c: _Context) -> Iterator[Finding]:
    """8. A type the style's rules do not list (state KL); its purpose line says what to use."""
    doc_type = c.doc_type()
    if doc_type is None or doc_type.listed:
        return
    hint = doc_type.purpose.split(": ", 1)[1] if ": " in doc_type.purpose else "chọn loại khác trong danh mục."
    yield c.finding("type.not-listed", "type", f"Loại văn bản '{doc_type.label}' không có trong danh mục "
                    f"của {c.rules.source}: {hint}", WARNING, cite=c.values().get("type_cite"))


def _check_cc_first(c: _Context) -> Iterator[Finding]:
    """9. Công văn, tờ trình…: Nơi nhận should start with "Như trên" — the Kính gửi recipients above,
    so a báo cáo sent to no one by name (no Kính gửi) is not asked for it."""
    doc_type = c.doc_type()
    cc = c.draft.cc
    if doc_type is None or not doc_type.cc_first or not cc or not c.draft.recipients:
        return
    forms = c.rules.cc.get("first_line_forms", [doc_type.cc_first])
    if any(cc[0].casefold().startswith(f.casefold()) for f in forms):
        return
    later = next((item for item in cc[1:] if any(item.casefold().startswith(f.casefold()) for f in forms)), None)
    fix = f"chuyển dòng '{later}' lên đầu" if later else f"thêm dòng đầu '{doc_type.cc_first}'"
    yield c.finding("cc.first-line", "cc", f"Nơi nhận của {doc_type.label} phải mở đầu bằng "
                    f"'{doc_type.cc_first}': {fix}.", WARNING, c.rules.cc)


_OWN_DASH = re.compile(r"^[-–—•+]\s*")
_OWN_END = re.compile(r"\s*[;,.:]+$")


def _check_own_punctuation(c: _Context) -> Iterator[Finding]:
    """10. Recipients or cc lines typed with their own dash or final punctuation."""
    for field, items in (("recipients", c.draft.recipients), ("cc", c.draft.cc)):
        for item in items:
            bare = _OWN_END.sub("", _OWN_DASH.sub("", item))
            if bare != item and bare:
                yield c.finding("list.own-punctuation", field, f"Dòng '{item}' đã có gạch đầu dòng hoặc dấu "
                                f"câu: viết '{bare}', chương trình tự thêm khi in.", WARNING,
                                cite=c.values().get("list_cite"))


def _check_signer_complete(c: _Context) -> Iterator[Finding]:
    """11. An authority given but no signer title or name (each signature of the draft)."""
    for key, signer in _signers(c.draft):
        if not signer.authority:
            continue
        line = " / ".join(signer.authority.split("\n"))
        if not signer.title:
            yield c.finding("signing.title-missing", f"{key}.title", f"Có quyền hạn ký '{line}' nhưng thiếu "
                            "chức vụ người ký: ghi chức vụ ở dòng dưới quyền hạn.", WARNING,
                            cite=c.values().get("signer_cite"))
        if not signer.name:
            yield c.finding("signing.name-missing", f"{key}.name", f"Có quyền hạn ký '{line}' nhưng thiếu "
                            "họ tên người ký: ghi họ tên đầy đủ của người ký.", WARNING,
                            cite=c.values().get("signer_cite"))


Check = Callable[[_Context], Iterable[Finding]]
CHECKS: list[Check] = [
    _check_signing_prefix,
    _check_collective,
    _check_title_committee,
    _check_archive,
    _check_cv_subject,
    _check_title,
    _check_date,
    _check_listed,
    _check_cc_first,
    _check_own_punctuation,
    _check_signer_complete,
    check_glyphs,  # dirdesk/glyphs.py: characters the embedded font cannot show
]


def check_draft(draft: Draft, *, today: dt.date | None = None) -> list[Finding]:
    """Every finding of every check, against the rule set in force for the draft."""
    today = today or dt.date.today()
    rules = rules_for(draft.style, draft.edition, draft.date or today)
    context = _Context(draft, rules, today)
    return [finding for check in CHECKS for finding in check(context)]


def format_findings(findings: Iterable[Finding]) -> str:
    """One line per finding: "LỖI signer.authority: … [Hướng dẫn 05-HD/VPTW]"."""
    return "\n".join(f"{SEVERITY_LABELS.get(f.severity, f.severity.upper())} {f.field}: {f.message} [{f.source}]"
                     for f in findings)
