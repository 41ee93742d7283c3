"""What needs a person: targets coming due, overdue, disputed or with an unparsed deadline;
measures whose registry records changed after their government submitted them with a cycle;
cycle approvals of their government waiting longer than a set time; stale translations of a
cycle's status paragraphs; translations waiting for their government's approval
(``alianza pme todo``, web ``/pme/todo``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from alianza.catalogue import declare, in_language
from alianza.pme.assessment import assess_plan
from alianza.pme.cycles import CycleState, cycle_view, list_cycles
from alianza.pme.cycles import TranslationState as TextState
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.measure_changes import changed_since_submission
from alianza.pme.parity import cycle_parity
from alianza.pme.schedule import DUE_SOON_DAYS, ScheduleState
from alianza.pme.translations import TranslationState, translation_states

APPROVAL_WAIT_DAYS = 7
_TARGET_STATES = {
    ScheduleState.OVERDUE: "target-overdue",
    ScheduleState.DISPUTED: "target-disputed",
    ScheduleState.UNPARSED_DEADLINE: "target-unparsed-deadline",
    ScheduleState.DUE_SOON: "target-due-soon",
}
# The kinds, in the order the list shows them, with their labels (keys ``pme.todo.<kind>``).
LABELS = {
    kind: declare(f"pme.todo.{kind}", english)
    for kind, english in {
        "target-overdue": "overdue target",
        "target-disputed": "records and judgement disagree",
        "target-unparsed-deadline": "deadline not understood",
        "target-due-soon": "target coming due",
        "measure-changed": "records changed since submission",
        "approval-waiting": "approval waiting",
        "translation-stale": "translation stale",
        "translation-waiting": "translation to approve",
        "translation-numbers-differ": "EN and ES differ in numbers",
    }.items()
}
STALE = declare(
    "pme.todo.detail.translation-stale",
    "the {language} text is older than the {source} it translates: write it again before the "
    "cycle can be approved",
)
APPROVAL = declare(
    "pme.todo.detail.approval-waiting",
    "{government} approval of the {language} text, waiting since {since}",
)
TO_APPROVE = declare(
    "pme.todo.detail.translation-waiting",
    "{language} translation {state}; to approve: {governments}",
)


@dataclass(frozen=True)
class TodoItem:
    kind: str  # a key of LABELS
    subject: str  # a target address, a cycle key, a cell address
    detail: str
    since: date | None  # due date, or the day the wait began
    detail_es: str | None = None  # the detail in Spanish, where it is written in both

    def label(self, language: str = "en") -> str:
        return LABELS[self.kind](language)

    def detail_in(self, language: str = "en") -> str:
        return self.detail_es if language == "es" and self.detail_es else self.detail

    def as_dict(self) -> dict[str, str | None]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "detail": self.detail,
            "since": self.since.isoformat() if self.since else None,
            **({"detail_es": self.detail_es} if self.detail_es else {}),
        }


def what_needs_me(
    session: Session,
    today: date,
    *,
    government: str | None = None,
    due_within_days: int = DUE_SOON_DAYS,
    approval_wait_days: int = APPROVAL_WAIT_DAYS,
    plan_key: str = DEFAULT_PLAN,
) -> list[TodoItem]:
    """The list for a person of ``government`` (None: both), as of ``today``."""
    items = []
    assessment = assess_plan(session, today, plan_key=plan_key, due_soon_days=due_within_days)
    for target in assessment.targets():
        kind = _TARGET_STATES.get(target.state)
        if kind is None:
            continue
        detail = target.text if len(target.text) <= 120 else target.text[:119] + "…"
        items.append(TodoItem(kind, target.address, detail, target.due))
    for change in changed_since_submission(session, plan_key):
        if government is None or change.government == government:
            subject = f"{change.cycle}/{change.target}"
            since = change.submitted_at.date()
            items.append(
                TodoItem(
                    "measure-changed", subject, change.message("en"), since, change.message("es")
                )
            )
    governments = [government] if government else ["US", "MX"]
    for row in list_cycles(session, plan_key):
        view = cycle_view(session, row.key, plan_key)
        if view.state in (CycleState.OPEN, CycleState.RETURNED, CycleState.IN_REVIEW):
            sources = {
                (t.action, t.government, t.position): t.language
                for t in view.texts
                if t.state is TextState.SOURCE
            }
            for text in view.texts:
                if text.state is TextState.STALE:
                    source = sources.get((text.action, text.government, text.position), "?")
                    english, spanish = STALE.both(language=text.language, source=source)
                    items.append(
                        TodoItem(
                            "translation-stale",
                            f"{view.key}/{text.address}",
                            english,
                            text.written_at.date(),
                            spanish,
                        )
                    )
            for problem in cycle_parity(session, view.key, plan_key):
                items.append(
                    TodoItem(
                        "translation-numbers-differ",
                        f"{view.key}/{problem.paragraph}",
                        in_language(problem.message, "en"),
                        None,
                        in_language(problem.message, "es"),
                    )
                )
        if view.state is not CycleState.IN_REVIEW:
            continue
        submitted = [
            datetime.fromisoformat(s["at"]).date()
            for s in view.steps
            if s["round"] == view.round and s["step"] == "submit"
        ]
        since = submitted[-1] if submitted else view.as_of
        if (today - since).days < approval_wait_days:
            continue
        for gov, language in view.missing_approvals():
            if gov in governments:
                english, spanish = APPROVAL.both(government=gov, language=language, since=since)
                items.append(TodoItem("approval-waiting", view.key, english, since, spanish))
    for cell in translation_states(session, plan_key):
        if cell.state not in (TranslationState.DRAFT, TranslationState.STALE):
            continue
        waiting = [g for g in governments if g not in cell.approved_by]
        if waiting:
            english, spanish = TO_APPROVE.both(
                language=cell.language, state=cell.state.value, governments=", ".join(waiting)
            )
            items.append(TodoItem("translation-waiting", cell.address, english, None, spanish))
    order = list(LABELS)
    return sorted(items, key=lambda i: (order.index(i.kind), i.since or date.max, i.subject))


NOTHING = declare("pme.todo.nothing", "Nothing needs you as of {today}.")
HEADING = declare(
    "pme.todo.heading",
    (
        "What needs you as of {today}: {n} item(s)",
        "What needs you as of {today}: {n} item(s)",
    ),
)


def todo_text(items: list[TodoItem], today: date, language: str = "en") -> str:
    """The list as a person reads it, in ``language`` (a detail without its Spanish stays in
    English)."""
    if not items:
        return NOTHING(language, today=today) + "\n"
    lines = [HEADING(language, today=today, n=len(items))]
    for item in items:
        when = f" ({item.since})" if item.since else ""
        label = item.label(language)
        lines.append(f"  {label:<32} {item.subject:<22}{when}  {item.detail_in(language)}")
    return "\n".join(lines) + "\n"
