"""How sure the reading of a received file is, field by field, for the clerk to check.

A text layer is taken as sure (a garbled one is read as a scan, see ocr.looks_garbled). On a
scan, a field is "sure" when what OCR read is made of known words (correct.known: the
lexicon's words, known names, abbreviations) and "check" otherwise; the number and the date
are "check" when they were written by hand (handwriting.py), whatever was read of them; the
signature is sure only when its title is a known signing title and its name known names.
Field names are those of the incoming entry (registers/incoming.py IncomingEntry).
"""

from __future__ import annotations

from dirdesk.intake.correct import known, known_title

SURE, CHECK = "sure", "check"
FIELDS = ("author", "symbol", "doc_date", "type", "subject", "recipient", "signer")
_HANDWRITTEN = {"number": "symbol", "day": "doc_date"}

__all__ = ["CHECK", "FIELDS", "SURE", "reading_of"]


def _rated(parsed: dict, handwritten: list[str]) -> dict[str, str]:
    def mark(ok: bool) -> str:
        return SURE if ok else CHECK

    issuer = parsed.get("issuer") or {}
    signer = parsed.get("signer") or {}
    return {
        "author": mark(known(issuer.get("name"))),
        "symbol": mark("symbol" not in handwritten),
        "doc_date": mark("doc_date" not in handwritten),
        "type": mark(bool(parsed.get("type"))),
        "subject": mark(known(parsed.get("subject"))),
        "recipient": mark(all(known(r) for r in parsed.get("recipients") or [])),
        "signer": mark(known_title(signer.get("title")) and known(signer.get("name"))),
    }


def reading_of(parsed: dict, *, scan: bool, handwritten: list[str]) -> dict:
    """How `parsed` was read: {"ocr": scan, "handwritten": [entry fields], "confidence": {field: sure|check}}.
    `handwritten` are OCR's blanks ("number", "day") filled in by hand on page 1."""
    fields = [_HANDWRITTEN[h] for h in handwritten if h in _HANDWRITTEN]
    confidence = _rated(parsed, fields) if scan else dict.fromkeys(FIELDS, SURE)
    return {"ocr": scan, "handwritten": fields, "confidence": confidence}
