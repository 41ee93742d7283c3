"""The one tabular reader's refusals: one catalogue message each, said in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from alianza.tabular import PlainLayout, UnreadableFile, open_table, unreadable_issue


def test_unreadable_files_are_refused_in_english_and_spanish(tmp_path: Path) -> None:
    cases = {
        "notes.doc": (b"x", "unsupported file type 'notes.doc'", "tipo de archivo no admitido"),
        "empty.csv": (b"", "empty.csv: the file is empty", "empty.csv: el archivo está vacío"),
        "bad.json": (b"{", "bad.json: not valid JSON", "bad.json: JSON no válido"),
        "dict.json": (b'{"a": 1}', "expected a list of records", "se esperaba una lista"),
        "lines.jsonl": (b'{"a": 1}\n{', "line 2 is not valid JSON", "la línea 2 no es JSON"),
        "book.xlsx": (b"PK\x03\x04", "not a readable XLSX workbook", "no es un libro XLSX"),
    }
    for name, (data, english, spanish) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UnreadableFile) as refused:
            list(open_table(path).rows)
        assert english in str(refused.value), name
        assert spanish in refused.value.message_es, name
        issue = unreadable_issue(refused.value)
        assert (issue.code, english in issue.message, spanish in issue.message_es) == (
            "unreadable-file",
            True,
            True,
        )


def test_missing_sheet_names_the_sheets(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Datos"
    sheet.append(["a"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    with pytest.raises(UnreadableFile) as refused:
        open_table(path, PlainLayout(sheet="Otra"))
    assert "no sheet 'Otra' (sheets: Datos)" in str(refused.value)
    assert "no hay hoja 'Otra' (hojas: Datos)" in refused.value.message_es
