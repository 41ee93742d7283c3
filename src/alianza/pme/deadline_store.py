"""Deadlines kept per target paragraph: parsed after each import, corrected by people.

- :func:`sync_deadlines` reads every current target (English text where held, else Spanish)
  and stores its parsed deadline. A target whose text is unchanged keeps its row, whether
  parsed or corrected; a changed text gets a fresh parse and the old row (a correction too)
  is kept, superseded, and named in the summary.
- :func:`correct_deadline` records a person's correction: who, when, why. The target text is
  untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.pme.deadlines import (
    Deadline,
    DeadlineKind,
    Offset,
    Recurrence,
    month_end,
    parse_deadline,
    unparsed_phrase,
)
from alianza.pme.document import Column, Language, Report
from alianza.pme.engine_models import DeadlineRow
from alianza.pme.known import in_force_at, known_bound
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.models import ActionRow, AlliancePointRow, Plan
from alianza.pme.query import (
    ACTION_NOT_LOADED,
    NO_PLAN,
    Address,
    BadAddress,
    NothingInLanguage,
    PlanNotFound,
)
from alianza.pme.query import load_plan_report as _load_plan_report
from alianza.validation import Issue, Severity, issue_type

TARGETS_ONLY = declare(
    "pme.deadline.targets-only", "{text!r}: deadlines belong to targets, like '10.4.1/targets/1'"
)
NEEDS_DUE = declare("pme.deadline.needs-due", "a {kind} deadline needs a due date (--due)")
NEEDS_EVENT = declare(
    "pme.deadline.needs-event", "a relative deadline needs an event (--event) and --offset"
)
NEEDS_RECURRENCE = declare(
    "pme.deadline.needs-recurrence", "a recurring deadline needs --recurrence"
)
NEEDS_REASON = declare("pme.deadline.needs-reason", "say why the deadline is corrected (--reason)")
NO_TARGET = declare("pme.deadline.no-target", "{address}: no such target paragraph")

PARSED = "parsed"
CORRECTED = "corrected"
PARSER = "deadline-parser"


@dataclass(frozen=True)
class StoredDeadline:
    """A target's deadline as held: the value, and who set it how, when and why."""

    action: str
    position: int
    deadline: Deadline
    origin: str
    language: str
    target_text: str
    created_by: str
    created_at: datetime
    reason: str | None

    @property
    def address(self) -> str:
        return f"{self.action}/targets/{self.position}"


CORRECTION_REPLACED = issue_type(
    "deadline-correction-replaced",
    "Deadline correction replaced: the target's text changed",
    "{field}: the text changed, so the deadline corrected by {by} was replaced by a fresh "
    "parse (the correction stays in the history)",
    Severity.WARNING,
)
LANGUAGE_MISMATCH = issue_type(
    "deadline-language-mismatch",
    "English and Spanish targets state different deadlines",
    "{field}: the English text reads {en}, the Spanish text reads {es}; the English reading is "
    "used. Check the translation or correct the deadline (alianza pme deadlines correct).",
    Severity.WARNING,
)

TARGET_COUNT_MISMATCH = issue_type(
    "target-count-mismatch",
    "English and Spanish hold a different number of targets",
    "{field}: {en} target paragraph(s) in English, {es} in Spanish; deadlines follow the "
    "English paragraphs",
    Severity.WARNING,
)


@dataclass
class DeadlineSync:
    parsed: int = 0  # rows written by this sync
    kept: int = 0
    retired: int = 0  # targets that are gone
    issues: list[Issue] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "parsed": self.parsed,
            "kept": self.kept,
            "retired": self.retired,
            "issues": [issue.as_dict() for issue in self.issues],
        }


def plan_row(session: Session, plan_key: str) -> Plan:
    plan = session.scalars(select(Plan).where(Plan.key == plan_key)).one_or_none()
    if plan is None:
        raise PlanNotFound(NO_PLAN.said(plan=plan_key))
    return plan


def action_ids(session: Session, plan_key: str) -> dict[str, int]:
    rows = session.execute(
        select(ActionRow.number, ActionRow.id)
        .join(AlliancePointRow, ActionRow.alliance_point_id == AlliancePointRow.id)
        .join(Plan, AlliancePointRow.plan_id == Plan.id)
        .where(Plan.key == plan_key)
    )
    return {str(number): int(action_id) for number, action_id in rows}


def source_report(session: Session, plan_key: str) -> Report:
    """The text deadlines are read from: English where held, else Spanish."""
    try:
        return _load_plan_report(session, plan_key, Language.EN)
    except NothingInLanguage:
        return _load_plan_report(session, plan_key, Language.ES)


def _row_deadline(row: DeadlineRow) -> Deadline:
    return Deadline(
        kind=DeadlineKind(row.kind),
        due=row.due,
        window_start=row.window_start,
        event=row.event_text,
        offset=Offset.parse(row.offset) if row.offset else None,
        recurrence=Recurrence(row.recurrence) if row.recurrence else None,
        start=row.start,
        phrase=row.phrase,
    )


def _new_row(
    action_id: int,
    position: int,
    language: str,
    text: str,
    deadline: Deadline,
    *,
    origin: str,
    created_by: str,
    at: datetime,
    reason: str | None = None,
) -> DeadlineRow:
    return DeadlineRow(
        action_id=action_id,
        position=position,
        language=language,
        target_text=text,
        kind=deadline.kind.value,
        due=deadline.due,
        window_start=deadline.window_start,
        event_key=deadline.event_key,
        event_text=deadline.event,
        offset=str(deadline.offset) if deadline.offset else None,
        recurrence=deadline.recurrence.value if deadline.recurrence else None,
        start=deadline.start,
        phrase=deadline.phrase,
        origin=origin,
        created_by=created_by,
        created_at=at,
        reason=reason,
    )


def _current_rows(session: Session, ids: list[int]) -> dict[tuple[int, int], DeadlineRow]:
    rows = session.scalars(
        select(DeadlineRow).where(
            DeadlineRow.action_id.in_(ids), DeadlineRow.superseded_at.is_(None)
        )
    )
    return {(row.action_id, row.position): row for row in rows}


def sync_deadlines(
    session: Session,
    plan_key: str = DEFAULT_PLAN,
    *,
    actor: Actor,
    within_import: bool = False,
) -> DeadlineSync:
    """Bring stored deadlines in line with the current target texts (caller's transaction).

    Audit: a sync of its own is one ``pme.deadline.sync`` entry when it changed anything.
    Within an import (same transaction) the parsed rows are derived from the imported text and
    covered by the import's entry; an entry is added only when a person's correction was
    replaced.
    """
    by = acting(session, actor, Permission.PME_IMPORT)
    report = source_report(session, plan_key)
    ids = action_ids(session, plan_key)
    current = _current_rows(session, list(ids.values()))
    now = datetime.now(UTC)
    sync = DeadlineSync()
    seen: set[tuple[int, int]] = set()
    for action in report.actions():
        action_id = ids[action.number]
        for position, paragraph in enumerate(action.targets, start=1):
            key = (action_id, position)
            seen.add(key)
            row = current.get(key)
            if row is not None and row.target_text == paragraph.text:
                sync.kept += 1
                continue
            if row is not None:
                row.superseded_at = now
                if row.origin == CORRECTED:
                    sync.issues.append(
                        Issue.of(
                            CORRECTION_REPLACED,
                            field=f"{action.number}/targets/{position}",
                            by=row.created_by,
                        )
                    )
            session.add(
                _new_row(
                    action_id,
                    position,
                    report.language.value,
                    paragraph.text,
                    parse_deadline(paragraph.text),
                    origin=PARSED,
                    created_by=PARSER,
                    at=now,
                )
            )
            sync.parsed += 1
    sync.issues += _language_mismatches(session, plan_key, report)
    for key, row in current.items():
        if key not in seen:
            row.superseded_at = now
            sync.retired += 1
    session.flush()
    replaced = any(i.code == CORRECTION_REPLACED.code for i in sync.issues)
    if replaced or (not within_import and (sync.parsed or sync.retired)):
        audit.record(
            session,
            actor=by,
            action="pme.deadline.sync",
            subject=f"plan:{plan_key}",
            details=sync.as_dict(),
        )
    return sync


def _reading(deadline: Deadline) -> str:
    parts = [deadline.kind.value]
    if deadline.due:
        parts.append(deadline.due.isoformat())
    if deadline.offset:
        parts.append(str(deadline.offset))
    if deadline.recurrence:
        parts.append(deadline.recurrence.value)
    return " ".join(parts)


def _language_mismatches(session: Session, plan_key: str, source: Report) -> list[Issue]:
    """Targets whose Spanish text states another deadline than the English one."""
    if source.language is not Language.EN:
        return []
    try:
        spanish = _load_plan_report(session, plan_key, Language.ES)
    except NothingInLanguage:
        return []
    issues = []
    for action in source.actions():
        other = spanish.action(action.number)
        if other is None:
            continue
        if len(action.targets) != len(other.targets):
            issues.append(
                Issue.of(
                    TARGET_COUNT_MISMATCH,
                    field=f"{action.number}/targets",
                    en=len(action.targets),
                    es=len(other.targets),
                )
            )
        pairs = zip(action.targets, other.targets, strict=False)
        for position, (en, es) in enumerate(pairs, start=1):
            read_en = _reading(parse_deadline(en.text))
            read_es = _reading(parse_deadline(es.text))
            if read_en != read_es:
                issues.append(
                    Issue.of(
                        LANGUAGE_MISMATCH,
                        field=f"{action.number}/targets/{position}",
                        en=read_en,
                        es=read_es,
                    )
                )
    return issues


def current_deadlines(
    session: Session, plan_key: str = DEFAULT_PLAN, *, known_on: date | None = None
) -> dict[tuple[str, int], StoredDeadline]:
    """Every target's deadline in force (as it was on ``known_on``, when given), keyed by
    (action number, target position)."""
    ids = action_ids(session, plan_key)
    numbers = {action_id: number for number, action_id in ids.items()}
    bound = known_bound(known_on)
    if bound is None:
        rows = list(_current_rows(session, list(ids.values())).values())
    else:
        rows = list(
            session.scalars(
                select(DeadlineRow).where(
                    DeadlineRow.action_id.in_(list(ids.values())),
                    in_force_at(DeadlineRow.created_at, DeadlineRow.superseded_at, bound),
                )
            )
        )
    return {
        (numbers[row.action_id], row.position): _stored(numbers[row.action_id], row) for row in rows
    }


def _stored(number: str, row: DeadlineRow) -> StoredDeadline:
    return StoredDeadline(
        action=number,
        position=row.position,
        deadline=_row_deadline(row),
        origin=row.origin,
        language=row.language,
        target_text=row.target_text,
        created_by=row.created_by,
        created_at=row.created_at,
        reason=row.reason,
    )


def _target_address(text: str) -> Address:
    address = Address.parse(text)
    if address.column is not Column.TARGETS:
        raise BadAddress(TARGETS_ONLY.said(text=text))
    return address


class CorrectionRefused(ValueError):
    """A deadline correction lacks what it needs (a reason, a date for its kind)."""


def check_deadline(deadline: Deadline) -> None:
    """Refuse a deadline whose fields do not fit its kind."""
    kind = deadline.kind
    if kind in (DeadlineKind.ABSOLUTE, DeadlineKind.MONTH, DeadlineKind.WINDOW):
        if deadline.due is None:
            raise CorrectionRefused(NEEDS_DUE.said(kind=kind.value))
    elif kind is DeadlineKind.RELATIVE:
        if not deadline.event or deadline.offset is None:
            raise CorrectionRefused(NEEDS_EVENT.said())
    elif kind is DeadlineKind.RECURRING and deadline.recurrence is None:
        raise CorrectionRefused(NEEDS_RECURRENCE.said())


def correct_deadline(
    session: Session,
    address_text: str,
    deadline: Deadline,
    *,
    actor: Actor,
    reason: str,
    plan_key: str = DEFAULT_PLAN,
) -> StoredDeadline:
    """Replace a target's deadline in force with a person's correction (history kept)."""
    by = acting(session, actor, Permission.PME_IMPORT)
    if not reason.strip():
        raise CorrectionRefused(NEEDS_REASON.said())
    check_deadline(deadline)
    if deadline.kind is DeadlineKind.MONTH and deadline.due is not None:
        # a month deadline is due on the month's last day, whatever day was typed
        deadline = replace(deadline, due=month_end(deadline.due.year, deadline.due.month))
    address = _target_address(address_text)
    ids = action_ids(session, plan_key)
    if address.action not in ids:
        raise BadAddress(ACTION_NOT_LOADED.said(address=str(address), action=address.action))
    current = _current_rows(session, [ids[address.action]]).get(
        (ids[address.action], address.position)
    )
    if current is None:
        raise BadAddress(NO_TARGET.said(address=str(address)))
    now = datetime.now(UTC)
    current.superseded_at = now
    row = _new_row(
        current.action_id,
        current.position,
        current.language,
        current.target_text,
        deadline,
        origin=CORRECTED,
        created_by=by,
        at=now,
        reason=reason,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="pme.deadline.correct",
        subject=f"plan:{plan_key}/{address}",
        details={
            "reason": reason,
            "before": _row_deadline(current).as_dict(),
            "after": deadline.as_dict(),
        },
    )
    return _stored(address.action, row)


def deadline_history(
    session: Session, address_text: str, plan_key: str = DEFAULT_PLAN
) -> list[StoredDeadline]:
    """Every deadline a target has had, oldest first."""
    address = _target_address(address_text)
    ids = action_ids(session, plan_key)
    if address.action not in ids:
        raise BadAddress(ACTION_NOT_LOADED.said(address=str(address), action=address.action))
    rows = session.scalars(
        select(DeadlineRow)
        .where(
            DeadlineRow.action_id == ids[address.action],
            DeadlineRow.position == address.position,
        )
        .order_by(DeadlineRow.id)
    )
    return [_stored(address.action, row) for row in rows]


def deadlines_in_force(
    session: Session, plan_key: str = DEFAULT_PLAN
) -> dict[tuple[str, int], Deadline]:
    return {key: stored.deadline for key, stored in current_deadlines(session, plan_key).items()}


@dataclass(frozen=True)
class UnparsedDeadline:
    """A target whose text looks like it states a deadline that the parser cannot read."""

    address: str
    language: str
    phrase: str

    def as_dict(self) -> dict[str, str]:
        return {"address": self.address, "language": self.language, "phrase": self.phrase}


def unparsed_deadlines(session: Session, plan_key: str = DEFAULT_PLAN) -> list[UnparsedDeadline]:
    """Targets, in English and in Spanish, with deadline-like words no deadline was read from
    ("By FY2000", "A finales de 1999"), unless a person corrected the deadline since."""
    in_force = current_deadlines(session, plan_key)
    found = []
    for language in Language:
        try:
            report = _load_plan_report(session, plan_key, language)
        except NothingInLanguage:
            continue
        for action in report.actions():
            for position, paragraph in enumerate(action.targets, start=1):
                stored = in_force.get((action.number, position))
                if stored is not None and stored.deadline.kind is not DeadlineKind.NONE:
                    continue
                phrase = unparsed_phrase(paragraph.text)
                if phrase:
                    address = f"{action.number}/targets/{position}"
                    found.append(UnparsedDeadline(address, language.value, phrase))
    return found
