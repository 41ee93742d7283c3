"""Assessment of the seed as of its status date (1999-08-31), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import pytest

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.deadlines import parse_deadline
from alianza.pme.events import awaited_events, record_event
from alianza.pme.judgements import Completion, record_judgement
from alianza.pme.schedule import ScheduleState, schedule_state
from alianza.pme.service import SEED_REPORT

STATUS_DATE = date(1999, 8, 31)
EVENT = "completion-update-binational-threat-assessment"


def seed_target_count() -> int:
    """Target paragraphs in the seed, counted from the file (third cell of each data row)."""
    count = 0
    for line in SEED_REPORT.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 5 and re.match(r"^(<p>)?\d+\.\d", cells[0]):
            count += max(1, cells[2].count("<p>"))
    return count


def test_assess_seed_10_4_1_target_is_overdue_while_not_recorded_done(
    seeded_db: Database,
) -> None:
    with seeded_db.reader() as session:
        target = assess_plan(session, STATUS_DATE).target("10.4.1/targets/1")
    assert target.text.startswith("By July 31, 1999, both governments will establish")
    assert target.text.endswith("for every BLM.")
    assert (target.state, target.due) == (ScheduleState.OVERDUE, date(1999, 7, 31))
    assert target.as_dict()["completion"] == "no_data"


def test_assess_seed_10_4_1_recorded_done_is_met_on_time_or_late(seeded_db: Database) -> None:
    with seeded_db.transaction() as session:
        record_judgement(
            session,
            "10.4.1/targets/1",
            as_of=date(1999, 8, 31),
            completion=Completion.DONE,
            completed_on=date(1999, 8, 20),
            justification="Subgroups formed in all nine BLMs (minutes of 20 Aug 1999).",
            actor=NodeSelf("coordinator-us"),
        )
    with seeded_db.reader() as session:
        late = assess_plan(session, STATUS_DATE).target("10.4.1/targets/1")
        before = assess_plan(session, date(1999, 8, 10)).target("10.4.1/targets/1")
    assert late.state is ScheduleState.MET_LATE
    assert before.state is ScheduleState.OVERDUE  # the judgement is dated after 10 Aug
    with seeded_db.transaction() as session:
        record_judgement(
            session,
            "10.4.1",
            as_of=date(1999, 7, 31),
            completion=Completion.DONE,
            completed_on=date(1999, 7, 30),
            justification="Whole action done on 30 July.",
            actor=NodeSelf("coordinator-mx"),
        )
    with seeded_db.reader() as session:
        early = assess_plan(session, date(1999, 8, 1)).target("10.4.1/targets/1")
    assert early.state is ScheduleState.MET_ON_TIME  # from the action-wide judgement


def test_assess_seed_10_1_first_target_waits_on_event_then_due_six_months_later(
    seeded_db: Database,
) -> None:
    with seeded_db.reader() as session:
        waiting = assess_plan(session, STATUS_DATE).target("10.1/targets/1")
        (awaited,) = awaited_events(session)
    assert (waiting.state, waiting.due) == (ScheduleState.WAITING_ON_EVENT, None)
    assert (awaited.key, awaited.targets, awaited.occurred_on) == (
        EVENT,
        ("10.1/targets/1",),
        None,
    )
    with seeded_db.transaction() as session:
        record_event(
            session,
            "update of the Binational Threat Assessment completed",
            date(2000, 3, 15),
            actor=NodeSelf("hlcg-secretariat"),
            name="Binational Threat Assessment update completed",
        )
    with seeded_db.reader() as session:
        # The event key from other words does not match: the deadline still waits.
        assert assess_plan(session, date(2000, 4, 1)).target("10.1/targets/1").due is None
    with seeded_db.transaction() as session:
        record_event(session, EVENT, date(2000, 3, 15), actor=NodeSelf("hlcg-secretariat"))
    with seeded_db.reader() as session:
        still = assess_plan(session, STATUS_DATE).target("10.1/targets/1")
        later = assess_plan(session, date(2000, 4, 1)).target("10.1/targets/1")
        soon = assess_plan(session, date(2000, 8, 1)).target("10.1/targets/1")
        past = assess_plan(session, date(2000, 9, 16)).target("10.1/targets/1")
    assert still.state is ScheduleState.WAITING_ON_EVENT  # the event is after 1999-08-31
    assert (later.state, later.due) == (ScheduleState.NOT_DUE, date(2000, 9, 15))
    assert (soon.state, soon.due) == (ScheduleState.DUE_SOON, date(2000, 9, 15))
    assert past.state is ScheduleState.OVERDUE


def test_assess_seed_rollup_counts_every_target_and_no_data_apart(seeded_db: Database) -> None:
    with seeded_db.reader() as session:
        assessment = assess_plan(session, STATUS_DATE)
    data = assessment.as_dict()
    assert sum(data["rollup"]["targets"].values()) == seed_target_count()
    assert data["rollup"]["actions"]["no_data"] == 10
    assert data["rollup"]["worst"] == "overdue"
    point = data["alliance_points"][0]
    assert point["rollup"] == data["rollup"]
    assert point["rollup"]["targets"]["waiting_on_event"] == 1


def test_assess_due_soon_window_is_configurable(seeded_db: Database) -> None:
    with seeded_db.reader() as session:
        default = assess_plan(session, date(1999, 11, 1)).target("10.1/targets/2")
        narrow = assess_plan(session, date(1999, 11, 1), due_soon_days=30).target("10.1/targets/2")
    assert (default.state, narrow.state) == (ScheduleState.DUE_SOON, ScheduleState.NOT_DUE)


def test_schedule_state_recurring_without_start_counts_to_period_end() -> None:
    deadline = parse_deadline("Quarterly exchange of data.")
    assert schedule_state(deadline, date(1999, 8, 31)) == (
        ScheduleState.DUE_SOON,
        date(1999, 9, 30),
    )
    assert schedule_state(deadline, date(1999, 7, 1), due_soon_days=30) == (
        ScheduleState.NOT_DUE,
        date(1999, 9, 30),
    )


def test_schedule_state_no_deadline_stays_no_deadline_when_done() -> None:
    deadline = parse_deadline("Continue and strengthen the BLM mechanisms.")
    state, due = schedule_state(deadline, STATUS_DATE, completed_on=date(1999, 1, 1))
    assert (state, due) == (ScheduleState.NO_DEADLINE, None)


def test_a_negative_due_soon_window_is_refused_in_english_and_spanish(
    seeded_db: Database,
) -> None:
    with seeded_db.reader() as session, pytest.raises(ValueError, match="due-soon") as refused:
        assess_plan(session, STATUS_DATE, due_soon_days=-1)
    assert str(refused.value) == "the due-soon window is a number of days, 0 or more"
    assert in_language(message_of(refused.value), "es") == (
        "el margen de «próxima a vencer» es un número de días, 0 o más"
    )
