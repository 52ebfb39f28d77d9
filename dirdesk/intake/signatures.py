"""The digital signatures of a received PDF, read offline with pyHanko.

Vietnamese offices sign PDFs with certificates from a licensed CA (chữ ký số
chuyên dùng of the Ban Cơ yếu, or a public CA). What can be checked without a
network is checked: that the signed bytes still match the signature (the
cryptographic integrity), and whether the file was changed after signing
(what pyHanko calls coverage and modification level). Whether the certificate
chains to a trusted CA and was not revoked needs the CA's list and its
revocation service: with no trust roots given, `trusted` is None and the
clerk is told so, never that the signature is "valid".
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
import warnings
from contextlib import contextmanager

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


def read_signatures(data: bytes, *, trust_roots: list | None = None) -> list[dict]:
    """One dict per signature embedded in the PDF `data`, in signing order:

    - `signer`: the common name of the signing certificate (NFC); `organisation`, or None
    - `signed_at`: the signing time the signature carries, ISO 8601 in Vietnam time (+07:00), or None
    - `intact`: the signed bytes match the signature (False: the file was altered or damaged in the signed part)
    - `covers_whole_file`: the signature covers the file as it is, to the last byte
    - `changes_after_signing`, what was appended to the file after this signature: "none";
      "signatures" (only later signatures, form fills or validation data); "other" (anything
      else, e.g. new page content); "unknown" (could not be analysed)
    - `modified_after_signing`: the content may differ from what was signed: not intact, or "other"/"unknown"
    - `trusted`: None without trust roots (the chain cannot be checked offline), else whether it chains to one
    - `damaged`: the signature could not be read or checked at all
    - `summary`: one Vietnamese sentence for the clerk

    A file that is not a PDF pyHanko can read, or has no signature, gives [].
    A signature that cannot be read or checked gives an entry with `intact` False.
    `trust_roots` (asn1crypto certificates) are the CAs to trust, for a later trust list.
    """
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
            entry, revision = _read_one(reader, name, sig_field, trust_roots)
            if entry is not None:
                found.append((revision if revision is not None else 10**9, order, entry))
    return [entry for _, _, entry in sorted(found, key=lambda t: t[:2])]


def _read_one(reader, name: str, sig_field, trust_roots) -> tuple[dict | None, int | None]:
    from pyhanko.sign.validation import validate_pdf_signature  # lazy: see read_signatures
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
    from pyhanko_certvalidator import ValidationContext

    try:
        embedded = EmbeddedPdfSignature(reader, sig_field, name)
    except Exception:
        return _entry(None, None, intact=False, coverage=None, level=None, trusted=None,
                      damaged=True), None
    if embedded.sig_object_type != "/Sig":  # a document time stamp (/DocTimeStamp) is no one's signature
        return None, None
    cert = _signer_cert(embedded)
    context = ValidationContext(allow_fetching=False, trust_roots=list(trust_roots or []))
    try:
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    except Exception:
        return _entry(cert, _self_reported(embedded), intact=False, coverage=None, level=None, trusted=None,
                      damaged=True), embedded.signed_revision
    level = _level(status)
    when = status.signer_reported_dt
    if when is None and getattr(status, "timestamp_validity", None) is not None:
        when = status.timestamp_validity.timestamp
    trusted = bool(status.trusted) if trust_roots else None
    return _entry(status.signing_cert or cert, when, intact=bool(status.intact and status.valid),
                  coverage=status.coverage.name, level=level, trusted=trusted), embedded.signed_revision


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
           trusted: bool | None, damaged: bool = False) -> dict:
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
        "trusted": trusted,
        "damaged": damaged,
    }
    entry["summary"] = summary(entry)
    return entry


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
    if sig.get("trusted") is None:
        trust = NOT_CHECKED
    elif sig["trusted"]:
        trust = "chứng thư số do tổ chức chứng thực tin cậy cấp"
    else:
        trust = "chứng thư số không do tổ chức chứng thực tin cậy cấp"
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
