"""The seed with the 1999 facts recorded and the seed's measures bound."""

from __future__ import annotations

import pytest

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_facts, seed_fact_files
from alianza.db import Database


@pytest.fixture
def facts_db(seeded_db: Database) -> Database:
    with seeded_db.transaction() as session:
        for path in seed_fact_files(session):  # binational and the node's own
            load_facts(session, path, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
    return seeded_db
