"""One error shape for the whole API, and error pages for the browser.

API errors are ``{"error": {"status": 404, "code": "not-found", "message": "…",
"details": […]}}``; ``code`` is stable (kebab-case) and documented in docs/web.md.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from alianza.accounts.principal import ForeignAccount
from alianza.actors import NotPermitted
from alianza.catalogue import declare, message_of
from alianza.node import ForeignCountry, NodeCountryUnknown
from alianza.web.security import CsrfFailed, Forbidden, NotAuthenticated, is_api

log = logging.getLogger("alianza.web")

HTTP_CODES = {
    400: "bad-request",
    401: "not-authenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid-input",
    429: "too-many-requests",
    500: "internal-error",
    503: "unavailable",
}

# What the error pages and the API say (Spanish in the message catalogue: ``web.…``).
CSRF_FAILED = declare("web.csrf-failed", "missing or wrong CSRF token; reload the page and retry")
NOT_VALID = declare("web.not-valid", "the request is not valid")
UNEXPECTED = declare("web.unexpected", "an unexpected error happened")
OWN_ACCOUNT = declare("web.own-account", "you cannot disable your own account")
# refused by a page or the API (the API keeps the English; a page says it in its language)
NO_KEYS = declare("web.no-keys", "this node has no keys: alianza node init")
NO_KEYS_RUN = declare("web.no-keys-run", "this node has no keys: run `alianza node init`")
NO_KEYS_BECAUSE = declare("web.no-keys-because", "this node has no keys: {error}")
NO_OWN_PACKAGE = declare(
    "web.no-own-package", "this node has no package of {quarter} to sign (alianza exchange build)"
)
NO_SEIZURE_TABLES = declare(
    "web.no-seizure-tables", "no seizure tables for {quarter} on either side"
)
NO_RECORD_FORM = declare("web.no-record-form", "no record form {kind!r} (one of: {forms})")
NO_RECORD_KIND = declare("web.no-record-kind", "no record kind {kind!r} (one of: {kinds})")
LANGUAGE_EN_OR_ES = declare("web.language-en-or-es", "language is en or es")
CYCLE_NOT_PUBLISHED = declare("web.cycle-not-published", "cycle {key!r} is not published: {reason}")
UNKNOWN_PROFILE = declare("web.unknown-profile", "no profile {profile!r}; built in: {known}")
SEIZURE_FILE_TYPE = declare("web.seizure-file-type", "{name}: a seizure file ends in {suffixes}")
TOO_LARGE = {
    kind: declare(
        f"web.too-large.{kind.replace(' ', '-')}", f"a {kind} is at most {{limit:,}} bytes"
    )
    for kind in ("package", "batch", "cycle message")
}
REPORT_REFUSED = declare("web.report-refused", "{name}: refused, nothing was written")
NOTHING_LOADED = declare("web.nothing-loaded", "{source}: nothing loaded; report {url}")
NO_DIMENSION = declare("web.no-dimension", "by: give at least one dimension")
TO_BEFORE_FROM = declare("web.to-before-from", "'to' is before 'from'")
HEAD_CHOICE = declare("web.head-choice", "head is 'general' or 'critical'")
NO_OUTCOME = declare("web.no-outcome", "no outcome was recorded")


class ApiError(Exception):
    """An error a route reports on purpose, with a stable code and optional details."""

    def __init__(
        self, status: int, code: str, message: str, details: list[Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []


def error_body(status: int, code: str, message: str, details: list[Any] | None = None) -> Any:
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def error_response(
    request: Request, status: int, code: str, message: str, details: list[Any] | None = None
) -> Response:
    if is_api(request):
        return JSONResponse(error_body(status, code, message, details), status_code=status)
    from alianza.web.render import render_error

    return render_error(request, status, message)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, _error: NotAuthenticated) -> Response:
        if is_api(request):
            return JSONResponse(
                error_body(401, "not-authenticated", "log in or send a valid Bearer token"),
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, error: Forbidden) -> Response:
        return error_response(request, 403, "forbidden", message_of(error))

    @app.exception_handler(NotPermitted)  # a service's own check (alianza.actors.acting)
    async def not_permitted(request: Request, error: NotPermitted) -> Response:
        return error_response(request, 403, "forbidden", message_of(error))

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _error: CsrfFailed) -> Response:
        return error_response(request, 403, "csrf-failed", CSRF_FAILED.said())

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        return error_response(request, error.status, error.code, error.message, error.details)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        code = HTTP_CODES.get(error.status_code, f"http-{error.status_code}")
        return error_response(request, error.status_code, code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg")}
            for e in error.errors()
        ]
        return error_response(request, 422, "invalid-input", NOT_VALID.said(), details)

    @app.exception_handler(NodeCountryUnknown)
    async def no_country(request: Request, error: NodeCountryUnknown) -> Response:
        return error_response(request, 409, "node-country-unknown", message_of(error))

    @app.exception_handler(ForeignAccount)
    async def foreign_account(request: Request, error: ForeignAccount) -> Response:
        return error_response(request, 403, "foreign-account", message_of(error))

    @app.exception_handler(ForeignCountry)
    async def foreign(request: Request, error: ForeignCountry) -> Response:
        return error_response(request, 409, "foreign-country", message_of(error))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal-error", UNEXPECTED.said())
