"""Permission-matrix rows of the seizures pages and API (see __init__.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import DATA

CBP_FILE = DATA / "seizures" / "cbp" / "nationwide-drugs-fy23-fy26-dec.csv"
REPORT = "/seizures/imports/{report_id}"

ROUTES: dict[str, tuple[str, str, str]] = {
    "sz overview": ("GET", "/seizures?by=drug", "/seizures"),
    "sz map": ("GET", "/seizures/map", "/seizures/map"),
    "sz import form": ("GET", "/seizures/import", "/seizures/import"),
    "sz import post": ("POST", "/seizures/import", "/seizures/import"),
    "sz imports": ("GET", "/seizures/imports", "/seizures/imports"),
    "sz report": ("GET", "/seizures/imports/1", REPORT),
    "sz report download": (
        "GET",
        "/seizures/imports/1/report.csv",
        "/seizures/imports/{report_id}/report.{kind}",
    ),
    "sz quarantine": ("GET", "/seizures/quarantine", "/seizures/quarantine"),
    "api sz aggregate": (
        "GET",
        "/api/v1/seizures/aggregate?by=drug_group",
        "/api/v1/seizures/aggregate",
    ),
    "api sz import": ("POST", "/api/v1/seizures/imports", "/api/v1/seizures/imports"),
    "api sz quarantine": ("GET", "/api/v1/seizures/quarantine", "/api/v1/seizures/quarantine"),
}
_READS = {
    "sz overview",
    "sz map",
    "sz imports",
    "sz report",
    "sz report download",
    "sz quarantine",
    "api sz aggregate",
    "api sz quarantine",
}
_IMPORT = {"sz import form", "sz import post", "api sz import"}
ALLOWED: dict[str, set[str]] = {
    "admin": set(ROUTES),
    "coordinator": _READS,
    "coordinador": _READS,
    "analyst": _READS | _IMPORT,
    "liaison": _READS,
    "viewer": _READS,
}


def _small_cbp_file() -> bytes:
    """The header and first five data rows of a real CBP file (all valid)."""
    lines = CBP_FILE.read_bytes().splitlines(keepends=True)
    return b"".join(lines[:6])


def _own_report(client: TestClient) -> str | None:
    """A kept report of the logged-in user's country (made through the library), so that a
    reader gets 200 rather than 404; None when nobody is logged in."""
    from alianza.actors import NodeSelf
    from alianza.seizures.dedupe import DedupeResult
    from alianza.seizures.reports import save_report
    from alianza.seizures.service import ImportOutcome
    from alianza.validation import ValidationReport

    me = client.get("/api/v1/me")
    if me.status_code != 200:
        return None
    database = client.app.state.database  # type: ignore[attr-defined]
    with database.transaction() as session:
        stored = save_report(
            session,
            ImportOutcome(ValidationReport(source="x.csv"), None, DedupeResult(0, 0)),
            profile="cbp-nationwide",
            # as the node, under the user's name: a reader without seizures.import gets one
            # too (a user signs in on their own country's node: the report is of that country)
            actor=NodeSelf(me.json()["username"]),
        )
    return str(stored.id)


def call(client: TestClient, name: str, csrf: str) -> int | None:
    if name in ("sz import post", "api sz import"):
        return client.post(
            ROUTES[name][1],
            files={"file": ("cbp-sample.csv", _small_cbp_file())},
            data={"csrf_token": csrf, "profile": "cbp-nationwide"},
            headers={"X-CSRF-Token": csrf},
        ).status_code
    return None


def get(client: TestClient, name: str) -> int | None:
    """GETs that need a report of the user's own country first."""
    if name in ("sz report", "sz report download"):
        ident = _own_report(client) or "1"
        path = ROUTES[name][1].replace("/1", f"/{ident}", 1)
        return client.get(path).status_code
    return None
