"""The digital signatures of a received PDF, read offline with pyHanko.

Vietnamese offices sign PDFs with certificates from a licensed CA (chữ ký số
chuyên dùng of the Ban Cơ yếu, or a public CA). What can be checked without a
network is checked: that the signed bytes still match the signature (the
cryptographic integrity), and whether the file was changed after signing
(what pyHanko calls coverage and modification level), and whether the
certificate chains to a CA the office trusts (the list of trusted
certificates, intake/trust.py). Whether it was revoked needs the CA's
revocation service, which needs the network: never checked, and said so.
With no trusted certificate given, `trusted` is None and the clerk is told
so, never that the signature is "valid".
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
import warnings
from contextlib import contextmanager

from dirdesk.intake.trust import NO_REVOCATION, Trust, name_of, verdict
from dirdesk.text import one_line

VIETNAM = dt.timezone(dt.timedelta(hours=7))  # no daylight saving time
NOT_CHECKED = "chưa kiểm tra được chứng thư số vì máy không nối mạng"
# pyHanko's own deprecation notices (e.g. "Relying on the operating system's trust list is deprecated"),
# printed on every PDF added: noise to a clerk, and nothing DirDesk relies on. Only these are silenced;
# other warnings and every exception go on as before.
_PYHANKO_MODULES = r"pyhanko(_certvalidator)?(\..*)?$"
_PYHANKO_MESSAGES = r"(?s).*(trust list|trust_roots|pyhanko|pyHanko)"
# warnings.catch_warnings changes process-wide filters: one reader at a time, so that two worker
# threads cannot restore each other's filters out of order.
_WARNINGS_LOCK = threading.Lock()


@contextmanager
def _quiet():
    """pyHanko logs every untrusted certificate with a traceback, and warns of its own deprecations;
    the result says it all."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=_PYHANKO_MODULES)
            warnings.filterwarnings("ignore", category=DeprecationWarning, message=_PYHANKO_MESSAGES)
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def read_signatures(data: bytes, *, trust_roots: list | None = None, trust: Trust | None = None) -> list[dict]:
    """One dict per signature embedded in the PDF `data`, in signing order:

    - `signer`: the common name of the signing certificate (NFC); `organisation`, or None
    - `signed_at`: the signing time the signature carries, ISO 8601 in Vietnam time (+07:00), or None
    - `intact`: the signed bytes match the signature (False: the file was altered or damaged in the signed part)
    - `covers_whole_file`: the signature covers the file as it is, to the last byte
    - `changes_after_signing`, what was appended to the file after this signature: "none";
      "signatures" (only later signatures, form fills or validation data); "other" (anything
      else, e.g. new page content); "unknown" (could not be analysed)
    - `modified_after_signing`: the content may differ from what was signed: not intact, or "other"/"unknown"
    - `trusted`: None with no trusted certificate given, else whether the chain reaches a trusted root
      at the signing time (intake/trust.py); revocation is never checked (no network)
    - `issuer`: the name of the CA that issued the signer's certificate, or None
    - `trust_reason`: why it is not trusted (the missing issuer named, an expired certificate), or None
    - `damaged`: the signature could not be read or checked at all
    - `summary`: one Vietnamese sentence for the clerk

    A file that is not a PDF pyHanko can read, or has no signature, gives [].
    A signature that cannot be read or checked gives an entry with `intact` False.
    `trust` holds the trusted roots and intermediates (intake/trust.py); `trust_roots` (asn1crypto
    certificates) is the same with roots only.
    """
    if trust is None and trust_roots is not None:
        trust = Trust(anchors=list(trust_roots))
    with _quiet():
        # lazy, as in _read_one and _level: pyHanko (with its crypto) loads only when a PDF is read
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.fields import enumerate_sig_fields

        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            fields = list(enumerate_sig_fields(reader, filled_status=True))
        except Exception:  # not a PDF, or too damaged to find its form: nothing to say about signatures
            return []
        found = []
        for order, (name, _sig_obj, sig_field) in enumerate(fields):
            entry, revision = _read_one(reader, name, sig_field, trust)
            if entry is not None:
                found.append((revision if revision is not None else 10**9, order, entry))
    return [entry for _, _, entry in sorted(found, key=lambda t: t[:2])]


def _read_one(reader, name: str, sig_field, trust: Trust | None) -> tuple[dict | None, int | None]:
    from pyhanko.sign.validation import validate_pdf_signature  # lazy: see read_signatures
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko_certvalidator import ValidationContext

    try:
        embedded = EmbeddedPdfSignature(reader, sig_field, name)
    except Exception:
        return _entry(None, None, intact=False, coverage=None, level=None, trusted=(None, None),
                      damaged=True), None
    if embedded.sig_object_type != "/Sig":  # a document time stamp (/DocTimeStamp) is no one's signature
        return None, None
    cert = _signer_cert(embedded)
    trust = trust or Trust()
    claimed = _self_reported(embedded)  # offline, the chain is checked at the time the signature says
    context = ValidationContext(allow_fetching=False, trust_roots=trust.anchors, other_certs=trust.intermediates,
                                moment=claimed)
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception:
        return _entry(cert, claimed, intact=False, coverage=None, level=None, trusted=(None, None),
                      damaged=True), embedded.signed_revision
    level = _level(status)
    when = status.signer_reported_dt
    if when is None and getattr(status, "timestamp_validity", None) is not None:
        when = status.timestamp_validity.timestamp
    cert = status.signing_cert or cert
    trusted = verdict(cert, _carried(embedded), when, trust, bool(status.trusted))
    return _entry(cert, when, intact=bool(status.intact and status.valid),
                  coverage=status.coverage.name, level=level, trusted=trusted), embedded.signed_revision


def _carried(embedded) -> list:
    """The certificates the signature carries (its chain, as the signer's software put it in)."""
    try:
        return [c.chosen for c in embedded.signed_data["certificates"] or [] if c.name == "certificate"]
    except Exception:
        return []


def _signer_cert(embedded):
    try:
        return embedded.signer_cert
    except Exception:
        return None


def _self_reported(embedded) -> dt.datetime | None:
    try:
        return embedded.self_reported_timestamp
    except Exception:
        return None


def _level(status) -> str:
    """pyHanko's modification level as "none", "signatures", "other" or "unknown"."""
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel  # lazy: see read_signatures
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "none"
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return "other"  # the signature does not even cover its own revision
    diff = status.diff_result
    if not isinstance(diff, DiffResult):  # SuspiciousModification, or no analysis
        return "other" if diff is not None else "unknown"
    if status.docmdp_ok is False:
        return "other"
    if diff.modification_level <= ModificationLevel.LTA_UPDATES:
        return "none" if diff.modification_level == ModificationLevel.NONE else "signatures"
    if diff.modification_level == ModificationLevel.FORM_FILLING:
        return "signatures"
    return "other"


def _name_parts(cert) -> tuple[str | None, str | None]:
    if cert is None:
        return None, None
    try:
        subject = cert.subject.native
    except Exception:
        return None, None

    def one(value) -> str | None:
        if not value:
            return None
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value)
        return one_line(str(value)) or None

    signer = one(subject.get("common_name"))
    if signer is None:
        try:
            signer = one(cert.subject.human_friendly)
        except Exception:
            signer = None
    return signer, one(subject.get("organization_name"))


def _entry(cert, when: dt.datetime | None, *, intact: bool, coverage: str | None, level: str | None,
           trusted: tuple[bool | None, str | None], damaged: bool = False) -> dict:
    signer, organisation = _name_parts(cert)
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)  # a signing time without zone is UTC (CMS UTCTime)
    when = when.astimezone(VIETNAM) if when is not None else None
    changes = level or "unknown"
    entry = {
        "signer": signer,
        "organisation": organisation,
        "signed_at": when.isoformat() if when else None,
        "intact": intact,
        "covers_whole_file": coverage == "ENTIRE_FILE",
        "changes_after_signing": changes,
        "modified_after_signing": not intact or changes in ("other", "unknown"),
        "trusted": trusted[0],
        "trust_reason": trusted[1],
        "issuer": _issuer(cert),
        "damaged": damaged,
    }
    entry["summary"] = summary(entry)
    return entry


def _issuer(cert) -> str | None:
    try:
        return name_of(cert.issuer) or None
    except Exception:
        return None


def summary(sig: dict) -> str:
    """The one sentence the clerk reads about a signature (from a `read_signatures` dict)."""
    who = sig.get("signer") or "người ký không rõ"
    if sig.get("organisation") and sig["organisation"] != sig.get("signer"):
        who += f" ({sig['organisation']})"
    head = f"Ký bởi {who}"
    if sig.get("signed_at"):
        head += f" lúc {dt.datetime.fromisoformat(sig['signed_at']):%d/%m/%Y %H:%M}"
    if sig.get("damaged"):
        head = head if sig.get("signer") else "Có một chữ ký số"
        return f"{head} nhưng chữ ký bị hỏng, không kiểm tra được: coi như văn bản chưa được ký hợp lệ."
    trust = _trust_text(sig)
    if not sig.get("intact"):
        return (f"{head} — CẢNH BÁO: chữ ký không khớp với nội dung, tệp đã bị sửa hoặc hỏng sau khi ký "
                f"({trust}).")
    changes = sig.get("changes_after_signing")
    if changes == "none":
        text = "nội dung không bị thay đổi sau khi ký"
    elif changes == "signatures":
        text = "nội dung đã ký không bị sửa; sau khi ký chỉ có thêm chữ ký khác hoặc thông tin biểu mẫu"
    elif changes == "other":
        text = "CẢNH BÁO: tệp đã bị sửa sau khi ký, nội dung đang xem có thể khác bản đã ký"
    else:
        text = "không xác định được tệp có bị sửa sau khi ký hay không"
    return f"{head} — {text} ({trust})."


def _trust_text(sig: dict) -> str:
    """The trust part of the sentence: trusted, not (and why), or not checked; never a word on
    revocation beyond that it was not checked."""
    reason = sig.get("trust_reason")
    if sig.get("trusted") is None:
        issued = f"chứng thư số do «{sig['issuer']}» cấp, {NOT_CHECKED}" if sig.get("issuer") else NOT_CHECKED
        return f"{reason}; {issued}" if reason else issued
    if sig["trusted"]:
        return f"chứng thư số do tổ chức chứng thực tin cậy cấp; {NO_REVOCATION}"
    return f"chứng thư số KHÔNG tin cậy: {reason or 'không do tổ chức chứng thực tin cậy cấp'}; {NO_REVOCATION}"
