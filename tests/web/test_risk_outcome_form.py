"""The outcome form of a shipment (issue 23, item 5): a seizure id the node does not hold is
refused (it used to be stored, the page then saying it could not find it)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from alianza.db import Database
from alianza.risk.models import Inspection
from tests.web.conftest import csrf_of, log_in
from tests.web.permission_rows.risk import REFERENCE, prepare


@pytest.fixture
def analyst(client: TestClient) -> TestClient:
    prepare(client)
    log_in(client, "analyst")
    return client


def test_outcome_form_refuses_a_seizure_the_node_does_not_hold(
    analyst: TestClient, web_db: Database
) -> None:
    answer = analyst.post(
        f"/risk/shipments/{REFERENCE}/outcome",
        data={
            "result": "violation",
            "inspected_on": "2021-03-02",
            "lane": "physical",
            "seizure_event_id": "NO-SUCH-SEIZURE-1",
            "csrf_token": csrf_of(analyst, f"/risk/shipments/{REFERENCE}"),
        },
    )
    assert answer.status_code == 422
    assert "No seizure with that id is held on this node; nothing was recorded." in answer.text
    with web_db.reader() as session:
        stored = session.scalars(select(Inspection.seizure_event_id)).all()
    assert "NO-SUCH-SEIZURE-1" not in stored
