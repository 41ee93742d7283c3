"""Permission-matrix rows of the exchange and joint-analysis pages (see __init__.py).

Reading needs seizures.read (every role); building, sending, receiving, re-verifying and
signing the joint edition need exchange.manage (admin, analyst). :func:`call` gives the node
keys and one built package (id 1) and a partner's received package of 2019-Q1 before the first
exchange route is called, so the package and analysis routes have something to show.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.keys import NodeKeyError, create_node_keys, load_node_keys
from alianza.exchange.package import build_package
from alianza.exchange.partners import trust_partner
from alianza.exchange.service import build_and_record, receive
from tests.exchange.conftest import COVERAGE, sample_tables

ROUTES: dict[str, tuple[str, str, str]] = {
    "exchange build": ("POST", "/exchange/build", "/exchange/build"),
    "exchange page": ("GET", "/exchange", "/exchange"),
    "exchange receive": ("POST", "/exchange/receive", "/exchange/receive"),
    "exchange package": ("GET", "/exchange/packages/1", "/exchange/packages/{package_id}"),
    "exchange package download": (
        "GET",
        "/exchange/packages/1/download",
        "/exchange/packages/{package_id}/download",
    ),
    "exchange send": (
        "POST",
        "/exchange/packages/1/send",
        "/exchange/packages/{package_id}/send",
    ),
    "exchange reverify": (
        "POST",
        "/exchange/packages/1/reverify",
        "/exchange/packages/{package_id}/reverify",
    ),
    "analysis page": ("GET", "/analysis?quarter=2019-Q1", "/analysis"),
    "analysis download": (
        "GET",
        "/analysis/download?quarter=2019-Q1&format=csv",
        "/analysis/download",
    ),
    "analysis sign": ("POST", "/analysis/sign", "/analysis/sign"),
}
READS = {
    "exchange page",
    "exchange package",
    "exchange package download",
    "analysis page",
    "analysis download",
}
MANAGE = {
    "exchange build",
    "exchange receive",
    "exchange send",
    "exchange reverify",
    "analysis sign",
}
ALLOWED: dict[str, set[str]] = {
    "admin": READS | MANAGE,
    "coordinator": READS,
    "coordinador": READS,
    "analyst": READS | MANAGE,
    "liaison": READS,
    "viewer": READS,
}


def _node_with_a_package(client: TestClient) -> None:
    app = client.app
    home = app.state.settings.home  # type: ignore[attr-defined]
    database: Database = app.state.database  # type: ignore[attr-defined]
    try:
        load_node_keys(home)
        return
    except NodeKeyError:
        keys = create_node_keys(home, name="US node (test)", country="US")
    build_and_record(
        database,
        keys,
        quarter="2019-Q1",
        tables={},
        coverage={"sources": []},
        actor=NodeSelf("test"),
    )
    partner = create_node_keys(home / "partner", name="Nodo MX (test)", country="MX")
    with database.transaction() as session:
        trust_partner(
            session,
            partner.identity,
            own_fingerprint=keys.identity.fingerprint,
            actor=NodeSelf("test"),
        )
    data = build_package(
        partner,
        quarter="2019-Q1",
        tables=sample_tables("MX", "2019-Q1"),
        coverage=COVERAGE,
        version=1,
        extracted_at=datetime(2019, 4, 2, tzinfo=UTC),
    )
    receive(database, data, actor=NodeSelf("test"))


def call(client: TestClient, name: str, csrf: str) -> int | None:
    if name not in ROUTES:
        return None
    _node_with_a_package(client)
    if name == "exchange build":
        form = {"quarter": "2019-Q1", "csrf_token": csrf}
        return client.post("/exchange/build", data=form).status_code
    if name == "exchange receive":  # not a package: refused (409), or 403 for other roles
        return client.post(
            "/exchange/receive",
            files={"file": ("junk.zip", b"not a zip")},
            data={"csrf_token": csrf},
        ).status_code
    if name == "exchange send":  # a partner with no registered address: refused before sending
        return client.post(
            "/exchange/packages/1/send", data={"partner": "1", "csrf_token": csrf}
        ).status_code
    if name == "analysis sign":  # this node's package has no tables: nothing to sign (409)
        form = {"quarter": "2019-Q1", "csrf_token": csrf}
        return client.post("/analysis/sign", data=form).status_code
    if name == "exchange reverify":
        return client.post("/exchange/packages/1/reverify", data={"csrf_token": csrf}).status_code
    return None
