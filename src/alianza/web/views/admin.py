"""Administration pages: the audit log and the users."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from alianza import audit
from alianza.accounts.permissions import Permission, Role
from alianza.accounts.service import (
    AccountError,
    Principal,
    create_user,
    disable_user,
    list_users,
    set_password,
    set_role,
)
from alianza.accounts.sessions import open_session_counts
from alianza.accounts.throttle import clear_throttle, list_throttles
from alianza.catalogue import message_of
from alianza.web.errors import OWN_ACCOUNT
from alianza.web.render import render
from alianza.web.security import check_csrf, database, require

router = APIRouter(include_in_schema=False)


@router.get("/audit")
def audit_page(
    request: Request, _user: Annotated[Principal, Depends(require(Permission.AUDIT_READ))]
) -> Response:
    with database(request).reader() as session:
        chain = audit.verify_chain(session)
        entries = audit.recent_entries(session, limit=200)
    return render(request, "admin/audit.html", chain=chain, entries=entries)


MANAGE = Depends(require(Permission.USERS_MANAGE))


@router.get("/admin/users")
def users_page(request: Request, _user: Annotated[Principal, MANAGE]) -> Response:
    done = request.query_params.get("done")
    return _users(request, done=done if done in ("added", "role", "disabled", "password") else None)


def _users(
    request: Request, *, error: str | None = None, done: str | None = None, status: int = 200
) -> Response:
    now = datetime.now(UTC)
    with database(request).reader() as session:
        users = list_users(session)
        sessions = open_session_counts(session, now)
        throttles = list_throttles(session)
    return render(
        request,
        "admin/users.html",
        status_code=status,
        error=error,
        done=done,
        roles=[role.value for role in Role],
        users=users,
        sessions=sessions,
        throttles=[(row, round(row.wait(now))) for row in throttles],
    )


@router.post("/admin/throttles/clear", dependencies=[Depends(check_csrf)])
def clear_throttle_form(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.USERS_MANAGE))],
    key: Annotated[str, Form(max_length=200)],
) -> Response:
    """Forget one key's failed logins (the person waiting may try again at once)."""
    with database(request).transaction() as session:
        clear_throttle(session, key, actor=user)
    return RedirectResponse("/admin/users#throttles", status_code=303)


# Account management (issue 23, item 5): each form calls the accounts service with the acting
# admin, which audits it; accounts are of this node's country only (the service refuses others).
@router.post("/admin/users", dependencies=[Depends(check_csrf)])
def add_user_form(
    request: Request,
    user: Annotated[Principal, MANAGE],
    username: Annotated[str, Form(max_length=100)],
    role: Annotated[Role, Form()],
    agency: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    display_name: Annotated[str, Form(max_length=200)] = "",
    language: Annotated[str, Form(pattern="^(en|es)$")] = "en",
) -> Response:
    try:
        with database(request).transaction() as session:
            create_user(
                session, username=username.strip(), password=password, role=role,
                country=user.country, agency=agency.strip(),
                display_name=display_name.strip() or None, language=language,
                actor=user,
            )  # fmt: skip
    except AccountError as refused:
        return _users(request, error=message_of(refused), status=422)
    return RedirectResponse("/admin/users?done=added", status_code=303)


@router.post("/admin/users/{username}/role", dependencies=[Depends(check_csrf)])
def set_role_form(
    request: Request,
    username: str,
    user: Annotated[Principal, MANAGE],
    role: Annotated[Role, Form()],
) -> Response:
    try:
        with database(request).transaction() as session:
            set_role(session, username, role, actor=user)
    except AccountError as refused:
        return _users(request, error=message_of(refused), status=422)
    return RedirectResponse("/admin/users?done=role", status_code=303)


@router.post("/admin/users/{username}/disable", dependencies=[Depends(check_csrf)])
def disable_form(request: Request, username: str, user: Annotated[Principal, MANAGE]) -> Response:
    if username == user.username:
        return _users(request, error=OWN_ACCOUNT.said(), status=422)
    try:
        with database(request).transaction() as session:
            disable_user(session, username, actor=user)
    except AccountError as refused:
        return _users(request, error=message_of(refused), status=422)
    return RedirectResponse("/admin/users?done=disabled", status_code=303)


@router.post("/admin/users/{username}/password", dependencies=[Depends(check_csrf)])
def reset_password_form(
    request: Request,
    username: str,
    user: Annotated[Principal, MANAGE],
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    try:
        with database(request).transaction() as session:
            set_password(session, username, password, actor=user)
    except AccountError as refused:
        return _users(request, error=message_of(refused), status=422)
    return RedirectResponse("/admin/users?done=password", status_code=303)
