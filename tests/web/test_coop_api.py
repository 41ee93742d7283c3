"""JSON API of the cooperation registry and its measures."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.cooperation import registry
from alianza.cooperation.facts import bind_seed_measures, load_seed_facts
from alianza.db import Database
from tests.web.conftest import log_in
from tests.web.test_error_shape import assert_error_shape


def test_api_measures_give_subgroups_eight_of_nine_overdue(
    client: TestClient, web_db: Database
) -> None:
    with web_db.transaction() as session:
        load_seed_facts(session, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
        registry.add_liaison_post(
            session,
            country="US",
            office="Consulate",
            city="Monterrey",
            agency="USCS",
            role="customs-liaison",
            officer="Officer Name",
            appointed_on=date(1999, 9, 1),
            source="test",
            actor=NodeSelf("test"),
        )
    log_in(client, "viewer")
    body = client.get("/api/v1/pme/measures", params={"as_of": "1999-08-31"}).json()
    value = next(m for m in body["measures"] if m["measurement"] == "10.4.1/measurements/1")
    assert (value["value"], value["target_value"], value["state"]) == (8, "9 of 9", "overdue")
    posts = client.get("/api/v1/coop/liaison-post").json()["records"]
    assert len(posts) == 2  # the US attaché of the 1999 facts and this one (Mexico's: MX node)
    assert {p["held_as"] for p in posts} == {"US"}
    assert all("officer" not in p for p in posts)  # nominal data stays off the API


def test_api_unknown_record_kind_has_the_error_shape(client: TestClient) -> None:
    log_in(client, "viewer")
    response = client.get("/api/v1/coop/parties")
    assert response.status_code == 404
    assert_error_shape(response.json(), 404, "not-found")
