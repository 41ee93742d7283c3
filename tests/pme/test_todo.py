"""``alianza pme todo`` and ``/pme/todo``: what needs a person (issue 17, item 6)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.db import Database
from alianza.pme import cycles
from alianza.pme.judgements import Completion, record_judgement
from alianza.pme.service import SEED_REPORT
from alianza.pme.todo import what_needs_me


def kinds(items: list[object]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for item in items:
        found.setdefault(item.kind, set()).add(item.subject)  # type: ignore[attr-defined]
    return found


def test_what_needs_me_lists_targets_coming_due_then_overdue(facts_db: Database) -> None:
    # Seed deadlines (read off the text): 10.3/targets/1, 10.4/targets/2, 10.4/targets/3,
    # 10.4.1/targets/1, 10.7/targets/1 "By July 1999"/"By July 31, 1999" → due 31 Jul 99.
    with facts_db.reader() as session:
        early = kinds(what_needs_me(session, date(1999, 7, 1)))
        late = kinds(what_needs_me(session, date(1999, 8, 31)))
    assert "10.4.1/targets/1" in early["target-due-soon"]
    assert "10.4.1/targets/1" in late["target-overdue"]
    # 10.4/targets/1: both posts recorded as of 31 Aug (approximate): met, timing unknown.
    assert "10.4/targets/1" not in late.get("target-overdue", set())


def test_what_needs_me_lists_disputes(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        record_judgement(
            session,
            "10.4.1/targets/1",
            as_of=date(1999, 8, 31),
            completion=Completion.DONE,
            completed_on=date(1999, 7, 20),
            justification="Reported done.",
            actor=NodeSelf("coordinator-us"),
        )
    with facts_db.reader() as session:
        found = kinds(what_needs_me(session, date(1999, 8, 31)))
    assert found["target-disputed"] == {"10.4.1/targets/1"}


def test_what_needs_me_lists_approvals_waiting_longer_than_set(seeded_db: Database) -> None:
    with seeded_db.transaction() as session:
        cycles.open_cycle(
            session, "1999-08", as_of=date(1999, 8, 31), label_en="Aug 99", label_es="ago 99",
            actor=NodeSelf("coordinator"),
        )  # fmt: skip
        for language, text in (("en", "Eight of nine."), ("es", "Ocho de nueve.")):
            cycles.enter_status(
                session, "1999-08", "10.4.1", government=cycles.Government.JOINT,
                language=language, text=text, actor=NodeSelf("coordinator"),
            )  # fmt: skip
        cycles.submit_cycle(session, "1999-08", actor=NodeSelf("coordinator"))
        cycles.approve_cycle(
            session,
            "1999-08",
            government=cycles.Government.US,
            language="en",
            actor=NodeSelf("coordinator"),
        )
    submitted = datetime.now(UTC).date()
    with seeded_db.reader() as session:
        soon = what_needs_me(session, submitted + timedelta(days=6), government="US")
        later = what_needs_me(session, submitted + timedelta(days=7), government="US")
        mexico = what_needs_me(session, submitted + timedelta(days=7), government="MX")
    assert [i for i in soon if i.kind == "approval-waiting"] == []
    waiting = [i.detail for i in later if i.kind == "approval-waiting"]
    assert waiting == [f"US approval of the es text, waiting since {submitted}"]
    assert len([i for i in mexico if i.kind == "approval-waiting"]) == 2  # en and es


def test_cli_pme_todo(tmp_path: Path) -> None:
    node = tmp_path / "node"
    runner = CliRunner()
    env = {"ALIANZA_DATABASE_URL": ""}
    assert (
        runner.invoke(
            cli, ["--home", str(node), "pme", "import", str(SEED_REPORT)], env=env
        ).exit_code
        == 0
    )
    result = runner.invoke(
        cli,
        [
            "--home",
            str(node),
            "pme",
            "todo",
            "--today",
            "1999-08-31",
            "--gov",
            "US",
            "--format",
            "json",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    overdue = {i["subject"] for i in items if i["kind"] == "target-overdue"}
    # the eight overdue targets of the issue (deadlines alone: no facts recorded here)
    assert len(overdue) == 8
    text = runner.invoke(
        cli, ["--home", str(node), "pme", "todo", "--today", "1999-08-31"], env=env
    )
    assert "overdue target" in text.output


def test_what_needs_me_lists_stale_twins_of_a_cycles_status(seeded_db: Database) -> None:
    """Issue 17: stale twins appear in the "what needs me" list."""
    with seeded_db.transaction() as session:
        cycles.open_cycle(
            session, "1999-08", as_of=date(1999, 8, 31), label_en="Aug 99", label_es="ago 99",
            actor=NodeSelf("coordinator"),
        )  # fmt: skip
        for language, text in (("en", "Eight of nine."), ("es", "Ocho de nueve."), ("en", "Nine.")):
            cycles.enter_status(
                session, "1999-08", "10.4.1", government=cycles.Government.JOINT,
                language=language, text=text, actor=NodeSelf("coordinator"), position=1,
            )  # fmt: skip
    with seeded_db.reader() as session:
        items = what_needs_me(session, date(1999, 9, 1), government="US")
    stale = [i for i in items if i.kind == "translation-stale"]
    assert [i.subject for i in stale] == ["1999-08/10.4.1/JOINT/1/es"]
    assert "the es text is older than the en it translates" in stale[0].detail
    assert stale[0].label("es") == "traducción desactualizada"
