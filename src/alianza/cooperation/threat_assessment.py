"""A DRAFT Binational Threat Assessment (10.1), in English or Spanish, from the node's records.

The node's own records only, plus the quarterly totals the partner sent in its signed
packages: never another country's raw records, even where an old database holds some.

It assembles what the node holds, and says where it holds nothing: incident trends by border
region and quarter (:mod:`alianza.cooperation.incidents`), seizure trends and transport methods
(the seizure domain's totals, kept until the records change: :mod:`alianza.seizures.cache`),
the state of the rail smuggling analysis and the other joint deliverables, and the HLCG
consultations on the update. It is a draft for the analysts of both governments to write
from, not an assessment.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.accounts.permissions import Country
from alianza.catalogue import declare
from alianza.cooperation.incidents import incident_analysis
from alianza.cooperation.models import Deliverable, Mechanism, Meeting
from alianza.node import node_country, other_country
from alianza.releasability import partner_totals
from alianza.seizures.aggregate import NOT_REPORTED
from alianza.seizures.cache import cached_aggregate

RAIL_DELIVERABLE = "rail-smuggling-analysis"

# The draft's words (keys ``threat-assessment.…``; the Spanish in the message catalogue).
TITLE = declare("threat-assessment.title", "Binational Threat Assessment — DRAFT")
LANGUAGE = declare("threat-assessment.language", "language is en or es")
BANNER = declare(
    "threat-assessment.banner",
    "Draft assembled by Alianza from the records of this node, {first} to {last}. Not an agreed "
    "text: for the analysts of both governments to write from.",
)
INCIDENTS = declare("threat-assessment.incidents", "1. Border violence and crime")
NO_INCIDENTS = declare("threat-assessment.no-incidents", "No incident records in the period.")
INCIDENT_HEADER = declare(
    "threat-assessment.incident-header",
    "| Region | Quarter | Incidents | Drug-related | Not | Unknown | US | MX |",
)
DRUG_SHARE = declare(
    "threat-assessment.drug-share",
    "{yes} of {total} incidents ({share}) are recorded as linked to drug trafficking.",
)
SEIZURES = declare("threat-assessment.seizures", "2. Seizure trends")
OWN_RECORDS = declare(
    "threat-assessment.own-records",
    "Records of this node ({country}). The partner's figures below are the totals it sent "
    "through the verified exchange, never its records.",
)
PARTNER = declare("threat-assessment.partner", "Received from {country} (signed exchange packages)")
NO_PARTNER = declare(
    "threat-assessment.no-partner",
    "No package from {country} for these quarters has been received.",
)
NO_SEIZURES = declare("threat-assessment.no-seizures", "No seizure records in the period.")
SEIZURE_HEADER = declare(
    "threat-assessment.seizure-header", "| Quarter | Drug group | Seizures | Kilograms |"
)
TRANSPORT = declare("threat-assessment.transport", "3. Transport methods")
TRANSPORT_HEADER = declare(
    "threat-assessment.transport-header", "| Transport mode | Seizures | Kilograms |"
)
MODE_NOT_REPORTED = declare(
    "threat-assessment.not-reported",
    "{n} seizure(s) do not report a transport mode (NOT_REPORTED): the share of each mode is a "
    "share of the records that report one.",
)
RAIL = declare("threat-assessment.rail", "4. Drug smuggling by rail")
RAIL_SEIZURES = declare(
    "threat-assessment.rail-seizures", "Seizures recorded with transport mode RAIL: {n} ({kg} kg)."
)
RAIL_DONE = declare(
    "threat-assessment.rail-done",
    "The joint rail smuggling analysis was completed on {on} ({document}).",
)
RAIL_OPEN = declare(
    "threat-assessment.rail-open", "The joint rail smuggling analysis is not completed. {note}"
)
RAIL_MISSING = declare(
    "threat-assessment.rail-missing", "No rail smuggling analysis is recorded in the registry."
)
WORK = declare("threat-assessment.work", "5. Joint work behind this assessment")
CONSULTATIONS = declare(
    "threat-assessment.consultations", "HLCG consultations on the update in the period: {n}."
)
DONE = declare("threat-assessment.done", "completed {on}")
OPEN = declare("threat-assessment.open", "not completed")
DUE = declare("threat-assessment.due", "not completed (due {due})")


def _count(value: int | None) -> str:
    """A count of events, or "n/r" where the source does not report one (not zero)."""
    return "n/r" if value is None else f"{value:,}"


def _kg(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def _quarter_key(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _partner_lines(session: Session, quarters: list[str], own: Country, language: str) -> list[str]:
    """The partner's quarterly totals by drug group, as received in its signed packages
    (through :func:`alianza.releasability.partner_totals`)."""
    partner = other_country(own)
    lines = ["", f"### {PARTNER(language, country=partner.value)}", ""]
    rows = partner_totals(session, partner, quarters)
    if not rows:
        return [*lines, NO_PARTNER(language, country=partner.value)]
    lines += [SEIZURE_HEADER(language), "|---|---|---:|---:|"]
    for row in rows:
        lines.append(f"| {row.quarter} | {row.drug} | {row.seizures:,.0f} | {_kg(row.amount_kg)} |")
    return lines


def draft_threat_assessment(session: Session, first: date, last: date, language: str = "en") -> str:
    """The draft as Markdown, for the period ``first``–``last`` (inclusive)."""
    if language not in ("en", "es"):
        raise ValueError(LANGUAGE.said())
    lines = [
        f"# {TITLE(language)}",
        "",
        f"*{BANNER(language, first=first, last=last)}*",
    ]

    lines += ["", f"## {INCIDENTS(language)}", ""]
    cells = incident_analysis(session, first=first, last=last)
    if cells:
        lines.append(INCIDENT_HEADER(language))
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
        for c in cells:
            us, mx = c.by_country.get("US", 0), c.by_country.get("MX", 0)
            lines.append(
                f"| {c.region} | {c.quarter} | {c.total} | {c.drug_related} | "
                f"{c.not_drug_related} | {c.unknown} | {us} | {mx} |"
            )
        total = sum(c.total for c in cells)
        yes = sum(c.drug_related for c in cells)
        share = f"{yes / total:.0%}"
        lines += ["", DRUG_SHARE(language, yes=yes, total=total, share=share)]
    else:
        lines.append(NO_INCIDENTS(language))

    quarters = set()
    day = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    while day <= last:
        quarters.add(_quarter_key(day))
        day = date(day.year + (day.month + 2) // 12, (day.month + 2) % 12 + 1, 1)
    # The node's own records only, whatever else an old database may hold (alianza.node).
    own = node_country(session)
    where = {"quarter": quarters, "country": {own.value}}
    lines += ["", f"## {SEIZURES(language)}", ""]
    lines += [OWN_RECORDS(language, country=own.value), ""]
    # the seizure totals kept until the records change, as the seizure pages' (seizures/cache.py)
    trend = cached_aggregate(session, ["quarter", "drug_group"], where).rows()
    if trend:
        lines += [SEIZURE_HEADER(language), "|---|---|---:|---:|"]
        for row in trend:
            lines.append(
                f"| {row['quarter']} | {row['drug_group']} | {_count(row['seizures'])} | "
                f"{_kg(row['amount_kg'])} |"
            )
    else:
        lines.append(NO_SEIZURES(language))
    lines += _partner_lines(session, sorted(quarters), own, language)

    lines += ["", f"## {TRANSPORT(language)}", ""]
    modes = cached_aggregate(session, ["transport_mode"], where).rows()
    if modes:
        lines += [TRANSPORT_HEADER(language), "|---|---:|---:|"]
        for row in modes:
            lines.append(
                f"| {row['transport_mode']} | {_count(row['seizures'])} | {_kg(row['amount_kg'])} |"
            )
        missing = sum(r["seizures"] or 0 for r in modes if r["transport_mode"] == NOT_REPORTED)
        if missing:
            lines += ["", MODE_NOT_REPORTED(language, n=missing)]
    else:
        lines.append(NO_SEIZURES(language))

    lines += ["", f"## {RAIL(language)}", ""]
    rail = [r for r in modes if r["transport_mode"] == "RAIL"]
    lines.append(
        RAIL_SEIZURES(
            language,
            n=sum(r["seizures"] or 0 for r in rail),
            kg=_kg(rail[0]["amount_kg"]) if rail else "0.0",
        )
    )
    study = session.scalars(select(Deliverable).where(Deliverable.key == RAIL_DELIVERABLE)).first()
    if study is None:
        lines.append(RAIL_MISSING(language))
    elif study.completed_on and study.completed_on <= last:
        lines.append(RAIL_DONE(language, on=study.completed_on, document=study.document or "—"))
    else:
        note = (study.note or "") if language == "en" else ""  # notes are kept in English
        lines.append(RAIL_OPEN(language, note=note).rstrip())

    lines += ["", f"## {WORK(language)}", ""]
    hlcg = session.scalars(select(Mechanism.id).where(Mechanism.key == "hlcg")).first()
    meetings = session.scalars(
        select(Meeting).where(
            Meeting.mechanism_id == hlcg, Meeting.held_on >= first, Meeting.held_on <= last
        )
    ).all()
    consultations = [m for m in meetings if "threat-assessment-update" in m.topics]
    lines += [CONSULTATIONS(language, n=len(consultations)), ""]
    for item in session.scalars(select(Deliverable).order_by(Deliverable.id)):
        title = (item.title_es or item.title) if language == "es" else item.title
        if item.completed_on and item.completed_on <= last:
            state = DONE(language, on=item.completed_on)
        elif item.due_on:
            state = DUE(language, due=item.due_on)
        else:
            state = OPEN(language)
        lines.append(f"- {title}: {state}")
    return "\n".join(lines) + "\n"
