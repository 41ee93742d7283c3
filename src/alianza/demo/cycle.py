"""The demo's reporting cycle across its two nodes: each government writes, returns and
approves on its own node; its texts travel when it submits them; the steps travel as signed
cycle messages (over HTTP when the nodes are served, else by file); both nodes
publish the same edition, signed by both governments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from alianza.actors import NodeSelf
from alianza.demo.nodes import Node
from alianza.exchange.partners import set_partner_url, trusted_identities
from alianza.pme import cycle_publish, cycles
from alianza.pme.cycle_transport import receive_cycle_files, send_cycle_messages
from alianza.pme.cycles import Government
from alianza.pme.edition import verify_edition
from alianza.pme.publication import write_publication

CYCLE = "2000-02"
TEXTS = {
    "US": (
        "coordinator-us",
        "U.S. Customs trained Mexican inspectors in detection techniques.",
        "Aduanas de EE. UU. capacitó a inspectores mexicanos en técnicas de detección.",
    ),
    "MX": (
        "coordinador-mx",
        "Mexican Customs deployed X-ray units at northern border crossings.",
        "La Aduana de México desplegó equipos de rayos X en cruces de la frontera norte.",
    ),
}


def run_demo_cycle(
    us: Node, mx: Node, *, urls: dict[str, str] | None, say: Callable[[str], None]
) -> str:
    """Run cycle 2000-02 from opening to a publication both nodes verify; returns its hash."""
    nodes = {"US": us, "MX": mx}
    if urls is not None:  # each node's registered partner endpoint: where its messages go
        for node, partner in ((us, mx), (mx, us)):
            with node.database.transaction() as session:
                set_partner_url(
                    session,
                    partner.keys.identity.name,
                    urls[partner.country],
                    actor=NodeSelf("demo"),
                )

    def deliver(sender: Node) -> None:
        receiver = mx if sender is us else us
        if urls is not None:
            report = send_cycle_messages(sender.database, sender.keys, attempts=3)
            if report.error:
                raise RuntimeError(report.error)
            return
        batches = sender.home / "cycle-messages"  # one folder per delivery, for the courier
        folder = (
            batches / f"{len(list(batches.glob('*'))) + 1:03d}"
            if batches.exists()
            else (batches / "001")
        )
        send_cycle_messages(sender.database, sender.keys, folder=folder)
        if (folder / receiver.country).exists():  # texts being written send nothing
            receive_cycle_files(receiver.database, receiver.keys, [folder / receiver.country])

    def step(node: Node, do: Callable[..., Any], **kwargs: Any) -> None:
        with node.database.transaction() as session:
            do(session, CYCLE, **kwargs)
        deliver(node)

    step(us, cycles.open_cycle, as_of=date(2000, 2, 29), label_en="Status as of 29 Feb 2000",
         label_es="Estado al 29 feb 2000", actor=NodeSelf("coordinator-us"))  # fmt: skip
    for country, (by, en, es) in TEXTS.items():
        node, government = nodes[country], Government(country)
        for language, text in (("en", en), ("es", es)):
            step(node, cycles.enter_status, action="10.3", government=government,
                 language=language, text=text, actor=NodeSelf(by))  # fmt: skip
    say(f"  cycle {CYCLE} opened on the US node; each government wrote its 10.3 status on its node")
    step(us, cycles.submit_cycle, actor=NodeSelf("coordinator-us"))  # the US texts go with it
    step(mx, cycles.submit_cycle, actor=NodeSelf("coordinador-mx"))  # the MX texts join the round
    reason = "Name the crossings / Nombrar los cruces"
    step(
        mx,
        cycles.return_cycle,
        government=Government.MX,
        comment=reason,
        actor=NodeSelf("coordinador-mx"),
    )
    say(f"  submitted; returned by Mexico on the MX node: {reason!r}")
    step(mx, cycles.enter_status, action="10.3", government=Government.MX, language="es",
         position=1, actor=NodeSelf("analista-mx"),
         text="La Aduana de México desplegó equipos de rayos X en Tijuana, Nogales y Nuevo "
         "Laredo.")  # fmt: skip
    step(us, cycles.submit_cycle, actor=NodeSelf("coordinator-us"))
    step(mx, cycles.submit_cycle, actor=NodeSelf("coordinador-mx"))
    for country, node in nodes.items():
        for language in ("en", "es"):
            step(node, cycles.approve_cycle, government=Government(country), language=language,
                 actor=NodeSelf(TEXTS[country][0]))  # fmt: skip
    say("  revised on the MX node, submitted again, approved by each government on its node")
    step(us, cycles.lock_cycle, actor=NodeSelf("coordinator-us"))
    step(us, cycle_publish.publish_cycle, actor=NodeSelf("coordinator-us"), keys=us.keys)
    deliver(mx)  # the MX node published too; its signature goes back
    digest = ""
    for node in (us, mx):
        with node.database.reader() as session:
            document = cycle_publish.edition_file(session, CYCLE)
            trusted = dict(trusted_identities(session))
            trusted[node.keys.identity.fingerprint] = node.keys.identity
            written = write_publication(
                session, CYCLE, node.home / f"publication-{CYCLE}", formats=("json",)
            )
        check = verify_edition(document, trusted)
        signed = " + ".join(s["country"] for s in document["signatures"])
        state = "verifies" if check.ok else "DOES NOT verify"
        say(f"  {node.country} node edition sha256 {document['sha256'][:16]}…, signed {signed}, "
            f"{state}: {written[0].path}")  # fmt: skip
        digest = document["sha256"]
    return digest
