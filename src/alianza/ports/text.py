"""A ports file's header and rows, through the one tabular reader, and its column check."""

from __future__ import annotations

from pathlib import Path

from alianza.ports import problems
from alianza.tabular import SourceRow, UnreadableFile, open_table, unreadable_issue
from alianza.validation import Issue, ValidationReport


def table_rows(path: Path, report: ValidationReport) -> tuple[list[str], list[SourceRow]] | None:
    """Header and rows of a CSV, XLSX or JSON file (:func:`alianza.tabular.open_table`), or None
    (with the issue in ``report``: the row and column of a byte that is not UTF-8, say) when the
    file cannot be read."""
    try:
        table = open_table(path)
        return table.header, list(table.rows)
    except UnreadableFile as error:
        report.add(unreadable_issue(error))
        return None


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
