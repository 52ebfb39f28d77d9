"""A register as CSV: UTF-8 with a BOM (Excel then reads Vietnamese right),
a heading row, then one row per entry with every column, extras included.
A value a spreadsheet would take for a formula gets a leading single quote
(export.formula_like), so that opening the file runs nothing."""

from __future__ import annotations

import csv
import io

from dirdesk.registers.columns import RegisterTable
from dirdesk.registers.export import formula_like


def _cell(text: str) -> str:
    return "'" + text if formula_like(text) else text


def csv_bytes(table: RegisterTable) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.heading for c in table.columns])
    writer.writerows([_cell(text) for text in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")
