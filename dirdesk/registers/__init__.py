"""The registers: the office's memory in one SQLite file.

- `database`: where the file lives, the checks on open, migrations, transactions
- `schema`: the tables, as ordered migrations
- `profile`: the office profile kept in the file
- `numbering`: which sequence a number comes from (state: per year; Party: per term and type)
- `outgoing`, `incoming`, `drafts`: the registers themselves
- `intake_entry`: a received file (parsed, its signatures read) as an incoming entry
- `audit`: the change log and soft delete
- `search`: one diacritic-insensitive full-text search over them all
- `columns`: a register for a period as a table, for every export format
- `attachments`: files kept beside the database, named by content hash
"""

from dirdesk.registers.database import Registry, default_db_path, open_registry
from dirdesk.registers.errors import DatabaseRefused, RegisterError

__all__ = ["DatabaseRefused", "RegisterError", "Registry", "default_db_path", "open_registry"]
