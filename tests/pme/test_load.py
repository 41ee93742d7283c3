"""Loading reports into storage (SQLite and PostgreSQL): atomic, idempotent, versioned."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alianza import audit
from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.document import Language
from alianza.pme.models import ActionRow, CellVersion, ParagraphRow, ReportImport
from alianza.pme.problems import ReportRejected
from alianza.pme.query import Address, BadAddress, load_plan_report, paragraph_at
from alianza.pme.read import read_report
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.conftest import DATA

COUNTED = (ActionRow, CellVersion, ParagraphRow, ReportImport, audit.AuditEntry)


def counts(database: Database) -> dict[str, int]:
    with database.reader() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in COUNTED
        }


def test_import_seed_stores_what_the_file_holds(seeded_db: Database) -> None:
    with seeded_db.reader() as session:
        stored = load_plan_report(session)
    assert stored == read_report(SEED_REPORT).report
    with seeded_db.reader() as session:
        parent = session.scalars(select(ActionRow).where(ActionRow.number == "10.4")).one()
        child = session.scalars(select(ActionRow).where(ActionRow.number == "10.4.1")).one()
    assert child.parent_id == parent.id


def test_import_same_file_twice_changes_nothing(seeded_db: Database) -> None:
    before = counts(seeded_db)
    result = import_report_file(seeded_db, SEED_REPORT, actor=NodeSelf("test"))
    assert not result.summary.changed
    assert counts(seeded_db) == before


def later_report(seed_text: str, tmp_path: Path, *, new_target: bool = False) -> Path:
    text = seed_text.replace("STATUS As of 31 Aug 99", "STATUS As of 29 Feb 00").replace(
        "See 10.2. Status para 5", "Border Public Safety subgroups now exist in all nine BLMs."
    )
    if new_target:
        text = text.replace("for every BLM.", "for every BLM by the end of 1999.")
    path = tmp_path / "report-2000-02-29.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_later_report_adds_status_snapshot_and_keeps_earlier(
    seeded_db: Database, seed_text: str, tmp_path: Path
) -> None:
    summary = import_report_file(
        seeded_db, later_report(seed_text, tmp_path), actor=NodeSelf("test")
    ).summary
    assert summary.created == {"status snapshot": 10}
    with seeded_db.reader() as session:
        report = load_plan_report(session)
        earlier = load_plan_report(session, status_as_of=date(1999, 12, 31))
    action = report.action("10.4.1")
    assert action is not None
    assert [s.as_of for s in action.status] == [date(1999, 8, 31), date(2000, 2, 29)]
    assert action.status[0].paragraphs[0].text == "See 10.2. Status para 5"
    assert action.status[1].paragraphs[0].text.startswith("Border Public Safety subgroups now")
    earlier_action = earlier.action("10.4.1")
    assert earlier_action is not None
    assert [s.as_of for s in earlier_action.status] == [date(1999, 8, 31)]


def test_import_changed_target_keeps_the_old_version(
    seeded_db: Database, seed_text: str, tmp_path: Path
) -> None:
    summary = import_report_file(
        seeded_db, later_report(seed_text, tmp_path, new_target=True), actor=NodeSelf("test")
    )
    assert summary.summary.created == {"status snapshot": 10, "targets cell revision": 1}
    with seeded_db.reader() as session:
        versions = session.scalars(
            select(CellVersion)
            .join(ActionRow)
            .where(ActionRow.number == "10.4.1", CellVersion.column == "targets")
            .order_by(CellVersion.version)
        ).all()
        texts = [[p.text for p in v.paragraphs] for v in versions]
        current = [v.superseded_at is None for v in versions]
    assert texts == [
        ["By July 31, 1999, both governments will establish Border Public Safety subgroups "
         "for every BLM."],
        ["By July 31, 1999, both governments will establish Border Public Safety subgroups "
         "for every BLM by the end of 1999."],
    ]  # fmt: skip
    assert current == [False, True]


def test_import_rejected_file_writes_nothing(fresh_db: Database) -> None:
    before = counts(fresh_db)
    with pytest.raises(ReportRejected):
        import_report_file(fresh_db, DATA / "pme" / "wrong-cell-count.tsv", actor=NodeSelf("test"))
    assert counts(fresh_db) == before


def test_import_is_one_transaction(fresh_db: Database) -> None:
    from alianza.pme.load import load_report

    report = read_report(SEED_REPORT).report
    seen: list[int | None] = []

    def interrupted_import() -> None:
        with fresh_db.transaction() as session:
            load_report(session, report, source="seed", sha256="0" * 64, actor=NodeSelf("test"))
            seen.append(session.scalar(select(func.count()).select_from(ActionRow)))
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        interrupted_import()
    assert seen == [10]
    assert counts(fresh_db) == dict.fromkeys(counts(fresh_db), 0)


def test_import_spanish_version_is_kept_beside_english(seeded_db: Database) -> None:
    before = counts(seeded_db)
    summary = import_report_file(
        seeded_db, DATA / "pme" / "spanish-report.tsv", actor=NodeSelf("test")
    ).summary
    assert summary.language == "es"
    assert summary.created["action cell"] == 2
    assert "action" not in summary.created  # same actions, now in Spanish
    with seeded_db.reader() as session:
        spanish = load_plan_report(session, language=Language.ES)
        english = load_plan_report(session, language=Language.EN)
    assert [a.number for a in spanish.actions()] == ["10.4", "10.4.1"]
    assert spanish.alliance_points[0].title.startswith("Fortalecer")
    assert english == read_report(SEED_REPORT).report
    assert counts(seeded_db)["pme_action"] == before["pme_action"]


def test_import_writes_an_audit_entry_that_verifies(seeded_db: Database) -> None:
    with seeded_db.reader() as session:
        entries = session.scalars(select(audit.AuditEntry)).all()
        chain = audit.verify_chain(session)
    assert [e.action for e in entries] == ["pme.report.import"]
    assert chain.ok
    assert chain.entries == 1


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("10.2/status/5", "In line with the BLMs, meetings at the local, state and federal"),
        ("10.2/status@1999-08-31/5", "In line with the BLMs"),
        ("10.1/targets/1", "Within 6 months of the completion of an update"),
        ("10.4.1/baseline/1", "One Border Public Safety subgroup exists in San Diego/Tijuana."),
        ("10.9/measurements/2", "Quarterly exchange of data."),
    ],
)
def test_paragraph_address_points_at_the_paragraph(
    seeded_db: Database, address: str, expected: str
) -> None:
    with seeded_db.reader() as session:
        report = load_plan_report(session)
    assert paragraph_at(report, Address.parse(address)).text.startswith(expected)


@pytest.mark.parametrize(
    ("address", "reason", "spanish"),
    [
        ("10.2/status/8", "has 7 paragraph(s)", "10.2/status/8: status de 10.2 tiene 7 párrafos"),
        ("10.12/targets/1", "action 10.12 is not loaded", "la acción 10.12 no está cargada"),
        ("10.2/color/1", "unknown column", "'10.2/color/1': columna desconocida 'color'"),
        ("10.2 status 5", "not a paragraph address", "'10.2 status 5' no es una dirección"),
    ],
)
def test_paragraph_address_to_nothing_says_why(
    seeded_db: Database, address: str, reason: str, spanish: str
) -> None:
    from alianza.catalogue import in_language, message_of

    with seeded_db.reader() as session:
        report = load_plan_report(session)
    with pytest.raises(BadAddress, match=re.escape(reason)) as refused:
        paragraph_at(report, Address.parse(address))
    assert spanish in in_language(message_of(refused.value), "es")
