"""Analysis on imported data, checked against plain csv loops over the same files."""

from __future__ import annotations

import calendar
import csv
from collections import defaultdict
from datetime import date
from pathlib import Path
from statistics import fmean

import pytest
from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.db import Database
from alianza.ports import analysis
from alianza.ports.analysis import MonthValue, NotEnoughData, YearTotal
from alianza.ports.reference import MODE_MEASURES, Mode
from alianza.ports.service import import_crossings_file, import_waits_file
from alianza.ports.study import study_crossing
from tests.conftest import DATA

PORTS = DATA / "ports"
CURRENT = PORTS / "bts-us-mexico-slice.csv"
HISTORICAL = PORTS / "san_ysidro_historical_hourly_avg_by_month_dow.csv"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.fixture
def ports_db(fresh_db: Database) -> Database:
    import_crossings_file(fresh_db, CURRENT, actor=NodeSelf("test"))
    import_waits_file(fresh_db, HISTORICAL, crossing="250401", actor=NodeSelf("test"))
    return fresh_db


def raw_monthly(codes: set[str], measures: tuple[str, ...]) -> dict[date, int]:
    totals: dict[date, int] = defaultdict(int)
    with CURRENT.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Port Code"] in codes and row["Measure"] in measures:
                month, year = row["Date"].split()
                totals[date(int(year), MONTHS.index(month) + 1, 1)] += int(row["Value"])
    return totals


def test_monthly_series_sums_ports_and_measures_like_raw_file(ports_db: Database) -> None:
    codes = {"2402", "2304"}
    with ports_db.reader() as session:
        series = analysis.monthly_series(session, sorted(codes), Mode.RAIL_CONTAINERS)
    expected = raw_monthly(codes, MODE_MEASURES[Mode.RAIL_CONTAINERS])
    assert {p.month: p.value for p in series if p.value is not None} == expected
    assert len(series) == 36


def test_monthly_series_missing_month_is_none_not_zero(ports_db: Database) -> None:
    with ports_db.reader() as session:
        series = analysis.monthly_series(
            session, ["2504"], Mode.TRUCKS, start=date(2017, 1, 1), end=date(2019, 12, 1)
        )
        pedestrians = analysis.monthly_series(session, ["2504"], Mode.PEDESTRIANS)
    assert raw_monthly({"2504"}, ("Trucks",)) == {}  # San Ysidro has no truck rows then
    assert len(series) == 36
    assert all(p.value is None for p in series)
    assert all(p.value is not None for p in pedestrians)


def test_last_complete_month_for_as_of_dates() -> None:
    assert analysis.last_complete_month(date(1998, 2, 1)) == date(1998, 1, 1)
    assert analysis.last_complete_month(date(1999, 8, 31)) == date(1999, 8, 1)
    assert analysis.last_complete_month(date(2000, 1, 15)) == date(1999, 12, 1)
    assert analysis.last_complete_month(date(2024, 2, 29)) == date(2024, 2, 1)
    assert analysis.last_complete_month(date(2023, 12, 31)) == date(2023, 12, 1)


def test_annual_totals_mark_partial_years() -> None:
    series = [MonthValue(date(2019, m, 1), 10) for m in range(1, 13)]
    series += [MonthValue(date(2020, 1, 1), 5), MonthValue(date(2020, 2, 1), None)]
    assert analysis.annual_totals(series) == [YearTotal(2019, 120, 12), YearTotal(2020, 5, 1)]


def test_seasonality_averages_ratio_to_yearly_mean() -> None:
    first = [MonthValue(date(2018, m, 1), 100 + m) for m in range(1, 13)]
    second = [MonthValue(date(2019, m, 1), 200 if m == 7 else 100) for m in range(1, 13)]
    index = analysis.seasonality(first + second)
    mean_first = sum(100 + m for m in range(1, 13)) / 12
    mean_second = (200 + 11 * 100) / 12
    assert index[6] == pytest.approx(((107 / mean_first) + (200 / mean_second)) / 2)
    with pytest.raises(NotEnoughData):
        analysis.seasonality(first[:11])


def test_trend_is_least_squares_slope() -> None:
    totals = [YearTotal(2017, 100, 12), YearTotal(2018, 130, 12), YearTotal(2019, 140, 12)]
    trend = analysis.trend(totals)
    # x = -1, 0, 1 around 2018: slope = (-(100) + 140) / 2 = 20
    assert trend.slope_per_year == pytest.approx(20.0)
    assert trend.change_per_year_pct == pytest.approx(100 * 20 / (370 / 3))


def test_wait_profile_by_hour_matches_raw_file(ports_db: Database) -> None:
    with ports_db.reader() as session:
        by_hour = analysis.mean_by(analysis.wait_cells(session, "250401", "passenger"), "hour")
        commercial = analysis.mean_by(analysis.wait_cells(session, "250401", "commercial"), "hour")
    raw: dict[int, list[int]] = defaultdict(list)
    with HISTORICAL.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            raw[int(row["bwt_hour"])].append(int(row["pv_time_avg"]))
    assert by_hour == {h: pytest.approx(fmean(v)) for h, v in raw.items()}
    assert set(commercial.values()) == {None}  # not applicable, not "no wait"


def test_study_crossing_calibrates_to_bts_volume(ports_db: Database) -> None:
    with ports_db.reader() as session:
        study = study_crossing(session, "250401", reference_year=2019)
    raw = raw_monthly({"2504"}, ("Personal Vehicles",))
    daily = sum(v for m, v in raw.items() if m.year == 2019) / 365
    assert study.daily_volume == pytest.approx(daily)
    # Effective lanes: the week's traffic (7 days × daily) over 60 min × sum of utilisations.
    busy = sum(r for r in study.model.utilisation if r is not None)
    assert study.model.lanes == pytest.approx(daily * 7 * 1.0 / (60 * busy))
    assert study.reproduction_error < 1e-6
    assert study.scenarios[0].mean_wait > study.scenarios[1].mean_wait  # +1 lane helps
    assert [v.lane for v in study.validations] == ["passenger", "passenger_ready", "passenger_x"]
    assert [d.lane for d in study.dedicated] == ["passenger_ready", "passenger_x"]
    with ports_db.reader() as session, pytest.raises(NotEnoughData, match="2021"):
        study_crossing(session, "250401", reference_year=2021)


def raw_weeks(column: str) -> dict[int, dict[tuple[int, int], int]]:
    weeks: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    with HISTORICAL.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            slot = (int(row["bwt_day"]), int(row["bwt_hour"]))
            weeks[int(row["bwt_month"])][slot] = int(row[column])
    return weeks


def test_study_validation_against_the_raw_file(ports_db: Database) -> None:
    with ports_db.reader() as session:
        study = study_crossing(session, "250401", lane="pedestrian", reference_year=2019)
    weeks = raw_weeks("ped_time_avg")
    errors, observed_means = [], []
    for month, week in weeks.items():
        others = [weeks[m] for m in weeks if m != month]
        for slot, minutes in week.items():
            errors.append(abs(fmean(o[slot] for o in others) - minutes))
        observed_means.append(fmean(week.values()))
    validation = study.validation
    assert validation.naive_mae == pytest.approx(fmean(errors))
    assert [m.observed for m in validation.months] == pytest.approx(observed_means)
    assert sum(len(m.model_errors) for m in validation.months) == 12 * 168
    raw = raw_monthly({"2504"}, ("Pedestrians",))
    per_day = [raw[date(2019, m, 1)] / calendar.monthrange(2019, m)[1] for m in range(1, 13)]
    others_mean = [(sum(per_day) - v) / 11 for v in per_day]
    assert [m.volume_factor for m in validation.months] == pytest.approx(
        [v / o for v, o in zip(per_day, others_mean, strict=True)]
    )


def test_cli_ports_commands_run_on_imported_data(tmp_path: Path) -> None:
    # The CLI keeps its database open for the process, so it runs on the embedded node only.
    runner = CliRunner()
    env = {"ALIANZA_DATABASE_URL": ""}
    home = ["--home", str(tmp_path / "node")]
    result = runner.invoke(cli, [*home, "ports", "import", str(CURRENT)], env=env)
    assert result.exit_code == 3, result.output  # the Sasabe conflict is quarantined
    assert "bts-conflicting-rows" in result.output
    result = runner.invoke(
        cli, [*home, "ports", "import", "--crossing", "250401", str(HISTORICAL)], env=env
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*home, "ports", "volumes", "--port", "San Ysidro"], env=env)
    assert result.exit_code == 0, result.output
    total_2018 = sum(
        v for m, v in raw_monthly({"2504"}, ("Pedestrians",)).items() if m.year == 2018
    )
    assert f"{total_2018:,}" in result.output
    tijuana = raw_monthly({"2504", "2506", "2582"}, ("Personal Vehicles",))
    expected = sum(v for m, v in tijuana.items() if m.year == 2019)
    result = runner.invoke(
        cli,
        [*home, "ports", "volumes", "--city", "tijuana", "--mode", "personal-vehicles"],
        env=env,
    )
    assert ["2019", f"{expected:,}"] in [line.split() for line in result.output.splitlines()]
    as_of = ["volumes", "--port", "2504", "--by", "month", "--as-of", "2018-02-01"]
    result = runner.invoke(cli, [*home, "ports", *as_of], env=env)
    assert result.output.splitlines()[-1].startswith("2018-01")
    result = runner.invoke(cli, [*home, "ports", "volumes", "--port", "Atlantis"], env=env)
    assert result.exit_code == 1
    assert "Error: no US–Mexico port" in result.output
    for args in (["seasonality", "--port", "2504"], ["waits", "--by", "weekday"], ["model"]):
        result = runner.invoke(cli, [*home, "ports", *args], env=env)
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*home, "ports", "model", "--lane", "pedestrian"], env=env)
    weeks = raw_weeks("ped_time_avg")
    naive = fmean(
        abs(fmean(weeks[o][slot] for o in weeks if o != m) - minutes)
        for m in weeks
        for slot, minutes in weeks[m].items()
    )
    general = next(line for line in result.output.splitlines() if line.startswith("  general"))
    assert f"| {naive:6.2f} (+0.00) |" in general
    out = tmp_path / "report"
    result = runner.invoke(cli, [*home, "ports", "report", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    english = (out / "port-services-2504.en.md").read_text("utf-8")
    spanish = (out / "port-services-2504.es.md").read_text("utf-8")
    assert "Volumes by mode" in english
    assert "Volúmenes por modo" in spanish
    assert "| +1 carril |" in spanish
    assert f"{total_2018:,}" in english
    for image in ("volumes.png", "seasonality.png", "waits.png", "validation.png"):
        assert (out / image).read_bytes()[:4] == b"\x89PNG"


def test_study_needs_three_months_of_waits(fresh_db: Database, tmp_path: Path) -> None:
    two_months = tmp_path / "two-months.csv"
    with HISTORICAL.open(encoding="utf-8") as source:
        lines = source.read().splitlines()
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",")[0] in ("1", "2")]
    two_months.write_text("\n".join(kept) + "\n", "utf-8")
    import_crossings_file(fresh_db, CURRENT, actor=NodeSelf("test"))
    import_waits_file(fresh_db, two_months, crossing="250401", actor=NodeSelf("test"))
    with fresh_db.reader() as session, pytest.raises(NotEnoughData, match="2 month"):
        study_crossing(session, "250401", reference_year=2019)
