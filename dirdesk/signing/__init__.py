"""The office's digital signature on an issued PDF (PAdES B-B, offline): the signer from a .p12/.pfx file
or a PKCS#11 token, the visible appearance (signature image between the title and the name, the seal over
its left third, NĐ 30 Phụ lục I II.7.d and II.8.a), the image checks. No Qt here."""

from dirdesk.signing.errors import SigningProblem

__all__ = ["SigningProblem"]
