"""Two nodes with separate databases and key pairs that trust each other."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.keys import NodeKeys, create_node_keys
from alianza.exchange.partners import trust_partner
from alianza.exchange.sdmx import Observation

DRUGS = ["HEROIN", "COCAINE", "MARIJUANA", "METHAMPHETAMINE", "FENTANYL", "OTHER"]
LOCATIONS = ["SAN_YSIDRO", "NOGALES", "EL_PASO", "LAREDO"]
CONCEALMENTS = ["BUILT_COMPARTMENT", "COMMINGLED_CARGO", "ON_BODY", "_U"]
MODES = ["ROAD", "RAIL", "ON_FOOT", "_U"]


@dataclass
class Node:
    home: Path
    database: Database
    keys: NodeKeys


def make_node(home: Path, url: str, name: str, country: str) -> Node:
    database = Database(url, country=country)
    database.migrate()
    return Node(home, database, create_node_keys(home, name=name, country=country))


def introduce(a: Node, b: Node) -> None:
    with a.database.transaction() as session:
        trust_partner(
            session,
            b.keys.identity,
            own_fingerprint=a.keys.identity.fingerprint,
            actor=NodeSelf("test"),
        )
    with b.database.transaction() as session:
        trust_partner(
            session,
            a.keys.identity,
            own_fingerprint=b.keys.identity.fingerprint,
            actor=NodeSelf("test"),
        )


@pytest.fixture
def us_node(database_url: str, tmp_path: Path) -> Iterator[Node]:
    node = make_node(tmp_path / "us", database_url, "US node (CBP)", "US")
    yield node
    node.database.dispose()


@pytest.fixture
def mx_node(tmp_path: Path, us_node: Node) -> Iterator[Node]:
    node = make_node(tmp_path / "mx", f"sqlite:///{tmp_path / 'mx.db'}", "Nodo MX (FGR)", "MX")
    introduce(us_node, node)
    yield node
    node.database.dispose()


def sample_tables(country: str, quarter: str, seed: int = 1) -> dict[str, list[Observation]]:
    """A quarter's tables with every shape the exchange carries, including a not-reported
    value (status M) that must stay distinct from zero. The tables are consistent, as the
    receipt checks want: by location and by transport mode add up to the totals, and no
    concealment is larger than its total."""
    rng = random.Random(seed)

    def pair(drug: str, location: str, concealment: str, mode: str, count: int, kilos: float
             ) -> list[Observation]:  # fmt: skip
        return [
            Observation(country, drug, location, concealment, mode, "SEIZURES", quarter, count),
            Observation(country, drug, location, concealment, mode, "AMOUNT_KG", quarter, kilos),
        ]

    def split(count: int, kilos: float, parts: int) -> list[tuple[int, float]]:
        cuts = sorted(rng.randint(0, count) for _ in range(parts - 1))
        counts = [b - a for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
        kilo_parts = [round(kilos * c / count, 3) if count else 0.0 for c in counts]
        kilo_parts[-1] = round(kilos - sum(kilo_parts[:-1]), 3) if count else 0.0
        return list(zip(counts, [max(k, 0.0) for k in kilo_parts], strict=True))

    tables: dict[str, list[Observation]] = {
        "totals": [],
        "by_location": [],
        "by_concealment": [],
        "transport_methods": [],
    }
    for drug in DRUGS:
        by_location = []
        for _location in LOCATIONS:
            count = rng.randint(0, 40)
            by_location.append((count, round(rng.uniform(0, 900), 3) if count else 0.0))
        count = sum(c for c, _k in by_location)
        kilos = round(sum(k for _c, k in by_location), 3)
        tables["totals"] += pair(drug, "_T", "_T", "_T", count, kilos)
        for location, (c, k) in zip(LOCATIONS, by_location, strict=True):
            tables["by_location"] += pair(drug, location, "_T", "_T", c, k)
        for concealment in CONCEALMENTS:
            share = rng.uniform(0, 1)
            tables["by_concealment"] += pair(
                drug, "_T", concealment, "_T", int(count * share), round(kilos * share, 3)
            )
        for mode, (c, k) in zip(MODES, split(count, kilos, len(MODES)), strict=True):
            tables["transport_methods"] += pair(drug, "_T", "_T", mode, c, k)
    # OTHER drugs: counted, but no mass reported (in the totals and every breakdown)
    for name, rows in tables.items():
        tables[name] = [
            Observation(*o.key()[:6], o.time_period, None, "M")
            if (o.drug, o.measure) == ("OTHER", "AMOUNT_KG")
            else o
            for o in rows
        ]
    return tables


COVERAGE = {"not_reported": ["concealment for CBP aggregate rows"], "sources": ["test"]}
