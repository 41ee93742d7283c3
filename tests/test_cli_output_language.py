"""The commands' normal output in the user's language (issue 18): with ``ALIANZA_LANGUAGE=es``
the sentences, labels and summaries of ``pme``, ``node``, ``coop``, ``seizures`` and ``users``
come out in Spanish, while codes, ids, numbers and the plan's own text stay as they are;
without the setting (and an English locale) they are the English of before. The Spanish
expected here is written out, not read from the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from alianza.cli import cli
from alianza.pme.service import SEED_REPORT

PASSWORD = "correct horse battery"


def run(home: Path, language: str | None, *args: str) -> Result:
    """``alianza --home HOME ARGS`` in ``language`` (None: no setting, an English locale)."""
    env = {
        "ALIANZA_DATABASE_URL": None,
        "ALIANZA_COUNTRY": "US",
        "ALIANZA_LANGUAGE": language,
        "LC_ALL": None,
        "LC_MESSAGES": None,
        "LANG": "C.UTF-8",
    }
    result = CliRunner().invoke(cli, ["--home", str(home), *args], env=env)
    return result


def lines(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A fresh embedded US node holding the seed report."""
    assert run(tmp_path, None, "pme", "import", str(SEED_REPORT)).exit_code == 0
    return tmp_path


def test_pme_commands_speak_spanish_and_keep_the_plan_text(seeded: Path) -> None:
    events = lines(run(seeded, "es", "pme", "events", "list"))
    assert events[:3] == [
        "completion-update-binational-threat-assessment",
        "  completion of an update of the Binational Threat Assessment",  # the plan's text
        "  aún no registrado; metas: 10.1/targets/1",
    ]
    deadlines = lines(run(seeded, "es", "pme", "deadlines", "list"))
    assert deadlines[1].startswith("10.1/targets/2     window     vence el 1999-12-31  ")
    opened = run(
        seeded,
        *("es", "pme", "cycle", "open", "2000-02", "--as-of", "2000-02-29"),
        *("--label", "Feb 2000", "--label-es", "feb 2000", "--by", "coordinador"),
    )
    assert lines(opened) == ["se abrió el ciclo 2000-02: feb 2000 (al 2000-02-29)"]
    shown = lines(run(seeded, "es", "pme", "cycle", "show", "2000-02"))
    assert shown[:4] == [
        "Ciclo 2000-02: Feb 2000 / feb 2000",
        "  al 2000-02-29; entrega a más tardar —; estado open; ronda 0",
        "  aprobaciones de esta ronda: US en: pendiente, US es: pendiente, MX en: pendiente, "
        "MX es: pendiente",
        "  flujo de trabajo:",
    ]
    assert shown[4].endswith(" open            por coordinador, gobierno de US: Feb 2000")
    refused = run(seeded, "es", "pme", "show", "99.9")
    assert refused.exit_code == 1
    assert "Error: no existe la acción 99.9 en el plan 'binational-drug-strategy'" in (
        refused.output
    )


def test_pme_commands_without_the_setting_print_the_english_of_before(seeded: Path) -> None:
    events = lines(run(seeded, None, "pme", "events", "list"))
    assert events[2] == "  not recorded yet; targets: 10.1/targets/1"
    deadlines = lines(run(seeded, None, "pme", "deadlines", "list"))
    assert deadlines[0] == (
        "10.1/targets/1     relative   P6M after: completion of an update of the Binational "
        "Threat Assessment  « Within 6 months of the completion of an update of the Binational "
        "Threat Assessment »"
    )
    opened = run(
        seeded,
        *(None, "pme", "cycle", "open", "2000-02", "--as-of", "2000-02-29"),
        *("--label", "Feb 2000", "--label-es", "feb 2000", "--by", "coordinator"),
    )
    assert lines(opened) == ["opened cycle 2000-02: Feb 2000 (as of 2000-02-29)"]
    shown = lines(run(seeded, None, "pme", "cycle", "show", "2000-02"))
    assert shown[:4] == [
        "Cycle 2000-02: Feb 2000 / feb 2000",
        "  as of 2000-02-29; submission due —; state open; round 0",
        "  approvals this round: US en: waiting, US es: waiting, MX en: waiting, MX es: waiting",
        "  workflow:",
    ]
    assert shown[4].endswith(" open            by coordinator, US government: Feb 2000")


def test_node_users_seizures_and_coop_speak_spanish(tmp_path: Path) -> None:
    made = run(tmp_path, "es", "node", "init", "--country", "US", "--name", "US node")
    said = lines(made)
    assert said[0].startswith("se creó el nodo 'US node' (US); huella de la llave ")
    assert said[1] == "Comparta la llave pública con el socio: alianza node export-key -o FILE"
    shown = lines(run(tmp_path, "es", "node", "show"))
    assert shown[0] == "este nodo: US node (US)"
    assert shown[1].startswith("  huella ")
    assert shown[2] == "socios: 0"
    assert lines(run(tmp_path, "es", "users", "list")) == [
        "no hay usuarios; agregue uno con `alianza users add`"
    ]
    added = run(
        tmp_path,
        *("es", "users", "add", "ana", "--role", "viewer", "--agency", "CBP"),
        *("--password", PASSWORD),
    )
    assert lines(added) == ["se creó el usuario ana (viewer, US, CBP)"]
    assert lines(run(tmp_path, "es", "users", "list")) == [
        "ana                  viewer       US CBP          activa"
    ]
    assert lines(run(tmp_path, "es", "users", "throttles")) == [
        "no hay inicios de sesión fallidos registrados"
    ]
    assert lines(run(tmp_path, "es", "users", "clear-throttle", "--all")) == [
        "se borraron 0 límites de inicio de sesión"
    ]
    assert lines(run(tmp_path, "es", "seizures", "quarantine")) == ["La cuarentena está vacía."]
    assert lines(run(tmp_path, "es", "seizures", "profile", "check", "canonical")) == [
        "OK: perfil 'canonical' (event; 27 columnas)"
    ]
    assert lines(run(tmp_path, "es", "coop", "list", "mechanism")) == ["(ninguno)"]
    assert lines(run(tmp_path, "es", "coop", "bindings")) == ["(sin vínculos)"]


def test_node_users_seizures_and_coop_without_the_setting_are_english(tmp_path: Path) -> None:
    made = run(tmp_path, None, "node", "init", "--country", "US", "--name", "US node")
    said = lines(made)
    assert said[0].startswith("node 'US node' (US) created; key fingerprint ")
    assert said[1] == "Share the public key with the partner: alianza node export-key -o FILE"
    shown = lines(run(tmp_path, None, "node", "show"))
    assert [shown[0], shown[2]] == ["this node: US node (US)", "partners: 0"]
    added = run(
        tmp_path,
        *(None, "users", "add", "ana", "--role", "viewer", "--agency", "CBP"),
        *("--password", PASSWORD),
    )
    assert lines(added) == ["user ana created (viewer, US, CBP)"]
    assert lines(run(tmp_path, None, "users", "list")) == [
        "ana                  viewer       US CBP          active"
    ]
    assert lines(run(tmp_path, None, "users", "throttles")) == ["no failed logins recorded"]
    assert lines(run(tmp_path, None, "seizures", "quarantine")) == ["Quarantine is empty."]
    assert lines(run(tmp_path, None, "seizures", "profile", "check", "canonical")) == [
        "OK: profile 'canonical' (event; 27 columns)"
    ]
    assert lines(run(tmp_path, None, "coop", "list", "mechanism")) == ["(none)"]
    assert lines(run(tmp_path, None, "coop", "bindings")) == ["(no bindings)"]


def test_a_spanish_locale_without_the_setting_is_spanish(tmp_path: Path) -> None:
    env = {"ALIANZA_DATABASE_URL": None, "ALIANZA_LANGUAGE": None, "LC_ALL": "es_MX.UTF-8"}
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "seizures", "quarantine"], env=env)
    assert result.output == "La cuarentena está vacía.\n"


BAD_ROWS = Path(__file__).parent / "data" / "seizures" / "canonical-bad-rows.csv"


def test_seizures_import_says_its_report_in_the_users_language(tmp_path: Path) -> None:
    """Without --lang the import report and the lines after it follow ALIANZA_LANGUAGE."""
    args = ("seizures", "import", str(BAD_ROWS), "--profile", "canonical", "--show", "0")
    spanish = run(tmp_path, "es", *args)
    assert spanish.exit_code == 3, spanish.output
    said = spanish.output.splitlines()
    assert (
        said[0] == "canonical-bad-rows.csv: 16 filas, 3 cargadas, 0 ya presentes, 13 en cuarentena"
    )
    assert said[-1] == (
        "  Las filas rechazadas están en cuarentena: `alianza seizures quarantine`; corrija el "
        "archivo e impórtelo de nuevo para liberarlas."
    )
    quarantined = lines(run(tmp_path, "es", "seizures", "quarantine"))
    assert quarantined[0] == "canonical-bad-rows.csv, fila 4 [canonical]: unknown-code"
    english = run(tmp_path, None, *args)  # again: the rows are held now
    assert english.exit_code == 3, english.output
    said = english.output.splitlines()
    assert said[0].startswith("canonical-bad-rows.csv: 16 rows, 0 loaded, 3 already held")
    assert said[-1] == (
        "  Rejected rows are in quarantine: `alianza seizures quarantine`; fix the file and "
        "import it again to release them."
    )
    forced = run(tmp_path, "es", *args, "--lang", "en")  # --lang still chooses
    assert forced.output.splitlines()[-1].startswith("  Rejected rows are in quarantine")


def test_counted_lines_have_a_form_for_one_and_one_for_more() -> None:
    from alianza.cli.output_cycles import WITHDREW
    from alianza.cli.output_users import FOREIGN_ACCOUNTS

    assert WITHDREW("en", paragraph="10.4/US/2", n=1) == "withdrew 10.4/US/2 (1 language)"
    assert WITHDREW("en", paragraph="10.4/US/2", n=2) == "withdrew 10.4/US/2 (2 languages)"
    assert WITHDREW("es", paragraph="10.4/US/2", n=1) == "se retiró 10.4/US/2 (1 idioma)"
    assert WITHDREW("es", paragraph="10.4/US/2", n=2) == "se retiró 10.4/US/2 (2 idiomas)"
    assert FOREIGN_ACCOUNTS("es", own="US", n=1) == (
        "este nodo es el nodo de US; 1 cuenta de otro gobierno (no puede iniciar sesión aquí):"
    )
    assert FOREIGN_ACCOUNTS("es", own="US", n=3) == (
        "este nodo es el nodo de US; 3 cuentas de otro gobierno (no pueden iniciar sesión aquí):"
    )


def test_pme_import_summary_in_the_users_language(tmp_path: Path) -> None:
    """`pme import`'s summary lines (the library's LoadSummary.lines) follow
    ALIANZA_LANGUAGE, with Spanish plurals; English is as before."""
    home = str(tmp_path / "node")
    runner = CliRunner()
    spanish = runner.invoke(
        cli, ["--home", home, "pme", "import", str(SEED_REPORT)], env={"ALIANZA_LANGUAGE": "es"}
    )
    assert spanish.exit_code == 0, spanish.output
    assert "importado en el plan" in spanish.output
    assert "10 acciones" in spanish.output
    assert "  creado: " in spanish.output
    assert "imported into plan" not in spanish.output
    again = runner.invoke(
        cli, ["--home", home, "pme", "import", str(SEED_REPORT)], env={"ALIANZA_LANGUAGE": "es"}
    )
    assert "nada cambió (10 acciones ya guardadas como en este archivo)" in again.output
    english = runner.invoke(
        cli, ["--home", home, "pme", "import", str(SEED_REPORT)], env={"ALIANZA_LANGUAGE": "en"}
    )
    assert "nothing changed (10 actions already held as in this file)" in english.output
