"""Administration pages: the audit log and the users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal, list_users
from alianza.web.render import render
from alianza.web.security import database, require

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
    with database(request).reader() as session:
        users = list_users(session)
    return render(request, "admin/users.html", users=users)
