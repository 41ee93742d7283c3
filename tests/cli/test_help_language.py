"""The commands' ``--help`` and Click's own words in the user's language (issue 18):
Spanish when ALIANZA_LANGUAGE (or the locale) says so, else the English of before, byte for
byte (``help_en/*.txt``: captured from the code before the catalogue held these texts). The
Spanish expected here is written out, not read from the catalogue."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from alianza import __version__, catalogue
from alianza.catalogue import check
from alianza.cli import cli
from alianza.cli.help_texts import messages

EXPECTED = Path(__file__).parent / "help_en"
SOURCES = str(Path(__file__).parents[2] / "src")
NO_LANGUAGE: dict[str, str | None] = {
    "ALIANZA_LANGUAGE": None,
    "LC_ALL": None,
    "LC_MESSAGES": None,
    "LANG": None,
}


def run(*args: str, **env: str | None) -> click.testing.Result:
    # COLUMNS: the width the English was captured at (a file, not a terminal: 80).
    return CliRunner().invoke(
        cli, list(args), prog_name="alianza", env={**NO_LANGUAGE, "COLUMNS": "80", **env}
    )


def helps(*args: str, **env: str | None) -> str:
    result = run(*args, "--help", **env)
    assert result.exit_code == 0, result.output
    return result.output


HELPS = [
    ((), "alianza.txt"),
    (("pme",), "alianza_pme.txt"),
    (("pme", "import"), "alianza_pme_import.txt"),
]


@pytest.mark.parametrize(("args", "name"), HELPS)
@pytest.mark.parametrize("language", [None, "en"])
def test_english_help_is_that_of_before_byte_for_byte(
    args: tuple[str, ...], name: str, language: str | None
) -> None:
    assert helps(*args, ALIANZA_LANGUAGE=language) == (EXPECTED / name).read_text("utf-8")


def test_english_help_after_a_spanish_one_in_the_same_process_is_that_of_before() -> None:
    """The Spanish is put on the command objects while they are shown: English puts the
    English back."""
    assert "Uso:" in helps("pme", "import", ALIANZA_LANGUAGE="es")
    assert "Uso:" in helps(ALIANZA_LANGUAGE="es")
    for args, name in HELPS:
        assert helps(*args, LANG="en_US.UTF-8") == (EXPECTED / name).read_text("utf-8")


def test_a_spanish_help_leaves_the_commands_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Spanish lasts while the command runs: the command objects keep their English."""
    assert "Opciones:" in helps("pme", "import", ALIANZA_LANGUAGE="es")
    monkeypatch.setenv("ALIANZA_LANGUAGE", "en")
    assert cli.help == "Alianza: United States–Mexico border-security cooperation platform."
    assert cli.lazy["pme"][2] == "Performance measures: import, show and export strategy reports."
    pme = cli.get_command(click.Context(cli), "pme")
    assert isinstance(pme, click.Group)
    imported = pme.get_command(click.Context(pme), "import")
    assert imported is not None
    assert imported.help is not None
    assert imported.help.startswith("Import a performance-measures report (tab-separated,")
    assert [p.help for p in imported.params if "--plan" in p.opts] == ["Plan key."]


def test_alianza_help_in_spanish() -> None:
    text = helps(ALIANZA_LANGUAGE="es")
    assert text.startswith(
        "Uso: alianza [OPCIONES] COMANDO [ARGS]...\n\n"
        "  Alianza: plataforma de cooperación en seguridad fronteriza entre Estados\n"
        "  Unidos y México.\n\nOpciones:\n"
    )
    assert (
        "Opciones:\n"
        "  --version          Muestra la versión y termina.\n"
        "  --home DIRECTORIO  Carpeta del nodo (base de datos, llaves, archivos\n"
        "                     cargados). Variable: ALIANZA_HOME.\n"
        "  -h, --help         Muestra este mensaje y termina.\n"
    ) in text
    assert "\nComandos:\n" in text
    assert "  audit     La bitácora de auditoría, solo de adición, de toda escritura.\n" in text
    assert "  users     Cuentas locales de usuario, roles y tokens de API.\n" in text
    assert "Commands" not in text
    assert "Show this" not in text


def test_the_locale_chooses_spanish_too() -> None:
    assert helps("pme", LANG="es_MX.UTF-8").startswith("Uso: alianza pme")


def test_pme_help_in_spanish() -> None:
    text = helps("pme", ALIANZA_LANGUAGE="es")
    assert text.startswith(
        "Uso: alianza pme [OPCIONES] COMANDO [ARGS]...\n\n"
        "  Medidas de desempeño: importar, mostrar y exportar informes de la estrategia.\n"
    )
    assert "  deadlines     Plazos de las metas: listar, corregir, historial.\n" in text
    assert "  diff          Qué cambió en el estado del ciclo BEFORE al ciclo AFTER.\n" in text
    assert "  import        Importa un informe de medidas de desempeño (separado por...\n" in text
    assert '  references    Referencias cruzadas en el texto ("Véase 10.2.\n' in text


def test_pme_import_help_in_spanish() -> None:
    assert helps("pme", "import", ALIANZA_LANGUAGE="es") == (
        "Uso: alianza pme import [OPCIONES] FILE\n"
        "\n"
        "  Importa un informe de medidas de desempeño (separado por tabuladores, en\n"
        "  inglés o en español).\n"
        "\n"
        "  La importación es una sola transacción: un archivo con cualquier error se\n"
        "  rechaza completo. Importar de nuevo el mismo archivo no cambia nada; un\n"
        "  informe posterior agrega instantáneas de estado y conserva las anteriores.\n"
        "\n"
        "Opciones:\n"
        "  --plan TEXTO  Clave del plan.  [predeterminado: binational-drug-strategy]\n"
        "  --by TEXTO    Quién realiza la acción (se guarda en el registro y en la\n"
        "                bitácora de auditoría).  [predeterminado: (su nombre de\n"
        "                usuario)]\n"
        "  -h, --help    Muestra este mensaje y termina.\n"
    )


def test_metavars_and_the_version_line_in_spanish_and_in_english() -> None:
    """The kind of value an option takes (``--port INTEGER``), the usage line's placeholders
    and ``--version`` are said in Spanish; English is as Click words them. An argument keeps
    its name (``FILE``): the help texts name it so."""
    assert "  --port ENTERO     Puerto del nodo US;" in helps("demo", ALIANZA_LANGUAGE="es")
    assert "  --port INTEGER   Port of the US node;" in helps("demo", ALIANZA_LANGUAGE="en")
    refused = run("demo", "--port", "abc", ALIANZA_LANGUAGE="es")
    assert refused.output == (
        "Uso: alianza demo [OPCIONES]\n"
        "Pruebe 'alianza demo --help' para obtener ayuda.\n\n"
        "Error: Valor no válido para '--port': 'abc' no es un entero válido.\n"
    )
    assert run("demo", "--port", "abc").output.endswith(
        "Error: Invalid value for '--port': 'abc' is not a valid integer.\n"
    )
    version = __version__
    assert run("--version", ALIANZA_LANGUAGE="es").output == f"alianza, versión {version}\n"
    assert run("--version", ALIANZA_LANGUAGE="en").output == f"alianza, version {version}\n"
    assert run("--version").output == f"alianza, version {version}\n"
    assert click.STRING.name == "text"  # the shared types have their English again
    assert click.INT.name == "integer"


def test_usage_errors_in_spanish_and_in_english() -> None:
    spanish = run("pme", "import", "--nope", ALIANZA_LANGUAGE="es")
    assert spanish.exit_code == 2
    assert spanish.output == (
        "Uso: alianza pme import [OPCIONES] FILE\n"
        "Pruebe 'alianza pme import --help' para obtener ayuda.\n\n"
        "Error: No existe la opción '--nope'.\n"
    )
    missing = run("pme", "import", ALIANZA_LANGUAGE="es")
    assert missing.output.endswith("Error: Falta el argumento 'FILE'.\n")
    no_file = run("pme", "import", "/no/such/report.tsv", ALIANZA_LANGUAGE="es")
    assert no_file.output.endswith(
        "Error: Valor no válido para 'FILE': Archivo '/no/such/report.tsv' no existe.\n"
    )
    no_file = run("pme", "import", "/no/such/report.tsv", ALIANZA_LANGUAGE="en")
    assert no_file.output.endswith(
        "Error: Invalid value for 'FILE': File '/no/such/report.tsv' does not exist.\n"
    )
    english = run("pme", "import", "--nope", ALIANZA_LANGUAGE="en")
    assert english.output == (
        "Usage: alianza pme import [OPTIONS] FILE\n"
        "Try 'alianza pme import --help' for help.\n\n"
        "Error: No such option '--nope'.\n"
    )
    assert click.core._("Usage:") == "Usage:"  # Click's gettext is its own again


def test_every_help_text_has_a_current_spanish_entry() -> None:
    """Walks every command (lazy groups loaded): a help text, option help or one-line help
    without a current Spanish fails here, as ``scripts/messages.py check`` does."""
    found = messages()
    for key in ("pme.import", "pme.import.--plan", "pme.import.line", "pme.cycle.open.--label-es"):
        assert f"cli.help.{key}" in found
    assert len([key for key in found if not key.startswith("cli.click.")]) > 600
    problems = [p for p in check(found) if not p.endswith("no longer in the code")]
    assert problems == []


def test_a_one_line_help_in_a_table_says_what_the_commands_own_help_says_in_spanish() -> None:
    """The lazy tables' one-line helps are translated apart (their commands are not imported
    to list them): each Spanish must be the first sentence of its command's Spanish help."""
    found = messages()
    spanish = catalogue.spanish()
    for key in found:
        if not key.endswith(".line"):
            continue
        base = key.removesuffix(".line")
        own = spanish.get(f"{base}.short") or spanish[base]
        first = click.Command(None, help=str(own[1])).get_short_help_str(10_000)
        assert spanish[key][1] == first, key


def test_a_missing_spanish_help_shows_the_english_and_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    held = {k: v for k, v in catalogue.spanish().items() if k != "cli.help.pme.import.--plan"}
    monkeypatch.setattr(catalogue, "spanish", lambda: held)
    monkeypatch.setattr(catalogue, "_logged", set())
    with caplog.at_level(logging.WARNING, logger="alianza.catalogue"):
        text = helps("pme", "import", ALIANZA_LANGUAGE="es")
    assert "  --plan TEXTO  Plan key.  [predeterminado: binational-drug-strategy]\n" in text
    assert "Opciones:" in text
    assert "cli.help.pme.import.--plan" in caplog.text


def loaded(language: str, *arguments: str) -> tuple[bool, bool]:
    """Whether a fresh ``alianza ARGUMENTS`` process read the Spanish catalogue, and whether
    it imported Babel (which parses the ``.po``: a run reads the compiled ``.mo`` without it)."""
    probe = (
        "import atexit, sys\n"
        "def said():\n"
        "    catalogue = sys.modules.get('alianza.catalogue')\n"
        "    read = catalogue is not None and catalogue.spanish.cache_info().currsize > 0\n"
        "    print(read, 'babel' in sys.modules)\n"
        "atexit.register(said)\n"
        "sys.argv = ['alianza', *sys.argv[1:]]\n"
        "from alianza.cli import main\n"
        "main()\n"
    )
    environment = {**os.environ, "PYTHONPATH": SOURCES, "ALIANZA_LANGUAGE": language}
    result = subprocess.run(
        [sys.executable, "-c", probe, *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    read, babel = result.stdout.strip().splitlines()[-1].split()
    return read == "True", babel == "True"


def test_english_help_reads_no_catalogue_and_spanish_reads_it_without_babel() -> None:
    """``alianza --help`` stays fast in English: the Spanish catalogue is not even read; in
    Spanish it is read from the compiled ``.mo``, without Babel."""
    assert loaded("en", "--help") == (False, False)
    assert loaded("en", "pme", "--help") == (False, False)
    assert loaded("es", "--help") == (True, False)
    assert loaded("es", "pme", "import", "--help") == (True, False)


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    if isinstance(command, click.Group):
        context = click.Context(command)
        for name in command.list_commands(context):
            below = command.get_command(context, name)
            assert below is not None
            found += command_paths(below, (*path, name))
    return found


def test_every_commands_help_is_in_spanish_with_nothing_missing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """``--help`` of every command (about 160) in Spanish: Click's headings and the help
    option in Spanish, and no text fell back to English (each would be logged)."""
    monkeypatch.setattr(catalogue, "_logged", set())  # each fallback logged, even if before
    paths = command_paths(cli)
    assert len(paths) > 150
    with caplog.at_level(logging.WARNING, logger="alianza.catalogue"):
        for path in paths:
            text = helps(*path, ALIANZA_LANGUAGE="es")
            assert text.startswith("Uso: alianza"), path
            assert "Opciones:" in text, path
            assert "Muestra este mensaje y termina." in text, path
            assert "Options:" not in text, path
    assert caplog.text == ""
