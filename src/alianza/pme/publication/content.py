"""What a published cycle shows, per language: the report table with the cycle's status,
the scorecard and the deadline timeline, all read from the frozen publication.

The plan's own text (action, baseline, targets, measurements) is the one frozen at
publication, in the language asked for where the plan held it, action by action; an action
held only in English is shown in English and listed in :attr:`Edition.untranslated`. A status
paragraph missing in the language asked for (its approval waived) is shown in the other
language, marked ``[EN]`` or ``[ES]``. Nothing is silently left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.pme.cycle_publish import Publication, edition_file, publication
from alianza.pme.document import Language, Paragraph, Report, Snapshot
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.markup import markup_from_text
from alianza.pme.plan_text import thaw_plan_text
from alianza.pme.schedule import ScheduleState

# The governments as the edition names them (a joint status text has no prefix).
GOVERNMENTS = {
    "US": declare("pme.publication.government.US", "United States"),
    "MX": declare("pme.publication.government.MX", "Mexico"),
}
# The schedule states, as the scorecard and the timeline name them.
STATE_LABELS = {
    state: declare(f"pme.publication.state.{state.replace('_', '-')}", english)
    for state, english in {
        "overdue": "Overdue",
        "due_soon": "Due soon",
        "waiting_on_event": "Waiting on event",
        "not_due": "Not yet due",
        "met_late": "Met late",
        "met_on_time": "Met on time",
        "no_deadline": "No deadline",
        "met_timing_unknown": "Met, timing unknown",
        "disputed": "Disputed (records and judgement disagree)",
        "unparsed_deadline": "Unparsed deadline",
    }.items()
}
STATE_ORDER = [s.value for s in ScheduleState]
# The edition's own words (headings, column names, notes), by the key the formats ask for.
TEXTS = {
    key: declare(f"pme.publication.{key.replace('_', '-')}", english)
    for key, english in {
        "scorecard": "Scorecard: targets by schedule state",
        "timeline": "Deadlines",
        "as_of_line": "as of",
        "alliance_point": "Alliance Point",
        "total": "Total",
        "no_status": "No status reported in this cycle.",
        "plan_in_english": "Plan text shown in English (no Spanish version loaded) for: {actions}.",
        "hash": "Content SHA-256",
        "authenticity": "Authenticity / Autenticidad",
        "published": "Published",
        "waiting": "Waiting on an event (no due date yet)",
        "target": "Target",
        "due": "Due",
        "state": "State",
    }.items()
}


def government_name(government: str, language: str) -> str:
    """``US`` or ``MX`` by its name in ``language``; ``JOINT`` (both) has none: ``""``."""
    text = GOVERNMENTS.get(government)
    return text(language) if text is not None else ""


@dataclass(frozen=True)
class TimelineItem:
    address: str
    due: date | None
    state: str


@dataclass(frozen=True)
class Edition:
    """One language of a published cycle."""

    language: str
    title: str
    label: str
    as_of: date
    report: Report
    untranslated: tuple[str, ...]  # actions whose plan text is shown in English
    scorecard: list[tuple[str, dict[str, int]]]  # (Alliance Point, state → targets)
    timeline: list[TimelineItem]
    sha256: str
    published_at: str
    signatures: tuple[dict[str, str], ...] = ()  # the governments' signatures held, US first

    def authenticity(self) -> list[str]:
        """The content hash and each government's signature (government, signing node, key
        fingerprint, time), in English and Spanish: the same lines in both editions."""
        lines = [f"Content SHA-256 / SHA-256 del contenido: {self.sha256}"]
        held = {s["country"]: s for s in self.signatures}
        for country in ("US", "MX"):
            en, es = GOVERNMENTS[country].both()
            entry = held.get(country)
            if entry is None:
                lines.append(
                    f"Not signed by the government of {en} / Sin firma del gobierno de {es}"
                )
                continue
            lines.append(
                f"Signed by the government of {en} / Firmado por el gobierno de {es}: "
                f"{entry['node']}, key / clave {entry['fingerprint']}, "
                f"{entry.get('signed_at') or '?'}"
            )
        lines.append(
            "Check / Verificar: alianza pme cycle verify KEY.json"
            .replace("KEY", self.cycle_key)
        )  # fmt: skip
        return lines

    cycle_key: str = ""

    def text(self, key: str) -> str:
        return TEXTS[key](self.language)

    def untranslated_note(self) -> str | None:
        if not self.untranslated:
            return None
        return TEXTS["plan_in_english"](self.language, actions=", ".join(self.untranslated))

    def state_label(self, state: str) -> str:
        return STATE_LABELS[state](self.language)


def _status_paragraphs(
    status: list[dict[str, Any]], action: str, language: str
) -> tuple[Paragraph, ...]:
    other = "es" if language == "en" else "en"
    paragraphs = []
    for entry in status:
        if entry["action"] != action:
            continue
        if language in entry:
            text, mark = entry[language]["text"], ""
        else:
            text, mark = entry[other]["text"], f"[{other.upper()}] "
        who = government_name(entry["government"], language)
        prefix = f"<b>{markup_from_text(who)}:</b> " if who else ""
        paragraphs.append(Paragraph(f"{prefix}{markup_from_text(mark + text)}"))
    return tuple(paragraphs)


def build_edition(
    session: Session, cycle_key: str, language: str, plan_key: str = DEFAULT_PLAN
) -> Edition:
    """The ``language`` edition of published cycle ``cycle_key``."""
    published: Publication = publication(session, cycle_key, plan_key)
    content = published.content
    as_of = date.fromisoformat(content["cycle"]["as_of"])
    plan_report, untranslated = thaw_plan_text(content["plan_text"], language)
    points = []
    for point in plan_report.alliance_points:
        actions = tuple(
            replace(
                action,
                status=(
                    Snapshot(as_of, _status_paragraphs(content["status"], action.number, language)),
                ),
            )
            for action in point.actions
        )
        points.append(replace(point, actions=actions))
    report = Report(Language(language), tuple(points))
    assessment = content["assessment"]
    scorecard = [(p["number"], dict(p["rollup"]["targets"])) for p in assessment["alliance_points"]]
    timeline = [
        TimelineItem(t["address"], date.fromisoformat(t["due"]) if t["due"] else None, t["state"])
        for p in assessment["alliance_points"]
        for a in p["actions"]
        for t in a["targets"]
        if t["state"] != ScheduleState.NO_DEADLINE.value
    ]
    label = content["cycle"]["label"][language]
    return Edition(
        language=language,
        title=f"{plan_title(language)}: {label}",
        label=label,
        as_of=as_of,
        report=report,
        untranslated=untranslated,
        scorecard=scorecard,
        timeline=timeline,
        sha256=published.sha256,
        published_at=published.published_at.isoformat(timespec="minutes"),
        signatures=tuple(edition_file(session, cycle_key, plan_key)["signatures"]),
        cycle_key=cycle_key,
    )


def plan_title(language: str) -> str:
    if language == "es":
        return (
            "Estrategia Binacional de Control de Drogas México–Estados Unidos: Medidas de Eficacia"
        )
    return "U.S.–Mexico Bi-National Drug Strategy: Performance Measures of Effectiveness"
