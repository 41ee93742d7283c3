"""Training on declarations of both import profiles (``kcs`` and ``alianza``) in one node, and
a failed training storing nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.cli import cli
from alianza.db import Database
from alianza.risk import service
from alianza.risk.features import SHIPMENT_SPEC, prepare
from alianza.risk.models import ModelRecord, StoredModel
from alianza.risk.read import ALIANZA, read_declarations
from alianza.risk.store import import_shipments
from tests.risk.conftest import RISK_DATA
from tests.risk.test_cli import node as node  # the embedded node fixture
from tests.risk.test_cli import run


def generated_sample(folder: Path) -> Path:
    """The generated border shipments (``alianza`` profile), small: dated 2025."""
    result = CliRunner().invoke(
        cli, ["risk", "sample", str(folder), "--rows", "1500", "--days", "60", "--seed", "5"]
    )
    assert result.exit_code == 0, result.output
    return folder / "shipments-history.csv"


def labeled_rows(path: Path, columns: tuple[str, ...]) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for row in csv.DictReader(handle) if all(row[c].strip() for c in columns))


def test_cli_retrain_and_train_on_both_profiles_store_recorded_models(
    node: Path, tmp_path: Path
) -> None:
    for name in ("train", "valid"):
        code, out = run(node, "import", str(RISK_DATA / f"kcs-{name}-sample.csv"))
        assert code == 0, out
    code, out = run(node, "train", "--train-until", "2020-12-31")
    assert (code, out.strip()) == (0, "stored risk model 1")
    history = generated_sample(tmp_path / "sample")
    code, out = run(node, "import", "--profile", "alianza", str(history))
    assert code == 0, out
    labels = sum(
        labeled_rows(RISK_DATA / f"kcs-{name}-sample.csv", ("Fraud",))
        for name in ("train", "valid")
    ) + labeled_rows(history, ("result",))
    # the last 28 days of labels are all generated (alianza) rows: no KCS codes, no tax rate;
    # the previous model (KCS only) is measured on them, and its calibration period (KCS rows,
    # no packages, consignee or route) is the drift reference
    code, out = run(node, "retrain")
    assert code == 0, out
    assert out.startswith("stored risk model 2 (manual")
    assert "previous 1 on" in out
    assert "drift (PSI, largest):" in out
    code, out = run(node, "models")
    assert code == 0, out
    assert out.splitlines()[0].startswith("model 2 [active]")
    assert f"{labels} labels, manual" in out.splitlines()[0]
    assert "no record" not in out
    code, out = run(node, "train", "--calibration-days", "21")
    assert code == 0, out
    assert out.strip() == "stored risk model 3"
    code, out = run(node, "models")
    assert out.splitlines()[0].startswith("model 3 [active]")
    assert f"{labels} labels, manual" in out.splitlines()[0]
    # a model trained on both scores a period of either profile alone
    for start, end in (("2025-02-01", "2025-02-07"), ("2021-03-01", "2021-03-31")):
        code, out = run(node, "score", "--from", start, "--to", end, "--top", "1")
        assert code == 0, out


def test_prepare_adds_the_columns_a_profile_lacks_as_missing() -> None:
    table, report = read_declarations(RISK_DATA / "alianza-defects.csv", profile=ALIANZA)
    assert report.loaded == 3
    assert "process_type" not in table.text
    assert "tax_rate" not in table.number
    ready = prepare(table, SHIPMENT_SPEC)
    assert list(ready.text["process_type"]) == ["", "", ""]
    assert np.isnan(ready.number["tax_rate"]).all()
    assert list(ready.text["hs2"]) == [str(h)[:2] for h in table.text["hs6"]]  # still derived
    again = prepare(ready, SHIPMENT_SPEC)
    assert again.text.keys() == ready.text.keys()
    assert again.number.keys() == ready.number.keys()


def test_train_and_record_that_fails_stores_nothing(
    fresh_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("train", "valid"):
        import_shipments(fresh_db, RISK_DATA / f"kcs-{name}-sample.csv", actor=NodeSelf("t"))

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("declarations have no text column 'process_type'")

    monkeypatch.setattr(service, "evaluate_period", broken)
    with pytest.raises(KeyError):
        service.train_and_record(fresh_db, calibration_days=60, actor=NodeSelf("t"))
    with fresh_db.reader() as session:
        assert session.scalar(select(func.count()).select_from(StoredModel)) == 0
        assert session.scalar(select(func.count()).select_from(ModelRecord)) == 0
        actions = set(session.scalars(select(AuditEntry.action)))
    assert not {a for a in actions if a.startswith("risk.model.")}
    monkeypatch.undo()
    model_id = service.train_and_record(fresh_db, calibration_days=60, actor=NodeSelf("t"))
    with fresh_db.reader() as session:
        assert session.scalars(select(StoredModel.id)).all() == [model_id]
        assert session.scalars(select(ModelRecord.model_id)).all() == [model_id]


def test_score_declaration_of_either_profile_with_a_model_trained_on_both(
    fresh_db: Database, tmp_path: Path
) -> None:
    from alianza.risk.live import score_declaration

    for name in ("train", "valid"):
        import_shipments(fresh_db, RISK_DATA / f"kcs-{name}-sample.csv", actor=NodeSelf("t"))
    history = generated_sample(tmp_path / "sample")
    import_shipments(fresh_db, history, profile="alianza", actor=NodeSelf("t"))
    service.train_and_record(fresh_db, calibration_days=21, actor=NodeSelf("t"))
    with (RISK_DATA / "kcs-test-sample.csv").open(encoding="utf-8", newline="") as handle:
        kcs = next(csv.DictReader(handle))
    with (history.parent / "shipments-arrivals.csv").open(encoding="utf-8", newline="") as handle:
        border = next(csv.DictReader(handle))
    for raw, profile in ((kcs, "kcs"), (border, "alianza")):
        decision = score_declaration(fresh_db, raw, profile=profile, actor=NodeSelf("ana"))
        assert decision.model_id == 1
        assert 0.0 <= decision.p_critical <= decision.p_violation <= 1.0
