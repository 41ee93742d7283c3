"""Administration pages: the audit log and the users."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal, list_users
from alianza.accounts.sessions import open_session_counts
from alianza.accounts.throttle import clear_throttle, list_throttles
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


@router.get("/admin/users")
def users_page(
    request: Request, _user: Annotated[Principal, Depends(require(Permission.USERS_MANAGE))]
) -> Response:
    now = datetime.now(UTC)
    with database(request).reader() as session:
        users = list_users(session)
        sessions = open_session_counts(session, now)
        throttles = list_throttles(session)
    return render(
        request,
        "admin/users.html",
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
        clear_throttle(session, key, actor=user.username)
    return RedirectResponse("/admin/users#throttles", status_code=303)
