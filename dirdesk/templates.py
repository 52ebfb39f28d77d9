"""Template drafts: one per document type of each style, under resources/templates."""

from __future__ import annotations

from pathlib import Path

from dirdesk.draft import Draft, load_draft
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
