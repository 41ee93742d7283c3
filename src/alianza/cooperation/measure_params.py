"""The parameters each measure takes: name, type and allowed values, declared once.

:func:`checked_params` turns what a user typed (``at_least=3``) into typed values, or refuses
with the list of valid parameters. ``coop bind`` refuses there; a stored binding that no longer
checks makes only its own measure "cannot compute" (:mod:`alianza.cooperation.measures`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from alianza.cooperation.registry import COUNTRIES, MECHANISM_KINDS


class BadParameter(ValueError):
    """A measure parameter that is unknown, missing or of the wrong type."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # "text", "count" (a whole number, 1 or more), "date" (YYYY-MM-DD), "list"
    allowed: tuple[str, ...] = ()
    required: bool = False

    def describe(self) -> str:
        kind = f"one of {'|'.join(self.allowed)}" if self.allowed else self.type
        return f"{self.name} ({kind}{', required' if self.required else ''})"

    def convert(self, value: Any) -> Any:
        if self.type == "count":
            try:
                number = int(str(value).strip())
            except ValueError:
                raise BadParameter(
                    f"{self.name}={value!r} is not a whole number / no es un número entero"
                ) from None
            if number < 1:
                raise BadParameter(f"{self.name}={value!r}: 1 or more / 1 o más")
            return number
        if self.type == "date":
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise BadParameter(
                    f"{self.name}={value!r} is not a date YYYY-MM-DD / no es una fecha AAAA-MM-DD"
                ) from None
            return str(value)
        values = (
            ([str(v) for v in value] if isinstance(value, list) else str(value).split(","))
            if self.type == "list"
            else [str(value)]
        )
        for one in values:
            if self.allowed and one not in self.allowed:
                raise BadParameter(
                    f"{self.name}={one!r}: one of / uno de: {', '.join(self.allowed)}"
                )
        return values if self.type == "list" else values[0]


COUNT = Param("at_least", "count")
COUNTRY = Param("country", "text", COUNTRIES)
MEASURE_PARAMS: dict[str, tuple[Param, ...]] = {
    "meetings": (
        Param("mechanism", "text"),
        Param("kind", "text", MECHANISM_KINDS),
        Param("topic", "text"),
        Param("since", "date"),
        COUNT,
    ),
    "subgroups": (Param("topic", "text"),),
    "liaison-posts": (Param("role", "text"),),
    "deliverable": (Param("key", "text", required=True),),
    "trained": (COUNTRY, Param("subject", "text"), COUNT),
    "technology": (Param("kinds", "list"), COUNTRY, COUNT),
    "exchange-quarters": (Param("direction", "text", ("outbound", "inbound")), COUNT),
    # port alerts' request clocks (10.6): the share answered by their due time, in per cent
    "port-requests": (
        Param("direction", "text", ("outbound", "inbound")),
        Param("percent", "count"),
        Param("since", "date"),
    ),
}


def valid_params(measure: str) -> str:
    params = MEASURE_PARAMS.get(measure, ())
    return ", ".join(p.describe() for p in params) or "(none / ninguno)"


def checked_params(measure: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` typed as ``measure`` declares them; :class:`BadParameter` otherwise."""
    declared = {p.name: p for p in MEASURE_PARAMS[measure]}
    checked = {}
    for name, value in params.items():
        if name not in declared:
            raise BadParameter(
                f"measure {measure!r} has no parameter {name!r} / la medida no tiene el "
                f"parámetro {name!r}; valid / válidos: {valid_params(measure)}"
            )
        try:
            checked[name] = declared[name].convert(value)
        except BadParameter as error:
            raise BadParameter(
                f"measure {measure!r}: {error}; valid / válidos: {valid_params(measure)}"
            ) from None
    for param in declared.values():
        if param.required and param.name not in checked:
            raise BadParameter(
                f"measure {measure!r} needs / necesita {param.name}=…; "
                f"valid / válidos: {valid_params(measure)}"
            )
    return checked
