"""Template drafts: one per document type of each style, under resources/templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from dirdesk.draft import Draft, Issuer, Signer, load_draft
from dirdesk.resources import resource_path
from dirdesk.rules import doc_types


def template_path(style: str, code: str) -> Path:
    types = doc_types(style)
    if code not in types:
        raise KeyError(code)
    return resource_path("templates", style, f"{types[code].slug}.json")


def load_template(style: str, code: str) -> Draft:
    return load_draft(template_path(style, code))


def find_type(style: str, name: str) -> str | None:
    """The type code for a code or a slug or a name, in any case ("kh", "ke-hoach", "kế hoạch")."""
    wanted = name.strip().casefold()
    for code, t in doc_types(style).items():
        if wanted in (code.casefold(), t.slug, t.label.casefold()):
            return code
    return None


def _key(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _pick_signer(template: Signer, signers: list[dict]) -> dict | None:
    """The profile's signer for this template: same authority and title, else same title, else the first."""
    if not signers:
        return None
    for s in signers:
        if _key(s.get("authority")) == _key(template.authority) and _key(s.get("title")) == _key(template.title):
            return s
    for s in signers:
        if _key(s.get("title")) == _key(template.title):
            return s
    return signers[0]


def _other_body(template: Issuer, profile_name: str) -> Issuer:
    """A type issued by another body of the office (state NQ: the HĐND): the template's kind of
    body (its first line) over the profile's level and place ("PHƯỜNG BA ĐÌNH")."""
    lines = profile_name.split("\n")
    place = lines[1:] if len(lines) > 1 else [profile_name.replace(lines[0].split(" PHƯỜNG ")[0], "", 1).strip()]
    kind = template.name.split("\n")[0]
    return Issuer(name="\n".join([kind, *[p for p in place if p]]), code=template.code, parent=template.parent)


def draft_from_profile(profile, code: str, today: dt.date | None = None, style: str | None = None) -> Draft:
    """The template of type `code` with the office's issuer, place, signer and today's date.

    `profile` is a dirdesk.registers.profile.Profile. When its style differs
    from `style` (a Party office drafting a state form), only the date is filled."""
    style = style or profile.style
    draft = load_template(style, code)
    issuer = draft.issuer
    if profile.style == style and profile.issuer.get("name") and profile.issuer.get("code"):
        unit_codes = [u.get("code") for u in profile.units if u.get("code")]
        unit = None
        if issuer.unit:  # the template's type uses a drafting unit (state công văn)
            unit = issuer.unit if issuer.unit in unit_codes else (unit_codes[0] if unit_codes else None)
        issuer = Issuer(name=profile.issuer["name"], code=profile.issuer["code"],
                        parent=profile.issuer.get("parent") or None, unit=unit)
    other_body = doc_types(style)[code].issuer_code not in (None, profile.issuer.get("code"))
    if other_body and profile.style == style and profile.issuer.get("name"):
        issuer = _other_body(draft.issuer, profile.issuer["name"])
    signer = draft.signer
    # Two signatures (a biên bản): signed in the meeting's roles (CHỦ TRÌ HỘI NGHỊ, CHỦ TỌA), not with
    # the office's own signing line, so the template's signers stay for the clerk to name.
    offered = profile.style == style and draft.signer2 is None and not other_body
    chosen = _pick_signer(draft.signer, profile.signers) if offered else None
    if chosen:
        signer = Signer(authority=chosen.get("authority") or None, title=chosen.get("title") or None,
                        name=chosen.get("name") or None)
    place = profile.place if profile.style == style and profile.place else draft.place
    return dataclasses.replace(draft, issuer=issuer, signer=signer, place=place,
                               date=today or dt.date.today(), number=None, symbol=None)
