"""Load a Report into the database: one transaction, versioned, idempotent.

- Baseline, targets, measurements and the action text: a cell whose paragraphs (or baseline
  as-of date) differ from the current version becomes a new version; the old one is kept,
  marked superseded.
- Status: one snapshot per as-of date; a later date adds a snapshot, the same date with other
  paragraphs a new version of that snapshot.
- Importing a file whose content is already held changes nothing and records nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import declare, in_language

# DEFAULT_PLAN and its title are defined in pme/document.py; many modules import them from here.
from alianza.pme.document import DEFAULT_PLAN as DEFAULT_PLAN
from alianza.pme.document import DEFAULT_PLAN_TITLE as DEFAULT_PLAN_TITLE
from alianza.pme.document import (
    Action,
    Column,
    Paragraph,
    Report,
)
from alianza.pme.models import (
    ActionRow,
    AlliancePointRow,
    CellVersion,
    ParagraphRow,
    Plan,
    ReportImport,
)

# The notes of an import (keys ``pme.load.…``; Spanish in the message catalogue).
OTHER_LANGUAGE_LEFT_OUT = declare(
    "pme.load.other-language-left-out",
    "{where}: {count} paragraph(s) marked as the other language's text left out",
)
EMPTY_STATUS = declare(
    "pme.load.empty-status",
    "{where}: empty status not stored; the earlier status stays in force",
)
SAME_TEXT = declare(
    "pme.load.same-text", "{where}: same text as the {other} one, not stored as {language}"
)
RETITLED = declare(
    "pme.load.retitled", "Alliance Point {number} retitled ({language}): {old!r} → {new!r}"
)
NOTHING_CHANGED = declare(
    "pme.load.nothing-changed",
    "{source}: nothing changed ({actions} actions already held as in this file)",
)
IMPORTED = declare(
    "pme.load.imported", "{source}: imported into plan {plan!r} ({language}), {points}, {actions}"
)
POINTS = declare("pme.load.points", ("{n} Alliance Point(s)", "{n} Alliance Point(s)"))
ACTIONS = declare("pme.load.actions", ("{n} action(s)", "{n} action(s)"))
CREATED = declare("pme.load.created", "  created: {created}")
NOTE = declare("pme.load.note", "  note: {note}")


@dataclass
class LoadSummary:
    """What an import changed, by kind; ``changed`` is false for a re-import."""

    plan: str
    source: str
    language: str
    alliance_points: int = 0
    actions: int = 0
    created: Counter[str] = field(default_factory=Counter)
    import_id: int | None = None
    notes: list[str] = field(default_factory=list)  # catalogue messages (Said) or plain text

    @property
    def changed(self) -> bool:
        return bool(self.created)

    def as_dict(self) -> dict[str, object]:
        return {
            "plan": self.plan,
            "source": self.source,
            "language": self.language,
            "alliance_points": self.alliance_points,
            "actions": self.actions,
            "created": dict(sorted(self.created.items())),
            "notes": self.notes,
        }

    def lines(self, language: str = "en") -> list[str]:
        """What the import changed, in lines (``alianza pme import`` and ``alianza demo``); the
        notes in ``language``."""
        if not self.changed:
            return [NOTHING_CHANGED(language, source=self.source, actions=self.actions)]
        created = ", ".join(f"{count} {kind}" for kind, count in sorted(self.created.items()))
        lines = [
            IMPORTED(
                language,
                source=self.source,
                plan=self.plan,
                language=self.language,
                points=POINTS(language, n=self.alliance_points),
                actions=ACTIONS(language, n=self.actions),
            ),
            CREATED(language, created=created),
        ]
        return lines + [NOTE(language, note=in_language(note, language)) for note in self.notes]


def _current(
    session: Session, action: ActionRow, column: Column, language: str, as_of: date | None
) -> CellVersion | None:
    query = select(CellVersion).where(
        CellVersion.action_id == action.id,
        CellVersion.column == column.value,
        CellVersion.language == language,
        CellVersion.superseded_at.is_(None),
    )
    if column is Column.STATUS:
        query = query.where(CellVersion.as_of == as_of)
    return session.scalars(query).one_or_none()


def _other(language: str) -> str:
    return "en" if language == "es" else "es"


def _same(cell: CellVersion, paragraphs: tuple[Paragraph, ...], as_of: date | None) -> bool:
    return cell.as_of == as_of and tuple(p.markup for p in cell.paragraphs) == tuple(
        p.markup for p in paragraphs
    )


# A paragraph carrying the other language's mark ("[EN] …", "United States: [EN] …"), as a
# published edition shows a text missing in its language: never stored as this language's.
_OTHER_LANGUAGE_MARK = re.compile(r"^(?:[^:\[\]]{1,40}:\s*)?\[(?P<mark>EN|ES)\]\s")
_PLACEHOLDERS = {"", "—", "–", "-", "n/a"}


def _own_paragraphs(paragraphs: tuple[Paragraph, ...], language: str) -> tuple[Paragraph, ...]:
    """The paragraphs that are text of ``language`` (none marked as the other language's)."""
    kept = []
    for paragraph in paragraphs:
        mark = _OTHER_LANGUAGE_MARK.match(paragraph.text.strip())
        if mark and mark["mark"].lower() != language:
            continue
        kept.append(paragraph)
    return tuple(kept)


def _placeholder(paragraphs: tuple[Paragraph, ...]) -> bool:
    return all(p.text.strip().lower() in _PLACEHOLDERS for p in paragraphs)


class _Loader:
    def __init__(self, session: Session, summary: LoadSummary, language: str) -> None:
        self.session = session
        self.summary = summary
        self.language = language
        self.now = datetime.now(UTC)
        self.pending: list[CellVersion] = []

    def _earlier_status(self, action: ActionRow, as_of: date | None) -> bool:
        """A status snapshot of ``action`` dated before ``as_of`` is held (either language)."""
        found = self.session.scalars(
            select(CellVersion.id)
            .where(
                CellVersion.action_id == action.id,
                CellVersion.column == Column.STATUS.value,
                CellVersion.superseded_at.is_(None),
                CellVersion.as_of < as_of,
            )
            .limit(1)
        ).first()
        return found is not None

    def put_cell(
        self,
        action: ActionRow,
        column: Column,
        paragraphs: tuple[Paragraph, ...],
        as_of: date | None,
        line: int | None,
    ) -> None:
        where = f"{action.number}/{column.value}"
        own = _own_paragraphs(paragraphs, self.language)
        if len(own) != len(paragraphs):
            dropped = len(paragraphs) - len(own)
            self.summary.notes.append(OTHER_LANGUAGE_LEFT_OUT.said(where=where, count=dropped))
            if not own:
                return  # nothing of this language: the text in force stays
        if column is Column.STATUS and _placeholder(own) and self._earlier_status(action, as_of):
            self.summary.notes.append(EMPTY_STATUS.said(where=f"{where}@{as_of}"))
            return
        other = _current(self.session, action, column, _other(self.language), as_of)
        if own and other is not None and _same(other, own, as_of):
            self.summary.notes.append(
                SAME_TEXT.said(where=where, other=_other(self.language), language=self.language)
            )
            return
        paragraphs = own
        current = _current(self.session, action, column, self.language, as_of)
        if current is not None and _same(current, paragraphs, as_of):
            return
        version = 1
        if current is not None:
            current.superseded_at = self.now
            version = current.version + 1
            self.session.flush()
        cell = CellVersion(
            action_id=action.id,
            column=column.value,
            language=self.language,
            as_of=as_of,
            version=version,
            source_line=line,
            created_at=self.now,
            paragraphs=[
                ParagraphRow(position=i, markup=p.markup, text=p.text)
                for i, p in enumerate(paragraphs, start=1)
            ],
        )
        self.session.add(cell)
        self.pending.append(cell)
        kind = "status snapshot" if column is Column.STATUS else f"{column.value} cell"
        self.summary.created[f"{kind} revision" if version > 1 else kind] += 1

    def put_action(self, point: AlliancePointRow, action: Action, position: int) -> None:
        row = self.session.scalars(
            select(ActionRow).where(
                ActionRow.alliance_point_id == point.id, ActionRow.number == action.number
            )
        ).one_or_none()
        if row is None:
            parent = None
            if action.parent_number is not None:
                parent = self.session.scalars(
                    select(ActionRow).where(
                        ActionRow.alliance_point_id == point.id,
                        ActionRow.number == action.parent_number,
                    )
                ).one()
            row = ActionRow(
                alliance_point_id=point.id,
                number=action.number,
                parent_id=parent.id if parent else None,
                position=position,
            )
            self.session.add(row)
            self.session.flush()
            self.summary.created["action"] += 1
        self.put_cell(row, Column.ACTION, action.text, None, action.line)
        self.put_cell(
            row, Column.BASELINE, action.baseline.paragraphs, action.baseline.as_of, action.line
        )
        self.put_cell(row, Column.TARGETS, action.targets, None, action.line)
        self.put_cell(row, Column.MEASUREMENTS, action.measurements, None, action.line)
        for snapshot in action.status:
            self.put_cell(row, Column.STATUS, snapshot.paragraphs, snapshot.as_of, action.line)


def load_report(
    session: Session,
    report: Report,
    *,
    source: str,
    sha256: str,
    plan_key: str = DEFAULT_PLAN,
    plan_title: str = DEFAULT_PLAN_TITLE,
    actor: Actor,
) -> LoadSummary:
    """Write ``report`` into the caller's transaction and return what changed. A user needs
    pme.import."""
    by = acting(session, actor, Permission.PME_IMPORT)
    language = report.language.value
    summary = LoadSummary(plan=plan_key, source=source, language=language)
    plan = session.scalars(select(Plan).where(Plan.key == plan_key)).one_or_none()
    if plan is None:
        plan = Plan(key=plan_key, title=plan_title, created_at=datetime.now(UTC))
        session.add(plan)
        session.flush()
        summary.created["plan"] += 1
    loader = _Loader(session, summary, language)
    title_field = f"title_{language}"
    for point_position, point in enumerate(report.alliance_points, start=1):
        row = session.scalars(
            select(AlliancePointRow).where(
                AlliancePointRow.plan_id == plan.id, AlliancePointRow.number == point.number
            )
        ).one_or_none()
        if row is None:
            existing = len(plan.alliance_points)
            row = AlliancePointRow(
                plan_id=plan.id, number=point.number, position=existing + point_position
            )
            session.add(row)
            session.flush()
            summary.created["alliance point"] += 1
        old_title = getattr(row, title_field)
        if old_title != point.title:
            if old_title is not None:
                summary.notes.append(
                    RETITLED.said(
                        number=point.number, language=language, old=old_title, new=point.title
                    )
                )
            setattr(row, title_field, point.title)
            summary.created["alliance point title"] += 1
        known = len(row.actions)
        for position, action in enumerate(point.actions, start=1):
            loader.put_action(row, action, known + position)
        summary.alliance_points += 1
        summary.actions += len(point.actions)
    if not summary.changed:
        return summary
    record = ReportImport(
        plan_id=plan.id,
        source=source,
        sha256=sha256,
        language=language,
        imported_at=loader.now,
        actor=by,
        summary=summary.as_dict(),
    )
    session.add(record)
    session.flush()
    for cell in loader.pending:
        cell.import_id = record.id
    summary.import_id = record.id
    audit.record(
        session,
        actor=by,
        action="pme.report.import",
        subject=f"plan:{plan_key}",
        details={"import_id": record.id, "sha256": sha256, **summary.as_dict()},
    )
    return summary
