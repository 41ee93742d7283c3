"""Who acts: the one type a service function takes as its ``actor`` (issue 14, "one door, one
viewer").

An :data:`Actor` is either a signed-in user (:class:`~alianza.accounts.principal.Principal`,
what the web layer authenticated) or the node itself, named (:class:`NodeSelf`: a command run
by the node's operator, ``alianza ... --by NAME``; the demo loader; a signed message's
endpoint). The shells build one and hand it over; the service decides what it may do
(:func:`acting`) and what the audit log records (:func:`actor_name`). mypy (strict) refuses a
plain string where a converted service function asks for an Actor; ``tests/test_actors.py``
lists the service modules not converted yet (the list only shrinks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from alianza.accounts.permissions import Country, Permission
from alianza.accounts.principal import ForeignAccount, Principal
from alianza.catalogue import declare
from alianza.node import node_country_or_none

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from alianza.db import Database


UNNAMED = declare("actors.unnamed", "the node acts under a name (NodeSelf(name=...))")


@dataclass(frozen=True)
class NodeSelf:
    """The node acting on its own behalf, under a name the audit log records."""

    name: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError(UNNAMED.said())


Actor: TypeAlias = Principal | NodeSelf


def actor_name(actor: Actor) -> str:
    """What the audit log records: the user's login, or the node's name for itself."""
    if isinstance(actor, Principal):
        return actor.username
    if isinstance(actor, NodeSelf):
        return actor.name
    raise TypeError(f"an actor is a Principal or a NodeSelf, not {type(actor).__name__}")


MAY_NOT = declare("actors.may-not", "user {user!r} ({role}) may not do this: it needs {permission}")


class NotPermitted(PermissionError):
    """A signed-in user whose role does not grant what a service function was asked to do."""

    def __init__(self, actor: Principal, permission: Permission) -> None:
        super().__init__(
            MAY_NOT.said(user=actor.username, role=actor.role.value, permission=permission.value)
        )
        self.permission = permission


def acting(session: Session, actor: Actor, permission: Permission | None = None) -> str:
    """Check who writes on the node of ``session``; return the name the audit log records.

    A signed-in user of the other government is refused (:class:`ForeignAccount`: an account
    acts on its own government's node only), and so is one whose role does not grant
    ``permission`` (:class:`NotPermitted`). The node itself, named, is checked by neither: it
    is the node's operator (its keys, its database), who runs the command.
    """
    return _checked(node_country_or_none(session), actor, permission)


def acting_on(database: Database, actor: Actor, permission: Permission | None = None) -> str:
    """:func:`acting` for a service that must refuse before its work (training a model,
    scoring a batch or a declaration as it arrives) and writes in a later transaction. The
    node's country is the database's own, the one every session of it carries
    (:attr:`alianza.db.Database.country`), so the check opens no session and reads nothing:
    it can run on an event loop."""
    own = database.country
    return _checked(Country(own) if own is not None else None, actor, permission)


def _checked(own: Country | None, actor: Actor, permission: Permission | None) -> str:
    if isinstance(actor, Principal):
        if own is not None and actor.country is not own:
            raise ForeignAccount(own.value, actor.country.value, actor.username)
        if permission is not None and not actor.can(permission):
            raise NotPermitted(actor, permission)
    return actor_name(actor)
