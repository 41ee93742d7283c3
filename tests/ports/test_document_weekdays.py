"""The port-services analysis names CBP's weekdays as the pages do (issue 23): Monday for CBP's
day 0, inferred, and it says so; the weekday × hour map's figures also as a table, computed
here from the raw CBP file."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from statistics import fmean

from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.db import Database
from alianza.ports.document import write_analysis
from alianza.ports.service import import_crossings_file, import_waits_file
from tests.conftest import DATA

HISTORICAL = DATA / "ports" / "san_ysidro_historical_hourly_avg_by_month_dow.csv"
ENGLISH_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SPANISH_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def raw_weekday_rows() -> list[tuple[str, str, str]]:
    """Per CBP day 0–6: mean of the hourly means over months, busiest hour, its mean."""
    minutes: dict[tuple[int, int], list[int]] = defaultdict(list)
    with HISTORICAL.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            minutes[(int(row["bwt_day"]), int(row["bwt_hour"]))].append(int(row["pv_time_avg"]))
    rows = []
    for day in range(7):
        by_hour = [fmean(minutes[(day, hour)]) for hour in range(24)]
        peak = max(by_hour)
        rows.append((f"{fmean(by_hour):.1f}", f"{by_hour.index(peak):02d}:00", f"{peak:.1f}"))
    return rows


def test_port_document_names_weekdays_monday_first_and_says_why(
    fresh_db: Database, tmp_path: Path
) -> None:
    import_crossings_file(
        fresh_db, DATA / "ports" / "bts-us-mexico-slice.csv", actor=NodeSelf("test")
    )
    import_waits_file(fresh_db, HISTORICAL, crossing="250401", actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        write_analysis(session, "2504", "250401", tmp_path, reference_year=2019)
    expected = raw_weekday_rows()
    for language, days, note in (
        ("en", ENGLISH_DAYS, "read here as Monday (0) to Sunday (6)"),
        ("es", SPANISH_DAYS, "aquí se leen de lunes (0) a domingo (6)"),
    ):
        markdown = (tmp_path / f"port-services-2504.{language}.md").read_text("utf-8")
        page = (tmp_path / f"port-services-2504.{language}.html").read_text("utf-8")
        assert note in markdown
        assert note in page
        assert "without saying which day is 0" not in markdown  # the old, unanswered note
        for day, (mean, hour, peak) in zip(days, expected, strict=True):
            assert f"| {day} | {mean} | {hour} | {peak} |" in markdown
            assert f"<tr><td>{day}</td><td>{mean}</td><td>{hour}</td><td>{peak}</td></tr>" in page


def test_cli_waits_by_weekday_names_the_days(tmp_path: Path) -> None:
    runner, env = CliRunner(), {"ALIANZA_DATABASE_URL": ""}
    home = ["--home", str(tmp_path / "node")]
    imported = ["ports", "import", "--crossing", "250401", str(HISTORICAL)]
    assert runner.invoke(cli, [*home, *imported], env=env).exit_code == 0
    result = runner.invoke(cli, [*home, "ports", "waits", "--by", "weekday"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for day, name in enumerate(ENGLISH_DAYS):
        assert any(line.split()[:2] == [str(day), name] for line in lines), result.output
    assert "read here as Monday (0) to Sunday (6)" in result.output
