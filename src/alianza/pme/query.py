"""Read a plan back from the database as a :class:`Report`, and address single paragraphs."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from alianza.catalogue import declare
from alianza.db.versioned import VersionedCache
from alianza.pme.document import (
    DEFAULT_PLAN,
    Action,
    AlliancePoint,
    Column,
    Language,
    Paragraph,
    Report,
    Snapshot,
)
from alianza.pme.models import ActionRow, AlliancePointRow, CellVersion, Plan, ReportImport

T = TypeVar("T")


class PlanNotFound(LookupError):
    """No plan with that key is loaded."""


class NothingInLanguage(LookupError):
    """The plan holds no text in the requested language."""


class BadAddress(ValueError):
    """A paragraph address is malformed or points at nothing."""


NO_PLAN = declare("pme.query.no-plan", "no plan {plan!r} is loaded")
NO_PLAN_KNOWN = declare("pme.query.no-plan-known", "no plan {plan!r} is loaded (plans: {known})")
NO_TEXT_IN = declare("pme.query.no-text-in", "plan {plan!r} holds no text in {language}")
NO_TEXT = declare("pme.query.no-text", "plan {plan!r} holds no text in any language")
NOT_AN_ADDRESS = declare(
    "pme.query.not-an-address",
    "{text!r} is not a paragraph address like '10.2/status/5' or '10.1/targets/1'",
)
UNKNOWN_COLUMN = declare(
    "pme.query.unknown-column", "{text!r}: unknown column {name!r} ({columns})"
)
ACTION_NOT_LOADED = declare(
    "pme.query.action-not-loaded", "{address}: action {action} is not loaded"
)
NO_STATUS_AS_OF = declare("pme.query.no-status-as-of", "{address}: no status as of {as_of}")
PARAGRAPHS_HELD = declare(
    "pme.query.paragraphs-held",
    (
        "{address}: {column} of {action} has {n} paragraph(s)",
        "{address}: {column} of {action} has {n} paragraph(s)",
    ),
)


def list_plans(session: Session) -> list[Plan]:
    return list(session.scalars(select(Plan).order_by(Plan.key)))


def load_plan_report(
    session: Session,
    plan_key: str = DEFAULT_PLAN,
    language: Language = Language.EN,
    *,
    status_as_of: date | None = None,
) -> Report:
    """The plan's current cells in ``language``; status snapshots up to ``status_as_of``."""
    plan = session.scalars(select(Plan).where(Plan.key == plan_key)).one_or_none()
    if plan is None:
        known = ", ".join(p.key for p in list_plans(session)) or "none"
        raise PlanNotFound(NO_PLAN_KNOWN.said(plan=plan_key, known=known))
    cells = session.scalars(
        select(CellVersion)
        .join(ActionRow, CellVersion.action_id == ActionRow.id)
        .join(AlliancePointRow, ActionRow.alliance_point_id == AlliancePointRow.id)
        .where(
            AlliancePointRow.plan_id == plan.id,
            CellVersion.language == language.value,
            CellVersion.superseded_at.is_(None),
        )
        .options(selectinload(CellVersion.paragraphs))
    ).all()
    by_action: dict[int, dict[str, list[CellVersion]]] = defaultdict(lambda: defaultdict(list))
    for cell in cells:
        by_action[cell.action_id][cell.column].append(cell)
    points = []
    for point in session.scalars(
        select(AlliancePointRow)
        .where(AlliancePointRow.plan_id == plan.id)
        .order_by(AlliancePointRow.position)
        .options(selectinload(AlliancePointRow.actions))
    ):
        actions = []
        for row in point.actions:
            columns = by_action.get(row.id)
            if not columns or Column.ACTION.value not in columns:
                continue
            actions.append(_action(row, columns, status_as_of))
        title = point.title_en if language is Language.EN else point.title_es
        if actions:
            points.append(AlliancePoint(point.number, title or "", tuple(actions)))
    if not points:
        raise NothingInLanguage(NO_TEXT_IN.said(plan=plan_key, language=language.name))
    return Report(language, tuple(points))


def _action_order(number: str) -> list[int]:
    return [int(part) for part in number.split(".") if part.isdigit()]


def plan_report_in(
    session: Session, plan_key: str = DEFAULT_PLAN, language: Language = Language.EN
) -> tuple[Report, tuple[str, ...]]:
    """The plan in ``language``, each action it lacks there shown in the other language;
    second value: those actions (a reader sees them marked, never a missing action)."""
    other_language = Language.ES if language is Language.EN else Language.EN
    reports: dict[Language, Report] = {}
    for each in (language, other_language):
        try:
            reports[each] = load_plan_report(session, plan_key, each)
        except NothingInLanguage:
            continue
    if not reports:
        raise NothingInLanguage(NO_TEXT.said(plan=plan_key))
    own, other = reports.get(language), reports.get(other_language)
    if own is None:
        assert other is not None
        return other, tuple(a.number for a in other.actions())
    if other is None:
        return own, ()
    borrowed: list[str] = []
    points = []
    numbers = sorted({p.number for r in (own, other) for p in r.alliance_points}, key=_action_order)
    for number in numbers:
        mine = next((p for p in own.alliance_points if p.number == number), None)
        theirs = next((p for p in other.alliance_points if p.number == number), None)
        actions = {a.number: a for a in (theirs.actions if theirs else ())}
        borrowed += [n for n in actions if mine is None or mine.action(n) is None]
        actions.update({a.number: a for a in (mine.actions if mine else ())})
        title = mine.title if mine and mine.title else (theirs.title if theirs else "")
        ordered = tuple(actions[n] for n in sorted(actions, key=_action_order))
        points.append(AlliancePoint(number, title, ordered))
    return Report(language, tuple(points)), tuple(borrowed)


def _paragraphs(cell: CellVersion | None) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(p.markup) for p in cell.paragraphs) if cell else ()


def _action(
    row: ActionRow, columns: dict[str, list[CellVersion]], status_as_of: date | None
) -> Action:
    def only(column: Column) -> CellVersion | None:
        found = columns.get(column.value)
        return found[0] if found else None

    baseline = only(Column.BASELINE)
    statuses = sorted(columns.get(Column.STATUS.value, []), key=lambda c: c.as_of or date.min)
    if status_as_of is not None:
        statuses = [c for c in statuses if c.as_of is not None and c.as_of <= status_as_of]
    return Action(
        number=row.number,
        text=_paragraphs(only(Column.ACTION)),
        baseline=Snapshot(
            baseline.as_of if baseline and baseline.as_of else date.min, _paragraphs(baseline)
        ),
        targets=_paragraphs(only(Column.TARGETS)),
        measurements=_paragraphs(only(Column.MEASUREMENTS)),
        status=tuple(Snapshot(c.as_of or date.min, _paragraphs(c)) for c in statuses),
    )


_ADDRESS = re.compile(
    r"^(?P<action>\d+(?:\.\d+)+)/(?P<column>[a-z]+)(?:@(?P<as_of>\d{4}-\d{2}-\d{2}))?"
    r"/(?P<position>\d+)$"
)
_COLUMN_ALIASES = {"target": "targets", "measurement": "measurements", "text": "action"}


@dataclass(frozen=True)
class Address:
    """``10.2/status/5`` (latest status), ``10.2/status@1999-08-31/5``, ``10.1/targets/1``."""

    action: str
    column: Column
    position: int
    as_of: date | None = None

    @classmethod
    def parse(cls, text: str) -> Address:
        match = _ADDRESS.match(text.strip().lower())
        if match is None:
            raise BadAddress(NOT_AN_ADDRESS.said(text=text))
        name = _COLUMN_ALIASES.get(match["column"], match["column"])
        try:
            column = Column(name)
        except ValueError:
            columns = ", ".join(c.value for c in Column)
            raise BadAddress(UNKNOWN_COLUMN.said(text=text, name=name, columns=columns)) from None
        as_of = date.fromisoformat(match["as_of"]) if match["as_of"] else None
        return cls(match["action"], column, int(match["position"]), as_of)

    def __str__(self) -> str:
        at = f"@{self.as_of.isoformat()}" if self.as_of else ""
        return f"{self.action}/{self.column.value}{at}/{self.position}"


def paragraph_at(report: Report, address: Address) -> Paragraph:
    """The paragraph an address points at, or :class:`BadAddress` saying why not."""
    action = report.action(address.action)
    if action is None:
        raise BadAddress(ACTION_NOT_LOADED.said(address=str(address), action=address.action))
    paragraphs: tuple[Paragraph, ...]
    if address.column is Column.STATUS:
        snapshots = [s for s in action.status if address.as_of in (None, s.as_of)]
        if not snapshots:
            raise BadAddress(NO_STATUS_AS_OF.said(address=str(address), as_of=address.as_of))
        paragraphs = snapshots[-1].paragraphs
    else:
        paragraphs = {
            Column.ACTION: action.text,
            Column.BASELINE: action.baseline.paragraphs,
            Column.TARGETS: action.targets,
            Column.MEASUREMENTS: action.measurements,
        }[address.column]
    if not 1 <= address.position <= len(paragraphs):
        raise BadAddress(
            PARAGRAPHS_HELD.said(
                address=str(address),
                column=address.column.value,
                action=address.action,
                n=len(paragraphs),
            )
        )
    return paragraphs[address.position - 1]


class PlanReportCache:
    """Reports already built, and anything derived from the plan's stored content, reused
    while that content has not changed: keyed by the data version (:mod:`alianza.db.versioned`)
    of the cell versions, the report imports (which also record retitled Alliance Points) and
    the audit log (every write is audited, so deadlines, events, judgements and cycles move
    it too). Safe between threads; entries are immutable dataclasses."""

    def __init__(self, size: int = 32) -> None:
        from alianza.audit import AuditEntry

        self._kept = VersionedCache((CellVersion, ReportImport, AuditEntry), size)

    def memo(self, session: Session, key: tuple[object, ...], build: Callable[[], T]) -> T:
        """Anything derived from the plan's stored content (an assessment, a JSON document),
        reused while that content is unchanged."""
        return self._kept.get(session, ("memo", *key), build)

    def get(
        self,
        session: Session,
        plan_key: str = DEFAULT_PLAN,
        language: Language = Language.EN,
        *,
        status_as_of: date | None = None,
    ) -> Report:
        return self._kept.get(
            session,
            ("report", plan_key, language, status_as_of),
            lambda: load_plan_report(session, plan_key, language, status_as_of=status_as_of),
        )
