"""Issue 21 over HTTP: a declaration scored as it arrives (``POST /api/v1/risk/declarations``),
explanations with factors raising and lowering the score in the page's language, and the
rule and watchlist hits of released shipments on the selection page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from alianza.accounts.models import ApiToken
from alianza.accounts.service import issue_token
from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.db import Database
from alianza.risk.book import add_watch
from tests.web.conftest import csrf_of, log_in
from tests.web.permission_rows.risk import REFERENCE, declaration, prepare


def test_api_scores_one_declaration_as_the_batch_path(client: TestClient, web_db: Database) -> None:
    prepare(client)
    log_in(client, "analyst")
    token = {"X-CSRF-Token": csrf_of(client, "/risk")}
    batch = client.post(
        "/api/v1/risk/scores",
        json={"from": "2021-03-01", "to": "2021-03-31", "top": 10_000},
        headers=token,
    ).json()
    expected = next(s for s in batch["shipments"] if s["reference"] == REFERENCE)
    answer = client.post(
        "/api/v1/risk/declarations",
        json={"declaration": declaration(), "profile": "kcs"},
        headers=token,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["reference"] == REFERENCE
    assert body["p_violation"] == expected["p_violation"]
    assert body["p_critical"] == expected["p_critical"]
    assert body["lane"] in ("physical", "non-intrusive", "release")
    assert body["reason"] in ("score", "random-control", "release")
    assert all(c["contribution"] > 0 for c in body["explanation"]["raising"])
    assert all(c["contribution"] < 0 for c in body["explanation"]["lowering"])
    assert body["explanation"]["lowering"]
    with web_db.reader() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "risk.score.declaration")
        ).one()
    assert (entry.actor, entry.details["reference"]) == ("analyst", REFERENCE)


def test_api_refuses_a_bad_declaration_naming_the_field(client: TestClient) -> None:
    prepare(client)
    log_in(client, "analyst")
    bad = {**declaration(), "HS6 Code": "12AB", "Net Mass": "-3"}
    answer = client.post(
        "/api/v1/risk/declarations",
        json={"declaration": bad, "profile": "kcs"},
        headers={"X-CSRF-Token": csrf_of(client, "/risk")},
    )
    assert answer.status_code == 422
    details = answer.json()["error"]["details"]
    assert {d["field"] for d in details} == {"HS6 Code", "Net Mass"}
    assert all(d["message_es"] for d in details)


def test_shipment_page_explains_both_ways_in_spanish(client: TestClient) -> None:
    prepare(client)
    log_in(client, "analyst")
    client.cookies.set("lang", "es")
    page = client.get(f"/risk/shipments/{REFERENCE}")
    assert page.status_code == 200
    assert "Factores que elevan la puntuación" in page.text
    assert "Factores que reducen la puntuación" in page.text
    assert 'id="explain-general-lowering"' in page.text
    lowering = page.text[page.text.index('id="explain-general-lowering"') :]
    assert 'class="num down"' in lowering


def test_selection_page_lists_released_watchlist_hits(client: TestClient, web_db: Database) -> None:
    prepare(client)
    log_in(client, "analyst")
    with web_db.transaction() as session:
        add_watch(
            session,
            watchlist="importers",
            column="importer",
            value=declaration()["Importer ID"],
            owner="intel",
            reason="test",
            valid_from=date(2021, 1, 1),
            weight=0.0001,
            actor=NodeSelf("analyst"),
        )
    made = client.post(
        "/risk/selections",
        data={
            "start": "2021-03-01",
            "end": "2021-03-31",
            "physical": "1",
            "random_share": "0",
            "replace": "watchlist added",
            "csrf_token": csrf_of(client, "/risk"),
        },
    )
    assert made.status_code == 303, made.text
    selection = made.headers["location"]
    detail = client.get(f"/api/v1/risk{selection.removeprefix('/risk')}?release=true").json()
    released = {
        a["reference"] for a in detail["assignments"] if a["lane"] == "release" and a["rules"]
    }
    assert released  # the watched importer's declarations were released
    page = client.get(selection).text
    assert 'id="released-hits"' in page
    for reference in released:
        assert f">{reference}</a>" in page[page.index('id="released-hits"') :]


def test_api_token_is_checked_without_a_write_but_once_a_minute(
    client: TestClient, web_db: Database
) -> None:
    """A Bearer token's last use is written on first use and then at most once a minute, so
    checking a token takes no write lock; a revoked token is refused at once."""
    with web_db.transaction() as session:
        token = issue_token(session, "analyst", "live", actor=NodeSelf("test"))
    headers = {"Authorization": f"Bearer {token}"}

    def last_used() -> datetime | None:
        with web_db.reader() as session:
            found = session.scalars(select(ApiToken.last_used_at)).one()
        return found.replace(tzinfo=UTC) if found and found.tzinfo is None else found

    assert last_used() is None
    assert client.get("/api/v1/risk/selections", headers=headers).status_code == 200
    first = last_used()
    assert first is not None
    assert client.get("/api/v1/risk/selections", headers=headers).status_code == 200
    assert last_used() == first  # within the minute: not written again
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    with web_db.transaction() as session:
        session.execute(update(ApiToken).values(last_used_at=long_ago))
    assert client.get("/api/v1/risk/selections", headers=headers).status_code == 200
    assert last_used() > long_ago + timedelta(minutes=4)  # type: ignore[operator]
    with web_db.transaction() as session:
        session.execute(update(ApiToken).values(revoked_at=datetime.now(UTC)))
    assert client.get("/api/v1/risk/selections", headers=headers).status_code == 401
