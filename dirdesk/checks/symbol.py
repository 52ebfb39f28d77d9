"""Check of a symbol typed over the computed one (`symbol`): its style's form, its type and issuer."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dirdesk.checks.base import ERROR, WARNING, Finding, _Context
from dirdesk.rules import STYLES, RuleSet, rules_for

_PARTS = {"number": r"\d*", "abbr": r"[^\s/]+?", "issuer": r"[^\s/]+(?:/[a-z]+)?", "unit": r"[^\s/]+"}


def _regex(pattern: str) -> re.Pattern:
    """"{number}-{abbr}/{issuer}" as a regex with a group per part."""
    out = "".join(f"(?P<{m[1]}>{_PARTS[m[1]]})" if m[1] else re.escape(m[2])
                  for m in re.finditer(r"\{(\w+)\}|(.)", pattern))
    return re.compile(out + "$")


def _pattern(rules: RuleSet, doc_type: str) -> str:
    return rules.symbol["cv_pattern"] if doc_type == "CV" else rules.symbol["pattern"]


def _example(rules: RuleSet, doc_type: str) -> str:
    """The form of the style's symbol for the type, e.g. "12-CV/ĐU", "12/QĐ-UBND", "12/UBND-VP"."""
    issuer = "ĐU" if rules.style == "party" else "UBND"
    return (_pattern(rules, doc_type).replace("{number}", "12").replace("{abbr}", doc_type)
            .replace("{issuer}", issuer).replace("{unit}", "VP"))


def _check_symbol(c: _Context) -> Iterator[Finding]:
    """22. A symbol override of the other style's form ("66/CV-ĐU" on a Party document), or of the wrong type."""
    symbol, draft = (c.draft.symbol or "").strip(), c.draft
    if not symbol:
        return
    cite = c.values().get("symbol_cite")
    label = c.rules.symbol["number_label"].strip()
    if symbol.casefold().startswith(label.rstrip(":").casefold()):
        yield c.finding("symbol.label", "symbol", f"Ký hiệu '{symbol}' có sẵn chữ '{label}': chương trình tự in "
                        f"'{label}', chỉ ghi phần sau nó.", ERROR, cite=cite)
        return
    own = _regex(_pattern(c.rules, draft.type)).match(symbol)
    if own is None:
        other = rules_for(next(s for s in STYLES if s != draft.style), None, draft.date)
        style = "văn bản hành chính" if other.style == "state" else "văn bản của Đảng"
        if _regex(_pattern(other, draft.type)).match(symbol):
            message = (f"Ký hiệu '{symbol}' viết theo cách của {style}: viết theo dạng "
                       f"'{_example(c.rules, draft.type)}'.")
            yield c.finding("symbol.style", "symbol", message, ERROR, cite=cite)
        else:
            yield c.finding("symbol.form", "symbol", f"Ký hiệu '{symbol}' không đúng dạng số và ký hiệu: viết theo "
                            f"dạng '{_example(c.rules, draft.type)}'.", WARNING, cite=cite)
        return
    doc_type = c.doc_type()
    want = {"abbr": doc_type.abbr(c.rules.edition) if doc_type else None, "issuer": draft.issuer.code,
            "unit": draft.issuer.unit}
    wrong = [f"'{own[k]}' thay cho '{w}'" for k, w in want.items()
             if w and k in own.groupdict() and own[k].casefold() != w.casefold()]
    if wrong:
        yield c.finding("symbol.mismatch", "symbol", f"Ký hiệu '{symbol}' không khớp loại văn bản hoặc cơ quan ban "
                        f"hành ({', '.join(wrong)}): sửa ký hiệu, hoặc để trống để chương trình tự ghi.", WARNING,
                        cite=cite)


CHECKS = [_check_symbol]
