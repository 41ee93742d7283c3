"""A node's database: engine, sessions, and migration on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from alianza.db.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    check_connection,
    create_database_engine,
    is_sqlite,
    parse_url,
)
from alianza.db.revisions import schema_is_current
from alianza.db.write_turn import write_turn
from alianza.node import SESSION_KEY, resolve_country
from alianza.settings import Settings

READER_KEY = "alianza_database"  # session.info of a reader session: its Database


def database_of_reader(session: Session) -> Database | None:
    """The :class:`Database` whose :meth:`~Database.reader` gave ``session``; None for a
    session in a write transaction (what it computes may be rolled back) or not made by a
    Database. The stores shared between workers (:mod:`alianza.db.kept`) are written only
    from reader sessions."""
    found = session.info.get(READER_KEY)
    return found if isinstance(found, Database) else None


class Database:
    """One database of one node. Writes go through :meth:`transaction` (one write path).

    On SQLite the write path has its own engine whose transactions begin IMMEDIATE (writers
    queue up, see :func:`create_database_engine`); readers use a second engine and never
    block writers (WAL). On PostgreSQL both are the same engine, readers in REPEATABLE READ.

    On a SQLite file, writers also take turns on a lock file beside it (:mod:`write_turn`):
    one waiting for another's transaction wakes the moment it ends, instead of retrying in
    SQLite's busy handler, which sleeps 1, 2, 5, 10 … ms between tries.
    """

    def __init__(self, url: str, *, country: str | None = None) -> None:
        self.url = url
        self._country = country
        info = {SESSION_KEY: country} if country is not None else {}
        sqlite = is_sqlite(url)
        self.engine: Engine = create_database_engine(url, immediate=sqlite)
        in_memory = sqlite and parse_url(url).database in (None, "", ":memory:")
        # A reader sees one snapshot from its first statement to its end, on both backends:
        # SQLite's read transactions do; PostgreSQL's default (READ COMMITTED) takes a new one
        # each statement, so a page's statements (a total, its filters' values, its sources)
        # could each see a different state of an import committing meanwhile.
        self.read_engine: Engine = self.engine
        if not sqlite:
            self.read_engine = self.engine.execution_options(isolation_level="REPEATABLE READ")
        elif not in_memory:
            self.read_engine = create_database_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, info=info)
        self._read_sessions = sessionmaker(
            self.read_engine, expire_on_commit=False, info={**info, READER_KEY: self}
        )
        database = parse_url(url).database if sqlite else None
        # The file whose writers take turns (write_turn.py); looked up per transaction, so a
        # forked child takes turns of its own.
        self._turn_of: str | None = database if database and not in_memory else None

    @property
    def country(self) -> str | None:
        """The node's country (:mod:`alianza.node`), fixed when the database is opened: every
        session carries it (``session.info``), and :func:`alianza.actors.acting_on` checks
        users against it without a session."""
        return self._country

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    def check_connection(self) -> None:
        """Connect once, or raise :class:`DatabaseUnreachable` (a one-line message). On the read
        engine: on SQLite the write engine's BEGIN IMMEDIATE would queue behind (and time out
        on) another process's migration."""
        check_connection(self.read_engine)

    def migrate(self) -> None:
        """Bring the schema to the newest revision of every domain branch (once, whatever the
        number of processes starting at the same time: :func:`migrate.upgrade` holds a
        database-wide lock)."""
        self.check_connection()
        # Checked on the read engine: it does not queue behind another process's migration.
        # Without Alembic (issue 18): it is loaded only when there is something to migrate.
        if not schema_is_current(self.read_engine):
            from alianza.db import migrate

            migrate.upgrade(self.engine)

    @contextmanager
    def transaction(self, *, wait: float | None = None) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error. On a
        SQLite file, held within this process's and the other processes' turn to write.

        ``wait``: for a write that may be skipped (a kept result), the most seconds to wait
        for another writer's turn; past it :class:`~alianza.db.write_turn.TurnBusy` is raised
        and nothing starts, instead of waiting for the busy timeout behind an import."""
        if self._turn_of is None:
            with self._sessions() as session, session.begin():
                yield session
            return
        turn = write_turn(self._turn_of)
        with (
            turn.held(
                SQLITE_BUSY_TIMEOUT_MS / 1000 if wait is None else wait, required=wait is not None
            ),
            self._sessions() as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed (closing rolls back). It reads
        one snapshot of the database, taken at its first statement (PostgreSQL: REPEATABLE
        READ), so its figures agree with each other whatever commits meanwhile."""
        with self._read_sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()


def open_database(settings: Settings, *, migrate_schema: bool = True) -> Database:
    """Open the node's database, applying pending migrations unless told not to."""
    country = resolve_country(settings.keys_folder, settings.country)
    database = Database(settings.effective_database_url, country=country.value if country else None)
    if migrate_schema:
        database.migrate()
    return database
