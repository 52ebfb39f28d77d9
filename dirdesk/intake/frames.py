"""The framed stamps pressed on a scanned page: another office's "ĐẾN" stamp (a box with "CV
ĐẾN", "Số:", "Ngày:", "Chuyển:"), a "HỎA TỐC" frame. Their words are no part of the document,
and OCR reads them into the line beside them ("… hành chính lmà|š Ị số: _ trên địa bàn").

A frame is found from the page image's long straight runs of ink: a top and a bottom rule of
about the same extent, FRAME_MIN_CM to FRAME_MAX_CM apart, and a side rule near one of their
ends; it must be narrower than MAX_WIDTH of the page (a table is wider) and lie in the top
half (where a received document is stamped). Stamps are pressed askew and inked unevenly, so
the rules may be broken and the sides partly missing.
"""

from __future__ import annotations

RULE_CM = 1.5  # the shortest top or bottom rule
SIDE_CM = 0.6  # the shortest side rule
FRAME_MIN_CM, FRAME_MAX_CM = 0.8, 6.0
MAX_WIDTH = 0.45
NEAR_PX = 40  # at 300 dpi, how far a side may lie from the rules' end

__all__ = ["stamp_frames", "outside_frames"]


def _runs(ink, min_len: int) -> list[tuple[int, int, int]]:
    """(line, start, end) of the runs of ink of at least `min_len` pixels along each row of `ink`."""
    import numpy as np

    pad = np.zeros((ink.shape[0], 1), dtype=np.int8)
    d = np.diff(np.hstack([pad, ink.astype(np.int8), pad]), axis=1)
    rows, starts = np.nonzero(d == 1)
    _, ends = np.nonzero(d == -1)
    keep = (ends - starts) >= min_len
    return [(int(r), int(s), int(e)) for r, s, e in zip(rows[keep], starts[keep], ends[keep], strict=True)]


def _overlap(a: tuple[int, int], b: tuple[int, int], of_longer: bool = False) -> float:
    """How much of the shorter (or the longer) of two spans the other covers."""
    lengths = (a[1] - a[0], b[1] - b[0])
    return max(0, min(a[1], b[1]) - max(a[0], b[0])) / max(1, max(lengths) if of_longer else min(lengths))


def stamp_frames(image, dpi: float) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, right, bottom, in pixels) of the framed stamps on a grayscale page image."""
    import numpy as np

    ink = np.asarray(image) < 140
    height, width = ink.shape
    cm = dpi / 2.54
    rules = [r for r in _runs(ink[: height // 2], round(RULE_CM * cm)) if r[2] - r[1] < MAX_WIDTH * width]
    sides = _runs(ink[: height // 2].T, round(SIDE_CM * cm))
    frames: list[tuple[int, int, int, int]] = []
    for top in rules:
        for bottom in rules:
            gap = bottom[0] - top[0]
            if (not FRAME_MIN_CM * cm <= gap <= FRAME_MAX_CM * cm
                    or _overlap(top[1:], bottom[1:], of_longer=True) < 0.6):
                continue
            left, right = min(top[1], bottom[1]), max(top[2], bottom[2])
            if right - left > MAX_WIDTH * width:
                continue
            if not any((abs(x - left) <= NEAR_PX or abs(x - right) <= NEAR_PX)
                       and _overlap((s, e), (top[0], bottom[0])) >= 0.5 for x, s, e in sides):
                continue
            box = (left, top[0], right, bottom[0])
            if not any(_overlap((box[0], box[2]), (f[0], f[2])) > 0.5
                       and _overlap((box[1], box[3]), (f[1], f[3])) > 0.5 for f in frames):
                frames.append(box)
    return _merged(frames)


def _merged(frames: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Overlapping boxes as one (the rules of one stamp found at several thicknesses)."""
    out: list[list[int]] = []
    for f in sorted(frames):
        for o in out:
            near = NEAR_PX  # a skewed rule is found in pieces: boxes that touch are one
            if f[0] < o[2] + near and o[0] < f[2] + near and f[1] < o[3] + near and o[1] < f[3] + near:
                o[:] = [min(o[0], f[0]), min(o[1], f[1]), max(o[2], f[2]), max(o[3], f[3])]
                break
        else:
            out.append(list(f))
    return [tuple(o) for o in out]


def outside_frames(data: dict, frames: list[tuple[int, int, int, int]], margin: int = 10) -> None:
    """Blank, in Tesseract's `data`, the words whose centre lies in one of `frames`."""
    for i, text in enumerate(data["text"]):
        if not text:
            continue
        x = data["left"][i] + data["width"][i] / 2
        y = data["top"][i] + data["height"][i] / 2
        if any(f[0] - margin <= x <= f[2] + margin and f[1] - margin <= y <= f[3] + margin for f in frames):
            data["text"][i] = ""
