"""Fit the place-date line of the header on one line, inside the margins.

The rule data give the sizes the line may take (`elements.place_date.sizes`,
largest first; one size where the rule fixes it) and the narrowest the left
column may become (`header.left_min_width_mm`). The line is centred in the
right column (under the Quốc hiệu / tiêu đề), so it stays inside the right
margin only while half its width fits between the column's centre and the
margin. The builder takes the largest size at which the line fits, moving the
boundary between the two columns to the left as far as needed (the left
column first keeps its own widest line, then only its floor).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# LibreOffice sets glyphs on a device grid and the DOCX holds widths in
# twips: a line is only taken as fitting with this much room to spare (pt).
FIT_MARGIN = 1.0


@dataclass(frozen=True)
class HeaderFit:
    size: float  # of the place-date line
    left: float  # column widths, pt
    right: float


def fit_header(width_at: Callable[[float], float], sizes: Sequence[float], *, indent: float, left: float,
               right: float, text_width: float, left_floor: float, left_need: float) -> HeaderFit:
    """The place-date size and the column widths (all in points).

    `width_at(size)` is the line's width at a size; `indent` is the table's
    offset from the left margin; `left_need` the widest line of the left column.
    """
    edge = indent + left + right  # the right column's right edge, from the left margin
    # Centred in [split, edge], a line of width w ends at (split + edge + w) / 2 and must
    # not pass the right margin (text_width) nor the column: split <= reach - w.
    reach = min(edge, 2 * text_width - edge)
    split0 = indent + left
    for floor in dict.fromkeys((max(left_floor, min(left_need, left)), left_floor)):
        for size in sorted(sizes, reverse=True):
            split = min(split0, reach - width_at(size) - FIT_MARGIN)
            if split - indent >= floor - 0.01:
                return HeaderFit(size, split - indent, edge - split)
    split = min(split0, indent + left_floor)
    return HeaderFit(min(sizes), split - indent, edge - split)
