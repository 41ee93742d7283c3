"""What every command shares: settings and the node's database, opened on first use.

Imported by every command, ``alianza --help`` included: it loads neither the settings
nor the database (SQLAlchemy, Alembic) before a command asks for them (issue 18).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from alianza.catalogue import in_language, message_of
from alianza.operations.problems import ensure_writable_folder, message_language

if TYPE_CHECKING:
    from alianza.db import Database
    from alianza.settings import Settings

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Context:
    home: Path | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _database: Database | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from alianza.settings import InvalidSettings, load_settings

            try:
                self._settings = load_settings(home=self.home) if self.home else load_settings()
            except InvalidSettings as error:
                raise click.ClickException(say(error)) from None
        return self._settings

    def ensure_home(self) -> None:
        """When the SQLite file lives in the home folder, make sure the folder can be written
        (a one-line error naming ALIANZA_HOME otherwise)."""
        if not self.settings.database_url:
            ensure_writable_folder(self.settings.home, "ALIANZA_HOME / --home")

    @property
    def database(self) -> Database:
        if self._database is None:
            from alianza.db import open_database

            self.ensure_home()
            self._database = open_database(self.settings)
            current = click.get_current_context(silent=True)
            if current is not None:  # close the pool when the command ends
                current.call_on_close(self._database.dispose)
        return self._database


pass_context = click.make_pass_decorator(Context)


def say(message: object) -> str:
    """A message in the user's language (``ALIANZA_LANGUAGE``, else the locale): a catalogue
    message, or an exception raised with one, is said in it; any other text as it is."""
    if isinstance(message, BaseException):
        message = message_of(message)
    return in_language(message, message_language())


def fail(message: object, code: int = 1) -> None:
    """End the command with ``Error: <message>`` (in the user's language) and ``code``."""
    click.secho(f"Error: {say(message)}", fg="red", err=True)
    sys.exit(code)


@contextmanager
def clear_errors(*kinds: type[Exception]) -> Iterator[None]:
    """Turn expected exceptions into a one-line message and exit status 1."""
    try:
        yield
    except kinds as error:
        fail(error)


def handles(*kinds: type[Exception]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with clear_errors(*kinds):
                return function(*args, **kwargs)
            raise AssertionError("unreachable")

        return wrapper

    return decorate
