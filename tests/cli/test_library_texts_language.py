"""Texts built by the library and printed by the commands come in the user's language too
(issue 18): the ports refusals, the risk selection's spare-capacity policy, the retraining
schedule's detail, the validation report's words. The Spanish expected here is written out,
not read from the catalogue; without a language the English of before, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.cli import cli

NO_LANGUAGE: dict[str, str | None] = {
    "ALIANZA_LANGUAGE": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
}
SPANISH = {"ALIANZA_LANGUAGE": "es"}
DATA = Path(__file__).parents[1] / "data"


def run(home: Path, *args: str, code: int = 0, **env: str | None) -> str:
    result = CliRunner().invoke(
        cli,
        ["--home", str(home), *args],
        env={**NO_LANGUAGE, "ALIANZA_DATABASE_URL": "", **env},
        catch_exceptions=False,
    )
    assert result.exit_code == code, result.output
    return result.output


def test_seasonality_refusals_are_said_in_the_users_language(tmp_path: Path) -> None:
    home = tmp_path / "node"
    # exit 3: the slice has rows put in quarantine
    bts = str(DATA / "ports" / "bts-us-mexico-slice.csv")
    imported = run(home, "ports", "import", bts, code=3, **SPANISH).splitlines()
    assert imported[0] == (
        "bts-us-mexico-slice.csv: 1,956 filas, 1,948 cargadas, 0 ya presentes, 2 en cuarentena, "
        "omitidas 6"
    )
    assert imported[2].startswith("  bts-us-mexico-slice.csv, fila 11, campo 'Value': puerto 2606")
    assert imported[4].startswith("  bts-us-mexico-slice.csv, fila 740: mismo puerto, mes")
    again = run(home, "ports", "import", bts, code=3).splitlines()
    assert again[2].startswith("  bts-us-mexico-slice.csv, row 11, field 'Value': port 2606")
    one_year = ("ports", "seasonality", "--port", "2504", "--from", "2019", "--to", "2019")
    spanish = run(home, *one_year, **SPANISH).splitlines()
    # the slice has no truck traffic at San Ysidro: no complete year with traffic
    assert (
        spanish[0] == "Camiones: la estacionalidad requiere al menos un año completo con tránsito"
    )
    assert "Vehículos particulares: una tendencia requiere al menos dos años completos" in spanish
    english = run(home, *one_year).splitlines()
    assert english[0] == "Trucks: seasonality needs at least one complete year with traffic"
    assert "Personal vehicles: a trend needs at least two complete years" in english


def test_spare_policy_and_retraining_detail_are_said_in_the_users_language(
    tmp_path: Path,
) -> None:
    pytest.importorskip("lightgbm")
    home = tmp_path / "node"
    for name in ("train", "valid"):
        run(home, "risk", "import", str(DATA / "risk" / f"kcs-{name}-sample.csv"))
    run(home, "risk", "train", "--train-until", "2020-12-31", "--seed", "2")
    period = ("--from", "2021-03-01", "--to", "2021-03-31", "--lane", "physical=9")
    selected = run(home, "risk", "select", *period, "--fill-floor", "0.5", **SPANISH)
    assert (
        "  política de capacidad sobrante: reserva: los espacios que quedan solo se asignan a "
        "prioridades >= 0.5; los demás quedan sin usar\n"
    ) in selected
    reason = ("--replace", "again in English")
    selected = run(home, "risk", "select", *period, "--fill-floor", "0.5", *reason)
    assert (
        "  spare capacity policy: spare: slots left take only priorities >= 0.5; "
        "others stay unused\n"
    ) in selected
    assert run(home, "risk", "retrain", "--due", **SPANISH) == (
        "no corresponde: no hay resultados nuevos desde el modelo 1\n"
    )
    assert run(home, "risk", "retrain", "--due") == "not due: no new outcomes since model 1\n"
