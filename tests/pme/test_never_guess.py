"""Never guess (issue 17, item 5): date precision in every comparison, month deadlines at the
month's end, "met on" kept when a post is replaced, deadline-like words that do not parse
listed. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.cooperation import registry
from alianza.cooperation.measures import compute_measures
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.deadline_store import correct_deadline, current_deadlines, unparsed_deadlines
from alianza.pme.deadlines import Deadline, DeadlineKind
from alianza.pme.schedule import ScheduleState, schedule_state
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.conftest import DATA

JULY_15 = date(1999, 7, 15)


def state_of(database: Database, measurement: str, as_of: date) -> tuple[str, str]:
    """(the measure's state, the scorecard's state of its target)."""
    with database.reader() as session:
        value = {v.measurement: v for v in compute_measures(session, as_of)}[measurement]
        assert value.target is not None
        target = assess_plan(session, as_of).target(value.target)
    return value.state, target.state.value


@pytest.mark.parametrize(
    ("completed_on", "precision", "expected"),
    [
        (date(1999, 7, 1), "month", "met_timing_unknown"),  # some day of July: either side
        (date(1999, 7, 31), "month", "met_timing_unknown"),
        (date(1999, 7, 1), "exact", "met_on_time"),
        (date(1999, 6, 30), "month", "met_on_time"),  # all of June is before 15 July
        (date(1999, 8, 1), "month", "met_late"),  # all of August is after
        (date(1999, 1, 1), "year", "met_timing_unknown"),
    ],
)
def test_assess_completion_with_precision_against_mid_month_deadline(
    facts_db: Database, completed_on: date, precision: str, expected: str
) -> None:
    with facts_db.transaction() as session:
        correct_deadline(
            session,
            "10.7/targets/3",
            Deadline(DeadlineKind.ABSOLUTE, due=JULY_15),
            actor=NodeSelf("coordinator-us"),
            reason="test: a mid-month deadline",
        )
        registry.complete_deliverable(
            session,
            "us-port-services-analysis",
            completed_on,
            actor=NodeSelf("test"),
            precision=precision,
        )
    assert state_of(facts_db, "10.7/measurements/3", date(2000, 1, 31)) == (expected, expected)


def test_correct_month_deadline_is_due_on_the_months_last_day(seeded_db: Database) -> None:
    with seeded_db.transaction() as session:
        stored = correct_deadline(
            session,
            "10.2/targets/1",
            Deadline(DeadlineKind.MONTH, due=date(2000, 1, 15)),
            actor=NodeSelf("coordinator-us"),
            reason="test",
        )
    assert stored.deadline.due == date(2000, 1, 31)
    with seeded_db.reader() as session:
        assert current_deadlines(session, "binational-drug-strategy")[
            ("10.2", 1)
        ].deadline.due == date(2000, 1, 31)


def test_liaison_post_replaced_keeps_the_day_the_target_was_met(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        us_posts = [
            p for p in registry.list_records(session, "liaison-post") if p["country"] == "US"
        ]
        assert len(us_posts) == 1  # facts file: one US customs liaison, as of 31 Aug 99
        registry.end_record(
            session, f"liaison-post:{us_posts[0]['id']}", date(1999, 10, 1), actor=NodeSelf("t")
        )
        registry.add_liaison_post(
            session,
            country="US",
            office="USCS liaison office",
            city="Mexico City",
            agency="USCS",
            role="customs-liaison",
            appointed_on=date(1999, 10, 1),
            source="test",
            actor=NodeSelf("test"),
        )
    with facts_db.reader() as session:
        value = {v.measurement: v for v in compute_measures(session, date(1999, 11, 1))}
    # Both countries first held a post on 31 Aug 99 (facts file); that stays the day met.
    assert value["10.4/measurements/1"].computed.met_on == date(1999, 8, 31)


def test_schedule_state_approximate_completion_after_due_is_timing_unknown() -> None:
    deadline = Deadline(DeadlineKind.ABSOLUTE, due=date(1999, 7, 31))
    state, _ = schedule_state(
        deadline, date(1999, 9, 1), completed_on=date(1999, 8, 31), precision="approximate"
    )
    assert state is ScheduleState.MET_TIMING_UNKNOWN


def variant(source: Path, tmp_path: Path, old: str, new: str) -> Path:
    text = source.read_text("utf-8")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_assess_english_target_by_fy2000_is_listed_unparsed(
    fresh_db: Database, tmp_path: Path
) -> None:
    # 10.2/targets/1 of the seed has no deadline; give it one the parser cannot read.
    path = variant(
        SEED_REPORT,
        tmp_path,
        "The U.S. will implement the Border Coordination Initiative",
        "By FY2000, the U.S. will implement the Border Coordination Initiative",
    )
    import_report_file(fresh_db, path, actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        unparsed = [u.as_dict() for u in unparsed_deadlines(session, "binational-drug-strategy")]
        assessment = assess_plan(session, date(1999, 8, 31))
    assert unparsed == [{"address": "10.2/targets/1", "language": "en", "phrase": "By FY2000"}]
    target = assessment.target("10.2/targets/1")
    assert target.state is ScheduleState.UNPARSED_DEADLINE
    assert assessment.as_dict()["unparsed_deadlines"] == unparsed


def test_assess_spanish_target_a_finales_de_1999_is_listed_unparsed(
    fresh_db: Database, tmp_path: Path
) -> None:
    path = variant(
        DATA / "pme" / "spanish-report.tsv",
        tmp_path,
        "Para julio de 1999, establecer",
        "A finales de 1999, establecer",
    )
    import_report_file(fresh_db, path, actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        unparsed = [u.as_dict() for u in unparsed_deadlines(session, "binational-drug-strategy")]
        state = assess_plan(session, date(1999, 8, 31)).target("10.4/targets/2").state
    assert unparsed == [
        {"address": "10.4/targets/2", "language": "es", "phrase": "A finales de 1999"}
    ]
    assert state is ScheduleState.UNPARSED_DEADLINE
