"""``alianza demo`` in order (cli/demo.py reads its options and calls :func:`run_demo`): two
fresh embedded nodes, US and MX, with the demo data, shown step by step, then served."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from alianza.catalogue import in_language
from alianza.demo.exchange import DEMO_QUARTER, demo_exchange
from alianza.demo.messages import DEMO_LOOPBACK
from alianza.demo.nodes import ACCOUNTS, Node, prepare_node, serve_node
from alianza.demo.ports import MX_OFFICIAL
from alianza.demo.steps import (
    DEMO_PASSWORD,
    demo_accounts,
    demo_cooperation,
    demo_cycle,
    demo_mx_node,
    demo_performance_measures,
    demo_ports,
    demo_risk,
    demo_seizure_pages,
    demo_seizures,
)
from alianza.operations.problems import message_language


def run_demo(directory: Path, *, no_serve: bool, host: str, port: int) -> None:
    """``alianza demo`` once its options are read."""
    from alianza.web.listen import is_loopback

    if not no_serve and not is_loopback(host):  # the demo has no TLS and development accounts
        said = DEMO_LOOPBACK.said(host=host)
        raise click.ClickException(in_language(said, message_language()))
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    us = prepare_node(directory / "us", "US")
    mx = prepare_node(directory / "mx", "MX")
    click.secho(f"Demo US node: {us.home} ({us.settings.effective_database_url})", bold=True)
    click.secho(f"Demo MX node: {mx.home} ({mx.settings.effective_database_url})", bold=True)
    demo_performance_measures(us.database, us.home)
    demo_seizures(us.database)
    demo_mx_node(us, mx)
    demo_accounts([us, mx])
    demo_ports(us, mx)
    demo_risk(us.database, us.home)
    demo_cooperation(us.database, mx.database)
    demo_seizure_pages()
    if no_serve:
        demo_exchange(us, mx, urls=None)
        demo_cycle(us, mx, urls=None)

    print_commands(us, mx)
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


def print_commands(us: Node, mx: Node) -> None:
    """The commands that explore the demo nodes."""
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
