"""Texts built by the library and printed by the commands come in the user's language too
(issue 18): the ports refusals, the risk selection's spare-capacity policy, the retraining
schedule's detail, the validation report's words. The Spanish expected here is written out,
not read from the catalogue; without a language the English of before, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.cli import cli
from alianza.pme.service import SEED_REPORT

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
    # the crossing model's refusals (no waits imported; a year without crossings)
    refused = run(home, "ports", "model", code=1, **SPANISH)
    assert refused == "Error: no hay esperas históricas del cruce 250401; impórtelas primero\n"
    refused = run(home, "ports", "model", "--year", "2015", code=1, **SPANISH)
    assert refused == (
        "Error: el puerto 2504 tiene 0 de 12 meses de personal-vehicles en 2015; importe el "
        "archivo de BTS o elija otro año\n"
    )
    refused = run(home, "ports", "model", code=1)
    assert refused == "Error: no historical waits for crossing 250401; import them first\n"


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


def test_pme_todo_and_diff_are_said_in_the_users_language(tmp_path: Path) -> None:
    home = tmp_path / "us"
    us = {"ALIANZA_COUNTRY": "US"}
    run(home, "pme", "import", str(SEED_REPORT), **us)
    todo = ("pme", "todo", "--today", "1999-12-01")
    spanish = run(home, *todo, **us, **SPANISH).splitlines()
    assert spanish[0] == "Lo que requiere su atención al 1999-12-01: 11 pendientes"
    assert spanish[1].startswith("  meta vencida" + " " * 21 + "10.3/targets/1 ")
    english = run(home, *todo, **us).splitlines()
    assert english[0] == "What needs you as of 1999-12-01: 11 item(s)"
    assert english[1].startswith("  overdue target" + " " * 19 + "10.3/targets/1 ")
    assert len(english) == len(spanish)
    assert run(home, "pme", "todo", "--today", "1990-01-01", **us, **SPANISH) == (
        "Nada requiere su atención al 1990-01-01.\n"
    )
    for key in ("2000-02", "2000-08"):
        opened = ("pme", "cycle", "open", key, "--as-of", f"{key}-01")
        run(home, *opened, "--label", f"Status {key}", "--label-es", f"Estado {key}", **us)
    entered = ("pme", "cycle", "enter", "2000-08", "10.9", "--gov", "US", "--lang", "en")
    run(home, *entered, "--text", "B", **us)
    diff = ("pme", "diff", "2000-02", "2000-08")
    assert run(home, *diff, **us, **SPANISH) == (
        "1 cambio de 2000-02 a 2000-08:\nañadido  10.9/US/1/en\n  + B\n"
    )
    assert (
        run(home, *diff, **us)
        == "1 change(s) from 2000-02 to 2000-08:\nadded    10.9/US/1/en\n  + B\n"
    )
    assert run(home, "pme", "diff", "2000-02", "2000-02", **us, **SPANISH) == (
        "Ningún texto de estado cambió de 2000-02 a 2000-02.\n"
    )


def test_pme_import_problems_are_said_in_the_users_language(tmp_path: Path) -> None:
    refused = DATA / "pme" / "action-outside-alliance-point.tsv"
    env = {**NO_LANGUAGE, "ALIANZA_DATABASE_URL": "", "ALIANZA_COUNTRY": "US"}
    args = ["--home", str(tmp_path), "pme", "import", str(refused)]
    spanish = CliRunner().invoke(cli, args, env={**env, **SPANISH})
    assert spanish.exit_code == 2
    assert (
        f"  {refused}, línea 9, columna action: la acción 11.3 está bajo el Punto de Alianza 10 "
        "[action-outside-alliance-point]\n"
    ) in spanish.output
    english = CliRunner().invoke(cli, args, env=env)
    assert english.exit_code == 2
    assert (
        f"  {refused}, line 9, column action: action 11.3 is under Alliance Point 10 "
        "[action-outside-alliance-point]\n"
    ) in english.output


def test_incident_analysis_headings_are_said_in_the_users_language(tmp_path: Path) -> None:
    us = {"ALIANZA_COUNTRY": "US"}
    defects = str(DATA / "cooperation" / "incidents-defects.csv")
    env = {**NO_LANGUAGE, "ALIANZA_DATABASE_URL": "", **us, **SPANISH}
    imported = CliRunner().invoke(
        cli, ["--home", str(tmp_path), "coop", "incidents", "import", defects], env=env
    )
    assert "  incidents-defects.csv, fila 2, campo 'country': " in imported.output
    spanish = run(tmp_path, "coop", "incidents", "analysis", **us, **SPANISH).splitlines()
    # "trimestre" is longer than the quarter column's 8: the column widens, rows with it
    assert spanish[:2] == [
        "región     trimestre  total  droga     no sin dato  US/MX",
        "San Diego  1999-Q1        1      0      1        0  1 / 0",
    ]
    english = run(tmp_path, "coop", "incidents", "analysis", **us).splitlines()
    assert english[:2] == [
        "region     quarter   total   drug     no  unknown  US/MX",
        "San Diego  1999-Q1       1      0      1        0  1 / 0",
    ]


def test_pme_assess_is_said_in_the_users_language(tmp_path: Path) -> None:
    us = {"ALIANZA_COUNTRY": "US"}
    run(tmp_path, "pme", "import", str(SEED_REPORT), **us)
    assess = ("pme", "assess", "--as-of", "1999-12-01")
    spanish = run(tmp_path, *assess, **us, **SPANISH).splitlines()
    assert spanish[0] == (
        "Evaluación del plan 'binational-drug-strategy' al 1999-12-01 "
        "(próxima a vencer = dentro de 60 días)"
    )
    assert spanish[2].startswith("Punto de Alianza 10: ")
    assert spanish[3] == "  10.1     cumplimiento: sin datos registrados"
    assert "    10.1/targets/2     due_soon           vence el 1999-12-31" in spanish
    assert spanish[-1].startswith("Resumen del plan: metas: ")
    english = run(tmp_path, *assess, **us).splitlines()
    assert english[0] == (
        "Assessment of plan 'binational-drug-strategy' as of 1999-12-01 (due soon = within 60 days)"
    )
    assert english[3] == "  10.1     completion: no data recorded"
    assert "    10.1/targets/2     due_soon           due 1999-12-31" in english
    assert english[-1].startswith("Plan roll-up: targets: ")
    assert len(english) == len(spanish)


def test_ports_report_refusal_is_said_in_the_users_language(tmp_path: Path) -> None:
    report = ("ports", "report", "--port", "2504", "--output", str(tmp_path / "out"))
    assert run(tmp_path, *report, code=1, **SPANISH) == (
        "Error: no hay cruces registrados del puerto 2504; importe primero el archivo de BTS\n"
    )
    assert run(tmp_path, *report, code=1) == (
        "Error: no crossings held for port 2504; import the BTS file first\n"
    )
