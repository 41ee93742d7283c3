"""A DRAFT Binational Threat Assessment (10.1), in English or Spanish, from the node's records.

The node's own records only, plus the quarterly totals the partner sent in its signed
packages: never another country's raw records, even where an old database holds some.

It assembles what the node holds, and says where it holds nothing: incident trends by border
region and quarter (:mod:`alianza.cooperation.incidents`), seizure trends and transport methods
(the seizure domain's public :func:`~alianza.seizures.aggregate.aggregate`), the state of the
rail smuggling analysis and the other joint deliverables, and the HLCG consultations on the
update. It is a draft for the analysts of both governments to write from, not an assessment.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.accounts.permissions import Country
from alianza.cooperation.incidents import incident_analysis
from alianza.cooperation.models import Deliverable, Mechanism, Meeting
from alianza.node import node_country, other_country
from alianza.releasability import partner_totals
from alianza.seizures.aggregate import NOT_REPORTED, aggregate

RAIL_DELIVERABLE = "rail-smuggling-analysis"

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Binational Threat Assessment — DRAFT",
        "es": "Evaluación Binacional de la Amenaza — BORRADOR",
    },
    "banner": {
        "en": "Draft assembled by Alianza from the records of this node, {first} to {last}. "
        "Not an agreed text: for the analysts of both governments to write from.",
        "es": "Borrador armado por Alianza con los registros de este nodo, del {first} al "
        "{last}. No es un texto acordado: es la base para los analistas de ambos gobiernos.",
    },
    "incidents": {
        "en": "1. Border violence and crime",
        "es": "1. Violencia y delincuencia en la frontera",
    },
    "no_incidents": {
        "en": "No incident records in the period.",
        "es": "No hay registros de incidentes en el periodo.",
    },
    "incident_header": {
        "en": "| Region | Quarter | Incidents | Drug-related | Not | Unknown | US | MX |",
        "es": "| Región | Trimestre | Incidentes | Ligados al narcotráfico | No | Se "
        "desconoce | EE. UU. | México |",
    },
    "drug_share": {
        "en": "{yes} of {total} incidents ({share}) are recorded as linked to drug trafficking.",
        "es": "{yes} de {total} incidentes ({share}) están registrados como ligados al "
        "narcotráfico.",
    },
    "seizures": {"en": "2. Seizure trends", "es": "2. Tendencias de los aseguramientos"},
    "own_records": {
        "en": "Records of this node ({country}). The partner's figures below are the totals "
        "it sent through the verified exchange, never its records.",
        "es": "Registros de este nodo ({country}). Las cifras del socio, abajo, son los totales "
        "que envió por el intercambio verificado, nunca sus registros.",
    },
    "partner": {
        "en": "Received from {country} (signed exchange packages)",
        "es": "Recibido de {country} (paquetes de intercambio firmados)",
    },
    "no_partner": {
        "en": "No package from {country} for these quarters has been received.",
        "es": "No se ha recibido ningún paquete de {country} para estos trimestres.",
    },
    "no_seizures": {
        "en": "No seizure records in the period.",
        "es": "No hay registros de aseguramientos en el periodo.",
    },
    "seizure_header": {
        "en": "| Quarter | Drug group | Seizures | Kilograms |",
        "es": "| Trimestre | Grupo de drogas | Aseguramientos | Kilogramos |",
    },
    "transport": {
        "en": "3. Transport methods",
        "es": "3. Medios de transporte",
    },
    "transport_header": {
        "en": "| Transport mode | Seizures | Kilograms |",
        "es": "| Medio de transporte | Aseguramientos | Kilogramos |",
    },
    "not_reported": {
        "en": "{n} seizure(s) do not report a transport mode (NOT_REPORTED): the share of each "
        "mode is a share of the records that report one.",
        "es": "{n} aseguramiento(s) no informan el medio de transporte (NOT_REPORTED): la "
        "proporción de cada medio es sobre los registros que lo informan.",
    },
    "rail": {
        "en": "4. Drug smuggling by rail",
        "es": "4. Contrabando de drogas por ferrocarril",
    },
    "rail_seizures": {
        "en": "Seizures recorded with transport mode RAIL: {n} ({kg} kg).",
        "es": "Aseguramientos registrados con medio de transporte RAIL: {n} ({kg} kg).",
    },
    "rail_done": {
        "en": "The joint rail smuggling analysis was completed on {on} ({document}).",
        "es": "El análisis conjunto del contrabando por ferrocarril se concluyó el {on} "
        "({document}).",
    },
    "rail_open": {
        "en": "The joint rail smuggling analysis is not completed. {note}",
        "es": "El análisis conjunto del contrabando por ferrocarril no está concluido. {note}",
    },
    "rail_missing": {
        "en": "No rail smuggling analysis is recorded in the registry.",
        "es": "El registro no contiene un análisis del contrabando por ferrocarril.",
    },
    "work": {
        "en": "5. Joint work behind this assessment",
        "es": "5. Trabajo conjunto en que se apoya esta evaluación",
    },
    "consultations": {
        "en": "HLCG consultations on the update in the period: {n}.",
        "es": "Consultas del GCAN sobre la actualización en el periodo: {n}.",
    },
    "deliverable": {
        "en": "- {title}: {state}",
        "es": "- {title}: {state}",
    },
    "done": {"en": "completed {on}", "es": "concluido el {on}"},
    "open": {"en": "not completed", "es": "no concluido"},
    "due": {"en": "not completed (due {due})", "es": "no concluido (plazo {due})"},
}


def _t(key: str, language: str, **values: Any) -> str:
    return TEXT[key][language].format(**values)


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
    lines = ["", f"### {_t('partner', language, country=partner.value)}", ""]
    rows = partner_totals(session, partner, quarters)
    if not rows:
        return [*lines, _t("no_partner", language, country=partner.value)]
    lines += [_t("seizure_header", language), "|---|---|---:|---:|"]
    for row in rows:
        lines.append(f"| {row.quarter} | {row.drug} | {row.seizures:,.0f} | {_kg(row.amount_kg)} |")
    return lines


def draft_threat_assessment(session: Session, first: date, last: date, language: str = "en") -> str:
    """The draft as Markdown, for the period ``first``–``last`` (inclusive)."""
    if language not in ("en", "es"):
        raise ValueError("language is en or es")
    lines = [
        f"# {_t('title', language)}",
        "",
        f"*{_t('banner', language, first=first, last=last)}*",
    ]

    lines += ["", f"## {_t('incidents', language)}", ""]
    cells = incident_analysis(session, first=first, last=last)
    if cells:
        lines.append(_t("incident_header", language))
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
        lines += ["", _t("drug_share", language, yes=yes, total=total, share=share)]
    else:
        lines.append(_t("no_incidents", language))

    quarters = set()
    day = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    while day <= last:
        quarters.add(_quarter_key(day))
        day = date(day.year + (day.month + 2) // 12, (day.month + 2) % 12 + 1, 1)
    # The node's own records only, whatever else an old database may hold (alianza.node).
    own = node_country(session)
    where = {"quarter": quarters, "country": {own.value}}
    lines += ["", f"## {_t('seizures', language)}", ""]
    lines += [_t("own_records", language, country=own.value), ""]
    trend = aggregate(session, ["quarter", "drug_group"], where).rows()
    if trend:
        lines += [_t("seizure_header", language), "|---|---|---:|---:|"]
        for row in trend:
            lines.append(
                f"| {row['quarter']} | {row['drug_group']} | {_count(row['seizures'])} | "
                f"{_kg(row['amount_kg'])} |"
            )
    else:
        lines.append(_t("no_seizures", language))
    lines += _partner_lines(session, sorted(quarters), own, language)

    lines += ["", f"## {_t('transport', language)}", ""]
    modes = aggregate(session, ["transport_mode"], where).rows()
    if modes:
        lines += [_t("transport_header", language), "|---|---:|---:|"]
        for row in modes:
            lines.append(
                f"| {row['transport_mode']} | {_count(row['seizures'])} | {_kg(row['amount_kg'])} |"
            )
        missing = sum(r["seizures"] or 0 for r in modes if r["transport_mode"] == NOT_REPORTED)
        if missing:
            lines += ["", _t("not_reported", language, n=missing)]
    else:
        lines.append(_t("no_seizures", language))

    lines += ["", f"## {_t('rail', language)}", ""]
    rail = [r for r in modes if r["transport_mode"] == "RAIL"]
    lines.append(
        _t(
            "rail_seizures",
            language,
            n=sum(r["seizures"] or 0 for r in rail),
            kg=_kg(rail[0]["amount_kg"]) if rail else "0.0",
        )
    )
    study = session.scalars(select(Deliverable).where(Deliverable.key == RAIL_DELIVERABLE)).first()
    if study is None:
        lines.append(_t("rail_missing", language))
    elif study.completed_on and study.completed_on <= last:
        lines.append(
            _t("rail_done", language, on=study.completed_on, document=study.document or "—")
        )
    else:
        note = (study.note or "") if language == "en" else ""  # notes are kept in English
        lines.append(_t("rail_open", language, note=note).rstrip())

    lines += ["", f"## {_t('work', language)}", ""]
    hlcg = session.scalars(select(Mechanism.id).where(Mechanism.key == "hlcg")).first()
    meetings = session.scalars(
        select(Meeting).where(
            Meeting.mechanism_id == hlcg, Meeting.held_on >= first, Meeting.held_on <= last
        )
    ).all()
    consultations = [m for m in meetings if "threat-assessment-update" in m.topics]
    lines += [_t("consultations", language, n=len(consultations)), ""]
    for item in session.scalars(select(Deliverable).order_by(Deliverable.id)):
        title = (item.title_es or item.title) if language == "es" else item.title
        if item.completed_on and item.completed_on <= last:
            state = _t("done", language, on=item.completed_on)
        elif item.due_on:
            state = _t("due", language, due=item.due_on)
        else:
            state = _t("open", language)
        lines.append(_t("deliverable", language, title=title, state=state))
    return "\n".join(lines) + "\n"
