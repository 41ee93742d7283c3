"""Permission-matrix rows of the cooperation-registry pages (see __init__.py).

Reading needs coop.read (every role); adding records needs coop.manage (admin, coordinators,
liaison).
"""

from __future__ import annotations

from fastapi.testclient import TestClient

ROUTES: dict[str, tuple[str, str, str]] = {
    "coop page": ("GET", "/coop?as_of=1999-08-31", "/coop"),
    "coop add record": ("POST", "/coop/records/mechanism", "/coop/records/{kind}"),
    "coop threat assessment": (
        "GET",
        "/coop/threat-assessment?first=1999-01-01&last=1999-12-31&language=es",
        "/coop/threat-assessment",
    ),
}
READS = {"coop page", "coop threat assessment"}
ALLOWED: dict[str, set[str]] = {
    "admin": READS | {"coop add record"},
    "coordinator": READS | {"coop add record"},
    "coordinador": READS | {"coop add record"},
    "analyst": READS,
    "liaison": READS | {"coop add record"},
    "viewer": READS,
}
MECHANISM = {
    "key": "hlcg-test",
    "kind": "hlcg",
    "name": "High Level Contact Group (test)",
    "precision": "exact",
    "formed_on": "1996-03-01",
    "source": "permission matrix",
}


def call(client: TestClient, name: str, csrf: str) -> int | None:
    if name == "coop add record":
        return client.post(
            "/coop/records/mechanism", data={**MECHANISM, "csrf_token": csrf}
        ).status_code
    return None
