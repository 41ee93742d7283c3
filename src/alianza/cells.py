"""Spreadsheet cells that are safe to open: CSV and XLSX downloads neutralise formulas.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as
a formula by Excel and LibreOffice (CSV injection, OWASP). Every CSV, TSV and XLSX writer of
Alianza passes its cells through :func:`neutralise`, which prefixes such text with ``'`` as
OWASP recommends. Plain numbers (``-12.5``, ``+3``, ``1e-3``) are left alone: they cannot run
anything and the files are read back by programs, so a negative figure stays a number.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """``value`` with a ``'`` in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralised(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


class SafeCsvWriter:
    """``csv.writer`` whose rows are neutralised (same ``writerow``/``writerows``)."""

    def __init__(self, handle: IO[str], **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(neutralised(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """``csv.DictWriter`` whose values are neutralised."""

    def writerow(self, rowdict: Any) -> Any:
        return super().writerow({k: neutralise(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Any]) -> None:
        for row in rowdicts:
            self.writerow(row)
