"""The office profile kept inside the register file.

Keys and their JSON values:

| key | value |
|---|---|
| `style` | `"party"` or `"state"` |
| `issuer` | `{"parent": …, "name": …, "code": …}` as in a draft |
| `place` | địa danh, e.g. `"Bách Quang"` |
| `units` | drafting units: `[{"code": "VP", "name": "Văn phòng"}]` |
| `signers` | `[{"authority": …, "title": …, "name": …}]` |
| `recipients` | the address book: `["Các Chi bộ trực thuộc Đảng ủy", …]` |
| `state_sequence` | state numbering: `"shared"` (one sequence for all types) or `"per_type"` |
| `terms` | Party: start dates of the committee's terms (nhiệm kỳ), `["2025-10-15"]` |
| `contact` | the office's contact lines printed under a rule (05-HD II.6, NĐ 30 ô 13), `"\n"` between lines |
| `congresses` | Party: `[{"start": "2025-06-20", "end": "2025-06-22"}]`, `end` null while it runs (congress.py) |
| `seal` | the office's seal image for its digital signature: `{"sha256": …, "diameter_mm": 36 or null}` |
| `signature_images` | each signer's signature image: `{"Trần Quốc Bảo": sha256, …}` (registers/signing.py) |
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from dirdesk import limits
from dirdesk.registers import congress
from dirdesk.registers.audit import log_change
from dirdesk.registers.database import Registry
from dirdesk.registers.errors import RegisterError
from dirdesk.rules import STYLES
from dirdesk.text import clean

STATE_SEQUENCES = ("shared", "per_type")


@dataclass
class Profile:
    style: str | None = None
    issuer: dict = field(default_factory=lambda: {"parent": None, "name": "", "code": ""})
    place: str = ""
    units: list[dict] = field(default_factory=list)
    signers: list[dict] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    state_sequence: str = "shared"
    terms: list[str] = field(default_factory=list)
    congresses: list[dict] = field(default_factory=list)
    contact: str = ""
    seal: dict = field(default_factory=dict)
    signature_images: dict = field(default_factory=dict)

    def congress_start(self, on: dt.date) -> dt.date | None:
        """The opening date of the congress a date falls in; None outside every congress."""
        return congress.congress_on(self.congresses, on)

    def term_start(self, on: dt.date) -> dt.date | None:
        """The start of the Party term a date falls in; None when no term is set or it precedes them all."""
        starts = sorted(dt.date.fromisoformat(t) for t in self.terms)
        chosen = None
        for start in starts:
            if start <= on:
                chosen = start
        return chosen

    def to_dict(self) -> dict:
        return {
            "style": self.style,
            "issuer": self.issuer,
            "place": self.place,
            "units": self.units,
            "signers": self.signers,
            "recipients": self.recipients,
            "state_sequence": self.state_sequence,
            "terms": self.terms,
            "congresses": self.congresses,
            "contact": self.contact,
            "seal": self.seal,
            "signature_images": self.signature_images,
        }


def _clean_tree(value):
    if isinstance(value, str):
        return clean(value).strip()
    if isinstance(value, list):
        return [_clean_tree(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): _clean_tree(v) for k, v in value.items()}
    return value


def _size_problem(value) -> str | None:
    """A name longer than limits.NAME or a list longer than limits.LIST_ITEMS anywhere in `value`."""
    if isinstance(value, str):
        return limits.too_long(value, limits.NAME)
    items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else []
    if len(items) > limits.LIST_ITEMS:
        return f"có {limits.thousands(len(items))} mục, quá giới hạn {limits.LIST_ITEMS} mục"
    return next(filter(None, map(_size_problem, items)), None)


def _validate(key: str, value):
    """Return the value to store, or raise RegisterError naming the key."""
    value = _clean_tree(value)

    def fail(msg: str):
        raise RegisterError(f"hồ sơ cơ quan, mục {key}: {msg}")

    if _size_problem(value):
        fail(_size_problem(value))

    if key == "style":
        if value not in STYLES:
            fail("phải là 'party' (văn bản Đảng) hoặc 'state' (văn bản hành chính)")
    elif key == "issuer":
        if not isinstance(value, dict) or not value.get("name") or not value.get("code"):
            fail("cần có ít nhất name (tên cơ quan) và code (chữ viết tắt)")
        unknown = set(value) - {"parent", "name", "code"}
        if unknown:
            fail(f"không có trường {', '.join(sorted(unknown))}")
        value = {"parent": value.get("parent") or None, "name": value["name"], "code": value["code"]}
    elif key == "place":
        if not isinstance(value, str) or not value:
            fail("phải là địa danh, ví dụ 'Bách Quang'")
    elif key in ("units", "signers"):
        fields = {"units": {"code", "name"}, "signers": {"authority", "title", "name"}}[key]
        if not isinstance(value, list) or not all(isinstance(v, dict) and set(v) <= fields for v in value):
            fail(f"phải là danh sách các đối tượng có trường {', '.join(sorted(fields))}")
    elif key == "recipients":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            fail("phải là danh sách tên nơi nhận")
    elif key == "state_sequence":
        if value not in STATE_SEQUENCES:
            fail("phải là 'shared' (một dãy số chung) hoặc 'per_type' (mỗi loại văn bản một dãy)")
    elif key == "terms":
        if not isinstance(value, list):
            fail("phải là danh sách ngày bắt đầu nhiệm kỳ (YYYY-MM-DD)")
        try:
            starts = {dt.date.fromisoformat(v) for v in value}
        except (TypeError, ValueError):
            fail("mỗi ngày bắt đầu nhiệm kỳ phải có dạng YYYY-MM-DD")
        for start in starts:
            if limits.year_problem(start.year):
                fail(f"ngày {start.isoformat()}: {limits.year_problem(start.year)}")
        value = sorted(start.isoformat() for start in starts)
    elif key == "contact":
        if not isinstance(value, str):
            fail("phải là chuỗi: các dòng địa chỉ, điện thoại, email, website")
    elif key == "congresses":
        value = congress.validate(value, fail)
    elif key in ("seal", "signature_images"):
        value = _validate_images(key, value, fail)
    else:
        raise RegisterError(f"hồ sơ cơ quan không có mục '{key}' (các mục: {', '.join(Profile().to_dict())})")
    return value


def _validate_images(key: str, value, fail):
    """The seal ({sha256, diameter_mm}) or the signers' images ({name: sha256}): files in the attachment store."""
    def is_sha(v) -> bool:
        return isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v)

    if not isinstance(value, dict):
        fail("phải là một đối tượng")
    if key == "seal":
        if value and (set(value) - {"sha256", "diameter_mm"} or not is_sha(value.get("sha256"))):
            fail("cần sha256 của ảnh con dấu (và diameter_mm nếu có)")
        if value.get("diameter_mm") is not None and not isinstance(value["diameter_mm"], int | float):
            fail("diameter_mm phải là số (mm)")
    elif not all(isinstance(k, str) and k and is_sha(v) for k, v in value.items()):
        fail("phải là {họ tên người ký: sha256 của ảnh chữ ký}")
    return value


def load_profile(reg: Registry) -> Profile:
    profile = Profile()
    for row in reg.query("SELECT key, value FROM profile"):
        if row["key"] in profile.to_dict():
            setattr(profile, row["key"], json.loads(row["value"]))
    return profile


def set_profile_value(reg: Registry, key: str, value) -> Profile:
    """Change one key of the profile (validated, NFC, audited). A dotted key
    ("issuer.name") changes one field of an object-valued key."""
    key, _, field_name = key.partition(".")
    if field_name:
        current = load_profile(reg).to_dict().get(key)
        if not isinstance(current, dict):
            raise RegisterError(f"hồ sơ cơ quan: mục '{key}' không có trường con")
        value = {**current, field_name: value}
    set_profile_values(reg, {key: value})
    return load_profile(reg)


def profile_problems(values: dict) -> dict[str, str]:
    """What set_profile_values would refuse in `values`: the message for each key at fault."""
    found = {}
    for key, value in values.items():
        try:
            _validate(key, value)
        except RegisterError as exc:
            found[key] = str(exc)
    return found


def set_profile_values(reg: Registry, values: dict) -> None:
    """Change several keys of the profile together (the first-run dialog, the Cài đặt tab):
    each validated as set_profile_value validates it (NFC), and all written in one
    transaction, or none when one is refused (the RegisterError names that key). Each
    change is audited; a key whose stored value is already the same is not written."""
    checked = {key: _validate(key, value) for key, value in values.items()}
    with reg.transaction():
        _write(reg, checked)


def write_profile_values(reg: Registry, values: dict) -> None:
    """set_profile_values inside the transaction the caller has open (the register import
    records the style it read from the file in its own transaction, so that a dry run, which
    rolls back, leaves the profile as it was)."""
    if not reg.conn.in_transaction:
        raise RuntimeError("write_profile_values needs the caller's transaction; use set_profile_values")
    _write(reg, {key: _validate(key, value) for key, value in values.items()})


def add_recipient(reg: Registry, name: str) -> Profile:
    """Add a name to the address book (nơi nhận) unless it is there already; the profile after."""
    with reg.transaction():
        book = load_profile(reg).recipients
        if name not in book:
            write_profile_values(reg, {"recipients": [*book, name]})
    return load_profile(reg)


def _write(reg: Registry, checked: dict) -> None:
    for key, value in checked.items():
        old = reg.one("SELECT value FROM profile WHERE key = ?", [key])
        old_value = json.loads(old["value"]) if old else None
        if old is not None and old_value == value:
            continue
        reg.db.execute("INSERT INTO profile (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       [key, json.dumps(value, ensure_ascii=False)])
        log_change(reg, "profile", 0, "update", {key: old_value}, {key: value})


def start_congress(reg: Registry, start: dt.date, name: str | None = None) -> Profile:
    """Open a congress: from `start`, documents of the đại hội (issuer code ĐH) share one sequence from 01;
    `name`, its issuer lines ("ĐẠI HỘI ĐẠI BIỂU\nĐẢNG BỘ PHƯỜNG … LẦN THỨ …"), heads new drafts meanwhile."""
    with reg.transaction():
        write_profile_values(reg, {"congresses": congress.started(load_profile(reg).congresses, start, name)})
    return load_profile(reg)


def end_congress(reg: Registry, end: dt.date) -> Profile:
    """Close the open congress on `end` (its last day)."""
    with reg.transaction():
        write_profile_values(reg, {"congresses": congress.ended(load_profile(reg).congresses, end)})
    return load_profile(reg)


def add_term(reg: Registry, start: dt.date) -> Profile:
    """Record the start of a new Party term: numbering restarts at 01 for documents dated from it."""
    terms = load_profile(reg).terms
    return set_profile_value(reg, "terms", [*terms, start.isoformat()])
