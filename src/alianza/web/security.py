"""Who is asking and what they may do: sessions, API tokens, CSRF, login throttling.

Every route declares the permission it needs with ``Depends(require(Permission.X))``; the
check happens on the server for every request.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import Request

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal, active_principal, principal_by_token
from alianza.db import Database

SESSION_USER = "uid"
SESSION_CSRF = "csrf"


class NotAuthenticated(Exception):
    """No valid session or token."""


class Forbidden(Exception):
    """Authenticated, but the role does not grant the permission."""

    def __init__(self, permission: Permission) -> None:
        super().__init__(f"your role does not grant {permission.value}")
        self.permission = permission


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


def database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def current_principal(request: Request) -> Principal | None:
    """The principal of a Bearer token (API) or of the session cookie; cached per request."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    principal = None
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        with database(request).transaction() as session:
            principal = principal_by_token(session, header[7:].strip())
        request.state.via_token = True
    else:
        user_id = request.session.get(SESSION_USER)
        if isinstance(user_id, int):
            with database(request).read_engine.connect() as connection:
                principal = active_principal(connection, user_id)
            if principal is None:
                request.session.clear()
    request.state.principal = principal
    return principal


def require(permission: Permission) -> Callable[[Request], Principal]:
    """A dependency that returns the principal or refuses the request."""

    def dependency(request: Request) -> Principal:
        principal = current_principal(request)
        if principal is None:
            raise NotAuthenticated()
        if not principal.can(permission):
            raise Forbidden(permission)
        return principal

    dependency.__name__ = f"require_{permission.value.replace('.', '_')}"
    return dependency


def csrf_token(request: Request) -> str:
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


async def check_csrf(request: Request) -> None:
    """For unsafe methods: a form field ``csrf_token`` or header ``X-CSRF-Token`` equal to the
    session's token. Requests authenticated by a Bearer token carry no cookie and need none."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return
    expected = request.session.get(SESSION_CSRF)
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or sent is None or not hmac.compare_digest(expected, sent):
        raise CsrfFailed()


@dataclass
class LoginThrottle:
    """At most ``attempts`` failed logins per user name and per client address in ``window``
    seconds (in memory, per process)."""

    attempts: int = 5
    window: float = 900.0
    clock: Callable[[], float] = time.monotonic
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def _recent(self, key: str) -> deque[float]:
        now = self.clock()
        queue = self.failures[key]
        while queue and now - queue[0] > self.window:
            queue.popleft()
        return queue

    def blocked_for(self, username: str, client: str) -> float:
        """Seconds until a new attempt is allowed (0 when allowed)."""
        waits = []
        for key in (f"user:{username.lower()}", f"client:{client}"):
            queue = self._recent(key)
            if len(queue) >= self.attempts:
                waits.append(self.window - (self.clock() - queue[0]))
        return max(waits, default=0.0)

    def failed(self, username: str, client: str) -> None:
        now = self.clock()
        for key in (f"user:{username.lower()}", f"client:{client}"):
            self.failures[key].append(now)

    def succeeded(self, username: str) -> None:
        self.failures.pop(f"user:{username.lower()}", None)
