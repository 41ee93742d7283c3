"""One scorecard (issue 17, item 1): the computed measure and the recorded judgement combined
by one rule, disagreement shown; ``pme assess``, ``pme measures``, the web scorecard, the API
and the publication read it. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from alianza.actors import NodeSelf
from alianza.cooperation import registry
from alianza.cooperation.measures import compute_measures
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.judgements import Completion, record_judgement

STATUS_DATE = date(1999, 8, 31)


def states(database: Database, as_of: date) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(target → scorecard state, target → states of the measures bound to it)."""
    with database.reader() as session:
        scorecard = {t.address: t.state.value for t in assess_plan(session, as_of).targets()}
        measured: dict[str, list[str]] = {}
        for value in compute_measures(session, as_of):
            if value.target:
                measured.setdefault(value.target, []).append(value.state)
    return scorecard, measured


def test_assess_10_4_target_1_is_what_the_measure_computes_not_overdue(
    facts_db: Database,
) -> None:
    # Both countries' posts are recorded "approximate" as of 31 Aug 99 (facts file), against
    # a 31 July deadline: met, but whether on time cannot be told.
    scorecard, measured = states(facts_db, STATUS_DATE)
    assert measured["10.4/targets/1"] == ["met_timing_unknown"]
    assert scorecard["10.4/targets/1"] == "met_timing_unknown"


def test_assess_agrees_with_measures_on_every_singly_bound_target(facts_db: Database) -> None:
    scorecard, measured = states(facts_db, STATUS_DATE)
    single = {target: s[0] for target, s in measured.items() if len(s) == 1}
    assert len(single) >= 10
    assert {t: scorecard[t] for t in single} == single


def test_assess_after_bta_update_completed_late_reads_both_bound_measures(
    facts_db: Database,
) -> None:
    with facts_db.transaction() as session:
        registry.complete_deliverable(
            session, "bta-update", date(2000, 2, 15), actor=NodeSelf("test")
        )
    scorecard, measured = states(facts_db, date(2000, 3, 1))
    # 10.1/targets/2 ("In 1999 ... within the framework of the HLCG") is bound to the update
    # (done 15 Feb 2000: late) and to HLCG meetings on it (none recorded: overdue). The rule:
    # met when every bound measure is met. Not silently "overdue" from the deadline alone.
    assert sorted(measured["10.1/targets/2"]) == ["met_late", "overdue"]
    assert scorecard["10.1/targets/2"] == "overdue"
    with facts_db.reader() as session:
        shown = assess_plan(session, date(2000, 3, 1)).target("10.1/targets/2").as_dict()
    assert shown["basis"] == "records"
    assert [m["state"] for m in shown["from_records"]["measures"]] == ["met_late", "overdue"]


def test_assess_10_1_target_1_after_bta_update_is_met_from_the_records(
    facts_db: Database,
) -> None:
    with facts_db.transaction() as session:
        registry.complete_deliverable(
            session, "bta-update", date(2000, 2, 15), actor=NodeSelf("test")
        )
    scorecard, measured = states(facts_db, date(2000, 3, 1))
    assert scorecard["10.1/targets/1"] == measured["10.1/targets/1"][0]


def test_assess_judgement_against_records_is_disputed_with_both_shown(
    facts_db: Database,
) -> None:
    with facts_db.transaction() as session:
        record_judgement(
            session,
            "10.4.1/targets/1",
            as_of=STATUS_DATE,
            completion=Completion.DONE,
            completed_on=date(1999, 7, 20),
            justification="Reported done by the field office.",
            actor=NodeSelf("coordinator-us"),
        )
    with facts_db.reader() as session:
        target = assess_plan(session, STATUS_DATE).target("10.4.1/targets/1")
    shown = target.as_dict()
    assert shown["state"] == "disputed"
    assert shown["from_records"]["state"] == "overdue"  # 8 of 9 subgroups in the records
    assert shown["from_records"]["measures"][0]["records"]  # the record ids behind it
    assert shown["from_judgement"]["state"] == "met_on_time"
    assert shown["from_judgement"]["recorded_by"] == "coordinator-us"
    assert shown["from_judgement"]["justification"] == "Reported done by the field office."


def test_assess_judgement_agreeing_with_records_is_not_disputed(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        record_judgement(
            session,
            "10.4.1/targets/1",
            as_of=STATUS_DATE,
            completion=Completion.IN_PROGRESS,
            justification="Eight of nine subgroups formed.",
            actor=NodeSelf("coordinator-us"),
        )
    with facts_db.reader() as session:
        shown = assess_plan(session, STATUS_DATE).target("10.4.1/targets/1").as_dict()
    assert (shown["state"], shown["basis"]) == ("overdue", "records_and_judgement")
