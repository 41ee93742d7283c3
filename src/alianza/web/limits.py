"""Limits before work: who may send a body, and how big it may be, decided before any parsing.

Two plain ASGI middlewares (no body buffering of their own):

- :class:`AuthenticatedWrites` answers an unsafe request (POST, PUT, PATCH, DELETE) to a
  private route without a valid session or Bearer token with 401 (API) or a redirect to the
  login page, without reading its body. Only the login form and the two endpoints that
  authenticate by signature (exchange packages, port messages) take anonymous bodies.
- :class:`BodyLimit` caps the body per route class: uploads at their own limit (seizure files
  at ``ALIANZA_MAX_UPLOAD_MB``), everything else at :data:`SMALL_BODY_BYTES`. A declared
  ``Content-Length`` over the cap is refused at once; a chunked body is counted as it streams
  and refused at the first byte over the cap, so the multipart parser never spools more than
  the cap to its temporary file.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alianza.exchange.package import MAX_PACKAGE_BYTES
from alianza.liaison.signing import MAX_BATCH_BYTES
from alianza.pme.cycle_envelope import MAX_ENVELOPE_BYTES
from alianza.web.errors import error_body

SMALL_BODY_BYTES = 256 * 1024
MULTIPART_OVERHEAD = 64 * 1024  # form fields and part headers around an uploaded file
MAX_REPORT_BYTES = 5 * 1024 * 1024  # a performance-measures report file
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PRIVATE = (
    "/api/",
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
#: Unsafe routes that take a body from anyone: they authenticate by signature, not by login.
SIGNED_ENDPOINTS = (
    "/api/v1/exchange/packages",
    "/api/v1/ports/messages",
    "/api/v1/pme/cycle-messages",
)


class BodyTooLarge(HTTPException):
    """The request body is over its route's cap (raised while the body streams in)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over this route's limit of {limit:,} bytes")
        self.limit = limit


def body_limit_for(path: str, upload_bytes: int) -> int:
    """The most bytes a request body to ``path`` may have."""
    if path in ("/seizures/import", "/api/v1/seizures/imports"):
        return upload_bytes + MULTIPART_OVERHEAD
    if path in ("/exchange/receive", "/api/v1/exchange/packages"):
        return MAX_PACKAGE_BYTES + MULTIPART_OVERHEAD
    if path in ("/pme/import", "/api/v1/pme/imports"):
        return MAX_REPORT_BYTES + MULTIPART_OVERHEAD
    if path == "/api/v1/ports/messages":
        return MAX_BATCH_BYTES
    if path == "/api/v1/pme/cycle-messages":
        return MAX_ENVELOPE_BYTES
    return SMALL_BODY_BYTES


def _too_large(limit: int) -> JSONResponse:
    message = f"the request body is over this route's limit of {limit:,} bytes"
    return JSONResponse(error_body(413, "too-large", message), status_code=413)


class BodyLimit:
    """Refuses bodies over their route's cap with 413 and the standard error envelope."""

    def __init__(self, app: ASGIApp, *, upload_bytes: Callable[[], int]) -> None:
        self.app = app
        self.upload_bytes = upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope["path"], self.upload_bytes())
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = True  # a length that is not a number: refuse, read nothing
            if too_big:
                await _too_large(limit)(scope, receive, send)
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:  # raised outside a route's error handling (e.g. a form parser)
            if started:
                raise
            await _too_large(limit)(scope, receive, send)


def _wants_body_from_anyone(path: str) -> bool:
    return not path.startswith(PRIVATE) or path in SIGNED_ENDPOINTS


class AuthenticatedWrites:
    """Unsafe requests to private routes need a session or token before their body is read.

    Sits inside the session middleware (it reads the session through
    :func:`alianza.web.security.principal_on_loop`, which caches the principal for the route).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in UNSAFE
            or _wants_body_from_anyone(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        from alianza.web.security import principal_on_loop

        request = Request(scope)
        principal = await principal_on_loop(request)
        if principal is None:
            await _refusal(request)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _refusal(request: Request) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            error_body(401, "not-authenticated", "log in or send a valid Bearer token"),
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return RedirectResponse("/login", status_code=303)
