"""``/pme/todo``: what needs the signed-in user (their government's approvals)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.pme.query import PlanNotFound
from alianza.pme.todo import TodoItem, what_needs_me
from alianza.web.params import OptionalDay
from alianza.web.render import render
from alianza.web.security import database, require

router = APIRouter(include_in_schema=False)


@router.get("/pme/todo")
def todo_page(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    today: OptionalDay = None,
) -> Response:
    when = today or date.today()
    items: list[TodoItem] = []
    with database(request).reader() as session:
        try:
            items = what_needs_me(session, when, government=user.country.value)
        except PlanNotFound:
            items = []
    return render(request, "pme/todo.html", items=items, today=when)
