"""One importer, several formats: the canonical template as CSV, JSON and JSON Lines, and the
Spanish-language Mexican sample workbook (XLSX)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures.models import DrugItem, Event
from alianza.seizures.service import import_file
from alianza.seizures.template import EXAMPLE_ROWS, template_columns, template_csv


def stored(database: Database) -> list[tuple[str, str, str, str, float | None, int | None]]:
    with database.reader() as session:
        rows = session.execute(
            select(
                Event.source_record_id,
                Event.concealment,
                DrugItem.drug_code,
                DrugItem.unit,
                DrugItem.net_mass_kg,
                DrugItem.unit_count,
            )
            .join(DrugItem, DrugItem.event_id == Event.id)
            .order_by(Event.source_record_id, DrugItem.position)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


EXPECTED = [
    (
        "2025-0001",
        "BUILT_COMPARTMENT;SPARE_TIRE",
        "METHAMPHETAMINE",
        "LB",
        20.638452835,
        None,
    ),  # 45.5 lb × 0.45359237, exact in decimal,
    ("2025-0001", "BUILT_COMPARTMENT;SPARE_TIRE", "FENTANYL", "KG", 2.1, None),
    ("2025-0002", "ON_BODY", "FENTANYL", "TABLET", None, 1200),
]


def test_import_template_example_csv(fresh_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "example.csv"
    path.write_text(template_csv(example=True), "utf-8")
    outcome = import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert (outcome.report.loaded, outcome.report.quarantined) == (3, 0)
    assert stored(fresh_db) == EXPECTED


def test_write_template_header_is_the_canonical_profile(tmp_path: Path) -> None:
    header = next(csv.reader(template_csv().splitlines()))
    assert header == template_columns()
    assert "source_record_id" in header
    assert "quantity" in header


def test_import_json_records_with_items(fresh_db: Database, tmp_path: Path) -> None:
    first, second, third = (dict(r) for r in EXAMPLE_ROWS)
    item_keys = ("drug", "form", "quantity", "unit", "package_count")
    event = {k: v for k, v in first.items() if k not in item_keys}
    event["concealment"] = ["SPARE_TIRE", "BUILT_COMPARTMENT"]
    event["items"] = [
        {k: first[k] for k in item_keys if k in first},
        {k: second[k] for k in item_keys if k in second},
    ]
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"records": [event, third]}), "utf-8")
    outcome = import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert outcome.report.exit_code == 0
    assert stored(fresh_db) == EXPECTED


def test_import_json_lines(fresh_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in EXAMPLE_ROWS) + "\n", "utf-8")
    outcome = import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert (outcome.report.loaded, outcome.report.exit_code) == (3, 0)
    assert stored(fresh_db) == EXPECTED


def test_import_json_lines_reports_line_numbers(fresh_db: Database, tmp_path: Path) -> None:
    rows = [dict(r) for r in EXAMPLE_ROWS]
    rows[2]["unit"] = "barrels"
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    outcome = import_file(fresh_db, path, "canonical", actor=NodeSelf("test"))
    assert [(i.row, i.field, i.code) for i in outcome.report.issues] == [
        (3, "unit", "unknown-code")
    ]


MX_HEADER = [
    "Folio",
    "Dependencia",
    "Fecha del aseguramiento",
    "Tipo de lugar",
    "Aduana o garita",
    "Estado",
    "Municipio",
    "Sentido",
    "Medio de transporte",
    "Tipo de vehículo",
    "Método de ocultamiento",
    "Especifique ocultamiento",
    "Método de detección",
    "Droga",
    "Presentación",
    "Cantidad",
    "Unidad de medida",
    "Estatus",
    "Clasificación",
]
MX_ROWS = [
    # A date typed as a cell date, another as dd/mm/aaaa text, as spreadsheets mix them.
    [
        "SON-2025-0147",
        "Guardia Nacional",
        datetime(2025, 2, 19),
        "Garita",
        "Nogales",
        "Sonora",
        "Nogales",
        "Hacia el sur",
        "Carretero",
        "Vehículo particular",
        "Tanque de gasolina",
        "",
        "Rayos X",
        "Metanfetamina",
        "Cristal",
        12.5,
        "kilos",
        "Validado",
        "Compartible",
    ],
    [
        "SON-2025-0147",
        "Guardia Nacional",
        datetime(2025, 2, 19),
        "Garita",
        "Nogales",
        "Sonora",
        "Nogales",
        "Hacia el sur",
        "Carretero",
        "Vehículo particular",
        "Tanque de gasolina",
        "",
        "Rayos X",
        "Fentanilo",
        "Pastillas",
        3000,
        "pastillas",
        "Validado",
        "Compartible",
    ],
    [
        "BC-2025-0031",
        "Defensa",
        "03/03/2025",
        "Puesto militar",
        "",
        "Baja California",
        "Tecate",
        "",
        "Carretero",
        "Tractocamión",
        "Otro",
        "",
        "Binomio canino",
        "Mariguana",
        "Hierba",
        350,
        "kilogramos",
        "Capturado",
        "Reservada",
    ],
]


def mx_workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Aseguramientos"
    sheet.append(MX_HEADER)
    for row in MX_ROWS:
        sheet.append(row)
    note = book.create_sheet("Nota")
    note.append(["EJEMPLO inventado para pruebas de Alianza; no es un formato oficial."])
    book.save(path)
    return path


def test_import_mexican_workbook_reports_other_without_specification(
    mx_db: Database, tmp_path: Path
) -> None:
    outcome = import_file(
        mx_db,
        mx_workbook(tmp_path / "aseguramientos.xlsx"),
        "mx-aseguramientos",
        actor=NodeSelf("test"),
    )
    assert [(i.row, i.field, i.code) for i in outcome.report.issues] == [
        (4, "concealment", "other-not-specified")
    ]
    assert "requiere" in outcome.report.issues[0].message_es
    assert (outcome.report.loaded, outcome.report.quarantined) == (2, 1)


def test_import_mexican_workbook_normalizes_spanish_values(mx_db: Database, tmp_path: Path) -> None:
    MX_ROWS[2][11] = "dentro de una pipa de agua"
    try:
        path = mx_workbook(tmp_path / "aseguramientos.xlsx")
    finally:
        MX_ROWS[2][11] = ""
    outcome = import_file(mx_db, path, "mx-aseguramientos", actor=NodeSelf("test"))
    assert (outcome.report.loaded, outcome.report.exit_code) == (3, 0)
    with mx_db.reader() as session:
        events = session.execute(
            select(
                Event.source_record_id,
                Event.reporting_country,
                Event.reporting_agency,
                Event.event_date,
                Event.location_type,
                Event.direction,
                Event.conveyance,
                Event.concealment,
                Event.detection,
                Event.record_status,
                Event.releasability,
                Event.admin_area,
            ).order_by(Event.source_record_id)
        ).all()
    assert [tuple(e) for e in events] == [
        (
            "BC-2025-0031",
            "MX",
            "SEDENA",
            datetime(2025, 3, 3).date(),
            "CHECKPOINT_MX",
            "NOT_REPORTED",
            "COMMERCIAL_TRUCK",
            "OTHER_SPECIFY",
            "CANINE",
            "SUBMITTED",
            "NATIONAL_ONLY",
            "Baja California / Tecate",
        ),
        (
            "SON-2025-0147",
            "MX",
            "GN",
            datetime(2025, 2, 19).date(),
            "POE_LAND_VEHICLE",
            "SOUTHBOUND",
            "POV",
            "FUEL_TANK",
            "NII_SCAN",
            "VALIDATED",
            "BILATERAL",
            "Sonora / Nogales",
        ),
    ]
    items = stored(mx_db)
    assert [(i[2], i[3], i[4], i[5]) for i in items] == [
        ("CANNABIS_HERB", "KG", 350.0, None),
        ("METHAMPHETAMINE", "KG", 12.5, None),
        ("FENTANYL", "TABLET", None, 3000),
    ]
