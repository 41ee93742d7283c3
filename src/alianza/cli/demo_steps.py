"""The steps of ``alianza demo`` (cli/demo.py): two fresh embedded nodes, US and MX, with the demo
data, shown, then served. Imported when the demo runs, not by ``alianza demo --help``."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from alianza.actors import NodeSelf
from alianza.cli import messages as words
from alianza.cli.context import say
from alianza.cli.coop_registry import show_cooperation_demo
from alianza.cli.pme_files import summary_lines
from alianza.cli.seizures_commands import show_seizure_pages_demo, show_seizures
from alianza.db import Database
from alianza.demo_nodes import (
    ACCOUNTS,
    Node,
    SourceLoad,
    create_accounts,
    exchange_quarter,
    load_mx_sources,
    prepare_node,
    serve_node,
    trust_each_other,
)
from alianza.pme.document import Language
from alianza.pme.export import ExportFormat, render_report
from alianza.pme.load import DEFAULT_PLAN, DEFAULT_PLAN_TITLE
from alianza.pme.query import load_plan_report
from alianza.pme.service import SEED_REPORT, import_report_file
from alianza.pme.show import action_text, overview_text
from alianza.ports.demo import MX_OFFICIAL

# Development-only accounts of the demo nodes (served with ALIANZA_ENV=development).
DEMO_PASSWORD = "alianza-demo-2026"
DEMO_QUARTER = "2025-Q4"
DEMO = NodeSelf("demo")  # the demo loader acts as the node itself


def demo_performance_measures(database: Database, directory: Path) -> None:
    click.secho("\n1. Performance measures: the 1999 report of Alliance Point 10", bold=True)
    result = import_report_file(database, SEED_REPORT, actor=DEMO)
    click.echo("\n".join(summary_lines(result.summary)))
    again = import_report_file(database, SEED_REPORT, actor=DEMO)
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


def demo_risk(database: Database, directory: Path) -> None:
    click.secho("\n6. Shipment risk targeting (action 10.8), on a generated sample", bold=True)
    from alianza.risk.extra import installed

    if not installed():
        from alianza.cli.risk_options import EXTRA

        click.echo(f"  skipped: {EXTRA}")
        return
    from alianza.demo_risk import run_risk_demo

    run_risk_demo(database, directory, say=click.echo)


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


def demo_exchange(us: Node, mx: Node, *, urls: dict[str, str] | None) -> None:
    """Each node builds its packages of the eight quarters up to 2025-Q4 from its own records
    and delivers them to the other (over HTTP when both are served, ``urls``, else by file);
    then each assembles the joint edition of 2025-Q4 from the packages it holds, and the two
    content hashes are shown side by side."""
    from datetime import date

    from alianza.analysis.joint import joint_analysis, previous_quarters
    from alianza.analysis.render import content_hash
    from alianza.exchange.service import exchange_status

    how = "HTTP, each to the other's endpoint" if urls else "file"
    quarters = previous_quarters(DEMO_QUARTER, 8)
    click.secho(
        f"\n8. Quarterly exchange, {quarters[0]} to {DEMO_QUARTER}: US node ↔ MX node ({how})",
        bold=True,
    )
    for quarter in quarters:
        for sender, receiver in ((us, mx), (mx, us)):
            url = urls[receiver.country] if urls else None
            done = exchange_quarter(sender, receiver, quarter, url=url)
            if quarter != DEMO_QUARTER:
                continue
            receipt = "signed receipt verified" if done.acknowledged else "receipt NOT verified"
            click.echo(
                f"  {done.country} → {receiver.country}: {done.observations} observations, "
                f"{done.size:,} bytes via {done.via}; partner: {done.status}, {receipt}"
            )
    click.echo(f"  (and the seven quarters before, {quarters[0]} to {quarters[-2]}: the trend)")
    with us.database.reader() as session:
        states = exchange_status(session, today=date.today())
    for state in (s for s in states if s.quarter == DEMO_QUARTER):
        click.echo(
            f"  US node log: {state.direction:<8} {state.country} {state.quarter}: "
            f"{state.state} (due {state.due})"
        )
    hashes = []
    for node in (us, mx):
        with node.database.reader() as session:
            edition = joint_analysis(
                session, DEMO_QUARTER, own_country=node.country, inputs="packages"
            )
        hashes.append(content_hash(edition))
        click.echo(f"  joint edition {DEMO_QUARTER} on the {node.country} node: {hashes[-1]}")
    if len(set(hashes)) != 1:
        click.echo("  the content hashes DIFFER: the nodes hold different packages")
        return
    click.echo("  the same content hash on both nodes: each government signs it")
    cosign_demo_edition(us, mx, hashes[0])


def cosign_demo_edition(us: Node, mx: Node, digest: str) -> None:
    """Each node signs the 2025-Q4 edition (alianza analysis sign); the signature travels to
    the other as a signed cycle message (here as courier files); both then hold both."""
    from alianza.actors import NodeSelf
    from alianza.analysis.cosign import sign_and_send, signature_state
    from alianza.pme.cycle_transport import receive_cycle_files, send_cycle_messages

    for sender, receiver in ((us, mx), (mx, us)):
        with sender.database.transaction() as session:
            sign_and_send(
                session,
                sender.keys,
                quarter=DEMO_QUARTER,
                content_hash=digest,
                actor=NodeSelf("demo"),
            )
        folder = sender.home / "edition-signatures"
        send_cycle_messages(sender.database, sender.keys, folder=folder)
        if (folder / receiver.country).exists():
            receive_cycle_files(receiver.database, receiver.keys, [folder / receiver.country])
    for node in (us, mx):
        with node.database.reader() as session:
            states = signature_state(session, DEMO_QUARTER, digest, ("US", "MX"))
        signed = ", ".join(
            f"{s.country} ({s.signature.via})" if s.signature else f"{s.country} missing"
            for s in states
        )
        click.echo(f"  signatures of the edition on the {node.country} node: {signed}")


def run_demo(directory: Path, *, no_serve: bool, host: str, port: int) -> None:
    """``alianza demo`` once its options are read."""
    from alianza.web.listen import is_loopback

    if not no_serve and not is_loopback(host):  # the demo has no TLS and development accounts
        raise click.ClickException(say(words.DEMO_LOOPBACK.said(host=host)))
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    us = prepare_node(directory / "us", "US")
    mx = prepare_node(directory / "mx", "MX")
    click.secho(f"Demo US node: {us.home} ({us.settings.effective_database_url})", bold=True)
    click.secho(f"Demo MX node: {mx.home} ({mx.settings.effective_database_url})", bold=True)
    demo_performance_measures(us.database, us.home)
    show_seizures(us.database)
    demo_mx_node(us, mx)
    demo_accounts([us, mx])

    click.secho("\n5. Ports of entry: San Ysidro analysis and US–MX alerts (10.6, 10.7)", bold=True)
    from alianza.ports.demo import run_ports_demo

    written = run_ports_demo(us.home, us.database, mx.database, click.echo)
    click.echo(f"Port-services analysis written to {written[-1].parent}/ (EN/ES, md and html).")
    demo_risk(us.database, us.home)
    show_cooperation_demo(us.database, mx.database)
    show_seizure_pages_demo()
    if no_serve:
        demo_exchange(us, mx, urls=None)
        demo_cycle(us, mx, urls=None)

    click.secho("\nExplore the demo nodes from the command line:", bold=True)
    click.echo(f"  export ALIANZA_HOME={us.home.resolve()}   # or {mx.home.resolve()}")
    click.echo("  alianza pme show 10.2          # one action")
    click.echo("  alianza pme show 10.2/status/5 # one paragraph")
    click.echo("  alianza pme export --format md # the whole report")
    click.echo(
        "  alianza seizures aggregate --by fiscal_year,drug --scope southwest-border-cbp-public "
        "--unit lb"
    )
    click.echo(
        f"  alianza analysis joint --quarter {DEMO_QUARTER} --format docx --lang es -o j.docx"
    )
    click.echo("  alianza exchange status       # the exchange log, late quarters")
    click.echo("  alianza node show             # this node's key and its partner")
    if no_serve:
        us.dispose()
        mx.dispose()
        return
    us_url, mx_url = f"http://{host}:{port}", f"http://{host}:{port + 1}"
    servers = [
        serve_node(us, host=host, port=port, partner_url=mx_url),
        serve_node(mx, host=host, port=port + 1, partner_url=us_url),
    ]
    try:
        for served in servers:
            served.wait_started()
        demo_exchange(us, mx, urls={"US": us_url, "MX": mx_url})
        demo_cycle(us, mx, urls={"US": us_url, "MX": mx_url})
        print_nodes(us_url, mx_url)
        while all(served.thread.is_alive() for served in servers):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for served in servers:
            served.stop()
        us.dispose()
        mx.dispose()


def demo_cycle(us: Node, mx: Node, *, urls: dict[str, str] | None) -> None:
    from alianza.demo_cycle import run_demo_cycle

    how = "HTTP, signed messages" if urls else "signed message files"
    click.secho(f"\n9. A reporting cycle across the two nodes ({how})", bold=True)
    run_demo_cycle(us, mx, urls=urls, say=click.echo)
    click.echo("  alianza pme cycle verify alianza-demo/mx/publication-2000-02/2000-02.json")


def print_nodes(us_url: str, mx_url: str) -> None:
    """Which URL is which node, and its accounts."""
    click.secho("\nServing the two demo nodes:", bold=True, fg="green")
    for country, url in (("US", us_url), ("MX", mx_url)):
        names = ", ".join(username for username, *_ in ACCOUNTS[country])
        click.echo(f"  {country} node  {url}/   accounts: {names}")
    click.echo(f"  password for all: {DEMO_PASSWORD}")
    click.echo(
        f"Live alerts: send from {us_url}/ports/alerts as liaison-us; the MX node shows them at "
        f"{mx_url}/ports/alerts (log in as {MX_OFFICIAL}). San Ysidro analysis: "
        f"{us_url}/ports/2504/analysis"
    )
    click.echo(
        f"Exchange and joint analysis: /exchange, /analysis?quarter={DEMO_QUARTER} (each node)"
    )
    click.echo(f"Cooperation registry and the 1999 measures: {us_url}/coop?as_of=1999-08-31")
    click.echo("Stop with Ctrl-C.")
