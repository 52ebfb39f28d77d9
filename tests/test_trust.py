"""The trust of a received signature, offline: trusted when its chain reaches a certificate the
office added (a root; intermediates from a .p7b), untrusted with the missing issuer named, expired
certificates told, a broken signature and a later change told apart; and the register's list."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dirdesk.intake.signatures import read_signatures
from dirdesk.intake.source import IntakeError
from dirdesk.intake.stamp import StampFields, stamp_pdf
from dirdesk.intake.trust import NO_REVOCATION, Trust, load_certificates
from dirdesk.registers import trust_store
from dirdesk.registers.schema import SCHEMA_VERSION
from tests.conftest import run
from tests.signing import flip_signed_byte, rendered_pdf
from tests.trust_ca import forged, hierarchy, p7b, sign_with


@pytest.fixture(scope="module")
def ca():
    return hierarchy()


@pytest.fixture(scope="module")
def signed():
    return sign_with(rendered_pdf("seed-002"))


def _one(pdf: bytes, *certs) -> dict:
    (sig,) = read_signatures(pdf, trust=Trust.of([c.asn1 for c in certs]) if certs else None)
    return sig


def test_untrusted_until_the_root_is_added_then_trusted(ca, signed):
    unknown = _one(signed)
    assert unknown["trusted"] is None and unknown["issuer"] == "Test CA Chuyên dùng"
    assert "«Test CA Chuyên dùng»" in unknown["summary"]
    other = _one(signed, ca["other_root"])
    assert other["trusted"] is False
    assert other["trust_reason"] == ("thiếu chứng thư của tổ chức cấp «Test CA Chuyên dùng» "
                                     "trong danh sách chứng thư tin cậy")
    half = _one(signed, ca["intermediate"])  # the intermediate alone is no trust anchor: its root is named
    assert half["trusted"] is False and "«Test Root CA Việt Nam»" in half["trust_reason"]
    trusted = _one(signed, ca["root"], ca["intermediate"])
    assert trusted["trusted"] is True and trusted["trust_reason"] is None and trusted["intact"] is True
    assert "do tổ chức chứng thực tin cậy cấp" in trusted["summary"] and NO_REVOCATION in trusted["summary"]


def test_the_root_alone_is_enough_when_the_signature_carries_its_chain(ca):
    carried = sign_with(rendered_pdf("seed-002"), carry_chain=True)
    assert _one(carried, ca["root"])["trusted"] is True
    assert _one(sign_with(rendered_pdf("seed-002")), ca["root"])["trusted"] is False  # no intermediate anywhere


def test_a_forged_chain_with_the_trusted_names_is_not_trusted(ca):
    fake = sign_with(rendered_pdf("seed-002"), carry_chain=True, ca=forged())
    sig = _one(fake, ca["root"], ca["intermediate"])
    assert sig["intact"] is True and sig["issuer"] == "Test CA Chuyên dùng"  # the names are those of the test CA…
    assert sig["trusted"] is False and sig["trust_reason"]  # …the keys are not


@pytest.mark.parametrize("pem", [False, True])
def test_a_p7b_bundle_gives_the_root_and_its_intermediate(ca, signed, pem):
    certs = load_certificates(p7b(ca["root"], ca["intermediate"], pem=pem), "chain.p7b")
    trust = Trust.of(certs)
    assert [c.dump() for c in trust.anchors] == [ca["root"].der()]
    assert [c.dump() for c in trust.intermediates] == [ca["intermediate"].der()]
    (sig,) = read_signatures(signed, trust=trust)
    assert sig["trusted"] is True


def test_cer_files_in_der_and_pem_are_read_and_anything_else_refused(ca):
    assert [c.dump() for c in load_certificates(ca["root"].der())] == [ca["root"].der()]
    assert [c.dump() for c in load_certificates(ca["intermediate"].pem() + ca["root"].pem())] == [
        ca["intermediate"].der(), ca["root"].der()]
    with pytest.raises(IntakeError, match="không đọc được chứng thư số"):
        load_certificates(b"%PDF-1.7 not a certificate", "x.cer")


def test_a_changed_signed_byte_is_broken_even_when_trusted_roots_are_given(ca, signed):
    sig = _one(flip_signed_byte(signed), ca["root"], ca["intermediate"])
    assert sig["intact"] is False and sig["modified_after_signing"] is True
    assert "chữ ký không khớp với nội dung" in sig["summary"]


def test_an_appended_den_stamp_is_a_later_change_not_a_broken_signature(ca, signed):
    stamped, _ = stamp_pdf(signed, StampFields("UBND PHƯỜNG THỬ", 7, dt.date(2026, 12, 7)))
    sig = _one(stamped, ca["root"], ca["intermediate"])
    assert sig["intact"] is True and sig["trusted"] is True  # the signed revision still checks…
    assert sig["covers_whole_file"] is False and sig["changes_after_signing"] == "other"  # …the stamp came later
    assert "tệp đã bị sửa sau khi ký" in sig["summary"] and "không khớp" not in sig["summary"]


def test_a_certificate_expired_at_signing_is_said_so(ca):
    expired = sign_with(rendered_pdf("seed-002"), "expired")
    end = ca["expired"].cert.not_valid_after_utc.astimezone(dt.timezone(dt.timedelta(hours=7)))
    for sig in (_one(expired), _one(expired, ca["root"], ca["intermediate"])):
        assert f"đã hết hạn khi ký, hết hạn ngày {end:%d/%m/%Y}" in sig["summary"]
    assert _one(expired, ca["root"], ca["intermediate"])["trusted"] is False


def test_the_register_keeps_the_list_and_checks_against_it(registry, ca, signed):
    assert registry.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert trust_store.trust_of(registry) is None
    added = trust_store.add_file(registry, p7b(ca["root"], ca["intermediate"]), "chain.p7b")
    assert [r["subject"] for r in added] == ["Test Root CA Việt Nam", "Test CA Chuyên dùng"]
    assert trust_store.add_file(registry, ca["root"].pem(), "root.crt") == []  # not twice
    with pytest.raises(IntakeError, match="«Phường Hết Hạn» là chứng thư của người ký"):
        trust_store.add_file(registry, ca["expired"].pem() + ca["other_root"].pem(), "both.pem")
    assert len(trust_store.list_all(registry)) == 2  # the root in the same file is not added either
    rows = trust_store.list_all(registry)
    assert [(r["subject"], r["issuer"], r["is_root"]) for r in rows] == [
        ("Test Root CA Việt Nam", "Test Root CA Việt Nam", 1), ("Test CA Chuyên dùng", "Test Root CA Việt Nam", 0)]
    assert rows[0]["not_after"] == ca["root"].cert.not_valid_after_utc.date().isoformat()
    (sig,) = read_signatures(signed, trust=trust_store.trust_of(registry))
    assert sig["trusted"] is True
    trust_store.remove(registry, rows[0]["id"])
    (sig,) = read_signatures(signed, trust=trust_store.trust_of(registry))
    assert sig["trusted"] is False and "«Test Root CA Việt Nam»" in sig["trust_reason"]
    audit = "SELECT action FROM audit WHERE table_name = 'trusted_certs' ORDER BY id"
    actions = [r["action"] for r in registry.query(audit)]
    assert actions == ["insert", "insert", "delete"]


def test_an_incoming_entry_records_the_trust_of_its_signatures(registry, ca, signed):
    from dirdesk.registers import incoming

    trust_store.add_file(registry, p7b(ca["root"], ca["intermediate"]))
    row = incoming.add(registry, incoming.IncomingEntry(subject="Thông báo", files=[("tb.pdf", signed)]))
    (sig,) = incoming.signatures_in(row)
    assert sig["trusted"] is True and sig["file"] == "tb.pdf"


def test_verify_command_before_and_after_the_root_is_added(capsys, tmp_path, db, ca, signed):
    pdf = tmp_path / "nhan.pdf"
    pdf.write_bytes(signed)
    code, out, _ = run(capsys, "verify", str(pdf), "--db", db)
    assert code == 0 and "tin cậy: chưa rõ" in out and "«Test CA Chuyên dùng»" in out
    (tmp_path / "inter.crt").write_bytes(ca["intermediate"].pem())
    (tmp_path / "root.cer").write_bytes(ca["root"].der())
    assert run(capsys, "trust", "add", str(tmp_path / "inter.crt"), "--db", db)[0] == 0
    code, out, _ = run(capsys, "verify", str(pdf), "--db", db)
    assert out.count("\n") == 1 and "tin cậy: không — thiếu chứng thư của tổ chức cấp «Test Root CA Việt Nam»" in out
    assert NO_REVOCATION in out
    code, out, _ = run(capsys, "trust", "add", str(tmp_path / "root.cer"), "--db", db, "--json")
    (root,) = json.loads(out)
    code, out, _ = run(capsys, "verify", str(pdf), "--db", db, "--json")
    (sig,) = json.loads(out)
    assert {"signer", "intact", "trusted"} <= set(sig)
    assert (sig["signer"], sig["intact"], sig["trusted"]) == ("Ủy ban nhân dân phường Thử", True, True)
    code, out, _ = run(capsys, "trust", "list", "--db", db)
    assert "Test Root CA Việt Nam — chứng thư gốc — hiệu lực từ" in out
    assert run(capsys, "trust", "remove", str(root["id"]), "--db", db)[0] == 0
    assert json.loads(run(capsys, "verify", str(pdf), "--db", db, "--json")[1])[0]["trusted"] is False


def test_verify_with_trust_files_and_without_a_register(capsys, tmp_path, ca, signed):
    pdf, bundle = tmp_path / "nhan.pdf", tmp_path / "chain.p7b"
    pdf.write_bytes(signed)
    bundle.write_bytes(p7b(ca["root"], ca["intermediate"]))
    missing = str(tmp_path / "khong-co.sqlite")
    (sig,) = json.loads(run(capsys, "verify", str(pdf), "--db", missing, "--json")[1])
    assert sig["trusted"] is None
    assert not (tmp_path / "khong-co.sqlite").exists()  # verifying creates no register
    (sig,) = json.loads(run(capsys, "verify", str(pdf), "--trust", str(bundle), "--json")[1])
    assert sig["trusted"] is True


def test_verify_exit_status_and_messages(capsys, tmp_path, db, signed):
    broken, other = tmp_path / "hong.pdf", tmp_path / "khong.pdf"
    broken.write_bytes(flip_signed_byte(signed))
    other.write_bytes(b"not a pdf")
    code, out, _ = run(capsys, "verify", str(broken), "--db", db)
    assert code == 1 and "nguyên vẹn: KHÔNG" in out
    stamped = tmp_path / "den.pdf"
    stamped.write_bytes(stamp_pdf(signed, StampFields("UBND PHƯỜNG THỬ", 7, dt.date(2026, 12, 7)))[0])
    code, out, _ = run(capsys, "verify", str(stamped), "--db", db)
    assert code == 1 and "nguyên vẹn: có — thay đổi sau khi ký: CÓ" in out  # a later change, not broken
    code, _, err = run(capsys, "verify", str(other), "--db", db)
    assert code == 2 and "không phải tệp PDF" in err
    (tmp_path / "plain.pdf").write_bytes(rendered_pdf("seed-002"))
    code, out, _ = run(capsys, "verify", str(tmp_path / "plain.pdf"), "--db", db)
    assert (code, out) == (0, "Tệp không có chữ ký số.\n")
    assert json.loads(run(capsys, "verify", str(tmp_path / "plain.pdf"), "--db", db, "--json")[1]) == []
    code, _, err = run(capsys, "trust", "remove", "99", "--db", db)
    assert code == 2 and "Không có chứng thư tin cậy số 99" in err


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "received"
CORPUS_PDFS = sorted(CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_PDFS, reason="the corpus of received files (../shared/corpus/received) is absent")
def test_real_received_pdfs_are_unknown_or_untrusted_offline_with_their_issuer_named(ca):
    issuers = set()
    for path in CORPUS_PDFS:
        data = path.read_bytes()
        unknown = read_signatures(data)
        untrusted = read_signatures(data, trust=Trust.of([ca["root"].asn1]))
        assert unknown and len(unknown) == len(untrusted), path.name
        for plain, checked in zip(unknown, untrusted, strict=True):
            assert plain["trusted"] is None and plain["issuer"] and f"«{plain['issuer']}»" in plain["summary"]
            assert checked["trusted"] is False and checked["intact"] is True, path.name
            assert "«" in checked["trust_reason"] and NO_REVOCATION in checked["summary"]
            issuers.add(checked["trust_reason"])
    # the Ban Cơ yếu's CA for state bodies (chữ ký số chuyên dùng Chính phủ) is named as the missing issuer
    assert any("Chinh phu" in reason or "Nhà nước" in reason for reason in issuers)


def test_incoming_add_from_the_command_line_records_the_trust(capsys, tmp_path, db, ca, signed):
    (tmp_path / "chain.p7b").write_bytes(p7b(ca["root"], ca["intermediate"]))
    (tmp_path / "tb.pdf").write_bytes(signed)
    assert run(capsys, "trust", "add", str(tmp_path / "chain.p7b"), "--db", db)[0] == 0
    code, out, _ = run(capsys, "incoming", "add", str(tmp_path / "tb.pdf"), "--subject", "Thông báo", "--db", db,
                       "--no-ocr", "--json")
    (sig,) = json.loads(out)["signatures"]
    assert code == 0 and sig["trusted"] is True and "do tổ chức chứng thực tin cậy cấp" in sig["summary"]


def test_incoming_recheck_keeps_what_the_signatures_say_with_todays_list(capsys, tmp_path, db, ca, signed):
    (tmp_path / "tb.pdf").write_bytes(signed)
    (tmp_path / "chain.p7b").write_bytes(p7b(ca["root"], ca["intermediate"]))
    run(capsys, "incoming", "add", str(tmp_path / "tb.pdf"), "--subject", "Thông báo", "--db", db, "--no-ocr")
    code, out, _ = run(capsys, "incoming", "show", "1", "--db", db, "--json")
    assert json.loads(out)["signatures"][0]["trusted"] is None  # registered before the list had its root
    run(capsys, "trust", "add", str(tmp_path / "chain.p7b"), "--db", db)
    code, out, _ = run(capsys, "incoming", "recheck", "1", "--db", db)
    assert code == 0 and "tin cậy: có" in out
    code, out, _ = run(capsys, "incoming", "show", "1", "--db", db, "--json")
    assert json.loads(out)["signatures"][0]["trusted"] is True
