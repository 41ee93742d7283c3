"""Configuration and connection problems, as one-line messages in English and Spanish.

Each problem has a stable code, the setting the operator changes to fix it, and its message in
the message catalogue (English here, Spanish in the catalogue; :mod:`alianza.catalogue`). The
command line prints ``Error: <message>`` and exits with status 1 (:class:`alianza.cli.LazyGroup`);
nothing here prints a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from alianza.catalogue import Text, declare

LANGUAGES = ("en", "es")


def message_language() -> str:
    """The language of command-line messages: ``ALIANZA_LANGUAGE``, else the locale (``es_MX``
    → Spanish), else English. Read from the environment directly: the settings themselves may
    be what is broken."""
    chosen = os.environ.get("ALIANZA_LANGUAGE", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "es" if value.lower().startswith("es") else "en"
    return "en"


def first_line(text: object) -> str:
    """A driver's message on one line (psycopg adds hints on further lines)."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else str(type(text).__name__)


class ConfigurationProblem(RuntimeError):
    """The node cannot start or continue as configured; the message names what to change.
    Each kind's English is declared in the message catalogue (key ``problem.<code>``), which
    holds its Spanish."""

    code: ClassVar[str] = "configuration-problem"
    text: ClassVar[Text] = declare("problem.configuration-problem", "{detail}")

    def __init__(self, **fields: str) -> None:
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, language: str = "en") -> str:
        return self.text(language, **self.fields)


class UnsupportedDatabase(ConfigurationProblem, ValueError):
    code = "unsupported-database"
    text = declare(
        "problem.unsupported-database",
        "unsupported database {backend!r} in {url}: set ALIANZA_DATABASE_URL to "
        "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB",
    )


class MalformedDatabaseUrl(ConfigurationProblem, ValueError):
    code = "malformed-database-url"
    text = declare(
        "problem.malformed-database-url",
        "ALIANZA_DATABASE_URL is not a database URL ({url!r}): use sqlite:///PATH or "
        "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB",
    )


class DatabaseUnreachable(ConfigurationProblem):
    code = "database-unreachable"
    text = declare(
        "problem.database-unreachable",
        "cannot connect to the database {url}: {reason}. Start the database server or "
        "correct ALIANZA_DATABASE_URL",
    )


class FolderUnwritable(ConfigurationProblem):
    code = "folder-unwritable"
    text = declare(
        "problem.folder-unwritable",
        "cannot write to {path}: {reason}. Set {setting} to a folder this user can write",
    )


class PortInUse(ConfigurationProblem):
    code = "port-in-use"
    text = declare(
        "problem.port-in-use",
        "cannot listen on {host}:{port}: {reason}. Stop the other server or choose another --port",
    )


PERMISSION_DENIED = declare("problem.permission-denied", "permission denied")


def ensure_writable_folder(path: Path, setting: str) -> Path:
    """Create ``path`` if needed; :class:`FolderUnwritable` naming ``setting`` when it cannot be
    created or written."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FolderUnwritable(
            path=str(path), reason=first_line(error.strerror or error), setting=setting
        ) from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise FolderUnwritable(path=str(path), reason=PERMISSION_DENIED.said(), setting=setting)
    return path
