"""Permission-matrix rows of the ports pages and API (see __init__.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

ROUTES: dict[str, tuple[str, str, str]] = {
    "ports page": ("GET", "/ports", "/ports"),
    "ports analysis": ("GET", "/ports/2504/analysis", "/ports/{port}/analysis"),
    "ports alerts": ("GET", "/ports/alerts", "/ports/alerts"),
    "ports stream": ("GET", "/ports/alerts/stream?window=0", "/ports/alerts/stream"),
    "ports send alert": ("POST", "/ports/alerts", "/ports/alerts"),
    "ports ack alert": ("POST", "/ports/alerts/x/ack", "/ports/alerts/{alert_id}/ack"),
    "api ports alerts": ("GET", "/api/v1/ports/alerts", "/api/v1/ports/alerts"),
    "api ports send alert": ("POST", "/api/v1/ports/alerts", "/api/v1/ports/alerts"),
    "api ports ack alert": (
        "POST",
        "/api/v1/ports/alerts/x/ack",
        "/api/v1/ports/alerts/{alert_id}/ack",
    ),
    "api ports notifications": (
        "GET",
        "/api/v1/ports/alerts/x/notifications",
        "/api/v1/ports/alerts/{alert_id}/notifications",
    ),
}
READS = {"ports page", "ports analysis", "ports alerts", "ports stream", "api ports alerts"}
ALERTS = {
    "ports send alert",
    "ports ack alert",
    "api ports send alert",
    "api ports ack alert",
    "api ports notifications",
}
ALLOWED: dict[str, set[str]] = {
    "admin": READS | ALERTS,
    "coordinator": READS,
    "coordinador": READS,
    "analyst": READS,
    "liaison": READS | ALERTS,
    "viewer": READS,
}


def _send(client: TestClient, csrf: str) -> tuple[int, str | None]:
    response = client.post(
        "/ports/alerts",
        data={
            "csrf_token": csrf,
            "port": "2504",
            "template": "security-incident",
            "field_location": "lane 3",
        },
    )
    location = response.headers.get("location", "")
    return response.status_code, location.split("sent=")[1] if "sent=" in location else None


def _api_send(client: TestClient, csrf: str) -> tuple[int, str | None]:
    response = client.post(
        "/api/v1/ports/alerts",
        json={"port": "2504", "template": "security-incident", "details": {"location": "3"}},
        headers={"X-CSRF-Token": csrf},
    )
    if response.status_code == 201:  # created: allowed
        return 200, response.json()["alert"]
    return response.status_code, None


def call(client: TestClient, name: str, csrf: str) -> int | None:
    if name == "api ports send alert":
        return _api_send(client, csrf)[0]
    if name == "api ports ack alert":
        # as on the page: the side that sent an alert cannot acknowledge it (409)
        _status, alert_id = _api_send(client, csrf)
        return client.post(
            f"/api/v1/ports/alerts/{alert_id or 'x'}/ack", headers={"X-CSRF-Token": csrf}
        ).status_code
    if name == "ports send alert":
        return _send(client, csrf)[0]
    if name == "ports ack alert":
        # an alert this side sent: acknowledging it is refused by the workflow (409), not by
        # the role; a role without ports.alert is refused (403) before the alert is looked up
        _status, alert_id = _send(client, csrf)
        return client.post(
            f"/ports/alerts/{alert_id or 'x'}/ack", headers={"X-CSRF-Token": csrf}
        ).status_code
    return None
