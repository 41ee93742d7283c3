"""Configuration and connection failures end in one ``Error:`` line naming the setting to change,
in English and in Spanish, never a traceback. Real failures: a closed port, a busy port, a home
under a regular file."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from alianza.cli import cli


def run(*args: str, **env: str | None) -> Result:
    environment: dict[str, str | None] = {
        "ALIANZA_LANGUAGE": "en",
        "ALIANZA_DATABASE_URL": None,
        **env,
    }
    return CliRunner().invoke(cli, list(args), env=environment, catch_exceptions=False)


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    return lines[0]


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("en", "cannot connect to the database"), ("es", "no se puede conectar a la base de datos")],
)
def test_unreachable_postgresql_is_one_line(
    tmp_path: Path, closed_port: int, language: str, phrase: str
) -> None:
    url = f"postgresql+psycopg://alianza:secret@127.0.0.1:{closed_port}/alianza"
    for command in (("db", "upgrade"), ("db", "status"), ("node", "show")):
        result = run(
            "--home", str(tmp_path), *command, ALIANZA_DATABASE_URL=url, ALIANZA_LANGUAGE=language
        )
        line = one_error_line(result)
        assert phrase in line
        assert "ALIANZA_DATABASE_URL" in line
        assert f"127.0.0.1:{closed_port}" in line
        assert "secret" not in line  # the password is not printed


def test_spanish_locale_chooses_spanish(tmp_path: Path, closed_port: int) -> None:
    url = f"postgresql+psycopg://alianza@127.0.0.1:{closed_port}/alianza"
    result = run(
        "--home",
        str(tmp_path),
        "db",
        "status",
        ALIANZA_DATABASE_URL=url,
        ALIANZA_LANGUAGE=None,
        LC_ALL=None,
        LC_MESSAGES=None,
        LANG="es_MX.UTF-8",
    )
    assert "no se puede conectar" in one_error_line(result)


@pytest.mark.parametrize(
    ("url", "english", "spanish"),
    [
        (
            "mysql://root@db.example/alianza",
            "unsupported database 'mysql'",
            "base de datos no admitida",
        ),
        ("not a url", "is not a database URL", "no es una URL de base de datos"),
    ],
)
def test_unsupported_database_url_is_one_line(
    tmp_path: Path, url: str, english: str, spanish: str
) -> None:
    for language, phrase in (("en", english), ("es", spanish)):
        result = run(
            "--home",
            str(tmp_path),
            "node",
            "show",
            ALIANZA_DATABASE_URL=url,
            ALIANZA_LANGUAGE=language,
        )
        line = one_error_line(result)
        assert phrase in line
        assert "ALIANZA_DATABASE_URL" in line


@pytest.mark.parametrize(
    "command",
    [("node", "show"), ("node", "init", "--country", "US", "--name", "n"), ("db", "upgrade")],
)
def test_unwritable_home_is_one_line(tmp_path: Path, command: tuple[str, ...]) -> None:
    # A folder under a regular file cannot be created, even by root (chmod would not stop root).
    regular = tmp_path / "a-file"
    regular.write_text("not a folder")
    home = regular / "node"
    for language, phrase in (("en", "cannot write to"), ("es", "no se puede escribir en")):
        result = run("--home", str(home), *command, ALIANZA_LANGUAGE=language)
        line = one_error_line(result)
        assert phrase in line
        assert "ALIANZA_HOME" in line


def test_port_in_use_is_one_line(tmp_path: Path, busy_port: int) -> None:
    for language, phrase in (("en", "cannot listen on"), ("es", "no se puede escuchar en")):
        result = run(
            "--home", str(tmp_path), "serve", "--port", str(busy_port), ALIANZA_LANGUAGE=language
        )
        line = one_error_line(result)
        assert phrase in line
        assert f"127.0.0.1:{busy_port}" in line
        assert "--port" in line


def test_invalid_setting_is_one_line(tmp_path: Path) -> None:
    line = one_error_line(run("--home", str(tmp_path), "node", "show", ALIANZA_ENV="staging"))
    assert "ALIANZA_ENV" in line


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "give KEY (account:NAME or address:IP) or --all"),
        ("es", "indique CLAVE (account:NOMBRE o address:IP) o --all"),
    ],
)
def test_a_command_refuses_in_the_users_language(
    tmp_path: Path, language: str, expected: str
) -> None:
    """The command line's own refusals are catalogue messages (issue 18, item 1)."""
    result = run("--home", str(tmp_path), "users", "clear-throttle", ALIANZA_LANGUAGE=language)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
