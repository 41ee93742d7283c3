"""Reading the KCS declarations: values match a plain csv loop; defects are reported, not lost."""

from __future__ import annotations

import csv
from pathlib import Path

from alianza.risk.read import read_declarations
from tests.risk.conftest import RISK_DATA


def plain_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_read_declarations_sample_matches_csv_loop() -> None:
    path = RISK_DATA / "kcs-train-sample.csv"
    rows = plain_rows(path)
    table, report = read_declarations(path)
    assert report.exit_code == 0
    assert report.loaded == len(rows) == len(table)
    assert table.ids.tolist() == [r["Declaration ID"] for r in rows]
    assert table.text["hs6"].tolist() == [r["HS6 Code"] for r in rows]
    assert table.text["shipper"].tolist() == [r["Seller ID"] for r in rows]
    assert table.number["net_mass_kg"].tolist() == [float(r["Net Mass"]) for r in rows]
    assert table.fraud.tolist() == [int(r["Fraud"]) for r in rows]
    assert table.critical.tolist() == [int(r["Critical Fraud"] == "2") for r in rows]


def test_read_declarations_hs_codes_keep_leading_zeros() -> None:
    table, _ = read_declarations(RISK_DATA / "kcs-train-sample.csv")
    raw = [r["HS6 Code"] for r in plain_rows(RISK_DATA / "kcs-train-sample.csv")]
    assert any(code.startswith("0") for code in raw)
    assert all(len(code) == 6 for code in table.text["hs6"])


def test_read_declarations_defects_reported_by_row_and_code() -> None:
    table, report = read_declarations(RISK_DATA / "defects.csv")
    found = sorted((i.row, i.field, i.code) for i in report.issues)
    assert found == [
        (3, "Date", "risk-bad-date"),
        (4, "Critical Fraud", "risk-inconsistent-labels"),
        (5, "Item Price", "risk-bad-number"),
        (6, "Net Mass", "risk-negative-number"),
        (7, "HS6 Code", "risk-bad-hs-code"),
        (8, "Declaration ID", "risk-duplicate-id"),
        (9, "Fraud", "risk-bad-label"),
        (10, "HS6 Code", "risk-hs-code-padded"),
    ]
    assert (report.rows, report.loaded, report.quarantined) == (9, 2, 7)
    assert table.ids.tolist() == ["10000001", "10000009"]
    assert table.text["hs6"].tolist()[1] == "071080"
    assert report.exit_code == 3
    assert all(i.message and i.message_es for i in report.issues)


def test_read_declarations_missing_column_reads_nothing() -> None:
    table, report = read_declarations(RISK_DATA / "missing-hs-column.csv")
    assert [(i.field, i.code) for i in report.issues] == [("HS6 Code", "risk-missing-column")]
    assert len(table) == 0
    assert report.exit_code == 2


def test_read_declarations_byte_order_mark_accepted(tmp_path: Path) -> None:
    source = (RISK_DATA / "kcs-test-sample.csv").read_bytes()
    copy = tmp_path / "bom.csv"
    copy.write_bytes(b"\xef\xbb\xbf" + source)
    table, report = read_declarations(copy)
    assert report.exit_code == 0
    assert table.ids[0] == plain_rows(RISK_DATA / "kcs-test-sample.csv")[0]["Declaration ID"]


def test_read_declarations_without_labels_marks_them_unknown(tmp_path: Path) -> None:
    rows = plain_rows(RISK_DATA / "kcs-test-sample.csv")[:5]
    path = tmp_path / "unlabeled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        fields = [f for f in rows[0] if f not in ("Fraud", "Critical Fraud")]
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    table, report = read_declarations(path)
    assert report.loaded == 5
    assert table.fraud.tolist() == [-1] * 5
    assert not table.labeled.any()


def test_read_declarations_latin1_byte_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    # Before the one tabular reader this raised UnicodeDecodeError out of the import.
    source = RISK_DATA / "kcs-train-sample.csv"
    lines = source.read_text("utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[5]]))  # file row 6
    cells[header.index("Seller ID")] = "Pe\xf1a"
    lines[5] = ",".join(cells)
    path = tmp_path / "latin1.csv"
    path.write_bytes("\n".join(lines).encode("latin-1"))
    table, report = read_declarations(path)
    assert [(i.row, i.field, i.code) for i in report.issues] == [(6, "Seller ID", "bad-encoding")]
    assert len(table) == 0
    assert report.exit_code == 2


def test_read_declarations_blank_line_keeps_file_row_numbers(tmp_path: Path) -> None:
    # Row numbers are the file's own: a blank line still counts (csv.DictReader skipped it and
    # named the next defect one row early).
    lines = (RISK_DATA / "defects.csv").read_text("utf-8").splitlines()
    path = tmp_path / "blank.csv"
    path.write_text("\n".join([lines[0], lines[1], "", *lines[2:]]) + "\n", "utf-8")
    _, report = read_declarations(path)
    assert sorted((i.row, i.code) for i in report.issues)[0] == (4, "risk-bad-date")


def test_read_declarations_from_a_workbook_equals_the_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    source = RISK_DATA / "kcs-valid-sample.csv"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with source.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            sheet.append(row)  # as text, as a customs export keeps codes with leading zeros
    path = tmp_path / "declarations.xlsx"
    book.save(path)
    from_csv, _ = read_declarations(source)
    from_xlsx, report = read_declarations(path)
    assert report.exit_code == 0
    assert from_xlsx.ids.tolist() == from_csv.ids.tolist()
    assert from_xlsx.text["hs6"].tolist() == from_csv.text["hs6"].tolist()
    assert from_xlsx.number["net_mass_kg"].tolist() == from_csv.number["net_mass_kg"].tolist()
    assert from_xlsx.fraud.tolist() == from_csv.fraud.tolist()
