"""Which country this node is: the one source of truth for the sovereign boundary.

A node holds its own country's records and accounts, plus what the partner sent through the
verified exchange (stored as partner data). Its country comes from, in this order:

1. the node's identity, written by ``alianza node init --country`` beside its key
   (``node.json`` in ``ALIANZA_KEYS_DIR``, else ``ALIANZA_HOME/keys``);
2. the setting ``ALIANZA_COUNTRY``, for a node without keys yet (a test node, a fresh install).

When both are there they must agree. A node with neither has no country: every write that
carries a country (a seizure import, an account, a status paragraph of a government) is refused
with :class:`NodeCountryUnknown` rather than guessed.

The country travels with the :class:`~alianza.db.Database`: every session it opens carries it
(``session.info``), so a domain service function asks :func:`node_country` with the session it
was given and cannot forget the boundary.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from alianza.accounts.permissions import Country
from alianza.catalogue import Text, declare

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SESSION_KEY = "node_country"
IDENTITY_FILE = "node.json"  # written by alianza.exchange.keys.create_node_keys
COUNTRY_NAMES = {"US": ("the US", "EE. UU."), "MX": ("the Mexican", "México")}

# The refusals at the node's boundary (Spanish in the message catalogue: ``node.…``).
NO_COUNTRY = declare(
    "node.no-country",
    "this node has no country: run `alianza node init --country US|MX` (or set "
    "ALIANZA_COUNTRY) before writing records, accounts or status texts",
)
FOREIGN = declare("node.foreign-country", "this node is the {node} node; {what}")
COUNTRY_MISMATCH = declare(
    "node.country-mismatch",
    "ALIANZA_COUNTRY={setting} but this node's identity ({path}) says {identity}; unset "
    "ALIANZA_COUNTRY",
)
PARTNER_OWN_COUNTRY = declare(
    "node.partner-own-country",
    "key {key}… is of {country}, and this is the {node} node: a partner is the other "
    "government's node ({other})",
)


class NodeCountryUnknown(RuntimeError):
    """This node has no country: country-bearing writes cannot be checked, so they are refused."""

    def __init__(self) -> None:
        super().__init__(NO_COUNTRY.said())


class ForeignCountry(ValueError):
    """A write for the other country's government, records or accounts, refused on this node."""

    def __init__(self, node: str, other: str, what: Text, **values: object) -> None:
        """``what`` says what was refused; ``{other}`` in it is the refused country."""
        self.node, self.other = node, other
        node_es = COUNTRY_NAMES.get(node, (node, node))[1]
        refused = what.said(other=other, **values)
        super().__init__(FOREIGN.said(node=node, node_es=node_es, what=refused))


def country_of_keys(keys: Path) -> str | None:
    """The country in the node identity in the keys folder ``keys``, or None without keys."""
    path = keys / IDENTITY_FILE
    if not path.exists():
        return None
    country = json.loads(path.read_text("utf-8")).get("country")
    return str(country) if country else None


def resolve_country(keys: Path, setting: str | None) -> Country | None:
    """The node's country from its identity in the keys folder ``keys``, else from the
    setting; a mismatch is an error."""
    identity = country_of_keys(keys)
    if identity is not None and setting is not None and identity != setting:
        raise ValueError(
            COUNTRY_MISMATCH.said(setting=setting, path=keys / IDENTITY_FILE, identity=identity)
        )
    value = identity or setting
    return Country(value) if value else None


def node_country(session: Session) -> Country:
    """The country of the node whose database ``session`` reads or writes."""
    value = session.info.get(SESSION_KEY)
    if value is None:
        raise NodeCountryUnknown()
    return Country(value)


def node_country_or_none(session: Session) -> Country | None:
    value = session.info.get(SESSION_KEY)
    return Country(value) if value is not None else None


def require_own(session: Session, country: str, *, what: Text) -> Country:
    """Refuse ``country`` unless it is this node's; returns the node's country. ``what`` (a
    catalogue message) says what was refused; ``{other}`` in it is the refused country."""
    own = node_country(session)
    if country != own.value:
        raise ForeignCountry(own.value, country, what)
    return own


def other_country(country: Country) -> Country:
    """The partner government of ``country``."""
    return Country.MX if country is Country.US else Country.US


class PartnerOfOwnCountry(ValueError):
    """A partner key that is not the other government's: a node trusts only the partner's."""


def require_partner_country(session: Session, fingerprint: str, country: str) -> None:
    """Refuse a partner key whose country is not the other government's (a key claiming this
    node's own country would sign alerts and packages as this side). A node without a country
    yet (a fresh test database) checks nothing."""
    own = node_country_or_none(session)
    if own is not None and country != other_country(own).value:
        raise PartnerOfOwnCountry(
            PARTNER_OWN_COUNTRY.said(
                key=fingerprint[:16],
                country=country,
                node=own.value,
                other=other_country(own).value,
            )
        )


def is_partner_country(session: Session, country: str) -> bool:
    """Whether ``country`` is the other government's (True on a node without a country)."""
    own = node_country_or_none(session)
    return own is None or country == other_country(own).value
