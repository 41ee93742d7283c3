"""Log in, log out, switch language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from alianza import audit
from alianza.accounts.service import authenticate
from alianza.web.i18n import LANGUAGES, translate
from alianza.web.render import LANGUAGE_COOKIE, language_of, render
from alianza.web.security import SESSION_CSRF, SESSION_USER, check_csrf, database

router = APIRouter(include_in_schema=False)


def safe_next(value: str | None) -> str:
    """Only paths of this site (no scheme, no host, no protocol-relative URL)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/pme"


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", next=safe_next(next), error=None, username=None)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    throttle = request.app.state.login_throttle
    client = request.client.host if request.client else "unknown"
    language = language_of(request)
    wait = throttle.blocked_for(username, client)
    if wait > 0:
        message = translate("login_throttled", language, minutes=max(1, round(wait / 60)))
        return render(
            request, "login.html", 429, next=safe_next(next), error=message, username=username
        )
    with database(request).transaction() as session:
        principal = authenticate(session, username, password)
        audit.record(
            session,
            actor=username if principal else "anonymous",
            action="accounts.login" if principal else "accounts.login.failed",
            subject=f"user:{username}",
            details={"client": client},
        )
    if principal is None:
        throttle.failed(username, client)
        message = translate("login_failed", language)
        return render(
            request, "login.html", 401, next=safe_next(next), error=message, username=username
        )
    throttle.succeeded(username)
    request.session.clear()  # a fresh session (and CSRF token) after login
    request.session[SESSION_USER] = principal.user_id
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    request.session.pop(SESSION_USER, None)
    request.session.pop(SESSION_CSRF, None)
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{language}")
def switch_language(language: str, next: str | None = None) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response


@router.get("/")
def home() -> Response:
    return RedirectResponse("/pme", status_code=303)
