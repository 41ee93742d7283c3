"""Formula neutralisation of spreadsheet cells (issue 15, finding "formula injection")."""

from __future__ import annotations

import csv
import io

import pytest

from alianza.cells import SafeCsvWriter, neutralise

# (cell as given, cell as written): OWASP "CSV injection" starts, and what stays as it is
CELLS = [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+1+1", "'+1+1"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("-12.5", "-12.5"),  # a plain number is not a formula: negative figures stay numbers
    ("+3", "+3"),
    ("1e-3", "1e-3"),
    ("Methamphetamine", "Methamphetamine"),
    ("a=b", "a=b"),
    ("", ""),
]


@pytest.mark.parametrize(("given", "written"), CELLS)
def test_neutralise_cell_table(given: str, written: str) -> None:
    assert neutralise(given) == written


def test_neutralise_leaves_non_text_alone() -> None:
    assert neutralise(-3) == -3
    assert neutralise(None) is None
    assert neutralise(2.5) == 2.5


def test_safe_csv_writer_writes_no_formula_cell() -> None:
    buffer = io.StringIO()
    SafeCsvWriter(buffer, lineterminator="\n").writerow(["=1+1", "@A1", "ok", -4])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=1+1", "'@A1", "ok", "-4"]


def test_pme_xlsx_sheet_writes_formula_text_as_text() -> None:
    """openpyxl stores a string starting with '=' as a formula; the publication's sheets go
    through neutralise, so user-entered status text is text."""
    from openpyxl import Workbook, load_workbook

    from alianza.pme.publication.excel import _sheet

    raw = Workbook()
    raw.active.append(['=HYPERLINK("http://evil.example","x")'])
    assert raw.active["A1"].data_type == "f"  # what an unescaped cell becomes

    workbook = Workbook()
    _sheet(workbook.active, ["Action"], [['=HYPERLINK("http://evil.example","x")']], [10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue())).active["A2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil.example","x")'
