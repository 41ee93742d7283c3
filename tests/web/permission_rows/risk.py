"""Permission-matrix rows of the risk pages and API (see __init__.py).

RISK_READ: admin, coordinators, analyst; RISK_MANAGE: admin, analyst; liaison and viewer get
nothing. The GET rows need a selection and a shipment: the first row ("risk select", a POST)
puts them in the node through the library before it posts (a small model trained once per
session on the KCS samples, the samples imported, one selection recorded).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf

REFERENCE = "35460162"  # a clear March 2021 declaration of kcs-valid-sample.csv
PERIOD = {"from": "2021-03-01", "to": "2021-03-31"}

ROUTES: dict[str, tuple[str, str, str]] = {
    "risk select": ("POST", "/risk/selections", "/risk/selections"),
    "risk page": ("GET", "/risk", "/risk"),
    "risk rules page": ("GET", "/risk/rules", "/risk/rules"),
    "risk selection page": ("GET", "/risk/selections/1", "/risk/selections/{selection_id}"),
    "risk shipment page": (
        "GET",
        f"/risk/shipments/{REFERENCE}",
        "/risk/shipments/{reference}",
    ),
    "risk outcome": (
        "POST",
        f"/risk/shipments/{REFERENCE}/outcome",
        "/risk/shipments/{reference}/outcome",
    ),
    "risk override": (
        "POST",
        "/risk/selections/1/override",
        "/risk/selections/{selection_id}/override",
    ),
    "api risk override": (
        "POST",
        "/api/v1/risk/selections/1/overrides",
        "/api/v1/risk/selections/{selection_id}/overrides",
    ),
    "api risk scores": ("POST", "/api/v1/risk/scores", "/api/v1/risk/scores"),
    "api risk select": ("POST", "/api/v1/risk/selections", "/api/v1/risk/selections"),
    "api risk selections": ("GET", "/api/v1/risk/selections", "/api/v1/risk/selections"),
    "api risk selection": (
        "GET",
        "/api/v1/risk/selections/1",
        "/api/v1/risk/selections/{selection_id}",
    ),
    "api risk explanation": (
        "GET",
        f"/api/v1/risk/explanations/{REFERENCE}",
        "/api/v1/risk/explanations/{reference}",
    ),
    "api risk outcomes": ("POST", "/api/v1/risk/outcomes", "/api/v1/risk/outcomes"),
    "api risk hit rates": ("GET", "/api/v1/risk/hit-rates", "/api/v1/risk/hit-rates"),
    "api risk models": ("GET", "/api/v1/risk/models", "/api/v1/risk/models"),
    "api risk rules": ("GET", "/api/v1/risk/rules", "/api/v1/risk/rules"),
    "api risk declarations": ("POST", "/api/v1/risk/declarations", "/api/v1/risk/declarations"),
}
READS = {
    "risk page",
    "risk rules page",
    "risk selection page",
    "risk shipment page",
    "api risk scores",
    "api risk selections",
    "api risk selection",
    "api risk explanation",
    "api risk hit rates",
    "api risk models",
    "api risk rules",
    "api risk declarations",
}
MANAGE = READS | {
    "risk select",
    "risk outcome",
    "risk override",
    "api risk select",
    "api risk outcomes",
    "api risk override",
}
ALLOWED: dict[str, set[str]] = {
    "admin": MANAGE,
    "coordinator": READS,
    "coordinador": READS,
    "analyst": MANAGE,
}


@cache
def model_body() -> Any:
    """A small two-head model trained on the 2020 sample, calibrated on 2021-Q1 (once)."""
    from alianza.risk.model import train_model
    from tests.risk.conftest import SMALL_HEADS, sample

    return train_model(sample("train"), sample("valid"), heads=SMALL_HEADS, seed=7)


def prepare(client: TestClient) -> None:
    """Shipments, a model and selection 1 in the node behind ``client`` (idempotent)."""
    from alianza.risk.models import Selection
    from alianza.risk.selection import Lane
    from alianza.risk.service import score_batch, select_and_store, store_model
    from alianza.risk.store import import_shipments
    from tests.risk.conftest import RISK_DATA

    database = client.app.state.database  # type: ignore[attr-defined]
    with database.reader() as session:
        if session.get(Selection, 1) is not None:
            return
    for name in ("train", "valid"):
        import_shipments(database, RISK_DATA / f"kcs-{name}-sample.csv", actor=NodeSelf("test"))
    store_model(database, model_body(), labeled_rows=0, seed=7, actor=NodeSelf("test"))
    scored = score_batch(database, start=date(2021, 3, 1), end=date(2021, 3, 31))
    lanes = [Lane("physical", 3), Lane("documentary", 5)]
    select_and_store(
        database, scored, lanes, seed=1, batch_label="2021-03 (test node)", actor=NodeSelf("test")
    )


def call(client: TestClient, name: str, csrf: str) -> int | None:
    prepare(client)
    headers = {"X-CSRF-Token": csrf}
    if name == "risk select":
        form = {
            "start": PERIOD["from"],
            "end": PERIOD["to"],
            "physical": "2",
            "replace": "permission matrix",
            "csrf_token": csrf,
        }
        return client.post("/risk/selections", data=form).status_code
    if name == "risk outcome":
        form = {"result": "clear", "inspected_on": "2021-03-05", "csrf_token": csrf}
        return client.post(ROUTES[name][1], data=form).status_code
    if name in ("risk override", "api risk override"):
        move = {"reference": REFERENCE, "lane": other_lane(client), "reason": "matrix test"}
        if name == "risk override":
            return client.post(ROUTES[name][1], data={**move, "csrf_token": csrf}).status_code
        return client.post(ROUTES[name][1], json=move, headers=headers).status_code
    if name == "api risk scores":
        return client.post("/api/v1/risk/scores", json=PERIOD, headers=headers).status_code
    if name == "api risk select":
        body = {**PERIOD, "lanes": [{"name": "physical", "capacity": 2}], "replace": "matrix"}
        return client.post("/api/v1/risk/selections", json=body, headers=headers).status_code
    if name == "api risk declarations":
        body = {"declaration": declaration(), "profile": "kcs"}
        return client.post("/api/v1/risk/declarations", json=body, headers=headers).status_code
    if name == "api risk outcomes":
        body = {
            "outcomes": [{"reference": REFERENCE, "inspected_on": "2021-03-05", "result": "clear"}]
        }
        return client.post("/api/v1/risk/outcomes", json=body, headers=headers).status_code
    return None


def declaration() -> dict[str, str]:
    """REFERENCE's row of kcs-valid-sample.csv without its outcome, as a declaration."""
    import csv

    from tests.risk.conftest import RISK_DATA

    with (RISK_DATA / "kcs-valid-sample.csv").open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Declaration ID"] == REFERENCE)
    return {k: v for k, v in row.items() if k not in ("Fraud", "Critical Fraud")}


def other_lane(client: TestClient) -> str:
    """A lane of selection 1 that REFERENCE is not in now (each override moves it)."""
    from sqlalchemy import select

    from alianza.risk.models import Assignment, Shipment

    database = client.app.state.database  # type: ignore[attr-defined]
    with database.reader() as session:
        lane = session.scalars(
            select(Assignment.lane)
            .join(Shipment, Shipment.id == Assignment.shipment_id)
            .where(Assignment.selection_id == 1, Shipment.reference == REFERENCE)
        ).one()
    return next(x for x in ("physical", "documentary", "release") if x != lane)


def get(client: TestClient, name: str) -> int | None:
    """GET rows need the selection and shipment too (used where test_permissions supports
    ``get``; otherwise the first row, a POST, has made them already)."""
    prepare(client)
    return None
