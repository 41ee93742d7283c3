"""Every API error has one shape: {"error": {"status", "code", "message", "details"}}."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from alianza.db import Database
from alianza.pme.service import SEED_REPORT
from alianza.settings import load_settings
from alianza.web import create_app
from tests.conftest import DATA
from tests.web.conftest import csrf_of, log_in


def assert_error_shape(body: Any, status: int, code: str) -> None:
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message", "details"}
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str)
    assert error["message"]
    assert isinstance(error["details"], list)


def test_error_shape_unauthenticated(client: TestClient) -> None:
    response = client.get("/api/v1/pme/report")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert_error_shape(response.json(), 401, "not-authenticated")


def test_error_shape_bad_token(client: TestClient) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer alz_wrong"})
    assert_error_shape(response.json(), 401, "not-authenticated")


def test_error_shape_csrf_failed(client: TestClient) -> None:
    log_in(client, "coordinator")
    response = client.post(
        "/api/v1/pme/imports",
        files={"file": ("seed.tsv", SEED_REPORT.read_bytes())},
        headers={"X-CSRF-Token": "not-the-session-token"},
    )
    assert response.status_code == 403
    assert_error_shape(response.json(), 403, "csrf-failed")


def test_error_shape_forbidden(client: TestClient) -> None:
    log_in(client, "viewer")
    response = client.post(
        "/api/v1/pme/imports",
        files={"file": ("seed.tsv", SEED_REPORT.read_bytes())},
        headers={"X-CSRF-Token": csrf_of(client, "/pme")},
    )
    assert response.status_code == 403
    assert_error_shape(response.json(), 403, "forbidden")


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/pme/actions/10.12", 404, "not-found"),
        ("/api/v1/pme/paragraphs/10.2/status/99", 404, "not-found"),
        ("/api/v1/pme/report?lang=fr", 422, "invalid-input"),
        ("/api/v1/nothing-here", 404, "not-found"),
    ],
)
def test_error_shape_of_reads(client: TestClient, path: str, status: int, code: str) -> None:
    log_in(client, "viewer")
    response = client.get(path)
    assert response.status_code == status
    assert_error_shape(response.json(), status, code)


def test_error_shape_rejected_report_lists_the_lines(client: TestClient) -> None:
    log_in(client, "coordinator")
    csrf = csrf_of(client, "/pme")
    bad = DATA / "pme" / "wrong-cell-count.tsv"
    response = client.post(
        "/api/v1/pme/imports",
        files={"file": (bad.name, bad.read_bytes())},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    body = response.json()
    assert_error_shape(body, 422, "report-rejected")
    assert body["error"]["details"][0]["line"] == 9
    assert body["error"]["details"][0]["code"] == "wrong-cell-count"


def test_error_shape_method_not_allowed(client: TestClient) -> None:
    log_in(client, "viewer")
    response = client.delete("/api/v1/me", headers={"X-CSRF-Token": "x"})
    assert response.status_code == 405
    assert_error_shape(response.json(), 405, "method-not-allowed")


def test_error_shape_node_without_country(web_db: Database, tmp_path: Path) -> None:
    """A node whose country is unknown refuses a seizure import with one clear error."""
    countryless = Database(web_db.url)
    settings = load_settings(home=tmp_path / "home", env="test")
    with TestClient(create_app(settings, countryless), follow_redirects=False) as client:
        log_in(client, "analyst")
        response = client.post(
            "/api/v1/seizures/imports",
            files={
                "file": ("unknown-drug.csv", (DATA / "seizures" / "unknown-drug.csv").read_bytes())
            },
            data={"profile": "cbp-nationwide"},
            headers={"X-CSRF-Token": csrf_of(client, "/seizures/import")},
        )
    countryless.dispose()
    assert response.status_code == 409
    assert_error_shape(response.json(), 409, "node-country-unknown")
    assert "alianza node init --country" in response.json()["error"]["message"]
