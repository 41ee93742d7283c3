"""Every route × every role: the outcome is asserted from a literal table, not from the code's
own grants. A route added without a row here fails test_matrix_covers_every_route."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.pme.service import SEED_REPORT
from tests.web.conftest import USERS, csrf_of, log_in
from tests.web.permission_rows import coop, exchange, ports, risk, seizures

DOMAINS = (seizures, exchange, ports, risk, coop)

# (method, path as requested, route template) — what each role may do is in ALLOWED.
ROUTES = {
    "plan page": ("GET", "/pme", "/pme"),
    "action page": ("GET", "/pme/actions/10.4.1", "/pme/actions/{number}"),
    "export": ("GET", "/pme/export?format=json", "/pme/export"),
    "import page": ("POST", "/pme/import", "/pme/import"),
    "audit page": ("GET", "/audit", "/audit"),
    "users page": ("GET", "/admin/users", "/admin/users"),
    "clear throttle": ("POST", "/admin/throttles/clear", "/admin/throttles/clear"),
    "add user": ("POST", "/admin/users", "/admin/users"),
    "set role": ("POST", "/admin/users/viewer/role", "/admin/users/{username}/role"),
    "reset password": ("POST", "/admin/users/viewer/password", "/admin/users/{username}/password"),
    "disable user": ("POST", "/admin/users/viewer/disable", "/admin/users/{username}/disable"),
    "password page": ("GET", "/account/password", "/account/password"),
    "api me": ("GET", "/api/v1/me", "/api/v1/me"),
    "api report": ("GET", "/api/v1/pme/report", "/api/v1/pme/report"),
    "api action": ("GET", "/api/v1/pme/actions/10.1", "/api/v1/pme/actions/{number}"),
    "api paragraph": (
        "GET",
        "/api/v1/pme/paragraphs/10.2/status/5",
        "/api/v1/pme/paragraphs/{address:path}",
    ),
    "api import": ("POST", "/api/v1/pme/imports", "/api/v1/pme/imports"),
    "scorecard": ("GET", "/pme/assessment?as_of=1999-08-31", "/pme/assessment"),
    "cycles": ("GET", "/pme/cycles", "/pme/cycles"),
    "open cycle": ("POST", "/pme/cycles", "/pme/cycles"),
    "cycle": ("GET", "/pme/cycles/1999-08", "/pme/cycles/{key}"),
    "cycle submit": ("POST", "/pme/cycles/1999-08/submit", "/pme/cycles/{key}/{step}"),
    "cycle approve": ("POST", "/pme/cycles/1999-08/approve", "/pme/cycles/{key}/{step}"),
    "cycle download": (
        "GET",
        "/pme/cycles/1999-08/download/es.docx",
        "/pme/cycles/{key}/download/{name}",
    ),
    "api measures": (
        "GET",
        "/api/v1/pme/measures?as_of=1999-08-31",
        "/api/v1/pme/measures",
    ),
    "api coop records": ("GET", "/api/v1/coop/mechanism", "/api/v1/coop/{kind}"),
    "what needs me": ("GET", "/pme/todo", "/pme/todo"),
    "api assessment": (
        "GET",
        "/api/v1/pme/assessment?as_of=1999-08-31",
        "/api/v1/pme/assessment",
    ),
}
FORM = {
    "key": "2000-02",
    "as_of": "2000-02-29",
    "label_en": "Feb 2000",
    "label_es": "Feb 2000",
    "lang": "en",
    # account management (admin): a new account, and the viewer's role and password
    "username": "newcomer",
    "display_name": "Newcomer",
    "role": "viewer",
    "agency": "TEST",
    "password": "a long enough password",
}
READS = {
    "password page",
    "scorecard",
    "cycles",
    "cycle",
    "cycle download",
    "plan page",
    "action page",
    "export",
    "api me",
    "api report",
    "api action",
    "api paragraph",
    "api measures",
    "api coop records",
    "api assessment",
    "what needs me",
}
WRITES = {"import page", "api import", "open cycle", "cycle submit", "cycle approve"}
ALLOWED = {
    "admin": set(ROUTES),
    "coordinator": READS | WRITES | {"audit page"},
    "coordinador": READS | WRITES | {"audit page"},
    "analyst": READS,
    "liaison": READS,
    "viewer": READS,
}
for _domain in DOMAINS:
    assert not ROUTES.keys() & _domain.ROUTES.keys(), _domain.__name__
    ROUTES.update(_domain.ROUTES)
    for _role, _names in _domain.ALLOWED.items():
        assert _names <= _domain.ROUTES.keys(), (_domain.__name__, _role)
        ALLOWED[_role] = ALLOWED[_role] | _names
PUBLIC = {"/", "/login", "/logout", "/lang/{language}", "/api/openapi.json", "/static"}
# Authenticated by the package's signature, not by a login (tests/exchange).
PUBLIC |= {"/api/v1/exchange/packages"}
# Authenticated by the batch's signature, not by a login (tests/ports/test_two_nodes.py).
PUBLIC |= {"/api/v1/ports/messages"}
# Authenticated by the envelope's signature (tests/pme/test_cycle_messages.py).
PUBLIC |= {"/api/v1/pme/cycle-messages"}
# Process and readiness probes; /metrics checks its own bearer token or loopback
# (tests/operations/test_observability.py).
PUBLIC |= {"/healthz", "/readyz", "/metrics"}


def call(client: TestClient, name: str) -> int:
    method, path, _template = ROUTES[name]
    if method == "GET":
        for domain in DOMAINS:
            if name in domain.ROUTES and hasattr(domain, "get"):
                status = domain.get(client, name)
                if status is not None:
                    return int(status)
        return client.get(path).status_code
    csrf = csrf_of(client, "/login")
    for domain in DOMAINS:
        if name in domain.ROUTES and hasattr(domain, "call"):
            status = domain.call(client, name, csrf)
            if status is not None:
                return int(status)
    if "import" in name:
        return client.post(
            path,
            files={"file": ("seed.tsv", SEED_REPORT.read_bytes())},
            data={"csrf_token": csrf},
            headers={"X-CSRF-Token": csrf},
        ).status_code
    return client.post(path, data={**FORM, "csrf_token": csrf}).status_code


def route_paths(routes: list[object], prefix: str = "") -> set[str]:
    """Every route's path, through included routers (FastAPI 0.165 keeps them as
    ``_IncludedRouter`` entries without a path: skipping them left this test vacuous)."""
    paths = set()
    for route in routes:
        path = getattr(route, "path", None)
        if path:
            paths.add(prefix + path)
            continue
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            paths |= route_paths(included.routes, prefix + getattr(context, "prefix", ""))
    return paths


def test_matrix_covers_every_route(client: TestClient) -> None:
    app_routes = route_paths(client.app.routes)  # type: ignore[attr-defined]
    assert len(app_routes) > 50  # the app's routes were found, not just the mounts
    covered = {template for _m, _p, template in ROUTES.values()} | PUBLIC
    assert app_routes - covered == set()


@pytest.mark.parametrize("username", list(USERS))
def test_role_gets_exactly_its_routes(
    client: TestClient, username: str, published_cycle: str
) -> None:
    """Allowed: served (200), done (303) or refused by the workflow's state (409), never 403."""
    log_in(client, username)
    outcomes = {name: call(client, name) for name in ROUTES}
    allowed = {name for name, status in outcomes.items() if status in (200, 303, 409)}
    refused = {name for name, status in outcomes.items() if status == 403}
    assert allowed == ALLOWED[username], outcomes
    assert refused == set(ROUTES) - ALLOWED[username], outcomes


def test_anonymous_is_sent_to_login_or_refused(client: TestClient, published_cycle: str) -> None:
    for name, (method, path, _template) in ROUTES.items():
        status = call(client, name)
        if path.startswith("/api/"):
            assert status == 401, name
        elif method == "GET":
            assert status == 303, name
            assert client.get(path).headers["location"].startswith("/login?next=")
        else:
            assert status in (303, 403), name  # no session: login redirect or CSRF refusal


def test_disabled_user_loses_access_at_once(client: TestClient, web_db: object) -> None:
    from alianza.accounts.service import disable_user
    from alianza.db import Database

    assert isinstance(web_db, Database)
    log_in(client, "analyst")
    assert client.get("/pme").status_code == 200
    with web_db.transaction() as session:
        disable_user(session, "analyst", actor=NodeSelf("test"))
    assert client.get("/pme").status_code == 303
