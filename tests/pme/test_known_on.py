"""``pme assess --as-of D --known-on K`` (issue 17, item 6): the scorecard as it could have
been computed on day K, anything recorded after K left out. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import update

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.cooperation import registry
from alianza.cooperation.models import (
    Deliverable,
    LiaisonPost,
    MeasureBinding,
    Mechanism,
    Meeting,
    Technology,
    Training,
)
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.engine_models import DeadlineRow
from alianza.pme.judgements import Completion, record_judgement
from alianza.pme.service import SEED_REPORT

STATUS_DATE = date(1999, 8, 31)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
KNOWN_ON = date(2020, 6, 1)


def backdate(database: Database) -> None:
    """Make what the fixture wrote (plan deadlines, 1999 facts, bindings) written in 2020."""
    with database.transaction() as session:
        session.execute(update(DeadlineRow).values(created_at=LONG_AGO))
        for model in (Mechanism, Meeting, LiaisonPost, Deliverable, Technology, Training):
            session.execute(update(model).values(recorded_at=LONG_AGO))
        session.execute(update(MeasureBinding).values(recorded_at=LONG_AGO))


def today() -> date:
    return datetime.now(UTC).date()


def test_assess_known_on_leaves_out_what_was_recorded_later(facts_db: Database) -> None:
    backdate(facts_db)
    with facts_db.reader() as session:
        before = assess_plan(session, STATUS_DATE).as_dict()
    with facts_db.transaction() as session:  # recorded today, long after KNOWN_ON
        record_judgement(
            session,
            "10.4.1/targets/1",
            as_of=STATUS_DATE,
            completion=Completion.DONE,
            completed_on=date(1999, 7, 20),
            justification="Reported done.",
            actor=NodeSelf("coordinator-us"),
        )
        registry.complete_deliverable(
            session, "us-port-services-analysis", date(1999, 7, 1), actor=NodeSelf("t")
        )
    with facts_db.reader() as session:
        now = assess_plan(session, STATUS_DATE)
        then = assess_plan(session, STATUS_DATE, known_on=KNOWN_ON)
        same = assess_plan(session, STATUS_DATE, known_on=today())
    assert now.target("10.4.1/targets/1").state.value == "disputed"
    assert now.target("10.7/targets/3").state.value == "met_on_time"  # done 1 Jul, due 31 Jul
    assert then.as_dict()["known_on"] == "2020-06-01"
    # The replay is the scorecard before today's entries, except the one deliverable the
    # fixture completed through an audited completion (bci, 10.2/targets/1): the audit log is
    # hash-chained and not backdated, so that completion is known from today only.
    replay = {t.address: t.as_dict() for t in then.targets()}
    earlier = {
        t["address"]: t
        for p in before["alliance_points"]
        for a in p["actions"]
        for t in a["targets"]
    }
    assert [a for a in earlier if replay[a] != earlier[a]] == ["10.2/targets/1"]
    assert then.target("10.4.1/targets/1").state.value == "overdue"
    assert then.target("10.7/targets/3").state.value == "overdue"
    assert same.as_dict() | {"known_on": None} == now.as_dict()


def test_assess_known_on_before_anything_was_recorded_has_no_deadlines(
    facts_db: Database,
) -> None:
    with facts_db.reader() as session:
        states = {
            t.state.value for t in assess_plan(session, STATUS_DATE, known_on=KNOWN_ON).targets()
        }
    assert states == {"no_deadline"}  # the deadlines were parsed today


def test_cli_assess_known_on(tmp_path: Path) -> None:
    node = tmp_path / "node"

    def run(*args: str) -> str:
        result = CliRunner().invoke(
            cli, ["--home", str(node), *args], env={"ALIANZA_DATABASE_URL": ""}
        )
        assert result.exit_code == 0, result.output
        return result.output

    run("pme", "import", str(SEED_REPORT))
    yesterday = (today() - timedelta(days=1)).isoformat()
    out = run("pme", "assess", "--as-of", "1999-08-31", "--known-on", yesterday)
    assert f"as known on {yesterday}" in out
    assert "25 no_deadline" in out  # the deadlines were parsed today: none known yesterday
