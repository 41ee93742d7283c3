"""Build the ASGI application: middleware, routes, error handlers, static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alianza import __version__
from alianza.accounts.session_key import session_secret
from alianza.db import Database, open_database
from alianza.operations.access import AccessLog
from alianza.pme.query import PlanReportCache
from alianza.settings import Settings
from alianza.web import operations
from alianza.web.api import coop as api_coop
from alianza.web.api import exchange as api_exchange
from alianza.web.api import me as api_me
from alianza.web.api import pme as api_pme
from alianza.web.api import pme_messages as api_pme_messages
from alianza.web.api import ports as api_ports
from alianza.web.api import risk as api_risk
from alianza.web.api import seizures as api_seizures
from alianza.web.errors import install_error_handlers
from alianza.web.limits import AuthenticatedWrites, BodyLimit
from alianza.web.ports_live import ports_lifespan
from alianza.web.views import (
    admin,
    assessment,
    auth,
    cycles,
    pme,
    pme_todo,
    ports,
    ports_alerts,
    seizures,
)
from alianza.web.views import analysis as analysis_views
from alianza.web.views import coop as coop_views
from alianza.web.views import exchange as exchange_views
from alianza.web.views import risk as risk_views
from alianza.web.warm import warming

STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


_HEADERS = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
_PRIVATE = (
    "/api/",
    "/account",
    "/pme",
    "/audit",
    "/admin",
    "/seizures",
    "/exchange",
    "/analysis",
    "/coop",
    "/ports",
    "/risk",
)


class SecurityHeaders:
    """Adds the security headers to every response (plain ASGI middleware: no per-request
    task or body buffering, unlike BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = str(scope.get("path", "")).startswith(_PRIVATE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                headers += [h for h in _HEADERS if h[0] not in present]
                if private and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings, database: Database | None = None) -> FastAPI:
    """The web app of one node. A production node refuses to start without a session key of
    its own; development and test nodes generate one in their home folder."""
    secret = session_secret(settings)
    app = FastAPI(
        title="Alianza API",
        version=__version__,
        description="JSON API of an Alianza node. Errors: docs/web.md#errors.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load assets from a CDN: not served
        redoc_url=None,
        lifespan=warming(ports_lifespan),
    )
    app.state.settings = settings
    app.state.database = database or open_database(settings)
    app.state.session_secret = secret
    app.state.plan_reports = PlanReportCache()
    app.add_middleware(AuthenticatedWrites)  # inside the session middleware: reads the session
    app.add_middleware(BodyLimit, upload_bytes=lambda: settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,  # the cookie holds only a session id (see accounts/sessions.py)
        session_cookie="alianza_session",
        max_age=round(settings.session_max_hours * 3600),
        same_site="lax",
        https_only=settings.env == "production",
    )
    app.add_middleware(AccessLog)  # outermost: logs and times every request, sets its id
    install_error_handlers(app)
    app.include_router(api_risk.live)  # the hot path: tried first
    app.include_router(operations.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, pme, pme_todo, assessment, cycles, admin, api_me, api_pme, api_exchange):
        app.include_router(module.router)
    app.include_router(api_coop.router)
    app.include_router(api_pme_messages.router)
    for module in (seizures, api_seizures):
        app.include_router(module.router)
    for domain_module in (api_ports, ports_alerts, ports):  # ports: alerts before /ports/{port}
        app.include_router(domain_module.router)
    for pages in (exchange_views, analysis_views, coop_views):
        app.include_router(pages.router)
    app.include_router(api_risk.router)
    app.include_router(risk_views.router)
    return app
