"""Log in, log out, change one's password, switch language."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.accounts.service import (
    MIN_PASSWORD,
    ForeignAccount,
    Principal,
    authenticate,
    set_password,
)
from alianza.accounts.sessions import end_session, start_session
from alianza.accounts.throttle import Attempt, attempt_failed, attempt_succeeded, claim_attempt
from alianza.catalogue import message_of
from alianza.web.i18n import LANGUAGES, translate
from alianza.web.render import LANGUAGE_COOKIE, language_of, render
from alianza.web.security import (
    DEVICE_COOKIE,
    DEVICE_DAYS,
    SESSION_ID,
    check_csrf,
    client_address,
    database,
    device_cookie,
    require,
    settings_of,
    throttle_policy,
    trusted_device,
)

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
    """Check the throttle (shared by all workers, see accounts/throttle.py), then the password;
    on success start a server-side session and remember this browser for the account."""
    settings = settings_of(request)
    client = client_address(request)
    language = language_of(request)
    attempt = Attempt(username, client, trusted_device(request, username))
    wait = claim_attempt(database(request), attempt, throttle_policy(settings))
    if wait > 0:
        message = translate("login_throttled", language, seconds=max(1, round(wait)))
        response = render(
            request, "login.html", 429, next=safe_next(next), error=message, username=username
        )
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response
    refused: ForeignAccount | None = None
    with database(request).transaction() as session:
        try:
            principal = authenticate(session, username, password)
        except ForeignAccount as error:  # right password, other government: said plainly
            principal, refused = None, error
        audit.record(
            session,
            actor=username if principal else "anonymous",
            action="accounts.login"
            if principal
            else ("accounts.login.foreign" if refused else "accounts.login.failed"),
            subject=f"user:{username}",
            details={"client": client},
        )
        token = None
        if principal is not None:
            lifetime = timedelta(hours=settings.session_max_hours)
            token = start_session(session, principal.user_id, client=client, lifetime=lifetime)
    if refused is not None:
        return render(
            request,
            "login.html",
            403,
            next=safe_next(next),
            error=message_of(refused),
            username=username,
        )
    if principal is None or token is None:
        attempt_failed(database(request), attempt, throttle_policy(settings))
        message = translate("login_failed", language)
        return render(
            request, "login.html", 401, next=safe_next(next), error=message, username=username
        )
    attempt_succeeded(database(request), attempt)
    request.session.clear()  # a fresh session id and CSRF token after login
    request.session[SESSION_ID] = token
    redirect = RedirectResponse(safe_next(next), status_code=303)
    redirect.set_cookie(
        DEVICE_COOKIE,
        device_cookie(request, principal.username),
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.env == "production",
    )
    return redirect


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    """End the session in the database (a copy of the cookie stops working), then forget it."""
    token = request.session.get(SESSION_ID)
    if isinstance(token, str):
        with database(request).transaction() as session:
            end_session(session, token)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/account/password")
def password_page(
    request: Request,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],  # every role
    changed: bool = False,
) -> Response:
    return render(request, "password.html", error=None, changed=changed)


@router.post("/account/password", dependencies=[Depends(check_csrf)])
def change_password(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    current_password: Annotated[str, Form(max_length=1000)],
    new_password: Annotated[str, Form(max_length=1000)],
    new_password_again: Annotated[str, Form(max_length=1000)],
) -> Response:
    """Change one's own password: every session of the user ends (a copied cookie stops
    working); this browser gets a fresh one. The current password is checked under the login
    throttle, so a stolen session cannot be used to guess it quickly."""
    settings = settings_of(request)
    language = language_of(request)
    client = client_address(request)

    def refuse(key: str, status: int, **values: object) -> Response:
        message = translate(key, language, **values)
        return render(request, "password.html", status, error=message, changed=False)

    if new_password != new_password_again:
        return refuse("passwords_differ", 422)
    if len(new_password) < MIN_PASSWORD:
        return refuse("password_too_short", 422, minimum=MIN_PASSWORD)
    attempt = Attempt(user.username, client, trusted_device(request, user.username))
    wait = claim_attempt(database(request), attempt, throttle_policy(settings))
    if wait > 0:
        return refuse("login_throttled", 429, seconds=max(1, round(wait)))
    with database(request).transaction() as session:
        if authenticate(session, user.username, current_password) is None:
            token = None
        else:
            set_password(session, user.username, new_password, actor=user)
            lifetime = timedelta(hours=settings.session_max_hours)
            token = start_session(session, user.user_id, client=client, lifetime=lifetime)
    if token is None:
        attempt_failed(database(request), attempt, throttle_policy(settings))
        return refuse("current_password_wrong", 401)
    attempt_succeeded(database(request), attempt)
    request.session.clear()
    request.session[SESSION_ID] = token
    return RedirectResponse("/account/password?changed=true", status_code=303)


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
