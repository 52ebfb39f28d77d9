"""The signature and seal images: PNG, within size limits, with a transparent background.

NĐ 30 Phụ lục I II.7.d (the signer's signature: blue PNG, transparent background) and II.8.a (the seal:
red PNG, transparent background, at its real size). An image that fails is refused with a Vietnamese
message saying what to fix; the seal's real size is read from the PNG's DPI when it has one."""

from __future__ import annotations

import io
from dataclasses import dataclass

from dirdesk.signing.errors import SigningProblem
from dirdesk.signing.rules import signing_rules

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MM_PER_INCH = 25.4
KINDS = {"seal": "ảnh con dấu", "signature": "ảnh chữ ký"}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    width_px: int
    height_px: int
    dpi: float | None  # from the PNG's pHYs chunk; None when it has none

    @property
    def aspect(self) -> float:
        return self.width_px / self.height_px


def _transparent_share(image) -> float:
    """The share of the image's pixels that are (almost) fully transparent."""
    alpha = image.convert("RGBA").getchannel("A")
    histogram = alpha.histogram()
    return sum(histogram[:16]) / max(1, image.width * image.height)


def check_image(data: bytes, kind: str) -> CheckedImage:
    """`data` as a signature or seal image (kind "signature" / "seal"), or SigningProblem saying why not."""
    from PIL import Image, UnidentifiedImageError  # lazy: only when signing

    label, limits = KINDS[kind], signing_rules()["images"]
    if not data.startswith(PNG_MAGIC):
        raise SigningProblem(f"Tệp {label} phải là ảnh PNG nền trong suốt (Nghị định 30/2020, Phụ lục I).")
    if len(data) > limits["max_bytes"]:
        raise SigningProblem(f"Tệp {label} quá lớn ({len(data) // 1000} kB); tối đa "
                             f"{limits['max_bytes'] // 1000} kB.")
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise SigningProblem(f"Không đọc được {label}: tệp PNG bị hỏng ({exc}).") from None
    width, height = image.size
    if max(width, height) > limits["max_pixels"] or min(width, height) < limits["min_pixels"]:
        raise SigningProblem(f"{label.capitalize()} có kích thước {width}×{height} điểm ảnh; cần từ "
                             f"{limits['min_pixels']} đến {limits['max_pixels']} điểm ảnh mỗi chiều.")
    if "A" not in image.getbands() and "transparency" not in image.info or _transparent_share(image) < 0.05:
        raise SigningProblem(f"{label.capitalize()} không có nền trong suốt: hãy dùng ảnh PNG đã tách nền "
                             "(Nghị định 30/2020, Phụ lục I, mục II.7.d và II.8.a).")
    dpi = image.info.get("dpi")
    return CheckedImage(data, width, height, float(dpi[0]) if dpi and dpi[0] > 1 else None)


def seal_diameter_mm(image: CheckedImage, diameter_mm: float | None = None) -> float:
    """The seal's printed width in mm: as set, else from its DPI, else the rule's default; held to the rule's
    range (a seal printed smaller or larger than a real one is refused)."""
    rules = signing_rules()["seal"]
    if diameter_mm is None and image.dpi:
        diameter_mm = image.width_px / image.dpi * MM_PER_INCH
    if diameter_mm is None:
        diameter_mm = rules["default_diameter_mm"]
    if not rules["min_diameter_mm"] <= diameter_mm <= rules["max_diameter_mm"]:
        raise SigningProblem(f"Ảnh con dấu sẽ in rộng {diameter_mm:.0f} mm: dấu thật rộng từ "
                             f"{rules['min_diameter_mm']} đến {rules['max_diameter_mm']} mm. Hãy ghi đúng độ "
                             "phân giải (DPI) của ảnh, hoặc đặt đường kính dấu trong hồ sơ cơ quan.")
    return diameter_mm
