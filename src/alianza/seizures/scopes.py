"""Named scopes of an aggregate: which records a total covers, said in every output.

CBP's public Southwest-border drug-seizure figures count the Office of Field Operations and the
U.S. Border Patrol only; Air and Marine Operations' rows carry ``Region = Southwest Border`` too,
so a plain ``region=SOUTHWEST_BORDER`` filter comes out above the published figures. A scope
names the choice instead of leaving it to the reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from alianza.catalogue import Text, declare
from alianza.codes import normalize_name

UNKNOWN_SCOPE = declare("scope.unknown", "unknown scope {name!r}; use one of: {known}")


class UnknownScope(ValueError):
    """A scope name Alianza does not define."""


@dataclass(frozen=True)
class Scope:
    name: str
    title: Text  # a catalogue message: the scope's title in each language
    where: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def title_en(self) -> str:
        return self.title("en")

    @property
    def title_es(self) -> str:
        return self.title("es")

    def describe(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title_en": self.title_en,
            "title_es": self.title_es,
            "filters": {k: sorted(v) for k, v in sorted(self.where.items())},
        }


SCOPES: dict[str, Scope] = {
    s.name: s
    for s in (
        Scope("all", declare("scope.all.title", "All records held")),
        Scope(
            "southwest-border-cbp-public",
            declare(
                "scope.southwest-border-cbp-public.title",
                "Southwest border, Field Operations and Border Patrol (as CBP's published figures)",
            ),
            {
                "region": frozenset({"SOUTHWEST_BORDER"}),
                "component": frozenset({"CBP-OFO", "CBP-USBP"}),
            },
        ),
        Scope(
            "southwest-border-all",
            declare(
                "scope.southwest-border-all.title",
                "Southwest border, every component (Air and Marine Operations included)",
            ),
            {"region": frozenset({"SOUTHWEST_BORDER"})},
        ),
        Scope(
            "mx-northern-border",
            declare(
                "scope.mx-northern-border.title",
                "Mexico's northern border (border municipalities and states)",
            ),
            {"region": frozenset({"MX_NORTHERN_BORDER"})},
        ),
    )
}


def find_scope(name: str) -> Scope:
    try:
        return SCOPES[name]
    except KeyError:
        raise UnknownScope(UNKNOWN_SCOPE.said(name=name, known=", ".join(SCOPES))) from None


def scoped_where(scope: Scope, where: Mapping[str, set[str]] | None) -> dict[str, set[str]]:
    """The user's filters narrowed by the scope: on a dimension both name, the values both
    allow (possibly none: an empty result, never a silently widened one)."""
    result = {k: set(v) for k, v in (where or {}).items()}
    for name, values in scope.where.items():
        if name in result:
            folded = {normalize_name(v) for v in values}
            result[name] = {v for v in result[name] if normalize_name(v) in folded}
        else:
            result[name] = set(values)
    return result
