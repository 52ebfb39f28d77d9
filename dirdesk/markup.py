"""Body markup (draft-format.md): one paragraph per line, **bold**, *italic*,
__underline__ (nesting allowed), \\* and \\_ escapes, "# " centred bold lines,
"- " dash items, numbered lines kept as written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MARKERS = {"**": "bold", "__": "underline", "*": "italic"}
_TOKEN = re.compile(r"\\[\\*_]|\*\*|__|\*")
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.|[a-zđ]\)|[IVXLC]+\.)\s")


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass
class Line:
    """One paragraph of body markup. kind: text | heading | dash | numbered."""

    kind: str
    spans: list[Span] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def parse_inline(text: str) -> list[Span]:
    """Split one line into spans with bold/italic/underline flags.

    A marker opens only before a non-space and closes only after one; a marker
    left without its partner is printed literally.
    """
    tokens: list[tuple[str, str]] = []  # (kind, text): kind is "text" or a marker
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            tokens.append(("text", text[pos:m.start()]))
        tok = m.group()
        if tok.startswith("\\"):
            tokens.append(("text", tok[1]))
        else:
            before = text[m.start() - 1] if m.start() > 0 else " "
            after = text[m.end()] if m.end() < len(text) else " "
            tokens.append((tok, f"{int(not before.isspace())}{int(not after.isspace())}"))
        pos = m.end()
    if pos < len(text):
        tokens.append(("text", text[pos:]))

    # Pair markers: an opener waits for the next closer of the same kind.
    open_at: dict[str, int] = {}
    paired: set[int] = set()
    for i, (kind, flank) in enumerate(tokens):
        if kind == "text":
            continue
        can_close, can_open = flank[0] == "1", flank[1] == "1"
        if kind in open_at and can_close:
            paired.update((open_at.pop(kind), i))
        elif can_open:
            open_at[kind] = i

    spans: list[Span] = []
    state = {"bold": False, "italic": False, "underline": False}
    for i, (kind, value) in enumerate(tokens):
        if kind != "text" and i in paired:
            attr = MARKERS[kind]
            state[attr] = not state[attr]
            continue
        piece = value if kind == "text" else kind
        if spans and (spans[-1].bold, spans[-1].italic, spans[-1].underline) == tuple(state.values()):
            spans[-1] = Span(spans[-1].text + piece, **state)
        else:
            spans.append(Span(piece, **state))
    return [s for s in spans if s.text]


def parse_body(markup: str) -> list[Line]:
    lines = []
    for raw in markup.split("\n"):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("# "):
            lines.append(Line("heading", parse_inline(stripped[2:].strip())))
        elif stripped.startswith("- "):
            lines.append(Line("dash", parse_inline(stripped)))
        elif _NUMBERED.match(stripped):
            lines.append(Line("numbered", parse_inline(stripped)))
        else:
            lines.append(Line("text", parse_inline(stripped)))
    return lines


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


def spans_to_markup(spans: list[Span]) -> str:
    """The inverse of parse_inline, for writers that produce markup (parse, GUI)."""
    out = []
    for span in spans:
        text = escape(span.text)
        core = text.strip()
        if not core or not (span.bold or span.italic or span.underline):
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        for flag, mark in ((span.underline, "__"), (span.italic, "*"), (span.bold, "**")):
            if flag:
                core = f"{mark}{core}{mark}"
        out.append(lead + core + trail)
    return "".join(out)
