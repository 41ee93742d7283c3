"""The seed with the 1999 facts recorded and the seed's measures bound."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_facts, seed_fact_files
from alianza.cooperation.registry import add_liaison_post
from alianza.db import Database
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.exchange.conftest import Node, introduce, make_node


@pytest.fixture
def facts_db(seeded_db: Database) -> Database:
    with seeded_db.transaction() as session:
        for path in seed_fact_files(session):  # binational and the node's own
            load_facts(session, path, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
    return seeded_db


# Two nodes (each its own database: the US one on ``database_url``, the MX one on SQLite), each
# with the seed, its 1999 facts (the binational file and its own) and its bindings; the MX node
# also holds a customs liaison post with a nominal field (``OFFICER``) that must stay on it.
OFFICER = "Lic. Verónica Quintanilla Ibarra"


def facts_node(home: Path, url: str, name: str, country: str) -> Node:
    node = make_node(home, url, name, country)
    import_report_file(node.database, SEED_REPORT, actor=NodeSelf("test"))
    with node.database.transaction() as session:
        for path in seed_fact_files(session):  # binational and the node's own
            load_facts(session, path, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
    return node


@pytest.fixture
def facts_us(database_url: str, tmp_path: Path) -> Iterator[Node]:
    node = facts_node(tmp_path / "us", database_url, "US node (CBP)", "US")
    yield node
    node.database.dispose()


@pytest.fixture
def facts_mx(tmp_path: Path, facts_us: Node) -> Iterator[Node]:
    url = f"sqlite:///{tmp_path / 'mx.db'}"
    node = facts_node(tmp_path / "mx", url, "Nodo MX (SRE)", "MX")
    with node.database.transaction() as session:
        add_liaison_post(
            session, country="MX", office="SHCP", city="Laredo, TX", agency="SHCP",
            role="customs-liaison", appointed_on=date(1999, 9, 30), source="test",
            officer=OFFICER, actor=NodeSelf("test"),
        )  # fmt: skip
    introduce(facts_us, node)
    yield node
    node.database.dispose()
