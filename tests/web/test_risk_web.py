"""Risk targeting over HTTP: the JSON API and the pages, on a node holding the KCS samples, a
small trained model and one selection (tests/web/permission_rows/risk.prepare). Every test runs
on SQLite and, when ALIANZA_TEST_POSTGRES_URL is set, on PostgreSQL (tests/conftest.py)."""

from __future__ import annotations

import csv
import sys
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from alianza.accounts.service import issue_token
from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.db import Database
from alianza.risk.book import RuleSpec, add_rule
from alianza.risk.rules import Condition
from tests.risk.conftest import RISK_DATA
from tests.risk.test_book import unlabeled_copy
from tests.web.conftest import csrf_of, log_in
from tests.web.permission_rows.risk import REFERENCE, declaration, prepare


def valid_rows() -> dict[str, dict[str, str]]:
    with (RISK_DATA / "kcs-valid-sample.csv").open(encoding="utf-8", newline="") as handle:
        return {r["Declaration ID"]: r for r in csv.DictReader(handle)}


@pytest.fixture
def analyst(client: TestClient) -> TestClient:
    prepare(client)
    log_in(client, "analyst")
    return client


def headers(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf_of(client, "/risk")}


def test_api_scores_are_audited(analyst: TestClient, web_db: Database) -> None:
    body = {"from": "2021-03-01", "to": "2021-03-31", "top": 3}
    answer = analyst.post("/api/v1/risk/scores", json=body, headers=headers(analyst)).json()
    with web_db.reader() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "risk.score")).one()
    assert entry.actor == "analyst"
    assert entry.details["scored"] == answer["scored"] == len(entry.details["scores"])
    logged = {ref: (g, c) for ref, g, c in entry.details["scores"]}
    for shown in answer["shipments"]:
        assert logged[shown["reference"]] == (shown["p_violation"], shown["p_critical"])


@pytest.mark.parametrize(
    ("path", "body", "action"),
    [
        ("/api/v1/risk/scores", {"from": "2021-03-01", "to": "2021-03-31"}, "risk.score"),
        (
            "/api/v1/risk/declarations",
            {"declaration": declaration(), "profile": "kcs"},
            "risk.score.declaration",
        ),
    ],
)
def test_api_scoring_with_the_cookie_needs_the_csrf_token_a_bearer_token_none(
    analyst: TestClient, web_db: Database, path: str, body: dict[str, object], action: str
) -> None:
    """A page of another site posting with the analyst's cookie (no X-CSRF-Token) is refused
    and writes nothing; the same body with the token scores, as does a Bearer-token client."""

    def scored() -> list[str]:
        with web_db.reader() as session:
            query = select(AuditEntry.actor).where(AuditEntry.action == action)
            return list(session.scalars(query))

    forged = analyst.post(path, json=body, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403, forged.text
    assert forged.json()["error"]["code"] == "csrf-failed"
    assert scored() == []
    assert analyst.post(path, json=body, headers=headers(analyst)).status_code == 200
    assert scored() == ["analyst"]
    with web_db.transaction() as session:
        token = issue_token(session, "analyst", "scoring client", actor=NodeSelf("test"))
    analyst.cookies.clear()
    answer = analyst.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    assert scored() == ["analyst", "analyst"]


def test_api_scores_a_batch(analyst: TestClient) -> None:
    march = [r for r in valid_rows().values() if r["Date"].startswith("2021-03")]
    body = {"from": "2021-03-01", "to": "2021-03-31", "top": 5}
    answer = analyst.post("/api/v1/risk/scores", json=body, headers=headers(analyst)).json()
    assert answer["scored"] == len(march)
    assert len(answer["shipments"]) == 5
    shown = [s["p_violation"] for s in answer["shipments"]]
    assert shown == sorted(shown, reverse=True)
    assert {s["reference"] for s in answer["shipments"]} <= {r["Declaration ID"] for r in march}
    assert all(0.0 <= s["p_critical"] <= 1.0 for s in answer["shipments"])


def test_api_select_records_lanes_reasons_and_audit(analyst: TestClient, web_db: Database) -> None:
    body = {
        "from": "2021-03-01",
        "to": "2021-03-31",
        "lanes": [{"name": "physical", "capacity": 3}, {"name": "documentary", "capacity": 5}],
        "random_share": 0.4,
        "seed": 0,
    }
    made = analyst.post("/api/v1/risk/selections", json=body, headers=headers(analyst))
    assert made.status_code == 200, made.text
    selection = made.json()
    lanes = {x["lane"]: x for x in selection["summary"]}
    assert (lanes["physical"]["used"], lanes["documentary"]["used"]) == (3, 5)
    assigned = selection["assignments"]
    assert len(assigned) == 8
    by_reason = {
        reason: sum(1 for a in assigned if a["reason"] == reason)
        for reason in ("random-control", "score")
    }
    # 40 % of each lane's capacity drawn at random: floor-rounded per lane as in the CLI test
    assert by_reason == {"random-control": 3, "score": 5}
    fetched = analyst.get(f"/api/v1/risk/selections/{selection['id']}").json()
    assert fetched["assignments"] == assigned
    with_release = analyst.get(f"/api/v1/risk/selections/{selection['id']}?release=true").json()
    assert len(with_release["assignments"]) == 8 + selection["released"]
    with web_db.reader() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.subject == f"risk_selection:{selection['id']}")
        ).one()
    assert (entry.action, entry.actor) == ("risk.selection.create", "analyst")


def test_api_hit_rate_is_the_random_slice_outcome_rate(analyst: TestClient) -> None:
    body = {
        "from": "2021-02-01",
        "to": "2021-03-31",
        "lanes": [{"name": "physical", "capacity": 20}],
        "random_share": 1.0,
        "seed": 4,
    }
    selection = analyst.post("/api/v1/risk/selections", json=body, headers=headers(analyst)).json()
    drawn = [a["reference"] for a in selection["assignments"] if a["reason"] == "random-control"]
    assert len(drawn) == 20
    rows = valid_rows()
    expected: dict[str, list[int]] = {}
    for reference in drawn:
        month = rows[reference]["Date"][:7]
        expected.setdefault(month, []).append(int(rows[reference]["Fraud"]))
    # selection 1 (prepare) drew its own random slice in March: count it too
    first = analyst.get("/api/v1/risk/selections/1").json()
    for a in first["assignments"]:
        if a["reason"] == "random-control" and a["reference"] not in drawn:
            expected.setdefault("2021-03", []).append(int(rows[a["reference"]]["Fraud"]))
    rates = analyst.get("/api/v1/risk/hit-rates?period=month").json()["rates"]
    assert {r["period"]: (r["inspected"], r["hits"]) for r in rates} == {
        month: (len(v), sum(v)) for month, v in expected.items()
    }
    for r in rates:
        assert r["rate"] == pytest.approx(r["hits"] / r["inspected"])
        assert r["low"] <= r["rate"] <= r["high"]
    bad = analyst.get("/api/v1/risk/hit-rates?period=fortnight")
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid-input"


def test_api_explanation(analyst: TestClient) -> None:
    answer = analyst.get(f"/api/v1/risk/explanations/{REFERENCE}?top=4").json()
    contributions = [c["contribution"] for c in answer["contributions"]]
    assert len(contributions) == 4
    assert [abs(c) for c in contributions] == sorted((abs(c) for c in contributions), reverse=True)
    missing = analyst.get("/api/v1/risk/explanations/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not-found"


def test_api_outcomes_recorded_and_refused(
    analyst: TestClient, web_db: Database, tmp_path: object
) -> None:
    from pathlib import Path

    from alianza.risk.store import import_shipments

    assert isinstance(tmp_path, Path)
    arrivals = unlabeled_copy(RISK_DATA / "kcs-test-sample.csv", tmp_path / "arrivals.csv")
    import_shipments(web_db, arrivals, actor=NodeSelf("test"))
    with arrivals.open(encoding="utf-8") as handle:
        reference = next(csv.DictReader(handle))["Declaration ID"]
    outcome = {
        "reference": reference,
        "lane": "physical",
        "exam_type": "x-ray",
        "inspected_on": "2021-04-03",
        "result": "critical",
        "seizure_event_id": "SZ-77",
    }
    done = analyst.post(
        "/api/v1/risk/outcomes", json={"outcomes": [outcome]}, headers=headers(analyst)
    )
    assert done.status_code == 200, done.text
    assert done.json()["stats"]["loaded"] == 1
    shipment = analyst.get(f"/risk/shipments/{reference}").text
    assert "Critical (narcotics)" in shipment
    assert "SZ-77" in shipment
    assert "not found among this node&#39;s seizure records" in shipment
    refused = analyst.post(
        "/api/v1/risk/outcomes",
        json={"outcomes": [{**outcome, "reference": "nope"}]},
        headers=headers(analyst),
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert [d["code"] for d in error["details"]] == ["risk-unknown-shipment"]


def test_pages_overview_selection_shipment_rules(analyst: TestClient, web_db: Database) -> None:
    with web_db.transaction() as session:
        add_rule(
            session,
            RuleSpec(
                "andean",
                "targeting unit",
                "coca-producing origins",
                date(2021, 1, 1),
                conditions=(Condition("in", "origin", ("CO", "PE")),),
            ),
            actor=NodeSelf("analyst"),
        )
    overview = analyst.get("/risk")
    assert overview.status_code == 200
    assert "Selection 1" in overview.text
    assert 'action="/risk/selections"' in overview.text  # RISK_MANAGE: the selection form
    selection = analyst.get("/risk/selections/1").text
    assert "Random control" in selection
    assert "Score" in selection
    rows = analyst.get("/api/v1/risk/selections/1").json()["assignments"]
    physical = analyst.get("/risk/selections/1?lane=physical").text
    body = physical[physical.index('id="assignments"') :]
    assert body.count('href="/risk/shipments/') == sum(a["lane"] == "physical" for a in rows)
    assert '<td data-label="Lane">Documentary check' in selection  # unfiltered: both lanes
    assert '<td data-label="Lane">Documentary check' not in body
    shipment = analyst.get(f"/risk/shipments/{REFERENCE}").text
    assert 'id="explain-general"' in shipment
    assert 'id="explain-critical"' in shipment
    rules = analyst.get("/risk/rules").text
    assert "origin in CO,PE" in rules
    assert "coca-producing origins" in rules
    made = analyst.post(
        "/risk/selections",
        data={
            "start": "2021-03-01",
            "end": "2021-03-31",
            "physical": "2",
            "csrf_token": csrf_of(analyst, "/risk"),
        },
    )
    assert made.status_code == 303
    assert made.headers["location"] == "/risk/selections/2"
    empty = analyst.post(
        "/risk/selections",
        data={"start": "2021-03-01", "end": "2021-03-31", "csrf_token": csrf_of(analyst, "/risk")},
    )
    assert empty.status_code == 409
    assert "Give at least one lane a capacity." in empty.text


def test_coordinator_reads_without_the_forms(client: TestClient) -> None:
    prepare(client)
    log_in(client, "coordinator")
    assert 'action="/risk/selections"' not in client.get("/risk").text
    shipment = client.get(f"/risk/shipments/{REFERENCE}").text
    assert 'id="outcome-form"' not in shipment
    assert "/override" not in shipment


def test_without_the_risk_extra(analyst: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "lightgbm", None)  # importing it now raises ImportError
    page = analyst.get("/risk")
    assert page.status_code == 200
    assert 'id="risk-extra"' in page.text
    assert "Selection 1" in page.text  # what is stored is still listed
    period = {"from": "2021-03-01", "to": "2021-03-31"}
    scores = analyst.post("/api/v1/risk/scores", json=period, headers=headers(analyst))
    assert scores.status_code == 503
    assert scores.json()["error"]["code"] == "risk-extra-missing"
    assert analyst.get("/api/v1/risk/selections/1").status_code == 200
    shipment = analyst.get(f"/risk/shipments/{REFERENCE}").text
    assert "optional risk extra" in shipment


def test_api_rules_and_models(analyst: TestClient, web_db: Database) -> None:
    from alianza.risk.book import retire_rule

    with web_db.transaction() as session:
        add_rule(
            session,
            RuleSpec(
                "heavy",
                "unit",
                "very heavy lines",
                date(2021, 1, 1),
                conditions=(Condition("above", "net_mass_kg", threshold=50_000),),
            ),
            actor=NodeSelf("analyst"),
        )
        retire_rule(session, "heavy", actor=NodeSelf("analyst"), reason="too many hits")
    assert analyst.get("/api/v1/risk/rules").json()["rules"] == []
    every = analyst.get("/api/v1/risk/rules?all=true").json()["rules"]
    assert [(r["code"], r["version"], r["retired_reason"]) for r in every] == [
        ("heavy", 1, "too many hits")
    ]
    assert every[0]["conditions"] == [
        {"kind": "above", "column": "net_mass_kg", "threshold": 50_000.0}
    ]
    models = analyst.get("/api/v1/risk/models").json()
    assert [m["id"] for m in models["models"]] == [1]
    assert models["models"][0]["active"] is True
    assert models["schedule"] is None


def lane_now(client: TestClient, reference: str, selection: int = 1) -> str:
    detail = client.get(f"/api/v1/risk/selections/{selection}?release=true").json()
    return next(a["lane"] for a in detail["assignments"] if a["reference"] == reference)


def override_entries(database: Database) -> list[AuditEntry]:
    with database.reader() as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "risk.selection.override")
                .order_by(AuditEntry.id)
            )
        )


def test_page_override_moves_the_lane_audited_as_the_cli_does(
    analyst: TestClient, web_db: Database, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from click.testing import CliRunner

    from alianza.cli import cli

    assert isinstance(tmp_path, Path)
    before = lane_now(analyst, REFERENCE)
    target = "physical" if before != "physical" else "documentary"
    page = analyst.get(f"/risk/shipments/{REFERENCE}").text
    assert 'action="/risk/selections/1/override"' in page
    form = '<select id="ov-lane-1" name="lane">'
    options = page[page.index(form) : page.index("</select>", page.index(form))]
    assert f'value="{before}"' not in options  # the lane it is in is not offered
    assert all(
        f'value="{lane}"' in options for lane in {"physical", "documentary", "release"} - {before}
    )

    blank = {
        "reference": REFERENCE,
        "lane": target,
        "reason": "  ",
        "csrf_token": csrf_of(analyst, "/risk"),
    }
    refused = analyst.post("/risk/selections/1/override", data=blank)
    assert refused.status_code == 409
    assert "give the reason for the override" in refused.text
    assert lane_now(analyst, REFERENCE) == before
    unknown = analyst.post(
        "/risk/selections/1/override", data={**blank, "lane": "x-ray", "reason": "r"}
    )
    assert unknown.status_code == 409
    assert "not one of the selection&#39;s lanes" in unknown.text
    assert override_entries(web_db) == []

    moved = analyst.post(
        "/risk/selections/1/override", data={**blank, "reason": "tip from the port"}
    )
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/risk/shipments/{REFERENCE}"
    assert lane_now(analyst, REFERENCE) == target
    shipment = analyst.get(f"/risk/shipments/{REFERENCE}").text
    assert "moved by analyst" in shipment
    assert "tip from the port" in shipment
    selection = analyst.get("/risk/selections/1").text
    assert "tip from the port" in selection
    again = analyst.post("/risk/selections/1/override", data={**blank, "reason": "twice"})
    assert again.status_code == 409
    assert "already in that lane" in again.text

    # the CLI path on the same node: same library call, same audit entry
    monkeypatch.setenv("ALIANZA_DATABASE_URL", web_db.url)
    back = CliRunner().invoke(
        cli,
        [
            "--home",
            str(tmp_path / "home"),
            "risk",
            "override",
            "1",
            REFERENCE,
            before,
            "--reason",
            "cleared by phone",
            "--actor",
            "officer",
        ],
    )
    assert back.exit_code == 0, back.output
    assert lane_now(analyst, REFERENCE) == before
    web_entry, cli_entry = override_entries(web_db)
    assert (web_entry.actor, web_entry.subject) == ("analyst", "risk_selection:1")
    assert web_entry.details == {
        "reference": REFERENCE,
        "from": before,
        "to": target,
        "reason": "tip from the port",
    }
    assert (cli_entry.actor, cli_entry.subject) == ("officer", "risk_selection:1")
    assert cli_entry.details == {
        "reference": REFERENCE,
        "from": target,
        "to": before,
        "reason": "cleared by phone",
    }
    api = analyst.get("/api/v1/risk/selections/1").json()["overrides"]
    assert [(o["by"], o["from"], o["to"]) for o in api] == [
        ("analyst", before, target),
        ("officer", target, before),
    ]


def test_api_override(analyst: TestClient, web_db: Database) -> None:
    before = lane_now(analyst, REFERENCE)
    target = "release" if before != "release" else "physical"
    body = {"reference": REFERENCE, "lane": target, "reason": "documents verified"}
    done = analyst.post("/api/v1/risk/selections/1/overrides", json=body, headers=headers(analyst))
    assert done.status_code == 200, done.text
    answer = done.json()
    assert (answer["from"], answer["to"], answer["by"]) == (before, target, "analyst")
    assert lane_now(analyst, REFERENCE) == target
    (entry,) = override_entries(web_db)
    assert entry.details["reason"] == "documents verified"
    for wrong, status in (
        ({**body, "reason": ""}, 422),
        ({**body, "lane": "nowhere"}, 422),
        ({**body, "lane": target}, 422),  # already there
        ({**body, "reference": "nope"}, 404),
    ):
        answer = analyst.post(
            "/api/v1/risk/selections/1/overrides", json=wrong, headers=headers(analyst)
        )
        assert answer.status_code == status, answer.text
    missing = analyst.post(
        "/api/v1/risk/selections/99/overrides", json=body, headers=headers(analyst)
    )
    assert missing.status_code == 404
    assert len(override_entries(web_db)) == 1


def test_selection_refuses_a_watchlist_on_a_column_no_held_profile_gives(
    analyst: TestClient, web_db: Database
) -> None:
    """The node holds KCS declarations only: a watchlist on consignee (an ``alianza`` column)
    could never hit, so a selection applying it is refused, naming it (page and API)."""
    from alianza.risk.book import add_watch

    with web_db.transaction() as session:
        add_watch(
            session,
            watchlist="consignees",
            column="consignee",
            value="USC0001",
            owner="intelligence desk",
            reason="test",
            valid_from=date(2021, 1, 1),
            actor=NodeSelf("analyst"),
        )
    lanes = [{"name": "physical", "capacity": 2}]
    body = {"from": "2021-03-01", "to": "2021-03-31", "lanes": lanes}
    made = analyst.post("/api/v1/risk/selections", json=body, headers=headers(analyst))
    assert made.status_code == 422, made.text
    assert "rule watchlist:consignees:USC0001 tests the column consignee" in made.text
    form = {"start": "2021-03-01", "end": "2021-03-31", "physical": "2"}
    page = analyst.post("/risk/selections", data={**form, "csrf_token": csrf_of(analyst, "/risk")})
    assert page.status_code == 422
    assert "rule watchlist:consignees:USC0001 tests the column consignee," in page.text
    assert "(held: kcs)" in page.text
    analyst.cookies.set("lang", "es")
    page = analyst.post("/risk/selections", data={**form, "csrf_token": csrf_of(analyst, "/risk")})
    assert page.status_code == 422
    assert "la regla watchlist:consignees:USC0001 evalúa la columna consignee," in page.text
    assert analyst.get("/api/v1/risk/selections").json()["selections"][0]["id"] == 1  # no new


def test_page_override_of_a_shipment_not_in_the_selection_is_said_in_the_page_language(
    analyst: TestClient,
) -> None:
    form = {
        "reference": "NOT-HELD-1",
        "lane": "physical",
        "reason": "checked at the dock",
        "csrf_token": csrf_of(analyst, "/risk"),
    }
    analyst.cookies.set("lang", "es")
    try:
        answer = analyst.post("/risk/selections/1/override", data=form)
    finally:
        analyst.cookies.delete("lang")
    assert answer.status_code == 404
    said = "el envío &#39;NOT-HELD-1&#39; no está en la selección 1"
    assert said in answer.text, answer.text[-800:]


def test_the_active_models_feature_set_is_shown(analyst: TestClient, web_db: Database) -> None:
    from alianza.risk.service import train_and_record

    overview = analyst.get("/risk")
    assert "feature set" not in overview.text  # the prepared model has no record
    model_id = train_and_record(
        web_db, calibration_days=60, seed=1, features="near", actor=NodeSelf("analyst")
    )
    overview = analyst.get("/risk")
    assert f"Active model {model_id}" in overview.text
    assert "feature set near" in overview.text
    models = analyst.get("/api/v1/risk/models").json()["models"]
    assert [(m["id"], m["features"]) for m in models] == [(model_id, "near"), (1, None)]
