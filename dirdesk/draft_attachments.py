"""The draft file's optional `attachments`: documents issued with a decision and phụ lục.

A quyết định that issues a quy chế ("ban hành kèm theo Quyết định này") and its
phụ lục are one document, one draft file and one number in the register: each
attachment is laid out after the decision's signature on a new page, with its
own page numbers (dirdesk/layout/attached.py). See docs/draft-format-extensions.md.

This module only reads and writes the field; `read_attachments` is handed the
draft reader (dirdesk.draft._Reader) so that its problems are reported with the
others, each naming its field (`attachments[1].body`).
"""

from __future__ import annotations

from dataclasses import dataclass

from dirdesk import limits

KINDS = ("van-ban", "phu-luc")  # a document issued with the decision (quy chế, quy định, đề án …); a phụ lục
MAX_ATTACHMENTS = 50
_FIELDS = {"kind", "type", "title", "subject", "body"}


@dataclass
class Attachment:
    """One attached document. `type` is a document type code of the draft's style (van-ban only);
    `title` overrides the type's printed name (van-ban) or is the phụ lục's title (tiêu đề);
    `subject` is the van-ban's trích yếu."""

    kind: str
    body: str
    type: str | None = None
    title: str | None = None
    subject: str | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "type": self.type, "title": self.title, "subject": self.subject,
                "body": self.body}


def read_attachments(reader, data: dict, known_types) -> list[Attachment]:
    """The `attachments` list of a draft object; problems go to `reader.fail`."""
    value = data.get("attachments")
    if value is None:
        return []
    if not isinstance(value, list):
        reader.fail("attachments", "phải là danh sách văn bản kèm theo")
        return []
    if len(value) > MAX_ATTACHMENTS:
        reader.fail("attachments", f"có {len(value)} văn bản kèm theo, quá giới hạn {MAX_ATTACHMENTS}")
        return []
    out = []
    for i, item in enumerate(value):
        name = f"attachments[{i}]"
        if not isinstance(item, dict):
            reader.fail(name, "phải là đối tượng (kind, type, title, subject, body)")
            continue
        reader.unknown(item, _FIELDS, name + ".")
        attachment = _read_one(reader, item, name, known_types)
        if attachment is not None:
            out.append(attachment)
    return out


def _read_one(reader, item: dict, name: str, known_types) -> Attachment | None:
    kind = reader.string(item, "kind", f"{name}.kind", required=True, lines=False)
    if kind is not None and kind not in KINDS:
        reader.fail(f"{name}.kind", f"'{kind}' không hợp lệ (chỉ nhận: {', '.join(KINDS)})")
        kind = None
    doc_type = reader.string(item, "type", f"{name}.type", required=kind == "van-ban", lines=False)
    if doc_type is not None and known_types is not None and doc_type not in known_types:
        reader.fail(f"{name}.type", f"'{doc_type}' không phải loại văn bản của kiểu này "
                                    f"(các mã hợp lệ: {', '.join(known_types)})")
        doc_type = None
    if kind == "phu-luc" and doc_type is not None:
        reader.fail(f"{name}.type", "phụ lục không có loại văn bản: hãy để null")
    title = reader.string(item, "title", f"{name}.title", required=False) or None
    subject = reader.string(item, "subject", f"{name}.subject", required=kind == "van-ban",
                            limit=limits.SUBJECT) or None
    body = reader.string(item, "body", f"{name}.body", required=True, limit=limits.BODY)
    if kind is None or body is None or (kind == "van-ban" and (doc_type is None or subject is None)):
        return None
    return Attachment(kind=kind, body=body, type=doc_type, title=title, subject=subject)
