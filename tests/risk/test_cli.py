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
    assert "physical: 3/3 (mandatory 0, random control 1, critical 0, score 2)" in out
    assert "documentary: 5/5 (mandatory 0, random control 2, critical 0, score 3)" in out
    code, out = run(node, "evaluate", "--from", "2021-03-01", "--to", "2021-03-31")
    assert code == 0, out
    assert f"{len(march)} shipments, {len(march)} with an outcome" in out
    code, out = run(node, "explain", written[0]["reference"], "--top", "2")
    assert code == 0, out
    assert len(out.strip().splitlines()) == 3


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
    assert "physical: 10/10 (mandatory 0, random control 2, critical 0, score 8)" in out
    code, out = run(node, "outcomes", str(folder / "arrivals-truth.csv"))
    assert code == 0, out
    code, out = run(node, "evaluate", "--from", "2025-03-25", "--to", "2025-03-31", "--json")
    assert code == 0, out
    assert '"inspected": 2' in out
