"""Edge input is a 422 with the error envelope, never a 500 (issue 15, finding "500s on edge
input"): dates outside 1900–2200, ids beyond a 64-bit integer or below 1."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from alianza.accounts.service import issue_token
from alianza.actors import NodeSelf
from alianza.db import Database
from tests.web.conftest import log_in
from tests.web.test_error_shape import assert_error_shape

# the URLs of the issue's finding, each once a 500
PAGES = [
    "/pme/assessment?as_of=9999-12-31",
    "/coop?as_of=1000-01-01",
    "/coop/threat-assessment?first=0001-01-01&last=9999-12-31",
    "/seizures/imports/99999999999999999999",
    "/exchange/packages/99999999999999999999999",
    "/seizures/imports/0",
    "/exchange/packages/-1",
    "/seizures/imports/9223372036854775808",
    "/pme/actions/1.1?as_of=0001-01-01",
]
API = [
    "/api/v1/pme/measures?as_of=9999-12-31",
    "/api/v1/seizures/quarantine?batch=99999999999999999999",
    "/api/v1/risk/selections/99999999999999999999",
    "/api/v1/risk/hit-rates?from=0001-01-01",
]


@pytest.mark.parametrize("url", PAGES)
def test_edge_input_on_pages_is_422(client: TestClient, url: str) -> None:
    log_in(client, "coordinator")
    response = client.get(url)
    assert response.status_code == 422, response.text[:300]
    assert "text/html" in response.headers["content-type"]


@pytest.mark.parametrize("url", API)
def test_edge_input_on_api_is_422_with_envelope(
    client: TestClient, web_db: Database, url: str
) -> None:
    with web_db.transaction() as session:
        token = issue_token(session, "coordinator", "edges", actor=NodeSelf("test"))
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422, response.text[:300]
    assert_error_shape(response.json(), 422, "invalid-input")


def test_largest_id_is_a_404_not_a_500(client: TestClient) -> None:
    """The largest id the columns hold (INTEGER: 2**31 - 1 on PostgreSQL) is a plain 404; one
    past it, and a 64-bit one, are 422 before any query (PostgreSQL refused them: a 500)."""
    log_in(client, "coordinator")
    assert client.get("/seizures/imports/2147483647").status_code == 404
    assert client.get("/exchange/packages/2147483647").status_code == 404
    assert client.get("/seizures/imports/2147483648").status_code == 422
    assert client.get("/exchange/packages/9223372036854775807").status_code == 422


def test_override_on_an_id_beyond_64_bits_is_422(client: TestClient, web_db: Database) -> None:
    """Found by tests/web/test_fuzz_api.py on the old code: OverflowError (500) in SQLite."""
    with web_db.transaction() as session:
        token = issue_token(session, "analyst", "edges", actor=NodeSelf("test"))
    response = client.post(
        "/api/v1/risk/selections/9223372036854775808/overrides",
        headers={"Authorization": f"Bearer {token}"},
        json={"reference": "X", "lane": "A", "reason": "fuzz"},
    )
    assert response.status_code == 422
    assert_error_shape(response.json(), 422, "invalid-input")
