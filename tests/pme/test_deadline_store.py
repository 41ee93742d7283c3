"""Deadlines kept per target: parsed on import, corrected with who/when/why, never lost."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry, verify_chain
from alianza.db import Database
from alianza.pme.deadline_store import (
    CorrectionRefused,
    correct_deadline,
    current_deadlines,
    deadline_history,
    deadlines_in_force,
    sync_deadlines,
)
from alianza.pme.deadlines import Deadline, DeadlineKind
from alianza.pme.document import Language
from alianza.pme.engine_models import DeadlineRow
from alianza.pme.events import event_dates, record_event
from alianza.pme.export.json import report_json
from alianza.pme.query import BadAddress, load_plan_report
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.pme.samples import spanish_report

NEW_TEXT = "By September 30, 1999, both governments will establish subgroups for every BLM."


def test_import_seed_stores_a_deadline_per_target_paragraph(seeded_db: Database) -> None:
    with seeded_db.reader() as session:
        stored = current_deadlines(session)
        rows = session.scalar(select(func.count()).select_from(DeadlineRow))
    assert len(stored) == rows == 25  # 3+3+3+3+1+1+1+3+5+2 target paragraphs in the seed
    first = stored[("10.4.1", 1)]
    assert (first.deadline.kind, first.deadline.due, first.origin) == (
        DeadlineKind.ABSOLUTE,
        date(1999, 7, 31),
        "parsed",
    )
    assert first.target_text.startswith("By July 31, 1999, both governments")


def test_correct_deadline_records_who_when_why_and_keeps_text(seeded_db: Database) -> None:
    correction = Deadline(DeadlineKind.ABSOLUTE, due=date(1999, 12, 31))
    with seeded_db.transaction() as session:
        correct_deadline(
            session,
            "10.2/targets/2",
            correction,
            actor=NodeSelf("coordinator-mx"),
            reason="Agreed at the HLCG of 12 May 1999: subgroups by year end.",
        )
    with seeded_db.reader() as session:
        history = deadline_history(session, "10.2/targets/2")
        report = load_plan_report(session)
        audit_actions = list(session.scalars(select(AuditEntry.action)))
        chain = verify_chain(session)
    assert [(h.origin, h.deadline.kind) for h in history] == [
        ("parsed", DeadlineKind.NONE),
        ("corrected", DeadlineKind.ABSOLUTE),
    ]
    assert (history[1].created_by, history[1].reason) == (
        "coordinator-mx",
        "Agreed at the HLCG of 12 May 1999: subgroups by year end.",
    )
    action = report.action("10.2")
    assert action is not None
    assert action.targets[1].text == "Establish the BLM sub groups on Border Public Safety."
    assert "pme.deadline.correct" in audit_actions
    assert chain.ok


def test_correct_deadline_refuses_without_reason_or_date(seeded_db: Database) -> None:
    with seeded_db.transaction() as session, pytest.raises(CorrectionRefused, match="why"):
        correct_deadline(
            session, "10.2/targets/2", Deadline(DeadlineKind.NONE), actor=NodeSelf("x"), reason=" "
        )
    with seeded_db.transaction() as session, pytest.raises(CorrectionRefused, match="due"):
        correct_deadline(
            session, "10.2/targets/2", Deadline(DeadlineKind.MONTH), actor=NodeSelf("x"), reason="r"
        )
    with seeded_db.transaction() as session, pytest.raises(BadAddress, match="targets"):
        correct_deadline(
            session, "10.2/status/2", Deadline(DeadlineKind.NONE), actor=NodeSelf("x"), reason="r"
        )
    with seeded_db.transaction() as session, pytest.raises(BadAddress, match="no such"):
        correct_deadline(
            session, "10.2/targets/9", Deadline(DeadlineKind.NONE), actor=NodeSelf("x"), reason="r"
        )


def test_reimport_keeps_correction_and_changed_text_replaces_it_in_history(
    seeded_db: Database, tmp_path: Path
) -> None:
    with seeded_db.transaction() as session:
        correct_deadline(
            session,
            "10.4.1/targets/1",
            Deadline(DeadlineKind.ABSOLUTE, due=date(1999, 8, 31)),
            actor=NodeSelf("coordinator-us"),
            reason="Extended by the BLM chairs.",
        )
    import_report_file(seeded_db, SEED_REPORT, actor=NodeSelf("test"))
    with seeded_db.reader() as session:
        assert current_deadlines(session)[("10.4.1", 1)].origin == "corrected"
    changed = tmp_path / "changed.tsv"
    changed.write_text(
        SEED_REPORT.read_text("utf-8").replace(
            "By July 31, 1999, both governments will establish Border Public Safety subgroups "
            "for every BLM.",
            NEW_TEXT,
        ),
        "utf-8",
    )
    import_report_file(seeded_db, changed, actor=NodeSelf("test"))
    with seeded_db.reader() as session:
        now = current_deadlines(session)[("10.4.1", 1)]
        history = deadline_history(session, "10.4.1/targets/1")
    assert (now.origin, now.deadline.due, now.target_text) == (
        "parsed",
        date(1999, 9, 30),
        NEW_TEXT,
    )
    assert [h.origin for h in history] == ["parsed", "corrected", "parsed"]
    with seeded_db.reader() as session:
        audited = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    # The first import's parse is covered by its own entry; replacing a correction is not.
    assert audited == [
        "pme.report.import",
        "pme.deadline.correct",
        "pme.report.import",
        "pme.deadline.sync",
    ]


def test_export_json_targets_carry_deadline_and_actions_references(seeded_db: Database) -> None:
    with seeded_db.transaction() as session:
        record_event(session, "10.1/targets/1", date(2000, 3, 15), actor=NodeSelf("hlcg"))
    with seeded_db.reader() as session:
        report = load_plan_report(session, language=Language.EN)
        data = report_json(
            report, deadlines=deadlines_in_force(session), events=event_dates(session)
        )
    actions = {a["number"]: a for a in data["alliance_points"][0]["actions"]}
    assert actions["10.1"]["targets"][0]["deadline"] | {"phrase": None} == {
        "kind": "relative",
        "due": "2000-09-15",
        "event": "completion of an update of the Binational Threat Assessment",
        "recurrence": None,
        "offset": "P6M",
        "start": None,
        "phrase": None,
    }
    assert actions["10.9"]["targets"][0]["deadline"]["recurrence"] == "quarterly"
    assert actions["10.2"]["targets"][2]["deadline"]["kind"] == "none"
    assert [
        {k: r[k] for k in ("from", "to", "resolved", "text")}
        for r in actions["10.4.1"]["references"]
    ] == [
        {
            "from": "10.4.1/status/1",
            "to": "10.2/status/5",
            "resolved": True,
            "text": "See 10.2. Status para 5",
        }
    ]
    json.dumps(data)  # plain JSON values only


@pytest.mark.parametrize(
    ("target", "issues"),
    [
        ("Para el 31 de julio de 1999, ambos gobiernos establecerán subgrupos en cada MEF.", []),
        (
            "Para el 31 de agosto de 1999, ambos gobiernos establecerán subgrupos en cada MEF.",
            [("deadline-language-mismatch", "10.4.1/targets/1")],
        ),
        (
            "<p>Para el 31 de julio de 1999, establecer subgrupos.</p> <p>Continuar.</p>",
            [("target-count-mismatch", "10.4.1/targets")],
        ),
    ],
)
def test_import_spanish_report_warns_when_deadlines_differ(
    seeded_db: Database, tmp_path: Path, target: str, issues: list[tuple[str, str]]
) -> None:
    spanish = tmp_path / "ap10-es.tsv"
    spanish.write_text(spanish_report(target), "utf-8")
    result = import_report_file(seeded_db, spanish, actor=NodeSelf("test"))
    with seeded_db.transaction() as session:
        sync = sync_deadlines(session, actor=NodeSelf("test"))
    assert [(i.code, i.field) for i in sync.issues] == issues
    assert len(result.summary.notes) == len(issues)
    with seeded_db.reader() as session:
        kept = current_deadlines(session)[("10.4.1", 1)]
    assert (kept.language, kept.deadline.due) == ("en", date(1999, 7, 31))


def test_import_audits_parsed_deadlines_within_its_own_entry(seeded_db: Database) -> None:
    with seeded_db.reader() as session:
        audited = [e.action for e in session.scalars(select(AuditEntry))]
    assert audited == ["pme.report.import"]
    with seeded_db.transaction() as session:
        standalone = sync_deadlines(session, actor=NodeSelf("test"))
    assert (standalone.parsed, standalone.kept) == (0, 25)
