"""``alianza coop incidents``: border violence and crime incidents (10.1)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from alianza.actors import NodeSelf
from alianza.cli import output_coop as out
from alianza.cli.context import Context, pass_context, say
from alianza.cli.pme_options import ISO_DATE, by_option, format_option
from alianza.cooperation.incidents import (
    UNKNOWN_COLUMN_POLICIES,
    analysis_text,
    import_incidents,
    incident_analysis,
)
from alianza.operations.problems import message_language


@click.group()
def incidents() -> None:
    """Border violence and crime incidents: import, analysis by region and quarter."""


@incidents.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--unknown-columns",
    type=click.Choice(UNKNOWN_COLUMN_POLICIES),
    default="reject",
    show_default=True,
    help="A column that is not an incident field: refuse the file, or ignore the column.",
)
@click.option(
    "--report-json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the validation report as JSON here.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "es"]),
    help="Language of the report (default: ALIANZA_LANGUAGE, else the locale, else en).",
)
@by_option
@pass_context
def import_command(
    ctx: Context,
    path: Path,
    unknown_columns: str,
    report_json: Path | None,
    lang: str | None,
    by: str,
) -> None:
    """Import incidents from a CSV or XLSX file (exit 0: all loaded, 3: some quarantined,
    2: nothing loaded)."""
    report = import_incidents(
        ctx.database, path, actor=NodeSelf(by), unknown_columns=unknown_columns
    )
    click.echo(report.text(language=lang or message_language()))
    if report_json:
        report.write_json(report_json)
    if report.exit_code:
        click.echo(say(out.FIX_INCIDENT_ROWS.said(path=path)), err=True)
        sys.exit(report.exit_code)


@incidents.command("analysis")
@click.option("--from", "first", type=ISO_DATE, help="First day.")
@click.option("--to", "last", type=ISO_DATE, help="Last day.")
@format_option
@pass_context
def analysis(ctx: Context, first: date | None, last: date | None, output_format: str) -> None:
    """Incidents by border region and quarter, split by drug link and country."""
    with ctx.database.reader() as session:
        cells = incident_analysis(session, first=first, last=last)
    if output_format == "json":
        click.echo(json.dumps([c.as_dict() for c in cells], ensure_ascii=False, indent=2))
    else:
        click.echo(analysis_text(cells, message_language()), nl=False)
