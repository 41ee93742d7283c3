"""A seeded database holding the 1999 facts and the seed's measure bindings."""

from __future__ import annotations

import pytest

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_seed_facts
from alianza.db import Database
from tests.exchange.conftest import mx_node, us_node  # noqa: F401 (two exchanging nodes)


@pytest.fixture
def facts_db(seeded_db: Database) -> Database:
    with seeded_db.transaction() as session:
        load_seed_facts(session, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
    return seeded_db
