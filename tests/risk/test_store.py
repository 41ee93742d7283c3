"""Shipments, outcomes, models and selections in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from alianza import audit
from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.risk.models import Assignment, Inspection, RuleHitRow, Shipment
from alianza.risk.overrides import override
from alianza.risk.rules import Condition, Rule, RuleBook
from alianza.risk.selection import Lane
from alianza.risk.service import (
    drift_between,
    evaluate_period,
    explain_shipments,
    score_batch,
    select_and_store,
    train_and_store,
)
from alianza.risk.store import declarations_between, import_shipments, record_outcomes
from tests.risk.conftest import RISK_DATA


def plain_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def unlabeled_copy(source: Path, target: Path) -> Path:
    rows = plain_rows(source)
    fields = [f for f in rows[0] if f not in ("Fraud", "Critical Fraud")]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_import_shipments_loads_then_reimport_changes_nothing(fresh_db: Database) -> None:
    path = RISK_DATA / "kcs-train-sample.csv"
    rows = plain_rows(path)
    first = import_shipments(fresh_db, path, actor=NodeSelf("test"))
    again = import_shipments(fresh_db, path, actor=NodeSelf("test"))
    assert (first.loaded, first.unchanged, first.exit_code) == (len(rows), 0, 0)
    assert (again.loaded, again.unchanged, again.exit_code) == (0, len(rows), 0)
    with fresh_db.reader() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == len(rows)
        assert session.scalar(select(func.count()).select_from(Inspection)) == len(rows)
        violations = session.scalar(
            select(func.count()).select_from(Inspection).where(Inspection.fraud.is_(True))
        )
        held = declarations_between(session)
    assert violations == sum(r["Fraud"] == "1" for r in rows)
    by_id = {r["Declaration ID"]: r for r in rows}
    for i, reference in enumerate(held.table.ids):
        raw = by_id[reference]
        assert held.table.text["hs6"][i] == raw["HS6 Code"]
        assert held.table.text["import_type"][i] == raw["Import Type"]
        assert held.table.number["net_mass_kg"][i] == float(raw["Net Mass"])
        assert held.table.critical[i] == int(raw["Critical Fraud"] == "2")


def test_import_shipments_changed_reference_refused(fresh_db: Database, tmp_path: Path) -> None:
    path = RISK_DATA / "kcs-test-sample.csv"
    import_shipments(fresh_db, path, actor=NodeSelf("test"))
    rows = plain_rows(path)[:3]
    rows[1]["Net Mass"] = "999999.0"
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_shipments(fresh_db, changed, actor=NodeSelf("test"))
    assert [(i.code, i.value) for i in report.issues] == [
        ("risk-reference-conflict", rows[1]["Declaration ID"])
    ]
    assert (report.unchanged, report.quarantined, report.exit_code) == (2, 1, 3)


def test_record_outcomes_defects_by_row_and_code(fresh_db: Database, tmp_path: Path) -> None:
    unlabeled = unlabeled_copy(RISK_DATA / "kcs-test-sample.csv", tmp_path / "new.csv")
    import_shipments(fresh_db, unlabeled, actor=NodeSelf("test"))
    refs = [r["Declaration ID"] for r in plain_rows(unlabeled)[:3]]
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(
        "reference,lane,exam_type,inspected_on,result,seizure_event_id\n"
        f"{refs[0]},physical,physical,2021-04-02,critical,SEIZ-1\n"
        f"{refs[1]},documentary,documents,2021-04-02,clear,\n"
        "99999999,physical,physical,2021-04-02,clear,\n"
        f"{refs[2]},physical,physical,2021-04-02,maybe,\n"
        f"{refs[0]},physical,physical,2021-04-03,clear,\n"
        f"{refs[2]},physical,physical,yesterday,clear,\n",
        encoding="utf-8",
    )
    report = record_outcomes(fresh_db, outcomes, actor=NodeSelf("test"))
    assert sorted((i.row, i.field, i.code) for i in report.issues) == [
        (4, "reference", "risk-unknown-shipment"),
        (5, "result", "risk-bad-result"),
        (6, "result", "risk-outcome-conflict"),
        (7, "inspected_on", "risk-bad-date"),
    ]
    assert (report.loaded, report.quarantined) == (2, 4)
    with fresh_db.reader() as session:
        stored = session.execute(
            select(
                Shipment.reference,
                Inspection.fraud,
                Inspection.critical,
                Inspection.seizure_event_id,
            )
            .join(Inspection, Inspection.shipment_id == Shipment.id)
            .order_by(Shipment.reference)
        ).all()
    assert sorted(tuple(r) for r in stored) == sorted(
        [(refs[0], True, True, "SEIZ-1"), (refs[1], False, False, None)]
    )


def test_train_score_select_outcomes_evaluate_loop(fresh_db: Database, tmp_path: Path) -> None:
    import_shipments(fresh_db, RISK_DATA / "kcs-train-sample.csv", actor=NodeSelf("test"))
    import_shipments(fresh_db, RISK_DATA / "kcs-valid-sample.csv", actor=NodeSelf("test"))
    unlabeled = unlabeled_copy(RISK_DATA / "kcs-test-sample.csv", tmp_path / "new.csv")
    import_shipments(fresh_db, unlabeled, actor=NodeSelf("test"))
    model_id = train_and_store(
        fresh_db,
        train_until=date(2020, 12, 31),
        calibrate_until=date(2021, 3, 31),
        seed=3,
        actor=NodeSelf("test"),
    )
    scored = score_batch(fresh_db, start=date(2021, 4, 1), end=date(2021, 6, 30))
    n = len(plain_rows(unlabeled))
    assert scored.model_id == model_id
    assert len(scored.batch.table) == n
    first_hs = str(scored.batch.table.text["hs6"][0])
    book = RuleBook()
    book.add(
        Rule(
            "hs-watch",
            1,
            "unit",
            "test rule",
            date(2021, 1, 1),
            None,
            mandatory=True,
            lane="physical",
            conditions=(Condition("in", "hs6", (first_hs,)),),
        )
    )
    lanes = [Lane("physical", 5), Lane("documentary", 10)]
    selection_id, chosen = select_and_store(
        fresh_db,
        scored,
        lanes,
        rules=book,
        random_share=0.2,
        seed=1,
        batch_label="Q2",
        actor=NodeSelf("test"),
    )
    mandatory_rows = [i for i, h in enumerate(scored.batch.table.text["hs6"]) if h == first_hs]
    with fresh_db.reader() as session:
        assignments = session.scalars(
            select(Assignment).where(Assignment.selection_id == selection_id)
        ).all()
        hits = session.scalar(select(func.count()).select_from(RuleHitRow))
        chain = audit.verify_chain(session)
    assert len(assignments) == n
    assert hits == len(mandatory_rows)
    assert sorted(chosen.rows("mandatory")) == mandatory_rows
    assert chain.ok
    # outcomes of the inspected shipments, from the true labels of the sample
    truth = {r["Declaration ID"]: r for r in plain_rows(RISK_DATA / "kcs-test-sample.csv")}
    outcomes = tmp_path / "outcomes.csv"
    lines = ["reference,lane,exam_type,inspected_on,result"]
    for a in chosen.assignments:
        if a.lane != "release":
            ref = str(scored.batch.table.ids[a.row])
            t = truth[ref]
            result = (
                "critical"
                if t["Critical Fraud"] == "2"
                else ("violation" if t["Fraud"] == "1" else "clear")
            )
            lines.append(f"{ref},{a.lane},exam,2021-07-01,{result}")
    outcomes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert record_outcomes(fresh_db, outcomes, actor=NodeSelf("test")).loaded == len(lines) - 1
    evaluation = evaluate_period(fresh_db, start=date(2021, 4, 1), end=date(2021, 6, 30))
    control = chosen.rows("random-control")
    expected_hits = sum(truth[str(scored.batch.table.ids[i])]["Fraud"] == "1" for i in control)
    assert evaluation.labeled == len(lines) - 1
    assert (evaluation.random_slice.inspected, evaluation.random_slice.hits) == (
        len(control),
        expected_hits,
    )
    explained = explain_shipments(fresh_db, [str(scored.batch.table.ids[0])], top=3)
    assert len(explained) == 1
    assert len(explained[0][1].top) == 3
    moved = next(a for a in chosen.assignments if a.lane != "release")
    override(
        fresh_db,
        selection_id,
        str(scored.batch.table.ids[moved.row]),
        "release",
        actor=NodeSelf("officer"),
        reason="test",
    )
    with fresh_db.reader() as session:
        actions = session.scalars(select(audit.AuditEntry.action)).all()
    assert actions.count("risk.selection.override") == 1
    assert {
        "risk.shipments.import",
        "risk.model.train",
        "risk.selection.create",
        "risk.outcomes.record",
    } <= set(actions)
    drift = drift_between(
        fresh_db,
        reference=(date(2021, 1, 1), date(2021, 3, 31)),
        current=(date(2021, 4, 1), date(2021, 6, 30)),
    )
    assert drift.features
    assert drift.slices[1].inspected == len(control)
    # scoring, explaining, drift and an override refused, in English and in Spanish
    said = []
    for refused in (
        lambda: score_batch(fresh_db, start=date(2030, 1, 1), end=date(2030, 1, 31)),
        lambda: score_batch(fresh_db, start=date(2021, 4, 1), end=date(2021, 6, 30), port="zz"),
        lambda: explain_shipments(fresh_db, ["nowhere-1"]),
        lambda: drift_between(
            fresh_db,
            reference=(date(2030, 1, 1), date(2030, 1, 31)),
            current=(date(2021, 4, 1), date(2021, 6, 30)),
        ),
        lambda: score_batch(fresh_db, start=date(2021, 4, 1), end=date(2021, 6, 30), model_id=99),
        lambda: override(
            fresh_db, selection_id, "nowhere-1", "release", actor=NodeSelf("ana"), reason="test"
        ),
        lambda: override(
            fresh_db, selection_id, "nowhere-1", "release", actor=NodeSelf("ana"), reason=" "
        ),
        lambda: override(
            fresh_db, selection_id, "nowhere-1", "x-ray", actor=NodeSelf("ana"), reason="test"
        ),
        lambda: override(
            fresh_db,
            selection_id,
            str(scored.batch.table.ids[moved.row]),
            "release",
            actor=NodeSelf("ana"),
            reason="test",
        ),
    ):
        with pytest.raises((LookupError, ValueError)) as error:
            refused()
        said.append((str(error.value), in_language(message_of(error.value), "es")))
    assert said == [
        (
            "no shipments declared 2030-01-01 .. 2030-01-31",
            "no hay envíos declarados del 2030-01-01 al 2030-01-31",
        ),
        (
            "no shipments declared 2021-04-01 .. 2021-06-30 at zz",
            "no hay envíos declarados del 2021-04-01 al 2021-06-30 en zz",
        ),
        (
            "some references are not held: nowhere-1",
            "algunas referencias no se conservan en este nodo: nowhere-1",
        ),
        (
            "no shipments declared 2030-01-01 .. 2030-01-31",
            "no hay envíos declarados del 2030-01-01 al 2030-01-31",
        ),
        ("no risk model 99", "no existe el modelo de riesgo 99"),
        (
            f"shipment 'nowhere-1' is not in selection {selection_id}",
            f"el envío 'nowhere-1' no está en la selección {selection_id}",
        ),
        ("an override needs a reason", "un cambio de carril necesita un motivo"),
        (
            f"lane 'x-ray' is not a lane of selection {selection_id}: one of physical,"
            " documentary, release",
            f"el carril 'x-ray' no es un carril de la selección {selection_id}: uno de physical,"
            " documentary, release",
        ),
        (
            f"shipment {str(scored.batch.table.ids[moved.row])!r} is already in lane 'release'",
            f"el envío {str(scored.batch.table.ids[moved.row])!r} ya está en el carril 'release'",
        ),
    ]
    # retraining on every label now held keeps the time split
    retrained = train_and_store(fresh_db, calibration_days=60, seed=3, actor=NodeSelf("test"))
    assert retrained == model_id + 1


def test_score_batch_without_model_refused(fresh_db: Database) -> None:
    from alianza.risk.service import NoModel

    with pytest.raises(NoModel, match="alianza risk train") as refused:
        score_batch(fresh_db, start=date(2021, 4, 1), end=date(2021, 4, 2))
    assert str(refused.value) == "no risk model yet: run alianza risk train"
    assert in_language(message_of(refused.value), "es") == (
        "aún no hay modelo de riesgo: ejecute alianza risk train"
    )


def test_declarations_between_empty_database(fresh_db: Database) -> None:
    with fresh_db.reader() as session:
        held = declarations_between(session)
    assert len(held.table) == 0
    assert np.array_equal(held.table.fraud, np.zeros(0, dtype=np.int8))
