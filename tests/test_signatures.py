"""The digital signatures of a received PDF, read offline: who signed and when,
whether the signed bytes are intact, whether the file changed after signing,
and never a claim of trust that could not be checked."""

import datetime as dt
import unicodedata

import pytest

from dirdesk.intake.signatures import read_signatures
from tests.signing import (
    append_page_content,
    break_signature_contents,
    certificate,
    flip_signed_byte,
    rendered_pdf,
    sign,
)


@pytest.fixture(scope="module")
def signed():
    return sign(rendered_pdf("seed-002"))


def test_a_signed_untouched_pdf_is_intact_and_unmodified(signed):
    before = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    (sig,) = read_signatures(signed)
    assert (sig["signer"], sig["organisation"]) == ("NGUYEN VAN A", "Co quan Tinh uy")
    assert sig["intact"] is True and sig["damaged"] is False
    assert sig["covers_whole_file"] is True
    assert (sig["changes_after_signing"], sig["modified_after_signing"]) == ("none", False)
    assert sig["trusted"] is None  # no trust list, no network: not checked, and not pretended
    when = dt.datetime.fromisoformat(sig["signed_at"])
    assert when.utcoffset() == dt.timedelta(hours=7)
    assert before <= when <= dt.datetime.now(dt.UTC)
    assert sig["summary"] == (f"Ký bởi NGUYEN VAN A (Co quan Tinh uy) lúc {when:%d/%m/%Y %H:%M} — nội dung không "
                              "bị thay đổi sau khi ký (chứng thư số do «NGUYEN VAN A» cấp, chưa kiểm tra được "
                              "chứng thư số vì máy không nối mạng).")


def test_page_content_appended_after_signing_is_flagged(signed):
    (sig,) = read_signatures(append_page_content(signed))
    assert sig["intact"] is True  # the signed revision itself is untouched…
    assert sig["covers_whole_file"] is False
    assert (sig["changes_after_signing"], sig["modified_after_signing"]) == ("other", True)  # …but the file is not
    assert "CẢNH BÁO: tệp đã bị sửa sau khi ký" in sig["summary"]


def test_a_byte_changed_inside_the_signed_range_breaks_integrity(signed):
    (sig,) = read_signatures(flip_signed_byte(signed))
    assert sig["intact"] is False and sig["modified_after_signing"] is True
    assert sig["signer"] == "NGUYEN VAN A"
    assert "chữ ký không khớp với nội dung" in sig["summary"]


def test_a_later_signature_is_described_as_such_not_as_tampering(signed):
    twice = sign(signed, "TRAN THI B", "UBND phuong", field="Signature2")
    first, second = read_signatures(twice)
    assert (first["signer"], second["signer"]) == ("NGUYEN VAN A", "TRAN THI B")
    assert first["intact"] and not first["covers_whole_file"]
    assert (first["changes_after_signing"], first["modified_after_signing"]) == ("signatures", False)
    assert "chỉ có thêm chữ ký khác" in first["summary"]
    assert (second["changes_after_signing"], second["covers_whole_file"]) == ("none", True)


def test_an_unsigned_pdf_has_no_signatures():
    assert read_signatures(rendered_pdf("seed-002")) == []


@pytest.mark.parametrize("data", [b"", b"not a PDF at all", b"%PDF-1.7\n1 0 obj <<", b"PK\x03\x04zip"])
def test_a_file_pyhanko_cannot_read_gives_no_signatures(data):
    assert read_signatures(data) == []


def test_a_truncated_signed_pdf_gives_no_signatures_and_no_crash(signed):
    assert read_signatures(signed[: len(signed) // 2]) == []


def test_a_damaged_signature_is_reported_not_intact(signed):
    (sig,) = read_signatures(break_signature_contents(signed))
    assert sig["damaged"] is True and sig["intact"] is False and sig["modified_after_signing"] is True
    assert sig["summary"].startswith("Có một chữ ký số nhưng chữ ký bị hỏng")


def test_a_vietnamese_name_in_the_certificate_is_read_in_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    org = unicodedata.normalize("NFD", "Đảng ủy phường Bách Quang")
    (sig,) = read_signatures(sign(rendered_pdf("seed-000"), nfd, org))
    assert sig["signer"] == unicodedata.normalize("NFC", nfd) != nfd
    assert sig["organisation"] == "Đảng ủy phường Bách Quang"
    assert sig["summary"].startswith("Ký bởi Nguyễn Thị Ánh Tuyết (Đảng ủy phường Bách Quang) lúc ")


def test_with_a_trust_list_the_certificate_chain_is_checked(signed):
    own, _ = certificate("NGUYEN VAN A", "Co quan Tinh uy")
    other, _ = certificate("CA KHAC")
    (trusted,) = read_signatures(signed, trust_roots=[own])
    assert trusted["trusted"] is True and "do tổ chức chứng thực tin cậy cấp" in trusted["summary"]
    (untrusted,) = read_signatures(signed, trust_roots=[other])
    assert untrusted["trusted"] is False
    assert ("KHÔNG tin cậy: chứng thư gốc «NGUYEN VAN A» chưa có trong danh sách chứng thư tin cậy"
            in untrusted["summary"])
