"""The seed with the 1999 facts recorded and the seed's measures bound."""

from __future__ import annotations

import pytest

from alianza.cooperation.facts import bind_seed_measures, load_facts
from alianza.db import Database


@pytest.fixture
def facts_db(seeded_db: Database) -> Database:
    with seeded_db.transaction() as session:
        load_facts(session, actor="test")
        bind_seed_measures(session, actor="test")
    return seeded_db
