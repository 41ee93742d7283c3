"""``alianza pme import`` and ``alianza pme export``: reports in and out as files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from alianza.actors import NodeSelf
from alianza.cli import output_pme as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.cli.pme_options import by_option
from alianza.cli.pme_show import language_option, plan_option
from alianza.operations.problems import message_language
from alianza.pme.deadline_store import deadlines_in_force
from alianza.pme.document import Language
from alianza.pme.events import event_dates
from alianza.pme.export import ExportFormat, render_report
from alianza.pme.export.json import report_json_text
from alianza.pme.load import DEFAULT_PLAN_TITLE
from alianza.pme.problems import Problem, ReportRejected
from alianza.pme.query import NothingInLanguage, PlanNotFound, load_plan_report
from alianza.pme.service import import_report_file


def problem_lines(source: str, problems: list[Problem]) -> list[str]:
    language = message_language()
    return [f"  {p.describe(source, language)}" for p in problems]


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@plan_option
@by_option
@pass_context
def import_command(ctx: Context, file: Path, plan_key: str, by: str) -> None:
    """Import a performance-measures report (tab-separated, English or Spanish).

    The import is one transaction: a file with any error is refused whole. Importing the same
    file again changes nothing; a later report adds status snapshots and keeps earlier ones.
    """
    try:
        result = import_report_file(ctx.database, file, plan_key=plan_key, actor=NodeSelf(by))
    except ReportRejected as rejected:
        refused = out.REPORT_REFUSED.said(file=file, n=len(rejected.problems))
        click.secho(say(refused), fg="red", err=True)
        click.echo("\n".join(problem_lines(str(file), rejected.problems)), err=True)
        click.echo(say(out.FIX_AND_RETRY.said()), err=True)
        raise SystemExit(2) from None
    for line in result.summary.lines(message_language()):
        click.echo(line)
    if result.warnings:
        click.secho(f"  {say(out.WARNINGS.said(n=len(result.warnings)))}", fg="yellow")
        click.echo("\n".join(problem_lines(str(file), result.warnings)))


@click.command()
@click.option(
    "--format",
    "export_format",
    type=click.Choice([f.value for f in ExportFormat]),
    default="tsv",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File.")
@click.option(
    "--status-as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Leave out status snapshots after this date (YYYY-MM-DD).",
)
@plan_option
@language_option
@pass_context
@handles(PlanNotFound, NothingInLanguage)
def export(
    ctx: Context,
    export_format: str,
    output: Path | None,
    status_as_of: object,
    plan_key: str,
    language: str,
) -> None:
    """Export the plan as TSV (re-importable), Markdown, HTML or JSON."""
    as_of: date | None = status_as_of.date() if status_as_of is not None else None  # type: ignore[attr-defined]
    with ctx.database.reader() as session:
        report = load_plan_report(session, plan_key, Language(language), status_as_of=as_of)
        text = render_report(report, ExportFormat(export_format), DEFAULT_PLAN_TITLE)
        if ExportFormat(export_format) is ExportFormat.JSON:  # with deadlines in force
            text = report_json_text(
                report,
                deadlines=deadlines_in_force(session, plan_key),
                events=event_dates(session, plan_key),
            )
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        size = len(text.encode())
        written = out.EXPORT_WRITTEN.said(file=output, format=export_format, size=size)
        click.echo(say(written), err=True)
