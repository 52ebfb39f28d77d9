"""Scans made from our own drafts: the documents of benchmarks/intake_degraded.py and
tests/test_intake_degraded.py.

Each document is a draft (a fixture of tests/fixtures/drafts, or a template of
resources/templates with its blanks filled), rendered to PDF by dirdesk.render,
rasterised with pypdfium2 and spoiled the way a real scan is (`degrade`): grey
paper, a red round seal pressed over the left third of the signature, a slight
blur, gaussian and salt-and-pepper noise, a turn of 1–3° either way, and
optionally a JPEG round trip. The pages become an image-only PDF (no text
layer), as a scanner writes it. Everything is seeded: the same seed gives the
same bytes.

`expected(draft)` is what the document prints, taken from the draft (not from
reading the clean rendering), in the fields and form of benchmarks/intake_accuracy.py.
"""

from __future__ import annotations

import io
import json
import math
import random
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "drafts"
DPI = 200
SEED = 1000  # document i of documents() is spoiled with seed SEED + i (intake_degraded --seed)


@dataclass(frozen=True)
class Spoil:
    """How one scan is spoiled (drawn from the document's seed by `spoil_for`)."""
    angle: float  # degrees, counter-clockwise
    blur: float  # gaussian radius in pixels
    noise: float  # gaussian sigma in grey levels
    salt: float  # share of pixels turned black or white
    paper: int  # the paper's grey (255 white)
    jpeg: int | None  # JPEG quality of a round trip, or None


def spoil_for(seed: int, strength: float = 1.0) -> Spoil:
    """How the scan of seed `seed` is spoiled; `strength` scales the blur and the noise (1: an office
    scanner at its plain setting, whose paper is far less noisy than this; 2: a worn one)."""
    rng = random.Random(seed)
    return Spoil(angle=rng.choice((-1, 1)) * rng.uniform(1.0, 3.0), blur=strength * rng.uniform(0.4, 0.8),
                 noise=strength * rng.uniform(3.0, 7.0), salt=strength * rng.uniform(0.0001, 0.0005),
                 paper=rng.randint(222, 238), jpeg=rng.choice((None, 60, 75)))


# --- the documents ---------------------------------------------------------------------------

# Templates with their blanks filled as a clerk fills them: (style, template, changes).
FILLED = (
    ("state", "thong-bao", {"number": 27, "date": "2026-04-02", "subject": "Về việc tạm dừng cấp nước "
                            "khu vực tổ dân phố số 5 để sửa chữa đường ống",
                            "signer": {"name": "Nguyễn Văn Hùng"}}),
    ("party", "thong-bao", {"number": 112, "date": "2026-05-19", "subject": "về kết luận của Ban Thường vụ "
                            "Đảng ủy tại hội nghị tháng 5 năm 2026", "signer": {"name": "Lê Thị Thu Hà"}}),
    ("party", "quyet-dinh", {"number": 348, "date": "2026-06-08", "subject": "về việc chuẩn y kết quả bầu "
                             "cấp ủy chi bộ Tổ dân phố số 7 nhiệm kỳ 2025 - 2027",
                             "signer": {"name": "Phạm Quang Minh"}}),
    ("state", "giay-moi", {"number": 64, "date": "2026-03-23", "subject": "Dự hội nghị sơ kết công tác "
                           "cải cách hành chính quý I năm 2026", "signer": {"name": "Đỗ Thị Lan"}}),
    ("state", "ke-hoach", {"number": 95, "date": "2026-02-12", "subject": "Thực hiện chương trình chuyển đổi "
                           "số phường Ba Đình năm 2026", "signer": {"name": "Vũ Đức Thắng"}}),
    ("party", "cong-van", {"number": 271, "date": "2026-07-01", "subject": "về việc chuẩn bị đại hội chi bộ "
                           "nhiệm kỳ 2025 - 2027", "recipients": ["Các chi bộ trực thuộc Đảng ủy",
                                                                   "Ủy ban Mặt trận Tổ quốc phường"],
                           "signer": {"name": "Trịnh Văn Sơn"}}),
    ("state", "to-trinh", {"number": 13, "date": "2026-01-20", "subject": "Về việc đề nghị phê duyệt dự toán "
                           "sửa chữa nhà văn hóa tổ dân phố số 2", "recipients": ["Ủy ban nhân dân Thành phố Hà Nội"],
                           "signer": {"name": "Hoàng Minh Tuấn"}}),
)

# Fixtures of tests/fixtures/drafts (README there): Party seeds (2–3 pages) and the two state ones.
FIXTURE_NAMES = ("state-cong-van", "state-quyet-dinh", "seed-000", "seed-001", "seed-002", "seed-003", "seed-004")


def fixture_draft(name: str):
    from dirdesk.draft import draft_from_dict

    return draft_from_dict(json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")), source=name)


def filled_template(style: str, name: str, changes: dict):
    from dirdesk.draft import draft_from_dict

    data = json.loads((ROOT / "resources" / "templates" / style / f"{name}.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    return draft_from_dict(data, source=f"{style}/{name}")


def documents() -> list[tuple[str, object]]:
    """(name, draft) of every benchmarked document, in a fixed order."""
    docs = [(name, fixture_draft(name)) for name in FIXTURE_NAMES]
    docs += [(f"{style}-{name}", filled_template(style, name, changes)) for style, name, changes in FILLED]
    return docs


def expected(draft) -> dict:
    """The benchmarked fields (benchmarks/intake_accuracy.py FIELDS) as the draft prints them."""
    from dirdesk.rules import rules_for
    from dirdesk.symbols import symbol_text
    from dirdesk.text import one_line

    signer = draft.signer
    return {
        "type": draft.type, "symbol": symbol_text(draft, rules_for(draft.style, draft.edition, draft.date)),
        "date": draft.date.isoformat() if draft.date else None, "place": draft.place,
        "subject": one_line(draft.subject), "issuer": one_line(draft.issuer.name),
        "recipients": list(draft.recipients),
        "signer_title": one_line(signer.title) if signer.title else None,
        "signer_name": signer.name or None,
    }


# --- rendering and spoiling ----------------------------------------------------------------

def rendered(draft) -> bytes:
    """The draft as DirDesk's PDF (with a text layer)."""
    from dirdesk.layout import build_layout
    from dirdesk.render import render_pdf_bytes

    return render_pdf_bytes(build_layout(replace(draft)))


def signature_box(pdf_bytes: bytes, draft) -> tuple[int, tuple[float, float, float, float]] | None:
    """(page index, (x0, top, x1, bottom) in fractions of the page) of the signature block: from the
    signer's title down to the name, on the last page that prints the title; None without a signer."""
    import pdfplumber

    title, name = (draft.signer.title or "").split("\n")[-1], draft.signer.name or ""
    if not title and not name:
        return None
    wanted = set(title.split()) | set(name.split())
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for index in range(len(pdf.pages) - 1, -1, -1):
            page = pdf.pages[index]
            w, h = float(page.width), float(page.height)
            # The signature block is the right column; "Nơi nhận" on the left may print the same words.
            words = [wd for wd in page.extract_words() if wd["x0"] > w * 0.45 and wd["text"] in wanted]
            found = _runs(words, title.split()) + _runs(words, name.split())
            if found:
                x0, x1 = min(wd["x0"] for wd in found), max(wd["x1"] for wd in found)
                top, bottom = min(wd["top"] for wd in found), max(wd["bottom"] for wd in found)
                if bottom - top < 40:  # only one of the two: the signature's room lies below the title
                    bottom = top + 90
                return index, (x0 / w, top / h, x1 / w, bottom / h)
    return None


def _runs(words: list[dict], wanted: list[str]) -> list[dict]:
    """The words of the first line of `words` that reads `wanted` in a row."""
    if not wanted:
        return []
    for i in range(len(words) - len(wanted) + 1):
        run = words[i:i + len(wanted)]
        if [wd["text"] for wd in run] == wanted and len({round(wd["top"]) for wd in run}) == 1:
            return run
    return []


def raster(pdf_bytes: bytes, dpi: int = DPI) -> list:
    """The pages of a PDF as RGB PIL images at `dpi`."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(pdf_bytes)
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            pages.append(page.render(scale=dpi / 72).to_pil().convert("RGB"))
            page.close()
        return pages
    finally:
        pdf.close()


def _seal(size: tuple[int, int], box: tuple[float, float, float, float], rng: random.Random):
    """A white image the page's size with a red round seal (two rings, a star, marks round the rim)
    whose centre stands on the left third of the signature block `box`, and a pen signature."""
    from PIL import Image, ImageDraw

    w, h = size
    x0, top, x1, bottom = box[0] * w, box[1] * h, box[2] * w, box[3] * h
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    # The pen's stroke across the middle of the block, under the seal.
    cy = (top + bottom) / 2
    points = [(x0 + (x1 - x0) * (0.15 + 0.7 * t / 40), cy + 18 * math.sin(t * 0.9) + rng.uniform(-4, 4))
              for t in range(41)]
    draw.line(points, fill=(20, 30, 120), width=4)
    r = w * 17 / 210  # a seal 34 mm across on an A4 page (268 px at 200 dpi)
    cx = x0 + (x1 - x0) / 6 - r * 0.15
    red = (rng.randint(200, 225), rng.randint(25, 55), rng.randint(35, 60))
    for radius, width in ((r, 9), (r * 0.72, 5)):
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=width)
    for k in range(36):  # the lettering round the rim, as blobs
        a = 2 * math.pi * k / 36
        rx, ry = cx + r * 0.86 * math.cos(a), cy + r * 0.86 * math.sin(a)
        draw.rectangle((rx - 7, ry - 9, rx + 7, ry + 9), fill=red)
    star = [(cx + (r * 0.3 if i % 2 == 0 else r * 0.12) * math.cos(math.pi / 2 + i * math.pi / 5),
             cy - (r * 0.3 if i % 2 == 0 else r * 0.12) * math.sin(math.pi / 2 + i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=red)
    return image


def degrade(image, spoil: Spoil, rng, seal_box=None):
    """One page image spoiled as a scan (see the module's doc); `rng` a numpy Generator."""
    import numpy as np
    from PIL import Image, ImageChops, ImageFilter

    if seal_box is not None:
        image = ImageChops.multiply(image, _seal(image.size, seal_box, random.Random(int(rng.integers(1 << 30)))))
    a = np.asarray(image).astype(np.float32) * (spoil.paper / 255.0)
    image = Image.fromarray(a.clip(0, 255).astype(np.uint8), "RGB")
    image = image.filter(ImageFilter.GaussianBlur(spoil.blur))
    fill = (spoil.paper,) * 3
    image = image.rotate(spoil.angle, resample=Image.BICUBIC, expand=True, fillcolor=fill)
    a = np.asarray(image).astype(np.float32)
    a += rng.normal(0.0, spoil.noise, a.shape[:2])[..., None]
    salt = rng.random(a.shape[:2])
    a[salt < spoil.salt / 2] = 0
    a[salt > 1 - spoil.salt / 2] = 255
    image = Image.fromarray(a.clip(0, 255).astype(np.uint8), "RGB")
    if spoil.jpeg:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=spoil.jpeg)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return image


def image_pdf(images, dpi: int = DPI) -> bytes:
    """A PDF whose pages are only pictures (no text layer), as a scanner writes one."""
    import time

    buffer = io.BytesIO()
    when = time.strptime("2026-01-01", "%Y-%m-%d")  # not today: the same pages give the same bytes
    images[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=images[1:],
                   creationDate=when, modDate=when)
    return buffer.getvalue()


def scan_of(draft, seed: int, dpi: int = DPI, strength: float = 1.0) -> tuple[bytes, bytes, Spoil]:
    """(the clean rendering, its spoiled scan as an image-only PDF, how it was spoiled)."""
    import numpy as np

    clean = rendered(draft)
    spoil = spoil_for(seed, strength)
    rng = np.random.default_rng(seed)
    where = signature_box(clean, draft)
    pages = [degrade(page, spoil, rng, where[1] if where and where[0] == i else None)
             for i, page in enumerate(raster(clean, dpi))]
    return clean, image_pdf(pages, dpi), spoil
