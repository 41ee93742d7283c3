"""Configuration and connection problems, as one-line messages in English and Spanish.

Each problem has a stable code, the setting the operator changes to fix it, and a message
template per language. The command line prints ``Error: <message>`` and exits with status 1
(:class:`alianza.cli.LazyGroup`); nothing here prints a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

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
    """The node cannot start or continue as configured; the message names what to change."""

    code: ClassVar[str] = "configuration-problem"
    templates: ClassVar[dict[str, str]] = {"en": "{detail}", "es": "{detail}"}

    def __init__(self, **fields: str) -> None:
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, language: str = "en") -> str:
        template = self.templates.get(language, self.templates["en"])
        return template.format(**self.fields)


class UnsupportedDatabase(ConfigurationProblem, ValueError):
    code = "unsupported-database"
    templates: ClassVar[dict[str, str]] = {
        "en": (
            "unsupported database {backend!r} in {url}: set ALIANZA_DATABASE_URL to "
            "sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB"
        ),
        "es": (
            "base de datos no admitida {backend!r} en {url}: ponga en ALIANZA_DATABASE_URL "
            "sqlite:///RUTA o postgresql+psycopg://USUARIO:CONTRASEÑA@HOST:PUERTO/BD"
        ),
    }


class MalformedDatabaseUrl(ConfigurationProblem, ValueError):
    code = "malformed-database-url"
    templates: ClassVar[dict[str, str]] = {
        "en": (
            "ALIANZA_DATABASE_URL is not a database URL ({url!r}): use sqlite:///PATH or "
            "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DB"
        ),
        "es": (
            "ALIANZA_DATABASE_URL no es una URL de base de datos ({url!r}): use "
            "sqlite:///RUTA o postgresql+psycopg://USUARIO:CONTRASEÑA@HOST:PUERTO/BD"
        ),
    }


class DatabaseUnreachable(ConfigurationProblem):
    code = "database-unreachable"
    templates: ClassVar[dict[str, str]] = {
        "en": (
            "cannot connect to the database {url}: {reason}. Start the database server or "
            "correct ALIANZA_DATABASE_URL"
        ),
        "es": (
            "no se puede conectar a la base de datos {url}: {reason}. Inicie el servidor de "
            "base de datos o corrija ALIANZA_DATABASE_URL"
        ),
    }


class FolderUnwritable(ConfigurationProblem):
    code = "folder-unwritable"
    templates: ClassVar[dict[str, str]] = {
        "en": "cannot write to {path}: {reason}. Set {setting} to a folder this user can write",
        "es": (
            "no se puede escribir en {path}: {reason}. Ponga en {setting} una carpeta en la "
            "que este usuario pueda escribir"
        ),
    }


class PortInUse(ConfigurationProblem):
    code = "port-in-use"
    templates: ClassVar[dict[str, str]] = {
        "en": (
            "cannot listen on {host}:{port}: {reason}. Stop the other server or choose "
            "another --port"
        ),
        "es": (
            "no se puede escuchar en {host}:{port}: {reason}. Detenga el otro servidor o "
            "elija otro --port"
        ),
    }


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
        raise FolderUnwritable(path=str(path), reason="permission denied", setting=setting)
    return path
