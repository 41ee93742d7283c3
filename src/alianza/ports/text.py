"""Reading a CSV file's text: BOM-tolerant UTF-8, any line endings."""

from __future__ import annotations

import csv
import io

from alianza.ports import problems
from alianza.validation import Issue, ValidationReport


def csv_rows(data: bytes, report: ValidationReport) -> tuple[list[str], list[list[str]]] | None:
    """Header and rows of a CSV file, or None (with the issue in ``report``) when unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        report.add(Issue.of(problems.NOT_UTF8, detail=str(error)))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    return [name.strip() for name in header], list(reader)


def check_columns(
    header: list[str],
    required: tuple[str, ...],
    optional: tuple[str, ...],
    report: ValidationReport,
) -> bool:
    """Report missing required columns (fatal) and unknown ones (ignored, named policy)."""
    for name in required:
        if name not in header:
            report.add(Issue.of(problems.MISSING_COLUMN, row=1, field=name))
    for name in header:
        if name not in required and name not in optional:
            report.add(Issue.of(problems.UNKNOWN_COLUMN, row=1, field=name))
    return all(name in header for name in required)
