"""``alianza demo``: a fresh embedded node with the demo data, shown, then served."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user
from alianza.cli.pme import summary_lines
from alianza.cli.seizures import show_seizures
from alianza.db import Database, open_database
from alianza.pme.document import Language
from alianza.pme.export import ExportFormat, render_report
from alianza.pme.load import DEFAULT_PLAN, DEFAULT_PLAN_TITLE
from alianza.pme.query import load_plan_report
from alianza.pme.service import SEED_REPORT, import_report_file
from alianza.pme.show import action_text, overview_text
from alianza.settings import Settings, load_settings

# Development-only accounts of the demo node (the node runs with ALIANZA_ENV=development).
DEMO_PASSWORD = "alianza-demo-2026"
DEMO_USERS = [
    ("admin", Role.ADMIN, Country.US, "ONDCP", "Demo Administrator", "en"),
    ("coordinator-us", Role.COORDINATOR, Country.US, "ONDCP", "U.S. Coordinator", "en"),
    ("coordinador-mx", Role.COORDINATOR, Country.MX, "SRE", "Coordinador de México", "es"),
    ("analyst-us", Role.ANALYST, Country.US, "CBP", "CBP Analyst", "en"),
    ("analista-mx", Role.ANALYST, Country.MX, "FGR", "Analista de la FGR", "es"),
    ("liaison-us", Role.LIAISON, Country.US, "CBP", "Port Liaison (San Ysidro)", "en"),
    ("viewer", Role.VIEWER, Country.US, "DOS", "Read-only Viewer", "en"),
]


def demo_performance_measures(database: Database, directory: Path) -> None:
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
    exports.mkdir(exist_ok=True)
    for export_format in ExportFormat:
        path = exports / f"alliance-point-10.{export_format.value}"
        path.write_text(render_report(report, export_format, DEFAULT_PLAN_TITLE), "utf-8")
    click.echo(f"\nExports written to {exports}/ (tsv, md, html, json).")


def demo_accounts(database: Database) -> None:
    click.secho("\n2. Accounts (development only)", bold=True)
    with database.transaction() as session:
        for username, role, country, agency, name, language in DEMO_USERS:
            create_user(
                session,
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                country=country,
                agency=agency,
                display_name=name,
                language=language,
                actor="demo",
            )
    for username, role, country, agency, _name, _language in DEMO_USERS:
        click.echo(f"  {username:<16} {role.value:<12} {country.value} {agency}")
    click.echo(f"  password for all: {DEMO_PASSWORD}")


@click.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("alianza-demo"),
    show_default=True,
    help="Folder of the demo node; emptied and created afresh.",
)
@click.option("--no-serve", is_flag=True, help="Prepare the demo node and exit.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to serve on.")
def demo(directory: Path, no_serve: bool, host: str, port: int) -> None:
    """Create a fresh embedded (SQLite) node with the demo data, show it, then serve it."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    settings: Settings = load_settings(
        home=directory.resolve(), database_url=None, env="development"
    )
    database = open_database(settings)
    click.secho(f"Demo node: {directory} ({settings.effective_database_url})", bold=True)
    demo_performance_measures(database, directory)
    demo_accounts(database)

    show_seizures(database)

    click.secho("\nExplore the demo node from the command line:", bold=True)
    click.echo(f"  export ALIANZA_HOME={directory.resolve()}")
    click.echo("  alianza pme show 10.2          # one action")
    click.echo("  alianza pme show 10.2/status/5 # one paragraph")
    click.echo("  alianza pme export --format md # the whole report")
    click.echo(
        "  alianza seizures aggregate --by fiscal_year,drug_group --where region=SOUTHWEST_BORDER"
    )
    if no_serve:
        database.dispose()
        return
    import uvicorn

    from alianza.web import create_app

    click.secho(f"\nServing the demo node at http://{host}:{port}/", bold=True, fg="green")
    click.echo(f"Log in as coordinator-us (or any user above), password {DEMO_PASSWORD}.")
    click.echo("Stop with Ctrl-C.")
    uvicorn.run(create_app(settings, database), host=host, port=port, log_level="warning")
