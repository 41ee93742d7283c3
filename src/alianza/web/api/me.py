"""Who the API caller is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from alianza.accounts.permissions import GRANTS, Permission
from alianza.accounts.service import Principal
from alianza.web.security import require

router = APIRouter(prefix="/api/v1", tags=["accounts"])


class MePublic(BaseModel):
    username: str
    display_name: str
    role: str
    country: str
    agency: str
    permissions: list[str]


@router.get("/me", summary="The authenticated user and what their role grants")
def me(user: Annotated[Principal, Depends(require(Permission.PME_READ))]) -> MePublic:
    return MePublic(
        username=user.username,
        display_name=user.display_name,
        role=user.role.value,
        country=user.country.value,
        agency=user.agency,
        permissions=sorted(p.value for p in GRANTS[user.role]),
    )
