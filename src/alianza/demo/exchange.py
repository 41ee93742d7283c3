"""Step 8 of ``alianza demo``: the quarterly exchange between the two nodes, each node's joint
edition of the demo quarter, and the edition signed by both governments."""

from __future__ import annotations

import click

from alianza.demo.nodes import Node, exchange_quarter

DEMO_QUARTER = "2025-Q4"


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
