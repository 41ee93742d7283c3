"""Refusals many modules say the same way: something asked for that is not there, a value
outside its list, a file over its size. English here, Spanish in the message catalogue (keys
``refusal.…``; :mod:`alianza.catalogue`); each is a :class:`~alianza.catalogue.Said`, so the
page and the command line say it in their user's language and the API keeps the English."""

from __future__ import annotations

from alianza.catalogue import Said, declare

# What can be asked for by its key and be missing (the Spanish names it with its article).
NOT_FOUND = {
    noun: declare(f"refusal.not-found.{noun.replace(' ', '-')}", f"no {noun} {{name}}")
    for noun in (
        "action",
        "package",
        "outbound package",
        "selection",
        "shipment",
        "alert",
        "import report",
        "step",
        "download",
        "cycle",
        "user",
    )
}
NOT_FOUND_IN_PLAN = {
    noun: declare(
        f"refusal.not-found-in-plan.{noun}", f"no {noun} {{name}} in plan {{plan!r}}{{known}}"
    )
    for noun in ("action", "cycle")
}
KNOWN_CYCLES = declare("refusal.known-cycles", " (cycles: {cycles})")
NO_CYCLES = declare("refusal.no-cycles", " (cycles: none)")
ONE_OF = declare("refusal.one-of", "{field}: one of {allowed}")
FORMAT = declare("refusal.format", "no format {name} (one of: {allowed})")
FILE_TOO_LARGE = {
    kind: declare(f"refusal.file-too-large.{kind}", f"a {kind} file is at most {{limit:,}} bytes")
    for kind in ("seizure", "report")
}
NO_PME_REPORT = declare("refusal.no-pme-report", "no performance-measures report is loaded")
REPORT_FORMATS = declare(
    "refusal.report-formats", "a report downloads as report.json or report.csv"
)
PERIOD_ORDER = declare("refusal.period-order", "last ({last}) is before first ({first})")


def not_found(noun: str, name: object) -> Said:
    """ "no action 10.4": ``name`` as it is shown (quoted by the caller where it is quoted)."""
    return NOT_FOUND[noun].said(name=name)


def not_found_in_plan(noun: str, name: object, plan: str, known: list[str] | None = None) -> Said:
    """ "no cycle '2000-Q1' in plan 'x' (cycles: …)"; ``known`` None: the list is not shown."""
    listed: object = ""
    if known is not None:
        listed = KNOWN_CYCLES.said(cycles=", ".join(known)) if known else NO_CYCLES.said()
    return NOT_FOUND_IN_PLAN[noun].said(name=name, plan=plan, known=listed)


def one_of(field: str, allowed: list[str] | tuple[str, ...]) -> Said:
    return ONE_OF.said(field=field, allowed=", ".join(allowed))
