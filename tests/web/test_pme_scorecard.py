"""The web scorecard and the API read the one scorecard (issue 17, item 1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_facts, seed_fact_files
from alianza.db import Database
from alianza.pme.judgements import Completion, record_judgement
from tests.web.conftest import log_in

STATUS_DATE = date(1999, 8, 31)


@pytest.fixture
def facts_db(web_db: Database) -> Database:
    with web_db.transaction() as session:
        for path in seed_fact_files(session):  # binational and the node's own
            load_facts(session, path, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
    return web_db


def test_web_scorecard_and_api_show_the_dispute(facts_db: Database, client: TestClient) -> None:
    with facts_db.transaction() as session:
        record_judgement(
            session,
            "10.4.1/targets/1",
            as_of=STATUS_DATE,
            completion=Completion.DONE,
            completed_on=date(1999, 7, 20),
            justification="Reported done.",
            actor=NodeSelf("coordinator-us"),
        )
    log_in(client, "coordinator")
    page = client.get("/pme/assessment", params={"as_of": "1999-08-31"})
    assert page.status_code == 200
    assert page.text.count('class="badge st-disputed"') == 1
    assert "From the records: overdue · From the judgement: met on time" in page.text
    api = client.get("/api/v1/pme/assessment", params={"as_of": "1999-08-31"})
    assert api.status_code == 200, api.text
    targets = {
        t["address"]: t
        for p in api.json()["alliance_points"]
        for a in p["actions"]
        for t in a["targets"]
    }
    assert targets["10.4.1/targets/1"]["state"] == "disputed"
    assert targets["10.4/targets/1"]["state"] == "met_timing_unknown"
    # As known yesterday, before the judgement (and the facts) were recorded: no dispute.
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    replay = client.get("/pme/assessment", params={"as_of": "1999-08-31", "known_on": yesterday})
    assert replay.status_code == 200
    assert 'class="badge st-disputed"' not in replay.text
    assert f'name="known_on" value="{yesterday}"' in replay.text


def test_coop_page_and_measures_api_with_one_bad_binding_answer(
    facts_db: Database, client: TestClient
) -> None:
    from tests.cooperation.test_measure_params import stored_bad_binding

    stored_bad_binding(facts_db)
    log_in(client, "coordinator")
    page = client.get("/coop", params={"as_of": "1999-08-31"})
    assert page.status_code == 200
    assert "cannot compute" in page.text
    api = client.get("/api/v1/pme/measures", params={"as_of": "1999-08-31"})
    assert api.status_code == 200, api.text
    by_measurement = {m["measurement"]: m for m in api.json()["measures"]}
    assert by_measurement["10.3/measurements/2"]["state"] == "cannot_compute"
    assert by_measurement["10.4.1/measurements/1"]["state"] == "overdue"


def test_what_needs_me_page_lists_overdue_targets(facts_db: Database, client: TestClient) -> None:
    log_in(client, "coordinador")  # Spanish-language account of Mexico
    page = client.get("/pme/todo", params={"today": "1999-08-31"})
    assert page.status_code == 200
    assert "Lo que me toca" in page.text
    assert "meta vencida" in page.text
    assert '<a href="/pme/actions/10.4.1">10.4.1/targets/1</a>' in page.text
