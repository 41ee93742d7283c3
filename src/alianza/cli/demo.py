"""``alianza demo``: a fresh embedded node with the demo data, shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from alianza.cli.pme import summary_lines
from alianza.cli.risk import demo_step as risk_demo_step
from alianza.db import open_database
from alianza.pme.document import Language
from alianza.pme.export import ExportFormat, render_report
from alianza.pme.load import DEFAULT_PLAN, DEFAULT_PLAN_TITLE
from alianza.pme.query import load_plan_report
from alianza.pme.service import SEED_REPORT, import_report_file
from alianza.pme.show import action_text, overview_text
from alianza.settings import load_settings


@click.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("alianza-demo"),
    show_default=True,
    help="Folder of the demo node; emptied and created afresh.",
)
def demo(directory: Path) -> None:
    """Create a fresh embedded (SQLite) node, load the demo data and show it."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    settings = load_settings(home=directory.resolve(), database_url=None)
    database = open_database(settings)
    click.secho(f"Demo node: {directory} ({settings.effective_database_url})", bold=True)

    click.secho("\n1. Performance measures: the 1999 report of Alliance Point 10", bold=True)
    result = import_report_file(database, SEED_REPORT)
    click.echo("\n".join(summary_lines(result.summary)))
    again = import_report_file(database, SEED_REPORT)
    click.echo("re-import: " + summary_lines(again.summary)[0])

    with database.reader() as session:
        report = load_plan_report(session, DEFAULT_PLAN, Language.EN)
    click.echo("\n" + overview_text(report))
    action = report.action("10.4.1")
    assert action is not None
    click.echo("\n" + action_text(action, report))

    exports = directory / "exports"
    exports.mkdir()
    for export_format in ExportFormat:
        path = exports / f"alliance-point-10.{export_format.value}"
        path.write_text(render_report(report, export_format, DEFAULT_PLAN_TITLE), "utf-8")
    click.echo(f"\nExports written to {exports}/ (tsv, md, html, json).")
    click.secho("\nExplore the demo node:", bold=True)
    click.echo(f"  export ALIANZA_HOME={directory.resolve()}")
    click.echo("  alianza pme show 10.2          # one action")
    click.echo("  alianza pme show 10.2/status/5 # one paragraph")
    click.echo("  alianza pme export --format md # the whole report")
    risk_demo_step(database, directory)
    database.dispose()
