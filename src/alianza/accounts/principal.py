"""A signed-in user, as the shells hand it to the services (:class:`Principal`), and the
refusal of an account of the other government (:class:`ForeignAccount`).

Kept apart from :mod:`alianza.accounts.service` so that :mod:`alianza.actors` (``Actor =
Principal | NodeSelf``) can name it while the account services themselves take an Actor.
"""

from __future__ import annotations

from dataclasses import dataclass

from alianza.accounts.models import User
from alianza.accounts.permissions import Country, Permission, Role, role_grants
from alianza.catalogue import declare
from alianza.node import ForeignCountry

FOREIGN_ACCOUNT = declare(
    "accounts.foreign-account",
    "account {username!r} belongs to the {other} government and signs in on the {other} node "
    "only (an administrator lists and disables such accounts with `alianza users check`)",
)


class ForeignAccount(ForeignCountry):
    """An account of the other government, held by an older database of this node: it does not
    sign in here (web or API token), whatever its password; an administrator lists and
    disables such accounts with ``alianza users check``."""

    def __init__(self, node: str, other: str, username: str) -> None:
        super().__init__(node, other, FOREIGN_ACCOUNT, username=username)
        self.username = username


@dataclass(frozen=True)
class Principal:
    """Who is acting: what the web layer and the CLI check permissions against."""

    user_id: int
    username: str
    display_name: str
    role: Role
    country: Country
    agency: str
    language: str

    def can(self, permission: Permission) -> bool:
        return role_grants(self.role, permission)

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(
            user.id,
            user.username,
            user.display_name,
            Role(user.role),
            Country(user.country),
            user.agency,
            user.language,
        )
