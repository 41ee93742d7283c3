"""``alianza risk`` from the command line, on an embedded node."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.cli import cli
from tests.risk.conftest import RISK_DATA


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), "risk", *args])
    return result.exit_code, result.output


@pytest.fixture
def node(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ALIANZA_DATABASE_URL", raising=False)
    return tmp_path / "node"


def test_cli_import_train_score_select_evaluate_explain(node: Path, tmp_path: Path) -> None:
    for name in ("train", "valid"):
        code, out = run(node, "import", str(RISK_DATA / f"kcs-{name}-sample.csv"))
        assert code == 0, out
    code, out = run(node, "import", str(RISK_DATA / "kcs-valid-sample.csv"))
    assert code == 0
    assert "204 already held" in out
    code, out = run(node, "train", "--train-until", "2020-12-31", "--seed", "2")
    assert (code, out.strip()) == (0, "stored risk model 1")
    scores = tmp_path / "scores.csv"
    code, out = run(
        node,
        "score",
        "--from",
        "2021-03-01",
        "--to",
        "2021-03-31",
        "--top",
        "3",
        "--csv",
        str(scores),
    )
    assert code == 0, out
    with scores.open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    with (RISK_DATA / "kcs-valid-sample.csv").open(encoding="utf-8") as handle:
        march = [r for r in csv.DictReader(handle) if r["Date"].startswith("2021-03")]
    assert {r["reference"] for r in written} == {r["Declaration ID"] for r in march}
    code, out = run(
        node,
        "select",
        "--from",
        "2021-03-01",
        "--to",
        "2021-03-31",
        "--lane",
        "physical=3",
        "--lane",
        "documentary=5",
        "--random-share",
        "0.4",
    )
    assert code == 0, out
    # 40 % of 3 slots = 1.2 control draws: 1, or 2 with probability 0.2 (randomised rounding)
    assert "physical: 3/3 (mandatory 0, random control 1, critical 0, score 2, spare 0)" in out
    assert "documentary: 5/5 (mandatory 0, random control 2, critical 0, score 3, spare 0)" in out
    code, out = run(node, "evaluate", "--from", "2021-03-01", "--to", "2021-03-31")
    assert code == 0, out
    assert f"{len(march)} shipments, {len(march)} with an outcome" in out
    code, out = run(node, "explain", written[0]["reference"], "--top", "2")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[1:2] == ["  raising the score:"]
    assert "  lowering the score:" in lines
    assert len(lines) <= 7
    moved = written[0]["reference"]
    code, out = run(node, "override", "1", moved, "nowhere", "--reason", "r")
    assert code != 0
    assert "'nowhere' is not a lane of selection 1: one of physical, documentary, release" in out
    code, out = run(node, "override", "1", moved, "physical", "--reason", " ")
    assert code != 0
    assert "an override needs a reason" in out
    code, out = run(node, "override", "1", moved, "physical", "--reason", "tip")
    assert code == 0 or "is already in lane 'physical'" in out, out
    code, out = run(node, "override", "1", moved, "documentary", "--reason", "tip")
    assert (code, out.strip()) == (0, f"selection 1: {moved} -> documentary")
    code, out = run(node, "override", "1", moved, "documentary", "--reason", "again")
    assert code != 0
    assert "is already in lane 'documentary'" in out


def test_cli_import_defects_exit_status_three(node: Path) -> None:
    code, out = run(node, "import", str(RISK_DATA / "defects.csv"))
    assert code == 3
    assert "risk-inconsistent-labels" in out


def test_cli_score_without_model_says_what_next(node: Path) -> None:
    code, out = run(node, "score", "--from", "2021-04-01", "--to", "2021-04-02")
    assert code == 1
    assert "alianza risk train" in out


def test_cli_select_bad_lane_refused(node: Path) -> None:
    code, out = run(node, "select", "--from", "2021-04-01", "--to", "2021-04-02", "--lane", "x")
    assert code != 0
    assert "NAME=CAPACITY" in out


def test_cli_sample_import_train_on_generated_border_shipments(node: Path, tmp_path: Path) -> None:
    folder = tmp_path / "sample"
    result = CliRunner().invoke(
        cli, ["risk", "sample", str(folder), "--rows", "3000", "--days", "90", "--seed", "5"]
    )
    assert result.exit_code == 0, result.output
    for name in ("shipments-history.csv", "shipments-arrivals.csv"):
        code, out = run(node, "import", "--profile", "alianza", str(folder / name))
        assert code == 0, out
    code, out = run(node, "train", "--calibration-days", "21")
    assert code == 0, out
    code, out = run(
        node,
        "select",
        "--from",
        "2025-03-25",
        "--to",
        "2025-03-31",
        "--lane",
        "physical=10",
        "--random-share",
        "0.2",
    )
    assert code == 0, out
    assert "physical: 10/10 (mandatory 0, random control 2, critical 0, score 8, spare 0)" in out
    code, out = run(node, "outcomes", str(folder / "arrivals-truth.csv"))
    assert code == 0, out
    code, out = run(node, "evaluate", "--from", "2025-03-25", "--to", "2025-03-31", "--json")
    assert code == 0, out
    assert '"inspected": 2' in out


def test_cli_rules_watchlists_quarantine_schedule_retrain_rollback(
    node: Path, tmp_path: Path
) -> None:
    from tests.risk.test_schedule import outcomes_file

    code, out = run(node, "import", str(RISK_DATA / "defects.csv"))
    assert code == 3
    code, out = run(node, "quarantine")
    assert code == 0
    assert out.splitlines()[0] == "7 rows in quarantine"
    assert "defects.csv row 3 10000002: risk-bad-date (Date)" in out
    rule = ["--owner", "unit", "--reason", "andean origin", "--valid-from", "2021-01-01"]
    code, out = run(node, "rules", "add", "andean", *rule, "--when", "origin in CO,PE")
    assert (code, out.strip()) == (0, "rule andean version 1 stored")
    code, out = run(node, "rules", "add", "andean", *rule, "--when", "origin in CO,PE,BO",
                    "--mandatory", "--lane", "physical")  # fmt: skip
    assert (code, out.strip()) == (0, "rule andean version 2 stored")
    code, out = run(node, "rules", "add", "bad", *rule, "--when", "colour in red")
    assert code == 1
    assert "cannot be tested" in out
    code, out = run(node, "rules", "retire", "andean", "--version", "1", "--reason", "replaced")
    assert (code, out.strip()) == (0, "rule andean: retired version(s) 1")
    code, out = run(node, "rules", "list")
    assert "andean v2 [active] 2021-01-01..no expiry, mandatory -> physical" in out
    assert "when origin in CO,PE,BO" in out
    assert "andean v1" not in out
    code, out = run(node, "rules", "list", "--all")
    assert "andean v1 [retired: replaced]" in out
    code, out = run(node, "watchlist", "add", "shippers", "FQKH1PD", "--column", "shipper",
                    "--owner", "intel", "--reason", "seizure link", "--valid-from", "2021-01-01",
                    "--weight", "0.3")  # fmt: skip
    assert (code, out.strip()) == (0, "watchlist shippers: FQKH1PD (shipper) version 1 stored")
    code, out = run(node, "watchlist", "list")
    assert "shippers: shipper = FQKH1PD v1 [active]" in out
    code, out = run(node, "watchlist", "retire", "shippers", "FQKH1PD", "--reason", "cleared")
    assert code == 0
    assert run(node, "watchlist", "list")[1].strip() == "no watchlist entries"
    code, out = run(node, "schedule")
    assert "(default (none stored)): every 7 days" in out
    code, out = run(node, "schedule", "--every", "14", "--min-new-labels", "100")
    assert "(stored): every 14 days, early after 100 new outcomes" in out
    for name in ("train", "valid"):
        run(node, "import", str(RISK_DATA / f"kcs-{name}-sample.csv"))
    code, out = run(node, "retrain", "--due")
    assert code == 0, out
    assert out.startswith("stored risk model 1 (no-model: no model is active)")
    code, out = run(node, "retrain", "--due")
    assert out.strip() == "not due: no new outcomes since model 1"
    test = RISK_DATA / "kcs-test-sample.csv"
    run(node, "import", str(unlabeled_copy(test, tmp_path / "arrivals.csv")))
    run(node, "outcomes", str(outcomes_file(test, tmp_path / "outcomes.csv")))
    code, out = run(node, "retrain", "--due")
    assert code == 0, out
    assert out.startswith("stored risk model 2 (new-labels: 213 new outcomes since model 1")
    assert "previous 1 on" in out
    assert "drift (PSI, largest):" in out
    code, out = run(node, "rollback", "--reason", "worse on March")
    assert (code, out.strip()) == (0, "model 2 withdrawn; model 1 is active")
    code, out = run(node, "models")
    assert out.splitlines()[0].startswith("model 2 [withdrawn: worse on March]")
    assert out.splitlines()[1].startswith("model 1 [active]")


def unlabeled_copy(source: Path, target: Path) -> Path:
    from tests.risk.test_book import unlabeled_copy as copy

    return copy(source, target)
