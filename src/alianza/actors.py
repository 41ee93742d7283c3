"""Who acts: the one type a service function takes as its ``actor`` (issue 14, "one door, one
viewer").

An :data:`Actor` is either a signed-in user (:class:`~alianza.accounts.service.Principal`,
what the web layer authenticated) or the node itself, named (:class:`NodeSelf`: a command run
by the node's operator, ``alianza ... --by NAME``; the demo loader; a signed message's
endpoint). The shells build one and hand it over; the service decides what it may do and
what the audit log records (:func:`actor_name`). mypy (strict) refuses a plain string where a
converted service function asks for an Actor; ``tests/test_actors.py`` lists the service
modules not converted yet (the list only shrinks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from alianza.accounts.service import Principal


@dataclass(frozen=True)
class NodeSelf:
    """The node acting on its own behalf, under a name the audit log records."""

    name: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("the node acts under a name (NodeSelf(name=...))")


Actor: TypeAlias = Principal | NodeSelf


def actor_name(actor: Actor) -> str:
    """What the audit log records: the user's login, or the node's name for itself."""
    if isinstance(actor, Principal):
        return actor.username
    if isinstance(actor, NodeSelf):
        return actor.name
    raise TypeError(f"an actor is a Principal or a NodeSelf, not {type(actor).__name__}")
