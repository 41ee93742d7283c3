"""Permission-matrix rows of the cooperation-registry pages (see __init__.py).

Reading needs coop.read (every role); adding records (mechanisms, technology, training) and
ending a mechanism or post need coop.manage (admin, coordinators, liaison).
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

ROUTES: dict[str, tuple[str, str, str]] = {
    "coop page": ("GET", "/coop?as_of=1999-08-31", "/coop"),
    "coop add record": ("POST", "/coop/records/mechanism", "/coop/records/{kind}"),
    "coop add technology": ("POST", "/coop/records/technology", "/coop/records/{kind}"),
    "coop add training": ("POST", "/coop/records/training", "/coop/records/{kind}"),
    "coop end record": ("POST", "/coop/records/end", "/coop/records/{kind}"),
    "coop threat assessment": (
        "GET",
        "/coop/threat-assessment?first=1999-01-01&last=1999-12-31&language=es",
        "/coop/threat-assessment",
    ),
}
READS = {"coop page", "coop threat assessment"}
WRITES = {"coop add record", "coop add technology", "coop add training", "coop end record"}
ALLOWED: dict[str, set[str]] = {
    "admin": READS | WRITES,
    "coordinator": READS | WRITES,
    "coordinador": READS | WRITES,
    "analyst": READS,
    "liaison": READS | WRITES,
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


TECHNOLOGY = {  # the US node's own (a Mexican deployment is Mexico's record)
    "kind": "x-ray",
    "country": "US",
    "place": "Laredo",
    "deployed_on": "1999-09-01",
    "precision": "exact",
    "source": "permission matrix",
}
TRAINING = {
    "subject": "large-x-ray-and-ion-scanners",
    "country": "US",
    "agency": "CBP",
    "people": "4",
    "held_on": "1999-09-01",
    "precision": "exact",
    "source": "permission matrix",
}


def _end(client: TestClient, csrf: str) -> int:
    """Record a mechanism to end (when the role may), find its record id on /coop, end it."""
    client.post(
        "/coop/records/mechanism",
        data={**MECHANISM, "key": "to-end", "kind": "hlcg", "csrf_token": csrf},
    )
    found = re.search(r'<option value="(mechanism:\d+)">[^<]*\(to-end\)', client.get("/coop").text)
    record = found.group(1) if found else "mechanism:1"
    return client.post(
        "/coop/records/end",
        data={"record": record, "ended_on": "1999-12-31", "csrf_token": csrf},
    ).status_code


def call(client: TestClient, name: str, csrf: str) -> int | None:
    forms = {
        "coop add record": ("mechanism", MECHANISM),
        "coop add technology": ("technology", TECHNOLOGY),
        "coop add training": ("training", TRAINING),
    }
    if name in forms:
        kind, data = forms[name]
        return client.post(f"/coop/records/{kind}", data={**data, "csrf_token": csrf}).status_code
    if name == "coop end record":
        return _end(client, csrf)
    return None


def prepare(client: TestClient) -> None:
    """The 1999 registry and one training event, so that every coop table and form (the end
    form lists open mechanisms and posts) is on the page (idempotent)."""
    from datetime import date

    from sqlalchemy import select

    from alianza.actors import NodeSelf
    from alianza.cooperation import registry
    from alianza.cooperation.facts import load_seed_facts
    from alianza.cooperation.models import Mechanism

    database = client.app.state.database  # type: ignore[attr-defined]
    with database.transaction() as session:
        if session.scalars(select(Mechanism.id)).first() is not None:
            return
        load_seed_facts(session, actor=NodeSelf("test"))
        registry.add_training(
            session,
            subject="large-x-ray-and-ion-scanners",
            country="US",
            agency="CBP",
            people=4,
            held_on=date(1999, 9, 1),
            source="permission matrix",
            actor=NodeSelf("test"),
        )
