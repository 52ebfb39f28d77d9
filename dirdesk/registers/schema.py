"""The register file's schema, as ordered migrations.

`MIGRATIONS[i]` takes a file from schema version i to i + 1. A migration is a
list of SQL statements run in one transaction together with the new
`user_version`; published migrations are never edited, only appended to.
"""

from __future__ import annotations

# PRAGMA application_id: "DirD". A SQLite file with another id is not ours.
APPLICATION_ID = 0x44697244

_V1 = [
    # The office profile: one JSON value per key (see profile.py).
    """CREATE TABLE profile (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # Files kept beside the database, named by their SHA-256.
    """CREATE TABLE attachments (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        ext TEXT NOT NULL,
        added_at TEXT NOT NULL
    )""",
    # Sổ đăng ký văn bản đi (NĐ 30, Phụ lục IV). `seq_key` names the number
    # sequence the row's number belongs to (numbering.py); the unique index on
    # (seq_key, number) is what makes a number impossible to hand out twice.
    """CREATE TABLE outgoing (
        id INTEGER PRIMARY KEY,
        seq_key TEXT NOT NULL,
        number INTEGER NOT NULL CHECK (number > 0),
        symbol TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('reserved', 'issued', 'cancelled')),
        style TEXT NOT NULL,
        type TEXT NOT NULL,
        secret TEXT,
        urgency TEXT,
        date TEXT NOT NULL,
        type_name TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        signer TEXT NOT NULL DEFAULT '',
        recipients TEXT NOT NULL DEFAULT '',
        copy_holder TEXT NOT NULL DEFAULT '',
        copies INTEGER,
        sent_date TEXT,
        receipt TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        cancel_reason TEXT,
        draft_json TEXT,
        docx_sha256 TEXT REFERENCES attachments(sha256),
        pdf_sha256 TEXT REFERENCES attachments(sha256),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    )""",
    "CREATE UNIQUE INDEX outgoing_number ON outgoing (seq_key, number)",
    "CREATE INDEX outgoing_date ON outgoing (date)",
    "CREATE INDEX outgoing_symbol ON outgoing (symbol)",
    # Sổ đăng ký văn bản đến, with the follow-up columns (sổ theo dõi giải quyết).
    """CREATE TABLE incoming (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        number INTEGER NOT NULL CHECK (number > 0),
        received_date TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        symbol TEXT NOT NULL DEFAULT '',
        doc_date TEXT,
        type TEXT NOT NULL DEFAULT '',
        type_name TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        recipient TEXT NOT NULL DEFAULT '',
        sent_date TEXT,
        receipt TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        urgency TEXT,
        secrecy TEXT,
        handler TEXT NOT NULL DEFAULT '',
        deadline TEXT,
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'in_progress', 'done')),
        done_date TEXT,
        reply_symbol TEXT NOT NULL DEFAULT '',
        reply_outgoing_id INTEGER REFERENCES outgoing(id),
        body TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    )""",
    "CREATE UNIQUE INDEX incoming_number ON incoming (year, number)",
    "CREATE INDEX incoming_received ON incoming (received_date)",
    "CREATE INDEX incoming_deadline ON incoming (deadline)",
    """CREATE TABLE incoming_files (
        incoming_id INTEGER NOT NULL REFERENCES incoming(id),
        sha256 TEXT NOT NULL REFERENCES attachments(sha256),
        name TEXT NOT NULL,
        PRIMARY KEY (incoming_id, sha256)
    )""",
    # Tiến độ giải quyết: dated progress notes on an incoming document.
    """CREATE TABLE progress (
        id INTEGER PRIMARY KEY,
        incoming_id INTEGER NOT NULL REFERENCES incoming(id),
        date TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX progress_incoming ON progress (incoming_id)",
    # Drafts kept in the file (the app's "Lưu"), searchable with the registers.
    """CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        style TEXT NOT NULL,
        type TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        draft_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    )""",
    # Every change: what (table, row, action), when, old and new values (JSON).
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        table_name TEXT NOT NULL,
        row_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        old TEXT,
        new TEXT
    )""",
    "CREATE INDEX audit_row ON audit (table_name, row_id)",
    # One search over registers and drafts. Text is stored folded (search.fold):
    # lower case, no diacritics, đ -> d, so the tokenizer needs no options.
    # The rowid encodes the entry: row id * 4 + kind (search.KINDS); `tags`
    # holds filter tokens (search.tags). Prefix indexes serve search as you type.
    """CREATE VIRTUAL TABLE search_index USING fts5(
        symbol, subject, issuer, notes, tags, body,
        tokenize = 'unicode61', prefix = '2 3'
    )""",
]

# v2: intake into the incoming register (issue 4). Received files are looked
# up by content hash to flag a document registered twice, and the digital
# signatures read from a received PDF (intake/signatures.py) are kept with its
# row as a JSON list.
_V2 = [
    "CREATE INDEX incoming_files_sha256 ON incoming_files (sha256)",
    "ALTER TABLE incoming ADD COLUMN signatures TEXT NOT NULL DEFAULT '[]'",
]

# v3: an attached file the clerk has recorded as lost (attachments.forget_missing): when and why.
# Backups then stop flagging it as missing; the entry keeps its row and says the file is gone.
_V3 = [
    "ALTER TABLE attachments ADD COLUMN lost_at TEXT",
    "ALTER TABLE attachments ADD COLUMN lost_reason TEXT",
]

# v4: the searchable copy of a scan (registers/ocr_text.py: the pages read with OCR, an invisible text
# layer over them) is kept with its entry beside the received original, told apart by its role.
_V4 = [
    "ALTER TABLE incoming_files ADD COLUMN role TEXT NOT NULL DEFAULT 'received' "
    "CHECK (role IN ('received', 'ocr'))",
]

# v5: the certificates the office trusts (registers/trust_store.py; issue 13): the roots and intermediates
# of the CAs, kept whole (DER) with what the list shows of them. In the register, not the profile folder,
# so that the office's trust goes with its register: the same on every machine that opens it, in its
# backups, and its changes in the audit log.
_V5 = [
    """CREATE TABLE trusted_certs (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        der BLOB NOT NULL,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        is_root INTEGER NOT NULL,
        added_at TEXT NOT NULL
    )""",
]

# v6: copies (sao y, sao lục, trích sao; NĐ 30 Điều 25, 05-HD III): one row per copy, of an outgoing or an
# incoming document, numbered like issued documents (registers/copies.py): the unique index on
# (seq_key, number) makes a second use of a number impossible; a cancelled copy keeps its number. A sao lục
# is printed from a sao y (NĐ 30 Điều 25 khoản 2 điểm b): `from_copy_id` names it.
_V6 = [
    """CREATE TABLE copies (
        id INTEGER PRIMARY KEY,
        seq_key TEXT NOT NULL,
        number INTEGER NOT NULL CHECK (number > 0),
        symbol TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('sao-y', 'sao-luc', 'trich-sao')),
        outgoing_id INTEGER REFERENCES outgoing(id),
        incoming_id INTEGER REFERENCES incoming(id),
        date TEXT NOT NULL,
        signer TEXT NOT NULL DEFAULT '',
        pages TEXT NOT NULL DEFAULT '',
        recipients TEXT NOT NULL DEFAULT '',
        pdf_sha256 TEXT REFERENCES attachments(sha256),
        from_copy_id INTEGER REFERENCES copies(id),
        status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'cancelled')),
        cancel_reason TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK ((outgoing_id IS NULL) <> (incoming_id IS NULL))
    )""",
    "CREATE UNIQUE INDEX copies_number ON copies (seq_key, number)",
    "CREATE INDEX copies_outgoing ON copies (outgoing_id)",
    "CREATE INDEX copies_incoming ON copies (incoming_id)",
]

# v7: the office's digital signature (registers/signing.py): the signed PDF is kept beside the unsigned one,
# with who signed it (the certificate's subject) and when (ISO 8601, Vietnam time). A signed file is never
# rewritten: a later step (a timestamp, validation data) appends an incremental update and stores a new file.
_V7 = [
    "ALTER TABLE outgoing ADD COLUMN signed_pdf_sha256 TEXT REFERENCES attachments(sha256)",
    "ALTER TABLE outgoing ADD COLUMN signed_by TEXT",
    "ALTER TABLE outgoing ADD COLUMN signed_at TEXT",
]

MIGRATIONS: list[list[str]] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7]

SCHEMA_VERSION = len(MIGRATIONS)

# Tables a DirDesk file of any version has; used to tell our file from another's.
CORE_TABLES = {"profile", "outgoing", "incoming", "audit"}
