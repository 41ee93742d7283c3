"""``alianza ports``: crossing volumes, wait times, the crossing model and the analysis document."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import click

from alianza.actors import NodeSelf
from alianza.cli import messages as words
from alianza.cli import output_ports as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.operations.problems import message_language
from alianza.ports import analysis
from alianza.ports.analysis import NotEnoughData
from alianza.ports.heavy_traffic import Scenario, commuter_ratios
from alianza.ports.reference import (
    CROSSINGS,
    MODE_LABELS,
    WEEKDAY_NOTE,
    WEEKDAYS,
    Mode,
    UnknownPort,
    find_port,
    ports_serving,
)
from alianza.ports.service import import_file
from alianza.ports.study import LANE_MODES, CrossingStudy, study_crossing

port_option = click.option(
    "--port",
    "ports_wanted",
    multiple=True,
    help="CBP port code or BTS name; repeat to add ports up (e.g. El Paso + Ysleta).",
)
city_option = click.option(
    "--city",
    help="Mexican counterpart city: every US port paired with it (Tijuana: 3 ports).",
)
mode_option = click.option(
    "--mode",
    type=click.Choice([m.value for m in Mode]),
    default=None,
    help="One mode (default: all five).",
)
crossing_option = click.option(
    "--crossing",
    type=click.Choice(sorted(CROSSINGS)),
    default="250401",
    show_default=True,
    help="CBP wait-times crossing number.",
)


@click.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--crossing",
    "wait_crossing",
    type=click.Choice(sorted(CROSSINGS)),
    default=None,
    help="Crossing of a historical wait-times file (the file does not name it).",
)
@click.option(
    "--report-json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the validation report(s) as JSON to this file.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "es"]),
    help="Language of the report (default: ALIANZA_LANGUAGE, else the locale, else English).",
)
@click.option("--by", "actor", default="cli", show_default=True, help="Who imports (audit log).")
@pass_context
def import_command(
    ctx: Context, files: tuple[Path, ...], wait_crossing: str | None, report_json: Path | None,
    lang: str | None, actor: str,
) -> None:  # fmt: skip
    """Import BTS Border Crossing Entry Data and CBP wait-times files.

    Each file is one transaction; rejected rows are kept in quarantine with their reasons;
    importing a file again changes nothing. Exit status: 0 all loaded, 3 some rows
    quarantined, 2 nothing loaded.
    """
    status = 0
    reports = []
    for path in files:
        report = import_file(ctx.database, path, crossing=wait_crossing, actor=NodeSelf(actor))
        click.echo(report.text(language=lang or message_language()))
        reports.append(report.as_dict())
        status = max(status, report.exit_code)
    if report_json is not None:
        report_json.write_text(json.dumps(reports, ensure_ascii=False, indent=2) + "\n", "utf-8")
    raise SystemExit(status)


def _ports(wanted: tuple[str, ...], city: str | None = None) -> list[str]:
    codes = [find_port(p).code for p in wanted]
    if city:
        codes += [p.code for p in ports_serving(city) if p.code not in codes]
    if not codes:
        raise click.UsageError(say(words.GIVE_PORT.said()))
    return codes


@click.command()
@port_option
@city_option
@mode_option
@click.option("--by", type=click.Choice(["year", "month"]), default="year", show_default=True)
@click.option("--from", "first", type=int, help="First year.")
@click.option("--to", "last", type=int, help="Last year.")
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only months complete on this date (as of 1998-02-01: up to January 1998).",
)
@pass_context
@handles(UnknownPort)
def volumes(
    ctx: Context, ports_wanted: tuple[str, ...], city: str | None, mode: str | None, by: str,
    first: int | None, last: int | None, as_of: datetime | None,
) -> None:  # fmt: skip
    """Inbound volumes by mode per year (or month); '-' means not reported, not zero."""
    codes = _ports(ports_wanted, city)
    modes = [Mode(mode)] if mode else list(Mode)
    start = date(first, 1, 1) if first else None
    end = date(last, 12, 1) if last else None
    if as_of is not None:
        cutoff = analysis.last_complete_month(as_of.date())
        end = min(end, cutoff) if end else cutoff
    with ctx.database.reader() as session:
        series = {
            m: analysis.monthly_series(session, codes, m, start=start, end=end) for m in modes
        }
    names = ", ".join(find_port(c).bts_name for c in codes)
    click.echo(say(out.PORTS_HEADING.said(codes=" + ".join(codes), names=names)))
    column = say((out.COLUMN_YEAR if by == "year" else out.COLUMN_MONTH).said())
    labels = [say(MODE_LABELS[m].said()) for m in modes]
    width = max([20, *(len(label) + 1 for label in labels)])  # a long label keeps a space
    click.echo(f"{column:<8}" + "".join(f"{label:>{width}}" for label in labels))
    if by == "year":
        totals = {m: {t.year: t for t in analysis.annual_totals(s)} for m, s in series.items()}
        years = sorted({y for t in totals.values() for y in t})
        for year in years:
            cells = []
            for m in modes:
                t = totals[m].get(year)
                if t is not None and t.zero_only:
                    cells.append(say(out.MISSING_ZERO.said()))
                    continue
                cells.append("-" if t is None else f"{t.total:,}" + ("" if t.complete else "*"))
            click.echo(f"{year:<8}" + "".join(f"{c:>{width}}" for c in cells))
        click.echo(say(out.FEWER_MONTHS.said()))
    else:
        months = sorted({p.month for s in series.values() for p in s})
        values = {m: {p.month: p.value for p in s} for m, s in series.items()}
        for month in months:
            counts = [values[m].get(month) for m in modes]
            text = "".join(f"{'-' if v is None else f'{v:,}':>{width}}" for v in counts)
            click.echo(f"{month:%Y-%m}  " + text)


@click.command()
@port_option
@city_option
@mode_option
@click.option("--from", "first", type=int, help="First year (default: every complete year).")
@click.option("--to", "last", type=int, help="Last year.")
@pass_context
@handles(UnknownPort, NotEnoughData)
def seasonality(
    ctx: Context, ports_wanted: tuple[str, ...], city: str | None, mode: str | None,
    first: int | None, last: int | None,
) -> None:  # fmt: skip
    """Seasonal index per calendar month (1.00 = the year's monthly mean) and the trend."""
    codes = _ports(ports_wanted, city)
    modes = [Mode(mode)] if mode else list(Mode)
    with ctx.database.reader() as session:
        for m in modes:
            series = analysis.monthly_series(session, codes, m)
            years = range(first or 1900, (last or 2100) + 1)
            try:
                index = analysis.seasonality(series, list(years))
                trend = analysis.trend(analysis.annual_totals(series), first, last)
            except NotEnoughData as error:
                click.echo(f"{say(MODE_LABELS[m].said())}: {say(error)}")
                continue
            months = " ".join(f"{v:.2f}" for v in index)
            label = f"{say(MODE_LABELS[m].said()):<18}"
            click.echo(say(out.SEASONAL_INDEX.said(mode=label, months=months)))
            line = out.TREND.said(
                first=trend.first_year,
                last=trend.last_year,
                slope=f"{trend.slope_per_year:+,.0f}",
                change=f"{trend.change_per_year_pct:+.1f}",
            )
            click.echo(f"{'':<18} {say(line)}")


@click.command()
@crossing_option
@click.option(
    "--lane", type=click.Choice(list(analysis.LANES)), default="passenger", show_default=True
)
@click.option(
    "--by", type=click.Choice(["hour", "weekday", "month"]), default="hour", show_default=True
)
@pass_context
def waits(ctx: Context, crossing: str, lane: str, by: str) -> None:
    """Mean historical wait (minutes) by hour, weekday (0 = Monday, inferred) or month."""
    with ctx.database.reader() as session:
        cells = analysis.wait_cells(session, crossing, lane)
    if not cells:
        raise click.ClickException(say(words.NO_WAITS.said(crossing=crossing)))
    heading = out.WAITS_HEADING.said(
        crossing=crossing, name=CROSSINGS[crossing].name, lane=lane, by=by
    )
    click.echo(say(heading))
    for key, value in analysis.mean_by(cells, by).items():
        shown = say(
            out.NOT_APPLICABLE.said() if value is None else out.MINUTES.said(value=f"{value:6.1f}")
        )
        named = f"{key} {say(WEEKDAYS[key].said()):<9}" if by == "weekday" else f"{key:>2}"
        click.echo(f"  {named}  {shown}")
    if by == "weekday":
        click.echo(say(WEEKDAY_NOTE.said()))


@click.command()
@crossing_option
@click.option("--lane", type=click.Choice(list(LANE_MODES)), default="passenger", show_default=True)
@click.option("--year", type=int, default=2019, show_default=True, help="BTS reference year.")
@click.option(
    "--service-seconds",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="Mean primary-inspection time per vehicle (or pedestrian).",
)
@pass_context
@handles(NotEnoughData)
def model(ctx: Context, crossing: str, lane: str, year: int, service_seconds: float) -> None:
    """Calibrate the crossing model, show how well it fits, and evaluate scenarios."""
    with ctx.database.reader() as session:
        study = study_crossing(
            session, crossing, lane=lane, reference_year=year, service_minutes=service_seconds / 60
        )
    for line in study_lines(study, message_language()):
        click.echo(line)


# The lanes' names in the study's tables: the general lanes in words, the programmes by name.
LANE_NAMES = {
    "passenger_ready": "Ready",
    "passenger_x": "x (SENTRI?)",
    "pedestrian_ready": "Ready",
}
GENERAL_LANES = ("passenger", "pedestrian")


def _lane_name(lane: str, language: str) -> str:
    if lane in GENERAL_LANES:
        return out.LANE_GENERAL(language)
    return LANE_NAMES.get(lane, lane)


def _signed(minutes: float) -> str:
    """+1.23 / -1.23, and +0.00 rather than -0.00."""
    return f"{round(minutes, 2) + 0.0:+.2f}"


def _scenario_name(scenario: Scenario, language: str) -> str:
    """A what-if scenario's name in ``language`` (its Spanish where it has one)."""
    return scenario.named(language)


def study_lines(study: CrossingStudy, language: str = "en") -> list[str]:
    """The crossing model's study as the lines ``alianza ports model`` prints, in
    ``language``."""
    model = study.model
    main = study.validation
    lines = [
        out.STUDY_HEADING(
            language,
            crossing=study.crossing,
            port=study.port_code,
            lane=study.lane,
            year=study.reference_year,
            volume=f"{study.daily_volume:,.0f}",
        ),
        out.STUDY_QUEUE(
            language,
            peak=f"{model.peak:.0%}",
            scale=f"{model.scale:.1f}",
            lanes=f"{model.lanes:.1f}",
            seconds=f"{model.service_minutes * 60:.0f}",
        ),
        out.STUDY_REPLAY(language, error=f"{study.reproduction_error:.2g}"),
        out.STUDY_VALIDATION(language),
        out.STUDY_VALIDATION_COLUMNS(language),
    ]
    for m in main.months:
        lines.append(
            f"  {m.month:>2} {m.volume_factor:6.3f} {m.observed:8.1f} {m.predicted:9.1f} "
            f"{m.naive:6.1f}"
        )
    lines.append(out.STUDY_ERRORS_HEADING(language))
    for v in study.validations:
        lines.append(
            f"  {_lane_name(v.lane, language):<12} {v.model_mae:6.2f} ({_signed(v.model_bias)})"
            f" | {v.naive_mae:6.2f} ({_signed(v.naive_bias)}) | {v.flat_mae:6.2f}"
        )
    verdict = out.STUDY_BEATS if main.model_mae < main.naive_mae else out.STUDY_DOES_NOT_BEAT
    means = ", ".join(
        f"{_lane_name(lane, language)} {minutes:.1f}"
        for lane, minutes in study.observed_means.items()
    )
    lines += [
        verdict(language, lane=study.lane, correlation=f"{main.volume_wait_correlation:+.2f}"),
        out.STUDY_OBSERVED(language, means=means),
        out.STUDY_DEDICATED(language),
    ]
    for d in study.dedicated:
        lines.append(
            f"  {_lane_name(d.lane, language):<12} {d.utilisation_ratio:5.2f} "
            f"{d.scale_ratio:5.2f} | {d.model_mae:6.2f} {d.proportional_mae:6.2f} "
            f"{d.flat_mae:6.2f}"
        )
    # The names' column: 45 wide, wider for a longer name (a translation)
    named = max([45, *(len(_scenario_name(r.scenario, language)) for r in study.scenarios)])
    lines += [
        out.STUDY_SCENARIOS(language),
        f"  {'':<{named}} " + out.STUDY_SCENARIO_COLUMNS(language),
    ]
    for r in study.scenarios:
        commuter = "" if r.commuter_wait is None else f"{r.commuter_wait:8.1f}"
        saturated = (
            out.STUDY_SATURATED(language, hours=r.saturated_hours) if r.saturated_hours else ""
        )
        lines.append(
            f"  {_scenario_name(r.scenario, language):<{named}} {r.mean_wait:7.1f} "
            f"{r.peak_wait:7.1f} "
            f"{r.general_wait:8.1f} {commuter:>8}{saturated}"
        )
        if r.scenario.commuter_share > 0:
            u, kappa = commuter_ratios(study.model, r.scenario)
            shares = out.STUDY_COMMUTER(language, u=f"{u:.2f}", kappa=f"{kappa:.2f}")
            lines.append(f"  {'':<{named}} {shares}")
    return lines


@click.command()
@click.option("--port", "port_wanted", default="2504", show_default=True, help="Port to analyse.")
@crossing_option
@click.option("--year", type=int, default=2019, show_default=True, help="BTS reference year.")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("port-services"),
    show_default=True,
    help="Folder for the documents and charts.",
)
@pass_context
@handles(UnknownPort, NotEnoughData)
def report(ctx: Context, port_wanted: str, crossing: str, year: int, output: Path) -> None:
    """Write the bilingual port-services analysis (Markdown EN/ES, HTML, PNG charts)."""
    from alianza.ports.document import write_analysis

    with ctx.database.reader() as session:
        written = write_analysis(
            session, find_port(port_wanted).code, crossing, output, reference_year=year
        )
    for path in written:
        click.echo(say(out.WROTE.said(path=path)))
