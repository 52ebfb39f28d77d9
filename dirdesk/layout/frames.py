"""Marks printed in a frame of exact size: độ khẩn (NĐ 30 Phụ lục I III.2.b), độ mật.

The rule data give, per element, the frame of each wording (`frames`: text ->
[width_mm, height_mm]) and how it is drawn (`frame`: thickness in pt, colour).
A wording without a frame prints as a plain paragraph.
"""

from __future__ import annotations

import dataclasses
from itertools import pairwise

from dirdesk.layout.model import Frame, Paragraph
from dirdesk.rules import MM, ElementStyle

THICKNESS = 0.75  # "viền đơn": no width is given; a single 0.75 pt line
RED = "FF0000"  # "mực … màu đỏ tươi"
NUDGE = 0.05  # pt: one twip, so that two frames of one size stay two boxes in a word processor


def framed(p: Paragraph, style: ElementStyle, width: float) -> Paragraph:
    """The paragraph set in its frame, its text centred in it, the frame at the left of a column `width`
    wide or centred in it (the element's `align`); unchanged when its text has no frame."""
    size = (style.frames or {}).get(p.text)
    if not size:
        return p
    spec = style.frame or {}
    t = float(spec.get("thickness", THICKNESS))
    color = spec.get("color", RED)
    frame = Frame(size[0] * MM, size[1] * MM, t, color)
    room = max(width - frame.width, 0)
    left = 0 if style.align == "left" else room / 2  # the element's align places the box in its column
    return dataclasses.replace(p, align="center", left_indent=left + t, right_indent=room - left + t,
                               first_indent=0, line=frame.height - 2 * t, frame=frame, color=color)


def keep_apart(blocks: list[Paragraph]) -> None:
    """Word and LibreOffice draw one box round consecutive paragraphs with the same borders and indents:
    a frame right under one of the same size is moved by a twip."""
    for above, below in pairwise(blocks):
        if above.frame and below.frame and (above.left_indent, above.right_indent) == (
                below.left_indent, below.right_indent):
            below.left_indent += NUDGE
            below.right_indent -= NUDGE
