"""The parameters each measure takes: name, type and allowed values, declared once.

:func:`checked_params` turns what a user typed (``at_least=3``) into typed values, or refuses
with the list of valid parameters. ``coop bind`` refuses there; a stored binding that no longer
checks makes only its own measure "cannot compute" (:mod:`alianza.cooperation.measures`).
Each refusal is a catalogue message (keys ``measure-param.…``; the Spanish in the catalogue),
raised as a :class:`~alianza.catalogue.Said`: the command line and the pages say it in their
user's language, ``str(error)`` is the English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from alianza.catalogue import Joined, Said, declare, message_of
from alianza.cooperation.registry import COUNTRIES, MECHANISM_KINDS

# A parameter as the list of valid ones names it: "kind (one of hlcg|blm, required)".
TYPES = {
    kind: declare(f"measure-param.type.{kind}", kind) for kind in ("text", "count", "date", "list")
}
ONE_OF = declare("measure-param.one-of", "one of {allowed}")
DESCRIBED = declare("measure-param.described", "{name} ({kind})")
DESCRIBED_REQUIRED = declare("measure-param.described-required", "{name} ({kind}, required)")
NONE = declare("measure-param.none", "(none)")
# What is wrong with one value, then with the binding (the valid parameters after it).
NOT_WHOLE = declare("measure-param.not-whole", "{name}={value!r} is not a whole number")
NOT_POSITIVE = declare("measure-param.not-positive", "{name}={value!r}: 1 or more")
NOT_DATE = declare("measure-param.not-date", "{name}={value!r} is not a date YYYY-MM-DD")
NOT_ALLOWED = declare("measure-param.not-allowed", "{name}={value!r}: one of {allowed}")
UNKNOWN = declare(
    "measure-param.unknown", "measure {measure!r} has no parameter {name!r}; valid: {valid}"
)
BAD_VALUE = declare("measure-param.bad-value", "measure {measure!r}: {problem}; valid: {valid}")
MISSING = declare("measure-param.missing", "measure {measure!r} needs {name}=…; valid: {valid}")


class BadParameter(ValueError):
    """A measure parameter that is unknown, missing or of the wrong type."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # "text", "count" (a whole number, 1 or more), "date" (YYYY-MM-DD), "list"
    allowed: tuple[str, ...] = ()
    required: bool = False

    def describe(self) -> Said:
        kind = (
            ONE_OF.said(allowed="|".join(self.allowed)) if self.allowed else TYPES[self.type].said()
        )
        return (DESCRIBED_REQUIRED if self.required else DESCRIBED).said(name=self.name, kind=kind)

    def convert(self, value: Any) -> Any:
        if self.type == "count":
            try:
                number = int(str(value).strip())
            except ValueError:
                raise BadParameter(NOT_WHOLE.said(name=self.name, value=value)) from None
            if number < 1:
                raise BadParameter(NOT_POSITIVE.said(name=self.name, value=value))
            return number
        if self.type == "date":
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise BadParameter(NOT_DATE.said(name=self.name, value=value)) from None
            return str(value)
        values = (
            ([str(v) for v in value] if isinstance(value, list) else str(value).split(","))
            if self.type == "list"
            else [str(value)]
        )
        for one in values:
            if self.allowed and one not in self.allowed:
                raise BadParameter(
                    NOT_ALLOWED.said(name=self.name, value=one, allowed=", ".join(self.allowed))
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


def valid_params(measure: str) -> Joined | Said:
    """The parameters ``measure`` takes, as the refusals list them (said in each language)."""
    params = MEASURE_PARAMS.get(measure, ())
    return Joined(", ", [p.describe() for p in params]) if params else NONE.said()


def checked_params(measure: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` typed as ``measure`` declares them; :class:`BadParameter` otherwise."""
    declared = {p.name: p for p in MEASURE_PARAMS[measure]}
    checked = {}
    for name, value in params.items():
        if name not in declared:
            raise BadParameter(
                UNKNOWN.said(measure=measure, name=name, valid=valid_params(measure))
            )
        try:
            checked[name] = declared[name].convert(value)
        except BadParameter as error:
            raise BadParameter(
                BAD_VALUE.said(
                    measure=measure, problem=message_of(error), valid=valid_params(measure)
                )
            ) from None
    for param in declared.values():
        if param.required and param.name not in checked:
            raise BadParameter(
                MISSING.said(measure=measure, name=param.name, valid=valid_params(measure))
            )
    return checked
