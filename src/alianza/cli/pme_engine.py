"""``alianza pme deadlines|events|references|judge|assess``: the performance-measures engine."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import click

from alianza.actors import NodeSelf
from alianza.cli import output_pme as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.cli.pme_cycles import CYCLE_COMMANDS
from alianza.cli.pme_options import ISO_DATE, by_option, format_option, plan_option
from alianza.operations.problems import message_language
from alianza.pme.assessment import assess_plan, assessment_text
from alianza.pme.deadline_store import (
    CorrectionRefused,
    StoredDeadline,
    correct_deadline,
    current_deadlines,
    deadline_history,
    sync_deadlines,
    unparsed_deadlines,
)
from alianza.pme.deadlines import Deadline, DeadlineKind, Offset, Recurrence
from alianza.pme.events import EventRefused, awaited_events, record_event, recorded_events
from alianza.pme.judgements import Completion, JudgementRefused, Rating, record_judgement
from alianza.pme.measure_changes import changes_behind, changes_text
from alianza.pme.query import BadAddress, NothingInLanguage, PlanNotFound
from alianza.pme.references import plan_references
from alianza.pme.schedule import DUE_SOON_DAYS
from alianza.pme.translations import (
    TranslationRefused,
    TranslationState,
    approve_translation,
    translation_states,
)

LOOKUP_ERRORS = (PlanNotFound, NothingInLanguage, BadAddress)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _deadline_line(stored: StoredDeadline) -> str:
    d = stored.deadline
    parts = [f"{stored.address:<18} {d.kind.value:<9}"]
    if d.due:
        parts.append(say(out.DEADLINE_DUE.said(due=d.due)))
    if d.event:
        parts.append(say(out.DEADLINE_AFTER.said(offset=d.offset, event=d.event)))
    if d.recurrence and d.start:
        parts.append(say(out.DEADLINE_FROM.said(recurrence=d.recurrence.value, start=d.start)))
    elif d.recurrence:
        parts.append(d.recurrence.value)
    if stored.origin == "corrected":
        corrected = out.DEADLINE_CORRECTED.said(by=stored.created_by, reason=stored.reason)
        parts.append(say(corrected))
    elif d.phrase:
        parts.append(f"« {d.phrase} »")
    return "  ".join(parts)


def _sorted(values: list[StoredDeadline]) -> list[StoredDeadline]:
    return sorted(values, key=lambda s: ([int(p) for p in s.action.split(".")], s.position))


@click.group()
def deadlines() -> None:
    """Deadlines of targets: list, correct, history."""


@deadlines.command("list")
@plan_option
@format_option
@pass_context
@handles(*LOOKUP_ERRORS)
def deadlines_list(ctx: Context, plan_key: str, output_format: str) -> None:
    """Every target's deadline in force (parsed from its text, or corrected)."""
    with ctx.database.reader() as session:
        stored = _sorted(list(current_deadlines(session, plan_key).values()))
        unparsed = unparsed_deadlines(session, plan_key)
    if output_format == "json":
        _echo_json(
            [
                {"address": s.address, "origin": s.origin, **s.deadline.as_dict()}
                | {"corrected_by": s.created_by if s.origin == "corrected" else None}
                | {"reason": s.reason}
                | {"unparsed": [u.as_dict() for u in unparsed if u.address == s.address]}
                for s in stored
            ]
        )
        return
    for s in stored:
        click.echo(_deadline_line(s))
        for u in unparsed:
            if u.address == s.address:
                unparsed_line = out.UNPARSED_DEADLINE.said(language=u.language, phrase=u.phrase)
                click.echo(f"    {say(unparsed_line)}")


@deadlines.command("sync")
@plan_option
@by_option
@pass_context
@handles(*LOOKUP_ERRORS)
def deadlines_sync(ctx: Context, plan_key: str, by: str) -> None:
    """Parse the deadlines of targets again where their text changed (imports do this)."""
    with ctx.database.transaction() as session:
        sync = sync_deadlines(session, plan_key, actor=NodeSelf(by))
    click.echo(say(out.SYNCED.said(parsed=sync.parsed, kept=sync.kept, retired=sync.retired)))
    for issue in sync.issues:
        click.echo(f"  {say(out.WARNING.said(message=issue.message, code=issue.code))}")


@deadlines.command("correct")
@click.argument("address")
@click.option(
    "--kind", type=click.Choice([k.value for k in DeadlineKind]), required=True, help="Kind."
)
@click.option("--due", type=ISO_DATE, help="Due date (absolute, month, window).")
@click.option("--event", help="Relative: the event the deadline counts from.")
@click.option("--offset", help="Relative: how long after the event, e.g. P6M, P90D.")
@click.option("--recurrence", type=click.Choice([r.value for r in Recurrence]), help="Recurring.")
@click.option("--start", type=ISO_DATE, help="Recurring: the first due date.")
@click.option("--reason", required=True, help="Why the parsed deadline is wrong.")
@by_option
@plan_option
@pass_context
@handles(*LOOKUP_ERRORS, CorrectionRefused, ValueError)
def deadlines_correct(
    ctx: Context,
    address: str,
    kind: str,
    due: date | None,
    event: str | None,
    offset: str | None,
    recurrence: str | None,
    start: date | None,
    reason: str,
    by: str,
    plan_key: str,
) -> None:
    """Correct the deadline of a target (ADDRESS like 10.4.1/targets/1); the text stays."""
    deadline = Deadline(
        DeadlineKind(kind),
        due=due or start,
        event=event,
        offset=Offset.parse(offset) if offset else None,
        recurrence=Recurrence(recurrence) if recurrence else None,
        start=start,
        phrase=None,
    )
    with ctx.database.transaction() as session:
        stored = correct_deadline(
            session, address, deadline, actor=NodeSelf(by), reason=reason, plan_key=plan_key
        )
    click.echo(_deadline_line(stored))


@deadlines.command("history")
@click.argument("address")
@plan_option
@pass_context
@handles(*LOOKUP_ERRORS)
def deadlines_history(ctx: Context, address: str, plan_key: str) -> None:
    """Every deadline a target has had, oldest first, with who set it and why."""
    with ctx.database.reader() as session:
        history = deadline_history(session, address, plan_key)
    for stored in history:
        when = stored.created_at.strftime("%Y-%m-%d %H:%M")
        click.echo(f"{when}  {stored.origin:<9} {stored.created_by:<16} {_deadline_line(stored)}")


@click.group()
def events() -> None:
    """Named events that relative deadlines count from."""


@events.command("list")
@plan_option
@pass_context
@handles(*LOOKUP_ERRORS)
def events_list(ctx: Context, plan_key: str) -> None:
    """Events the deadlines wait on (with their keys), and events recorded."""
    with ctx.database.reader() as session:
        awaited = awaited_events(session, plan_key)
        recorded = recorded_events(session, plan_key)
    for event in awaited:
        when = (
            out.EVENT_HAPPENED.said(date=event.occurred_on)
            if event.occurred_on
            else out.EVENT_NOT_RECORDED.said()
        )
        line = out.EVENT_TARGETS.said(when=when, targets=", ".join(event.targets))
        click.echo(f"{event.key}\n  {event.name}\n  {say(line)}")
    others = [e for k, e in recorded.items() if k not in {a.key for a in awaited}]
    for other in others:
        line = out.EVENT_NO_TARGET.said(date=other.occurred_on)
        click.echo(f"{other.key}\n  {other.name}\n  {say(line)}")
    if not awaited and not recorded:
        click.echo(say(out.NO_EVENTS.said()))


@events.command("record")
@click.argument("event")
@click.argument("occurred_on", type=ISO_DATE)
@click.option("--name", help="A readable name (default: as given, or as first recorded).")
@click.option("--note", help="Evidence or remarks.")
@by_option
@plan_option
@pass_context
@handles(*LOOKUP_ERRORS, EventRefused)
def events_record(
    ctx: Context,
    event: str,
    occurred_on: date,
    name: str | None,
    note: str | None,
    by: str,
    plan_key: str,
) -> None:
    """Record that EVENT (its key or its words) happened on OCCURRED_ON (YYYY-MM-DD).

    Recording it again corrects the date; the earlier record is kept.
    """
    with ctx.database.transaction() as session:
        recorded = record_event(
            session, event, occurred_on, actor=NodeSelf(by), name=name, note=note, plan_key=plan_key
        )
        waiting = [a for a in awaited_events(session, plan_key) if a.key == recorded.key]
    click.echo(say(out.EVENT_RECORDED.said(key=recorded.key, date=recorded.occurred_on)))
    if not waiting:
        click.secho(f"  {say(out.EVENT_AWAITED_BY_NONE.said())}")
    for awaited in waiting:
        gives = out.EVENT_GIVES_DUE_DATE.said(targets=", ".join(awaited.targets))
        click.echo(f"  {say(gives)}")


@click.command()
@click.option("--unresolved", is_flag=True, help="Only references that point at nothing loaded.")
@plan_option
@format_option
@pass_context
@handles(*LOOKUP_ERRORS)
def references(ctx: Context, unresolved: bool, plan_key: str, output_format: str) -> None:
    """Cross-references in the text ("See 10.2. Status para 5") and where they point."""
    with ctx.database.reader() as session:
        found = plan_references(session, plan_key)
    if unresolved:
        found = [r for r in found if not r.resolved]
    if output_format == "json":
        _echo_json([r.as_dict() for r in found])
        return
    for ref in found:
        state = "→" if ref.resolved else "✗"
        why = f"  ({ref.message()})" if ref.message() else ""
        click.echo(f"{ref.language} {ref.source:<22} {state} {ref.target:<20} « {ref.text} »{why}")


@click.command()
@click.argument("subject")
@click.option("--as-of", type=ISO_DATE, required=True, help="The date the judgement speaks for.")
@click.option(
    "--completion", type=click.Choice([c.value for c in Completion]), required=True, help="State."
)
@click.option("--completed-on", type=ISO_DATE, help="With done: when (default: --as-of).")
@click.option("--rating", type=click.Choice([r.value for r in Rating]), help="Optional rating.")
@click.option("--justification", required=True, help="Why: the evidence behind the judgement.")
@by_option
@plan_option
@pass_context
@handles(*LOOKUP_ERRORS, JudgementRefused)
def judge(
    ctx: Context,
    subject: str,
    as_of: date,
    completion: str,
    completed_on: date | None,
    rating: str | None,
    justification: str,
    by: str,
    plan_key: str,
) -> None:
    """Record a judgement on an action (10.4.1) or one target (10.4.1/targets/1)."""
    with ctx.database.transaction() as session:
        judgement = record_judgement(
            session,
            subject,
            as_of=as_of,
            completion=Completion(completion),
            completed_on=completed_on,
            rating=Rating(rating) if rating else None,
            justification=justification,
            actor=NodeSelf(by),
            plan_key=plan_key,
        )
    recorded = out.JUDGEMENT_RECORDED.said(
        subject=subject, completion=judgement.completion.value, as_of=judgement.as_of
    )
    click.echo(say(recorded))


@click.command()
@click.option("--as-of", type=ISO_DATE, required=True, help="Assess as of this date.")
@click.option(
    "--known-on",
    type=ISO_DATE,
    help="Replay the scorecard as it could have been computed on this day (anything recorded "
    "later left out).",
)
@click.option(
    "--due-soon-days",
    type=click.IntRange(min=0),
    default=DUE_SOON_DAYS,
    show_default=True,
    help="A deadline within this many days is due_soon.",
)
@plan_option
@format_option
@pass_context
@handles(*LOOKUP_ERRORS)
def assess(
    ctx: Context,
    as_of: date,
    known_on: date | None,
    due_soon_days: int,
    plan_key: str,
    output_format: str,
) -> None:
    """The scorecard as of a date: each target from the records and the judgements."""
    with ctx.database.reader() as session:
        assessment = assess_plan(
            session, as_of, plan_key=plan_key, due_soon_days=due_soon_days, known_on=known_on
        )
        changes = changes_behind(session, assessment)
    if output_format == "json":
        changed = [c.as_dict() for c in changes]
        _echo_json({**assessment.as_dict(), "changed_since_submission": changed})
    else:
        language = message_language()
        click.echo(
            assessment_text(assessment, language) + changes_text(changes, language), nl=False
        )


@click.group()
def translations() -> None:
    """Translation state of the plan's text (action, baseline, targets, measurements, status)."""


@translations.command("list")
@click.option(
    "--state",
    "only",
    type=click.Choice([s.value for s in TranslationState]),
    help="Only cells in this state.",
)
@plan_option
@format_option
@pass_context
@handles(*LOOKUP_ERRORS)
def translations_list(ctx: Context, only: str | None, plan_key: str, output_format: str) -> None:
    """Every cell: source language, translation language and state, approvals."""
    with ctx.database.reader() as session:
        cells = translation_states(session, plan_key)
    if only:
        cells = [c for c in cells if c.state.value == only]
    if output_format == "json":
        _echo_json([c.as_dict() for c in cells])
        return
    for c in cells:
        names = ", ".join(c.approved_by)
        approved = f"  {say(out.APPROVED_BY.said(names=names))}" if c.approved_by else ""
        click.echo(f"{c.address:<28} {c.source_language}→{c.language}  {c.state.value}{approved}")


@translations.command("approve")
@click.argument("cell")
@click.option("--gov", "government", type=click.Choice(["US", "MX"]), required=True, help="Who.")
@by_option
@plan_option
@pass_context
@handles(*LOOKUP_ERRORS, TranslationRefused)
def translations_approve(ctx: Context, cell: str, government: str, by: str, plan_key: str) -> None:
    """One government approves the current translation of CELL (10.4/targets)."""
    with ctx.database.transaction() as session:
        state = approve_translation(
            session, cell, government=government, actor=NodeSelf(by), plan_key=plan_key
        )
    click.echo(f"{state.address} ({state.language}): {state.state.value}")


ENGINE_COMMANDS = (
    deadlines,
    events,
    references,
    judge,
    assess,
    translations,
    *CYCLE_COMMANDS,
)
