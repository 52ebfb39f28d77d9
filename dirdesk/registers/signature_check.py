"""The signatures an incoming entry keeps, checked again against today's trusted certificates.

An entry keeps what its signatures said when it was registered (incoming.signatures_of); a root added
to the list since (Cài đặt, `dirdesk trust add`) changes nothing until the clerk asks for the check
again: the received PDFs kept with the entry are read anew, offline, and the row's `signatures` column
is rewritten (logged in the audit like any change to the row).
"""

from __future__ import annotations

import json

from dirdesk.intake.signatures import read_signatures
from dirdesk.registers.attachments import read_attachment
from dirdesk.registers.audit import get_row, update_row
from dirdesk.registers.database import Registry
from dirdesk.registers.incoming import files_of
from dirdesk.registers.trust_store import trust_of
from dirdesk.text import clean


def recheck(reg: Registry, row_id: int) -> dict:
    """Read the entry's received PDFs again against the register's trusted certificates and keep what
    their signatures say now; returns the updated row."""
    get_row(reg, "incoming", row_id)  # the entry exists (RegisterError otherwise)
    trust = trust_of(reg)
    found: list[dict] = []
    for f in files_of(reg, row_id):
        if f["role"] != "received" or f["lost_at"] or f["ext"] != ".pdf":
            continue
        data = read_attachment(reg, f["sha256"])  # read outside the transaction: the register stays free
        found += [{**sig, "file": clean(f["name"], keep_newlines=False)} for sig in read_signatures(data, trust=trust)]
    with reg.transaction():
        return update_row(reg, "incoming", row_id, {"signatures": json.dumps(found, ensure_ascii=False)})
