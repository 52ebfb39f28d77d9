"""Check a draft against the official format rules in force for it.

`check_draft(draft)` picks the rule set of the draft (style, edition, date),
runs every function in CHECKS and returns Findings. A Finding names the draft
field it concerns, tells the clerk in Vietnamese what is wrong and what to
write instead, cites the rule's source and is an "error" or a "warning".

The checks live in modules by theme: base (signing prefixes, collective
bodies, Nơi nhận, công văn V/v, tên loại, date, listed types, and what they
all share), text (template blanks, căn cứ, the end of the text), structure
(the QUYẾT ĐỊNH line, Kính gửi, V/v elsewhere, trích yếu length), signer
(học hàm, a deputy's title, the other system's authority) and symbol. Their
values come from the rule set (resources/rules/*.toml) and from
resources/rules/checks.toml. Core code: no GUI.

To add a check, write `def _check_x(c: _Context) -> Iterator[Finding]` in the
module of its theme and add it to that module's CHECKS (base's CHECKS for base).
`refuse_unfinished(draft)` is what Ban hành calls before it takes a number.
"""

from dirdesk.checks import signer, structure, symbol, text
from dirdesk.checks.base import (
    CHECKS,
    ERROR,
    SEVERITY_LABELS,
    WARNING,
    Check,
    Finding,
    check_draft,
    edit_distance,
    format_findings,
    norm,
)
from dirdesk.checks.text import UnfinishedDraft, refuse_unfinished, unfinished, unfinished_error

CHECKS.extend([*text.CHECKS, *structure.CHECKS, *signer.CHECKS, *symbol.CHECKS])

__all__ = [
    "CHECKS", "ERROR", "SEVERITY_LABELS", "WARNING", "Check", "Finding", "UnfinishedDraft", "check_draft",
    "edit_distance", "format_findings", "norm", "refuse_unfinished", "unfinished",
    "unfinished_error",
]
