"""Liveness and readiness of a node (``GET /healthz``, ``GET /readyz``).

Liveness says the process answers. Readiness says it can do its work: the database answers,
its schema is at the newest migration, the node's keys are present and valid. The partner
node's reachability (``ALIANZA_PORTS_PARTNER_URL``, when set) is reported too, but does not
make the node unready: a partner outage must not take this node out of its load balancer
(alerts wait in the outbox). Partner probes have a short timeout and are cached.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import httpx2 as httpx

from alianza.db import Database
from alianza.db import migrate as migrations
from alianza.exchange.keys import NodeKeyError, load_node_keys
from alianza.operations.problems import ConfigurationProblem
from alianza.settings import Settings

PARTNER_TIMEOUT_SECONDS = 2.0
PARTNER_CACHE_SECONDS = 30.0


@cache
def _heads() -> frozenset[str]:  # the migration scripts do not change while serving
    return frozenset(migrations.head_revisions())


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail, "required": self.required}


@dataclass(frozen=True)
class Readiness:
    checks: list[Check]

    @property
    def ready(self) -> bool:
        return all(c.ok for c in self.checks if c.required)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ready" if self.ready else "not-ready",
            "checks": {c.name: c.as_dict() for c in self.checks},
        }


def check_database(database: Database) -> list[Check]:
    try:
        database.check_connection()
    except ConfigurationProblem as problem:
        return [
            Check("database", False, problem.message()),
            Check("migrations", False, "database unreachable"),
        ]
    try:
        with database.read_engine.connect() as connection:
            current = migrations.current_revisions(connection)
    except Exception as error:
        return [Check("database", True, "reachable"), Check("migrations", False, str(error))]
    missing = sorted(_heads() - current)
    migrated = Check(
        "migrations",
        not missing,
        "at head" if not missing else f"pending: run `alianza db upgrade` ({', '.join(missing)})",
    )
    return [Check("database", True, "reachable"), migrated]


def check_keys(settings: Settings) -> Check:
    try:
        keys = load_node_keys(settings)
    except (NodeKeyError, OSError, ValueError) as error:
        return Check("keys", False, str(error))
    return Check("keys", True, f"fingerprint {keys.identity.fingerprint[:16]}…")


@dataclass
class PartnerProbe:
    """GET the partner's ``/healthz``, at most once per ``PARTNER_CACHE_SECONDS``."""

    url: str
    _last: tuple[float, Check] | None = field(default=None, repr=False)

    def check(self) -> Check:
        now = time.monotonic()
        if self._last is not None and now - self._last[0] < PARTNER_CACHE_SECONDS:
            return self._last[1]
        target = self.url.rstrip("/") + "/healthz"
        try:
            response = httpx.get(target, timeout=PARTNER_TIMEOUT_SECONDS)
            result = Check(
                "partner",
                response.status_code == 200,
                f"{target}: HTTP {response.status_code}",
                required=False,
            )
        except httpx.HTTPError as error:
            result = Check("partner", False, f"{target}: {type(error).__name__}", required=False)
        self._last = (now, result)
        return result


def readiness(settings: Settings, database: Database, partner: PartnerProbe | None) -> Readiness:
    checks = [*check_database(database), check_keys(settings)]
    if partner is not None:
        checks.append(partner.check())
    return Readiness(checks)
