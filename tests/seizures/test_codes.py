"""Code lists, unit conversion, fiscal calendar and reference data (no database)."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alianza.codes import LIST_NAMES, VERSION, code_list, normalize_name
from alianza.codes.calendar import (
    FiscalYear,
    calendar_month,
    fiscal_quarter_label,
    fiscal_year_of,
    quarter_label,
)
from alianza.codes.reference import areas, find_area, ports
from alianza.codes.units import normalize_quantity
from tests.seizures.conftest import CBP, SEIZURES


@pytest.mark.parametrize(
    ("reported", "code"),
    [
        ("Marijuana", "CANNABIS_HERB"),
        ("mariguana", "CANNABIS_HERB"),
        ("Marihuana", "CANNABIS_HERB"),
        ("cristal", "METHAMPHETAMINE"),
        ("Meth", "METHAMPHETAMINE"),
        ("METANFETAMINA", "METHAMPHETAMINE"),
        ("Fentanilo", "FENTANYL"),
        ("Heroína", "HEROIN"),
        ("heroina", "HEROIN"),
        ("Other Drugs**", "OTHER_UNSPECIFIED"),
        ("Lsd", "LSD"),
        ("Khat (Catha Edulis)", "KHAT"),
    ],
)
def test_lookup_drug_name_in_either_language(reported: str, code: str) -> None:
    assert code_list("drug").lookup(reported) == code


@pytest.mark.parametrize("reported", ["Marijuanna", "Speed", "", "drugs"])
def test_lookup_unknown_name_gives_nothing(reported: str) -> None:
    assert code_list("drug").lookup(reported) is None


def test_load_every_code_list_has_both_labels_and_version() -> None:
    assert VERSION
    for name in LIST_NAMES:
        codes = code_list(name).codes
        assert codes, name
        for code in codes.values():
            assert code.label_en.strip(), (name, code.code)
            assert code.label_es.strip(), (name, code.code)


def test_load_other_codes_require_a_specification() -> None:
    for name in ("drug", "conveyance", "concealment"):
        assert code_list(name)["OTHER_SPECIFY"].requires_specification


def test_lookup_every_cbp_drug_type_maps_to_a_code() -> None:
    names = set()
    for path in CBP.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            names.update(row["Drug Type"] for row in csv.DictReader(handle))
    assert all(code_list("drug").lookup(n) is not None for n in names)
    assert len(names) == 10


@given(st.text(max_size=30))
def test_normalize_name_twice_equals_once(text: str) -> None:
    assert normalize_name(normalize_name(text)) == normalize_name(text)


@given(st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False))
def test_convert_pounds_to_kilograms_round_trips(pounds: Decimal) -> None:
    quantity = normalize_quantity(pounds, "LB")
    assert quantity.factor == Decimal("0.45359237")
    assert quantity.method == "LB-KG-1"
    assert quantity.reported == pounds
    assert quantity.net_mass_kg is not None
    assert quantity.net_mass_kg / 0.45359237 == pytest.approx(float(pounds), rel=1e-12, abs=1e-12)


def test_convert_counted_units_keeps_count_without_mass() -> None:
    tablets = normalize_quantity(Decimal(1200), "TABLET")
    assert (tablets.net_mass_kg, tablets.unit_count, tablets.method) == (None, 1200, None)
    litres = normalize_quantity(Decimal("2.5"), "L")
    assert (litres.net_mass_kg, litres.is_estimated) == (2.5, True)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_map_calendar_month_to_fiscal_and_back(day: date) -> None:
    assert calendar_month(fiscal_year_of(day), day.month) == day.replace(day=1)


@pytest.mark.parametrize(
    ("day", "fiscal", "calendar"),
    [
        (date(2024, 10, 1), "FY2025-Q1", "2024-Q4"),
        (date(2024, 12, 31), "FY2025-Q1", "2024-Q4"),
        (date(2025, 1, 1), "FY2025-Q2", "2025-Q1"),
        (date(2025, 6, 30), "FY2025-Q3", "2025-Q2"),
        (date(2025, 9, 30), "FY2025-Q4", "2025-Q3"),
    ],
)
def test_label_fiscal_and_calendar_quarters(day: date, fiscal: str, calendar: str) -> None:
    assert (fiscal_quarter_label(day), quarter_label(day)) == (fiscal, calendar)


def test_parse_fiscal_year_to_date() -> None:
    assert FiscalYear.parse("2026 (FYTD)") == FiscalYear(2026, True)
    assert FiscalYear.parse("2019") == FiscalYear(2019, False)
    assert calendar_month(2026, 10) == date(2025, 10, 1)


def test_load_ports_match_the_shared_port_table() -> None:
    with (SEIZURES / "geo" / "us_mexico_land_ports_with_mexican_twin_cities.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        source = {row["port_code"]: row for row in csv.DictReader(handle)}
    table = ports()
    assert set(table) == set(source)
    for code, row in source.items():
        port = table[code]
        assert (port.name, port.us_state, port.mexican_city) == (
            row["port_name"],
            row["us_state"],
            row["mexican_city"],
        )
        assert (port.latitude, port.longitude) == (float(row["latitude"]), float(row["longitude"]))


def test_map_every_southwest_area_to_ports() -> None:
    southwest = set()
    for name in ("nationwide-drugs-fy19-fy22.csv", "nationwide-drugs-fy23-fy26-dec.csv"):
        with (CBP / name).open(encoding="utf-8", newline="") as handle:
            southwest.update(
                row["Area of Responsibility"]
                for row in csv.DictReader(handle)
                if row["Region"] == "Southwest Border"
            )
    assert len(southwest) == 13
    for name in southwest:
        area = find_area(name)
        assert area is not None, name
        assert area.ports, name


def test_load_areas_cover_every_cbp_area_and_branch() -> None:
    names = set()
    for path in CBP.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.add(row.get("Area of Responsibility") or row["Branch"])
    assert all(find_area(n) is not None for n in names)
    assert len(areas()) == len(names)
