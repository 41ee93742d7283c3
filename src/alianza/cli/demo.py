"""``alianza demo``: a fresh embedded node with the demo data, shown, then served."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import click

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user
from alianza.cli.coop import show_cooperation_demo
from alianza.cli.pme import summary_lines
from alianza.cli.seizures import show_seizure_pages_demo, show_seizures
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
    from alianza.cli.pme_engine import show_engine_demo  # charts: loaded only for the demo

    show_engine_demo(database)


def demo_accounts(database: Database) -> None:
    click.secho("\n4. Accounts (development only)", bold=True)
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


DEMO_QUARTER = "2025-Q4"


def demo_exchange(database: Database, settings: Settings, directory: Path) -> None:
    """A US node (this one) and an MX node with a GENERATED sample exchange a quarter."""
    from datetime import date

    from alianza.exchange.cube import quarter_tables
    from alianza.exchange.keys import create_node_keys
    from alianza.exchange.partners import trust_partner
    from alianza.exchange.service import (
        build_and_record,
        exchange_status,
        make_receipt,
        receive,
        record_acknowledgement,
        record_sent,
    )
    from alianza.seizures.sample import write_mx_sample
    from alianza.seizures.service import import_file

    click.secho(f"\n3. Quarterly exchange, {DEMO_QUARTER}: US node ↔ MX node", bold=True)
    us_keys = create_node_keys(settings.home, name="US node (demo)", country="US")
    mx_home = directory / "mx-node"
    mx_database = open_database(load_settings(home=mx_home.resolve(), database_url=None))
    mx_keys = create_node_keys(mx_home, name="Nodo MX (demo)", country="MX")
    sample = mx_home / "mx-generated-sample.csv"
    rows = write_mx_sample(sample, first=date(2024, 1, 1), last=date(2025, 12, 31), events=4000)
    outcome = import_file(mx_database, sample, "canonical", actor="demo")
    click.echo(
        f"MX node: {mx_home} with a GENERATED sample of Mexican seizures (not real data): "
        f"{rows:,} rows, {outcome.report.loaded:,} loaded"
    )
    with database.transaction() as session:
        trust_partner(session, mx_keys.identity, own_fingerprint=us_keys.identity.fingerprint)
    with mx_database.transaction() as session:
        trust_partner(session, us_keys.identity, own_fingerprint=mx_keys.identity.fingerprint)
    outbox = directory / "exchange"
    outbox.mkdir(exist_ok=True)
    for sender_db, keys, receiver_db in (
        (database, us_keys, mx_database),
        (mx_database, mx_keys, database),
    ):
        country = keys.identity.country
        with sender_db.reader() as session:
            tables, coverage = quarter_tables(session, country=country, quarter=DEMO_QUARTER)
        data, _ = build_and_record(
            sender_db, keys, quarter=DEMO_QUARTER, tables=tables, coverage=coverage, actor="demo"
        )
        path = outbox / f"{country.lower()}-{DEMO_QUARTER}.zip"
        path.write_bytes(data)
        record_sent(sender_db, hashlib.sha256(data).hexdigest(), f"file {path.name}")
        result, _c, _q = receive(receiver_db, data, actor="demo")
        receiver_keys = mx_keys if keys is us_keys else us_keys
        receipt = make_receipt(receiver_keys, hashlib.sha256(data).hexdigest(), result.status)
        record_acknowledgement(sender_db, receipt)
        observations = sum(len(v) for v in tables.values())
        click.echo(
            f"  {country} built {path.name} ({observations} observations, "
            f"{len(data):,} bytes); partner verified it: {result.status}"
        )
    with database.reader() as session:
        states = exchange_status(session, today=date.today())
    late = [s for s in states if s.quarter == DEMO_QUARTER]
    for state in late:
        click.echo(
            f"  {state.direction:<8} {state.country} {state.quarter}: {state.state} "
            f"(due {state.due})"
        )
    mx_database.dispose()


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
    from alianza.accounts.session_key import create_session_key

    create_session_key(settings.session_key_file)  # the node's own, as `alianza node init`
    click.secho(f"Demo node: {directory} ({settings.effective_database_url})", bold=True)
    demo_performance_measures(database, directory)
    show_seizures(database)
    demo_exchange(database, settings, directory)
    demo_accounts(database)

    click.secho("\n5. Ports of entry: San Ysidro analysis and US–MX alerts (10.6, 10.7)", bold=True)
    from alianza.cli.risk import demo_step as risk_demo_step
    from alianza.ports.demo import run_ports_demo

    written = run_ports_demo(directory, database, click.echo, password=DEMO_PASSWORD)
    click.echo(f"Port-services analysis written to {written[-1].parent}/ (EN/ES, md and html).")
    risk_demo_step(database, directory)
    show_cooperation_demo(database)
    show_seizure_pages_demo(database, directory / "mx-node" / "mx-generated-sample.csv")

    click.secho("\nExplore the demo node from the command line:", bold=True)
    click.echo(f"  export ALIANZA_HOME={directory.resolve()}")
    click.echo("  alianza pme show 10.2          # one action")
    click.echo("  alianza pme show 10.2/status/5 # one paragraph")
    click.echo("  alianza pme export --format md # the whole report")
    click.echo(
        "  alianza seizures aggregate --by fiscal_year,drug_group --where region=SOUTHWEST_BORDER"
    )
    click.echo("  alianza exchange status       # the exchange log, late quarters")
    click.echo("  alianza node show             # this node's key and its partner")
    if no_serve:
        database.dispose()
        return
    import uvicorn

    from alianza.ports.demo import MX_OFFICIAL, serve_mx_node
    from alianza.web import create_app
    from alianza.web.listen import ServeRefused, listen_options

    try:
        listen_options(settings, host)  # loopback only: the demo has no TLS
    except ServeRefused as refused:
        raise click.ClickException(str(refused)) from None

    mx_url = serve_mx_node(directory, host=host, port=port + 1, us_url=f"http://{host}:{port}")
    settings = settings.model_copy(update={"ports_partner_url": mx_url})
    click.secho(f"\nServing the demo node at http://{host}:{port}/", bold=True, fg="green")
    click.echo(
        f"Live alerts: the MX node at {mx_url}/ports/alerts (log in as {MX_OFFICIAL}); "
        f"send from http://{host}:{port}/ports/alerts as liaison-us. San Ysidro analysis: "
        f"http://{host}:{port}/ports/2504/analysis"
    )
    click.echo(f"Log in as coordinator-us (or any user above), password {DEMO_PASSWORD}.")
    click.echo(f"Exchange US-MX and joint analysis: /exchange, /analysis?quarter={DEMO_QUARTER}")
    click.echo("Cooperation registry and the 1999 measures: /coop?as_of=1999-08-31")
    click.echo("Stop with Ctrl-C.")
    uvicorn.run(
        create_app(settings, database),
        port=port,
        **listen_options(settings, host),
        log_level="warning",
        timeout_graceful_shutdown=5,  # open alert streams do not hold Ctrl-C up
    )
