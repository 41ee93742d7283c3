"""The commands' normal output comes in the user's language (issue 18): ``ALIANZA_LANGUAGE``,
else the locale, else English, the English of before. The Spanish expected here is written
out, not read from the catalogue; codes, ids, ports and numbers stay as they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.cli import cli

# No language chosen anywhere: the English of before.
NO_LANGUAGE: dict[str, str | None] = {
    "ALIANZA_LANGUAGE": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
}


def run(home: Path, *args: str, **env: str | None) -> str:
    result = CliRunner().invoke(
        cli,
        ["--home", str(home), *args],
        env={**NO_LANGUAGE, "ALIANZA_DATABASE_URL": "", **env},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def add_contact(home: Path, **env: str | None) -> str:
    return run(
        home,
        "ports",
        "contact",
        "add",
        "--port",
        "San Ysidro",
        "--country",
        "MX",
        "--position",
        "1",
        "--role",
        "duty-officer",
        "--name",
        "Oficial de guardia",
        "--channel",
        "radio=ch 4",
        **env,
    )


def test_liaison_commands_speak_spanish_when_asked(tmp_path: Path) -> None:
    home = tmp_path / "mx"
    spanish = {"ALIANZA_LANGUAGE": "es"}
    assert add_contact(home, **spanish) == "contacto 1: MX duty-officer n.º 1 en el par 2504\n"
    listed = run(home, "ports", "contact", "list", "--port", "2504", **spanish)
    assert listed.splitlines()[0].startswith("par 2504 San Ysidro – ")
    assert run(home, "ports", "contact", "end", "1", **spanish) == (
        "contacto 1 dado de baja (duty-officer n.º 1)\n"
    )
    listed = run(home, "ports", "contact", "list", "--port", "2504", **spanish)
    assert "  [dado de baja el " in listed
    assert " por cli]" in listed
    escalated = run(home, "ports", "alert", "escalate", "--country", "MX", **spanish)
    assert escalated == "0 alertas escaladas, 0 solicitud(es) vencida(s) recientemente\n"
    scheduled = run(
        home,
        "ports",
        "drill",
        "schedule",
        "--port",
        "2504",
        "--at",
        "2026-01-05T10:00",
        "--channel",
        "radio",
        **spanish,
    )
    assert scheduled == "simulacro 1 programado\n"
    recorded = run(home, "ports", "drill", "record", "1", "--failed", **spanish)
    assert recorded == "simulacro 1: no aprobado\n"
    heading = run(home, "ports", "measures", **spanish).splitlines()[0]
    assert heading == (
        "par trimestre  entregadas  acuse  mediana_s  p90_s  en_5min  simulacros hechos/aprobados"
    )


def test_liaison_commands_without_a_language_print_the_english_of_before(tmp_path: Path) -> None:
    home = tmp_path / "mx"
    assert add_contact(home) == "contact 1: MX duty-officer #1 at pair 2504\n"
    assert run(home, "ports", "contact", "end", "1") == "contact 1 ended (duty-officer #1)\n"
    assert run(home, "ports", "alert", "escalate", "--country", "MX") == (
        "0 alert(s) escalated, 0 request(s) newly overdue\n"
    )
    heading = run(home, "ports", "measures").splitlines()[0]
    assert heading == (
        "pair quarter  delivered  ack  median_s  p90_s  within_5min  drills held/passed"
    )


def test_the_locale_chooses_spanish_when_alianza_language_is_not_set(tmp_path: Path) -> None:
    home = tmp_path / "mx"
    said = add_contact(home, LANG="es_MX.UTF-8")
    assert said == "contacto 1: MX duty-officer n.º 1 en el par 2504\n"
    # ALIANZA_LANGUAGE wins over the locale
    assert run(home, "exchange", "status", LANG="es_MX.UTF-8", ALIANZA_LANGUAGE="en") == (
        "no packages built or received yet\n"
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "aún no se ha generado ni recibido ningún paquete\n"),
        (None, "no packages built or received yet\n"),
    ],
)
def test_exchange_status_without_packages(
    tmp_path: Path, language: str | None, expected: str
) -> None:
    assert run(tmp_path, "exchange", "status", ALIANZA_LANGUAGE=language) == expected


def test_db_status_and_upgrade_in_spanish_and_english(tmp_path: Path) -> None:
    home = tmp_path / "node"
    home.mkdir()
    before = run(home, "db", "status", ALIANZA_LANGUAGE="es").splitlines()
    assert before[0].startswith("base de datos: sqlite:///")
    assert before[1:] == [
        "actual:   (vacía)",
        before[2],
        "migraciones pendientes: ejecute `alianza db upgrade`",
    ]
    assert before[2].startswith("reciente: ")
    newest = before[2].removeprefix("reciente: ")
    assert run(home, "db", "upgrade", ALIANZA_LANGUAGE="es") == f"el esquema está en {newest}\n"
    after = run(home, "db", "status", ALIANZA_LANGUAGE="es").splitlines()
    assert after[1:] == [f"actual:   {newest}", f"reciente: {newest}", "al día"]
    english = run(home, "db", "status").splitlines()
    assert english[1:] == [f"current:  {newest}", f"newest:   {newest}", "up to date"]


def test_audit_verify_counts_checkpoints_in_spanish(tmp_path: Path) -> None:
    home = tmp_path / "node"
    add_contact(home)  # writes to the audit log
    none = run(home, "audit", "verify", ALIANZA_LANGUAGE="es")
    assert none.startswith("bitácora de auditoría íntegra: ")
    assert none.endswith(" entradas, 0 puntos de control encontrados\n")
    run(home, "audit", "checkpoint")
    one = run(home, "audit", "verify", ALIANZA_LANGUAGE="es")
    assert one.endswith(" entradas, 1 punto de control encontrado\n")
    assert run(home, "audit", "verify").endswith(" entries, 1 checkpoint(s) found\n")


def test_risk_listings_when_nothing_is_held(tmp_path: Path) -> None:
    pytest.importorskip("lightgbm")
    assert run(tmp_path, "risk", "rules", "list", ALIANZA_LANGUAGE="es") == "no hay reglas\n"
    assert run(tmp_path, "risk", "rules", "list") == "no rules\n"
    assert run(tmp_path, "risk", "quarantine", ALIANZA_LANGUAGE="es") == "0 filas en cuarentena\n"
    assert run(tmp_path, "risk", "quarantine") == "0 rows in quarantine\n"
    assert run(tmp_path, "risk", "hit-rates", ALIANZA_LANGUAGE="es") == (
        "aún no hay sorteos de control aleatorio\n"
    )
    assert run(tmp_path, "risk", "watchlist", "list") == "no watchlist entries\n"


PORTS = Path(__file__).parents[1] / "data" / "ports"


def test_ports_reports_volumes_and_model_in_spanish(tmp_path: Path) -> None:
    home = tmp_path / "node"
    spanish = {"ALIANZA_LANGUAGE": "es"}
    waits = PORTS / "san_ysidro_historical_hourly_avg_by_month_dow.csv"
    imported = CliRunner().invoke(
        cli,
        ["--home", str(home), "ports", "import", "--crossing", "250401", str(waits)],
        env={**NO_LANGUAGE, "ALIANZA_DATABASE_URL": "", **spanish},
    )
    # without --lang the import report is in the user's language too
    assert imported.output.splitlines()[0] == (
        "san_ysidro_historical_hourly_avg_by_month_dow.csv: 2,016 filas, 2,016 cargadas, "
        "0 ya presentes, 0 en cuarentena"
    )
    CliRunner().invoke(
        cli,
        ["--home", str(home), "ports", "import", str(PORTS / "bts-us-mexico-slice.csv")],
        env={**NO_LANGUAGE, "ALIANZA_DATABASE_URL": ""},
    )
    volumes = run(home, "ports", "volumes", "--port", "2504", **spanish).splitlines()
    assert volumes[0] == "puertos 2504: San Ysidro"
    # a label longer than the 20-wide column widens every column (26: 25 letters and a space)
    assert volumes[1] == (
        "año     "
        "                  Camiones"
        " Contenedores ferroviarios"
        "    Vehículos particulares"
        "                  Peatones"
        "                 Autobuses"
    )
    assert volumes[-1] == "* menos de 12 meses reportados"
    english = run(home, "ports", "volumes", "--port", "2504").splitlines()
    assert english[1] == (
        "year    "
        "              Trucks"
        "     Rail containers"
        "   Personal vehicles"
        "         Pedestrians"
        "               Buses"
    )
    weekdays = run(home, "ports", "waits", "--by", "weekday", **spanish).splitlines()
    assert weekdays[0] == "cruce 250401 (San Ysidro), carriles passenger, por weekday"
    assert weekdays[1].startswith("  0 lunes     ")
    assert weekdays[1].endswith(" min")
    modelled = run(home, "ports", "model", **spanish).splitlines()
    assert modelled[0].startswith("cruce 250401 (puerto 2504), carriles passenger, BTS 2019: ")
    assert modelled[0].endswith(" al día")
    assert "escenarios (demanda según la calibración, sin respuesta de la demanda), minutos:" in (
        modelled
    )
    assert any(line.startswith("  como se observó ") for line in modelled)
    in_english = run(home, "ports", "model").splitlines()
    assert "scenarios (demand as calibrated, no demand response), minutes:" in in_english
    assert any(line.startswith("  as observed ") for line in in_english)
    assert len(in_english) == len(modelled)
