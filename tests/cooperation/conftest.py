"""A seeded database holding the 1999 facts and the seed's measure bindings."""

from __future__ import annotations

import pytest

from alianza.cooperation.facts import bind_seed_measures, load_facts
from alianza.db import Database
from tests.exchange.conftest import mx_node, us_node  # noqa: F401 (two exchanging nodes)


@pytest.fixture
def facts_db(seeded_db: Database) -> Database:
    with seeded_db.transaction() as session:
        load_facts(session, actor="test")
        bind_seed_measures(session, actor="test")
    return seeded_db
