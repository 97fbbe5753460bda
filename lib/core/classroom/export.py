"""The answers of an ended class as CSV: anonymous (no member, no nickname), one row each."""
from __future__ import annotations

import csv
import io

COLUMNS = ("question", "answer", "correct")


def answers_csv(rows: list[dict]) -> str:
    """rows from ClassStore.export. Every value was validated on the way in (a question id, a
    choice, a number or a verdict), so no cell can start a spreadsheet formula but a number."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row[name] for name in COLUMNS})
    return buffer.getvalue()
