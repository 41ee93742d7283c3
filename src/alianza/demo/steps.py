"""The steps of ``alianza demo`` (1 to 7, and 9 around :mod:`alianza.demo.cycle`), each printing
its section; :mod:`alianza.demo.run` calls them in order. Imported when the demo runs, not by
``alianza demo --help``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_seed_facts
from alianza.cooperation.measures import compute_measures, measures_text
from alianza.db import Database
from alianza.demo.nodes import (
    Node,
    SourceLoad,
    create_accounts,
    load_mx_sources,
    trust_each_other,
)
from alianza.demo.ports import run_ports_demo
from alianza.pme.assessment import assess_plan, assessment_text
from alianza.pme.deadline_store import source_report
from alianza.pme.document import Language
from alianza.pme.export import ExportFormat, render_report
from alianza.pme.load import DEFAULT_PLAN, DEFAULT_PLAN_TITLE
from alianza.pme.query import load_plan_report
from alianza.pme.references import find_references
from alianza.pme.service import SEED_REPORT, import_report_file
from alianza.pme.show import action_text, overview_text
from alianza.seizures.aggregate import aggregate
from alianza.seizures.public import import_cbp_public_files
from alianza.seizures.scopes import SCOPES

# Development-only accounts of the demo nodes (served with ALIANZA_ENV=development).
DEMO_PASSWORD = "alianza-demo-2026"
DEMO = NodeSelf("demo")  # the demo loader acts as the node itself


def demo_performance_measures(database: Database, directory: Path) -> None:
    click.secho("\n1. Performance measures: the 1999 report of Alliance Point 10", bold=True)
    result = import_report_file(database, SEED_REPORT, actor=DEMO)
    click.echo("\n".join(result.summary.lines()))
    again = import_report_file(database, SEED_REPORT, actor=DEMO)
    click.echo("re-import: " + again.summary.lines()[0])
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
    demo_engine(database)


def demo_engine(database: Database) -> None:
    """Steps 1b and 1c: the seed assessed as of its status date, and its references."""
    with database.reader() as session:
        report = source_report(session, DEFAULT_PLAN)
        dates = [s.as_of for a in report.actions() for s in a.status]
        as_of = max(dates) if dates else date.today()
        assessment = assess_plan(session, as_of)
        found = find_references(report)
    click.secho(f"\n1b. The seed assessed as of its status date, {as_of}", bold=True)
    click.echo(assessment_text(assessment), nl=False)
    resolved = sum(r.resolved for r in found)
    click.secho(
        f"\n1c. Cross-references: {len(found)} found, {resolved} resolved, "
        f"{len(found) - resolved} kept unresolved",
        bold=True,
    )
    for ref in found:
        mark = "→" if ref.resolved else "✗"
        why = f"  ({ref.message()})" if ref.message() else ""
        click.echo(f"  {ref.source:<20} {mark} {ref.target:<18}{why}")
    click.echo(
        "\nMore: alianza pme assess --as-of 1999-08-31 --format json; alianza pme events list"
    )


def demo_seizures(database: Database) -> None:
    """The demo's seizures step: import CBP's public files, re-import one, show totals."""
    click.secho(
        "\n2. Seizures: CBP's public drug-seizure files (FY2019 – December 2025)", bold=True
    )
    outcomes = import_cbp_public_files(database, actor=NodeSelf("demo"))
    for outcome in outcomes.values():
        stats = outcome.report.stats()
        click.echo(
            f"{stats['source']}: {stats['rows']:,} rows, {stats['loaded']:,} loaded, "
            f"{stats['quarantined']:,} quarantined, {stats['warnings']:,} zero-weight rows flagged"
        )
    again = import_cbp_public_files(database, actor=NodeSelf("demo"))
    unchanged = sum(o.report.unchanged for o in again.values())
    click.echo(f"re-import: nothing changed ({unchanged:,} rows already held)")
    scope = SCOPES["southwest-border-cbp-public"]
    with database.reader() as session:
        result = aggregate(session, ["fiscal_year", "drug_group"], scope=scope)
    click.echo(f"\nEvents and kg by US fiscal year; scope {scope.name}: {scope.title_en}")
    groups = ["COCAINE", "HEROIN", "MARIJUANA", "METHAMPHETAMINE", "FENTANYL", "OTHER"]
    cells = {(r["fiscal_year"], r["drug_group"]): r for r in result.rows()}
    years = sorted({year for year, _ in cells})
    click.echo(f"{'':14}" + "".join(f"{g[:14]:>22}" for g in groups))
    for year in years:
        line = f"{year + (' to date' if year in result.to_date_years else ''):14}"
        for group in groups:
            row = cells.get((year, group))
            kg = row["amount_kg"] if row else None
            text = "—" if row is None else f"{row['seizures']:,} / {kg or 0:,.0f} kg"
            line += f"{text:>22}"
        click.echo(line)
    click.echo("(to date: the fiscal year is still open; — no record)")


def demo_mx_node(us: Node, mx: Node) -> None:
    click.secho("\n3. The MX node: Mexico's records, on the MX node only", bold=True)
    import_report_file(mx.database, SEED_REPORT, actor=DEMO)  # the binational plan, on both nodes
    sources: dict[str, list[SourceLoad]] = {}
    for load in load_mx_sources(mx):
        sources.setdefault(load.label, []).append(load)
    for label, loads in sources.items():  # each source's own provenance, as stored with it
        names = ", ".join(load.path.name for load in loads[:2]) + (", …" if len(loads) > 2 else "")
        rows, loaded = sum(load.rows for load in loads), sum(load.loaded for load in loads)
        click.echo(f"  {label}")
        click.echo(f"    {len(loads)} file(s) ({names}): {rows:,} rows, {loaded:,} loaded")
    click.echo("  national-only records never leave this node")
    trust_each_other(us, mx)
    click.echo("  the US node and the MX node trust each other's keys (partners)")


def demo_accounts(nodes: list[Node]) -> None:
    click.secho("\n4. Accounts (development only), each on its own government's node", bold=True)
    for node in nodes:
        for username, role, agency in create_accounts(node, DEMO_PASSWORD):
            click.echo(f"  {node.country} node  {username:<16} {role.value:<12} {agency}")
    click.echo(f"  password for all: {DEMO_PASSWORD}")


def demo_ports(us: Node, mx: Node) -> None:
    click.secho("\n5. Ports of entry: San Ysidro analysis and US–MX alerts (10.6, 10.7)", bold=True)
    written = run_ports_demo(us.home, us.database, mx.database, click.echo)
    click.echo(f"Port-services analysis written to {written[-1].parent}/ (EN/ES, md and html).")


def demo_risk(database: Database, directory: Path) -> None:
    click.secho("\n6. Shipment risk targeting (action 10.8), on a generated sample", bold=True)
    from alianza.risk.extra import EXTRA, installed

    if not installed():
        click.echo(f"  skipped: {EXTRA}")
        return
    from alianza.demo.risk import run_risk_demo

    run_risk_demo(database, directory, say=click.echo)


def load_cooperation_facts(database: Database) -> None:
    """Record a node's 1999 facts (the binational ones and its own) for step 7."""
    with database.transaction() as session:
        loads = load_seed_facts(session, actor=NodeSelf("demo"))
        bound = bind_seed_measures(session, actor=NodeSelf("demo"))
    for loaded in loads:
        created = ", ".join(f"{n} {kind}" for kind, n in loaded.created.items())
        click.echo(f"  {database.country} node  {loaded.source}: {created or 'nothing new'}")
    click.echo(f"  {database.country} node  {bound} measurement(s) bound")


def demo_cooperation(*databases: Database) -> None:
    """Step 7: record each node's 1999 facts and show the measures computed from the first
    node's records."""
    click.secho(
        "\n7. Cooperation registry: the 1999 facts and the measures computed from them", bold=True
    )
    click.echo(
        "  binational records (mechanisms, meetings, joint studies) on both nodes; each "
        "government's liaison posts, technology and own studies on its node only"
    )
    for database in databases:
        load_cooperation_facts(database)
    as_of = date(1999, 8, 31)
    with databases[0].reader() as session:
        values = compute_measures(session, as_of)
    click.echo(measures_text(values, as_of), nl=False)
    click.echo("  alianza pme measures --as-of 1999-08-31 --format json  # the same, as JSON")
    click.echo("  alianza coop list mechanism                           # the records behind")


def demo_seizure_pages() -> None:
    """The demo's last seizures step: where each node's seizure pages are. Each node shows
    its own records; the US node's view of Mexico is the MX node's quarterly package."""
    click.secho("\nSeizure pages: /seizures, /seizures/map, /seizures/quarantine", bold=True)
    click.echo(
        "  US node: CBP's public files; Mexico only as the MX node's signed quarterly packages "
        "(step 8: 2024-Q1 to 2025-Q4; /exchange, /analysis)"
    )
    click.echo(
        "  MX node: MUCD's published files and the GENERATED sample (step 3), national-only "
        "events included; none of them ever leaves the MX node"
    )


def demo_cycle(us: Node, mx: Node, *, urls: dict[str, str] | None) -> None:
    from alianza.demo.cycle import run_demo_cycle

    how = "HTTP, signed messages" if urls else "signed message files"
    click.secho(f"\n9. A reporting cycle across the two nodes ({how})", bold=True)
    run_demo_cycle(us, mx, urls=urls, say=click.echo)
    click.echo("  alianza pme cycle verify alianza-demo/mx/publication-2000-02/2000-02.json")
