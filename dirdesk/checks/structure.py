"""Checks of the document's parts for its type: the "QUYẾT ĐỊNH:" line, "Kính gửi", "V/v", the trích yếu's length."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dirdesk.checks.base import _VV, ERROR, WARNING, Finding, _Context, _short, norm
from dirdesk.markup import parse_body


def _check_decision_line(c: _Context) -> Iterator[Finding]:
    """15. A quyết định without its "QUYẾT ĐỊNH:" line between the căn cứ and Điều 1."""
    v = c.values()
    if c.draft.type not in v.get("decision_types", []):
        return
    forms = {norm(f) for f in v.get("decision_forms", [])}
    lines = [norm(line.text) for line in parse_body(c.draft.body)]
    if not forms or forms & set(lines):
        return
    near = next((line for line in lines if line.rstrip(":. ") == "QUYẾT ĐỊNH"), None)
    want = v["decision_line"]
    fix = (f"viết đúng '{want}' trên một dòng riêng" if near else
           f"thêm dòng '# {want}' (căn giữa, đậm) ở đầu nội dung, trước Điều 1")
    yield c.finding("body.decision-line-missing", "body", f"Quyết định thiếu dòng '{want}' trước các điều: {fix}.",
                    v.get("decision_severity", ERROR), cite=v.get("decision_cite"))


def _check_address(c: _Context) -> Iterator[Finding]:
    """16. A công văn without "Kính gửi"; "Kính gửi" on a quyết định."""
    v = c.values()
    doc_type = c.doc_type()
    label = doc_type.label if doc_type else c.draft.type
    if c.draft.type in v.get("address_required", []) and not c.draft.recipients:
        word = (doc_type.address if doc_type else None) or "Kính gửi"
        yield c.finding("recipients.missing", "recipients", f"{label.capitalize()} phải có phần '{word}': ghi tên "
                        f"cơ quan, đơn vị, cá nhân trực tiếp giải quyết công việc vào ô {word}.", ERROR,
                        cite=v.get("address_required_cite"))
    if c.draft.type in v.get("address_forbidden", []) and c.draft.recipients:
        yield c.finding("recipients.forbidden", "recipients", f"{label.capitalize()} không có phần 'Kính gửi': "
                        "xóa các dòng Kính gửi, ghi nơi thi hành ở điều cuối và ở Nơi nhận.", ERROR,
                        cite=v.get("address_forbidden_cite"))


def _check_vv_elsewhere(c: _Context) -> Iterator[Finding]:
    """17. "V/v" in the trích yếu of a document that is not a công văn."""
    subject = c.draft.subject.strip()
    if c.draft.type == "CV" or subject[:len(_VV)].casefold() != _VV:
        return
    rest = subject[len(_VV):].strip()
    lead = "về việc" if c.draft.style == "party" else "Về việc"  # "V/v" stands for "về việc"
    yield c.finding("subject.vv-not-cv", "subject", f"'V/v' chỉ dùng trong trích yếu công văn: viết "
                    f"'{lead} {_short(rest)}'.", c.rules.signing.get("cv_subject_vv_severity", ERROR),
                    cite=c.values().get("vv_cite"))


def _check_subject_length(c: _Context) -> Iterator[Finding]:
    """18. A trích yếu longer than a short phrase (our limit, the texts give none)."""
    v = c.values()
    limit = v.get("subject_max")
    subject = re.sub(r"\s+", " ", c.draft.subject).strip()
    if not limit or len(subject) <= limit:
        return
    yield c.finding("subject.too-long", "subject", f"Trích yếu dài {len(subject)} ký tự (quá {limit}): trích yếu "
                    "là một cụm từ ngắn gọn nêu nội dung chính, chuyển phần giải thích vào nội dung văn bản.",
                    WARNING, cite=v.get("subject_cite"))


CHECKS = [_check_decision_line, _check_address, _check_vv_elsewhere, _check_subject_length]
