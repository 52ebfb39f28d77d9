"""A register as CSV: UTF-8 with a BOM (Excel then reads Vietnamese right),
a heading row, then one row per entry with every column, extras included."""

from __future__ import annotations

import csv
import io

from dirdesk.registers.columns import RegisterTable


def csv_bytes(table: RegisterTable) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.heading for c in table.columns])
    writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8-sig")
