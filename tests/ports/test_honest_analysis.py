"""Issue 22, 10.7: the analysis claims only what it shows. Zero-only BTS years are missing,
not data (San Ysidro 1996); each model-vs-naive comparison carries a bootstrap interval and
"validated" is said only when the stated test passes."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.ports import analysis
from alianza.ports.document import to_markdown, validation_verdict, write_analysis
from alianza.ports.holdout import MonthCheck, Validation, bootstrap_comparison
from alianza.ports.reference import Mode
from alianza.ports.service import import_crossings_file, import_waits_file
from tests.conftest import DATA

ZEROS = DATA / "ports" / "bts-san-ysidro-vehicles-1996-2008.csv"
HISTORICAL = DATA / "ports" / "san_ysidro_historical_hourly_avg_by_month_dow.csv"


def raw_years() -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    with ZEROS.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            totals[int(row["Date"].split()[1])] += int(row["Value"])
    return totals


def test_an_all_zero_bts_year_is_missing_and_left_out_of_the_trend(fresh_db: Database) -> None:
    import_crossings_file(fresh_db, ZEROS, actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        series = analysis.monthly_series(session, ["2504"], Mode.PERSONAL_VEHICLES)
    totals = {t.year: t for t in analysis.annual_totals(series)}
    assert totals[1996].zero_only
    assert not totals[1996].complete
    assert not any(t.zero_only for y, t in totals.items() if y != 1996)
    found = analysis.trend(list(totals.values()))
    # least squares by hand over the years that have counts
    raw = raw_years()
    assert raw[1996] == 0
    points = [(y, v) for y, v in sorted(raw.items()) if v > 0]
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum(
        (x - mean_x) ** 2 for x, _ in points
    )
    assert (found.first_year, found.last_year) == (1997, 2008)
    assert found.slope_per_year == pytest.approx(slope)


def validation(model: list[list[float]], naive: list[list[float]]) -> Validation:
    months = tuple(
        MonthCheck(
            month=i + 1, volume_factor=1.0, peak=0.9, observed=10.0, predicted=10.0, naive=10.0,
            model_errors=tuple(m), naive_errors=tuple(n), flat_errors=tuple(n),
        )
        for i, (m, n) in enumerate(zip(model, naive, strict=True))
    )  # fmt: skip
    return Validation("passenger", months)


def test_a_win_within_noise_is_not_distinguishable_and_not_validated() -> None:
    # the model is closer in half the months and farther in the other half, by the same amounts
    naive = [[2.0, -2.0]] * 12
    model = [[1.0, -1.0] if i % 2 else [3.0, -3.0] for i in range(12)]
    model[0] = [0.5, -0.5]  # a small overall "win"
    checked = validation(model, naive)
    comparison = bootstrap_comparison(checked)
    assert comparison.difference > 0
    assert comparison.low < 0 < comparison.high
    assert not comparison.distinguishable
    text = to_markdown(validation_verdict("en", checked))
    assert "not distinguishable from the naive forecast" in text
    assert "is validated" not in text
    assert "[" in text  # the interval is printed


def test_a_win_in_every_month_passes_the_stated_test() -> None:
    # the model is closer by exactly 0.5 min in every hour of every month: every resample of
    # months gives 0.5, so the interval is [0.5, 0.5]
    naive = [[2.0, -2.0]] * 12
    model = [[1.5, -1.5]] * 12
    checked = validation(model, naive)
    comparison = bootstrap_comparison(checked)
    assert (comparison.difference, comparison.low, comparison.high) == pytest.approx(
        (0.5, 0.5, 0.5)
    )
    text = to_markdown(validation_verdict("en", checked))
    assert "passed: the model is validated for the effect" in text
    assert "[+0.50, +0.50]" in text


def test_the_san_ysidro_report_no_longer_claims_validation(
    fresh_db: Database, tmp_path: Path
) -> None:
    import_crossings_file(
        fresh_db, DATA / "ports" / "bts-us-mexico-slice.csv", actor=NodeSelf("test")
    )
    import_waits_file(fresh_db, HISTORICAL, crossing="250401", actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        write_analysis(session, "2504", "250401", tmp_path, reference_year=2019)
    english = (tmp_path / "port-services-2504.en.md").read_text("utf-8")
    spanish = (tmp_path / "port-services-2504.es.md").read_text("utf-8")
    assert "validated for the weekly shape" not in english
    assert "95 % bootstrap interval" in english
    assert "intervalo bootstrap 95 %" in spanish
    assert "reproduced by construction" in english or "passed:" in english


DEMO = Path(__file__).parents[2] / "src" / "alianza" / "demo" / "data"


@pytest.fixture
def demo_db(fresh_db: Database) -> Database:
    import_crossings_file(fresh_db, DEMO / "bts-san-ysidro-2010-2024.csv", actor=NodeSelf("test"))
    import_waits_file(fresh_db, HISTORICAL, crossing="250401", actor=NodeSelf("test"))
    return fresh_db


def test_a_degenerate_calibration_is_refused_with_its_reason(demo_db: Database) -> None:
    from alianza.ports.study import DegenerateCalibration, study_crossing

    with demo_db.reader() as session:
        with pytest.raises(DegenerateCalibration, match=r"busiest hour at 5% utilisation"):
            study_crossing(session, "250401", reference_year=2020)
        assert study_crossing(session, "250401", reference_year=2019).model.peak > 0.05


def test_what_if_results_are_ranges_over_the_unknown_inputs(demo_db: Database) -> None:
    from alianza.ports.heavy_traffic import calibrate, run_scenario
    from alianza.ports.study import sensitivity, study_crossing

    with demo_db.reader() as session:
        spread = sensitivity(session, "250401", [2018, 2019, 2020], service_minutes=(0.5, 2.0))
        assert spread.years == (2018, 2019)
        assert spread.refused_years == (2020,)
        # each case calibrated afresh (calibrate with that inspection time), not rescaled
        cases = []
        for year in (2018, 2019):
            base = study_crossing(session, "250401", reference_year=year)
            profile = list(base.model.predict())
            options = [r.scenario for r in base.scenarios]
            for minutes in (0.5, 2.0):
                model = calibrate(profile, base.daily_volume, minutes, base.model.peak)
                results = [run_scenario(model, option) for option in options]
                cases.append({r.scenario.name: r.mean_wait for r in results})
    for name, (low, high) in spread.ranges.items():
        values = [case[name] for case in cases]
        assert (low, high) == pytest.approx((min(values), max(values)))
    assert spread.ranges["+1 lane"][0] < spread.ranges["+1 lane"][1]
