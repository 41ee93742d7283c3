"""Who is asking and what they may do: sessions, API tokens, CSRF, login throttling.

Every route declares the permission it needs with ``Depends(require(Permission.X))``; the
check happens on the server for every request.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool

from alianza.accounts.permissions import Permission
from alianza.accounts.service import (
    ForeignAccount,
    Principal,
    principal_by_token,
    token_lookup,
    token_lookup_sqlite,
    touch_token,
)
from alianza.accounts.sessions import live_session, touch_session
from alianza.accounts.throttle import ThrottlePolicy
from alianza.catalogue import declare
from alianza.db import Database
from alianza.settings import Settings

SESSION_ID = "sid"  # the random id of the server-side session (account_session)
SESSION_CSRF = "csrf"
DEVICE_COOKIE = "alianza_device"
DEVICE_DAYS = 90


class NotAuthenticated(Exception):
    """No valid session or token."""


ROLE_LACKS = declare("web.role-lacks", "your role does not grant {permission}")


class Forbidden(Exception):
    """Authenticated, but the role does not grant the permission."""

    def __init__(self, permission: Permission) -> None:
        super().__init__(ROLE_LACKS.said(permission=permission.value))
        self.permission = permission


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


def database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def idle_limit(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.session_idle_minutes)


def throttle_policy(settings: Settings) -> ThrottlePolicy:
    return ThrottlePolicy(
        free_failures=settings.login_free_failures,
        first_delay=settings.login_first_delay_seconds,
        max_delay=settings.login_max_delay_seconds,
    )


def client_address(request: Request) -> str:
    """The client's address as the server saw it. ``X-Forwarded-For`` counts only where
    ``alianza serve --behind-proxy`` named the proxy (uvicorn then rewrites the client)."""
    return request.client.host if request.client else "unknown"


def current_principal(request: Request) -> Principal | None:
    """The principal of a Bearer token (API) or of the session cookie; cached per request.
    The cookie holds a random session id that must name an open, unexpired session of an
    active user in the database (one indexed query)."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    principal = None
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal, stale = _token_principal(request, header)
        if stale is not None:  # its last use, at most once a minute
            _touch_token(database(request), stale)
    else:
        token = request.session.get(SESSION_ID)
        if isinstance(token, str):
            now = datetime.now(UTC)
            with database(request).read_engine.connect() as connection:
                live = live_session(
                    connection,
                    token,
                    idle=idle_limit(settings_of(request)),
                    now=now,
                    country=database(request).country,
                )
            if live is None:
                request.session.clear()
            else:
                principal = live.principal
                if live.needs_touch(now):
                    with database(request).transaction() as session:
                        touch_session(session, live.id, now)
    request.state.principal = principal
    return principal


def _token_principal(request: Request, header: str) -> tuple[Principal | None, int | None]:
    """The principal of the request's Bearer token and the token's id when its last use is
    due to be written: one indexed query on the read engine, no write lock."""
    db = database(request)
    token = header[7:].strip()
    if db.read_engine.dialect.name == "sqlite":
        found = token_lookup_sqlite(db.read_engine, token, country=db.country)
    else:
        with db.read_engine.connect() as connection:
            found = token_lookup(connection, token, country=db.country)
    request.state.via_token = True
    return (None, None) if found is None else found


def _touch_token(db: Database, token_id: int) -> None:
    with db.transaction() as session:
        touch_token(session, token_id)


async def principal_on_loop(request: Request) -> Principal | None:
    """:func:`current_principal` for code on the event loop. A Bearer token on a SQLite node
    is looked up on the loop itself: one read on a unique index of a local file, which in WAL
    mode takes no lock and waits for no writer, costs less than the trip to a worker thread
    and back (the live scoring path, issue 21); its last use, when due (once a minute), is
    written in the thread pool. Anything else (a session cookie, a database over the
    network) is looked up in the thread pool."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    header = request.headers.get("authorization", "")
    db = database(request)
    if not header.lower().startswith("bearer ") or db.read_engine.dialect.name != "sqlite":
        return await run_in_threadpool(current_principal, request)
    principal, stale = _token_principal(request, header)
    if stale is not None:
        await run_in_threadpool(_touch_token, db, stale)
    request.state.principal = principal
    return principal


def still_signed_in(request: Request) -> bool:
    """Whether the request's session (or token) is still valid now: for long responses
    (the alert stream) that must stop when the session ends."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        with database(request).reader() as session:  # never commits: last_used_at unchanged
            try:
                return principal_by_token(session, header[7:].strip()) is not None
            except ForeignAccount:
                return False
    token = request.session.get(SESSION_ID)
    if not isinstance(token, str):
        return False
    with database(request).read_engine.connect() as connection:
        live = live_session(
            connection,
            token,
            idle=idle_limit(settings_of(request)),
            country=database(request).country,
        )
    return live is not None


def _devices(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.session_secret, salt="alianza-device")


def device_cookie(request: Request, username: str) -> str:
    """A signed note that this browser signed in to ``username`` (login throttling)."""
    return _devices(request).dumps(username.strip().lower())


def trusted_device(request: Request, username: str) -> bool:
    """Whether the browser shows a valid device cookie for ``username``."""
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return False
    try:
        name = _devices(request).loads(value, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return isinstance(name, str) and name == username.strip().lower()


def require(permission: Permission) -> Callable[[Request], Principal]:
    """A dependency that returns the principal or refuses the request."""

    def dependency(request: Request) -> Principal:
        return _permitted(current_principal(request), permission)

    dependency.__name__ = f"require_{permission.value.replace('.', '_')}"
    return dependency


def require_async(permission: Permission) -> Callable[[Request], Awaitable[Principal]]:
    """:func:`require` for an ``async`` route: the principal already found for this request
    (every unsafe request to a private route is checked by
    :class:`alianza.web.limits.AuthenticatedWrites` before its body is read) is used on the
    event loop, without a trip through the thread pool; else it is looked up as
    :func:`principal_on_loop` does."""

    async def dependency(request: Request) -> Principal:
        return _permitted(await principal_on_loop(request), permission)

    dependency.__name__ = f"require_{permission.value.replace('.', '_')}"
    return dependency


def _permitted(principal: Principal | None, permission: Permission) -> Principal:
    if principal is None:
        raise NotAuthenticated()
    if not principal.can(permission):
        raise Forbidden(permission)
    return principal


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
