"""Engines for the two supported backends: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from alianza.operations.problems import (
    DatabaseUnreachable,
    FolderUnwritable,
    MalformedDatabaseUrl,
    UnsupportedDatabase,
    first_line,
)

__all__ = [
    "UnsupportedDatabase",
    "check_connection",
    "create_database_engine",
    "fetch_one_on_driver",
    "insert_if_absent",
    "is_sqlite",
    "parse_url",
]

# How long a SQLite writer waits for another one's lock before "database is locked" (ms).
SQLITE_BUSY_TIMEOUT_MS = 10_000


def parse_url(url: str) -> URL:
    """``url`` parsed; :class:`MalformedDatabaseUrl` (one line, the setting named) if it is not
    a URL at all."""
    try:
        return make_url(url)
    except ArgumentError:
        raise MalformedDatabaseUrl(url=url) from None


def is_sqlite(url: str) -> bool:
    return parse_url(url).get_backend_name() == "sqlite"


def create_database_engine(url: str, *, immediate: bool = False) -> Engine:
    """An engine for ``url``; creates the folder of a SQLite file and sets its pragmas.

    ``immediate``: SQLite transactions start with ``BEGIN IMMEDIATE``, taking the write lock
    at once, so that concurrent writers wait for each other (busy timeout) instead of failing
    with "database is locked" when a reader turns writer. Used for the write path only.
    """
    parsed = parse_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise FolderUnwritable(
                    path=str(folder),
                    reason=first_line(error.strerror or error),
                    setting="ALIANZA_DATABASE_URL",
                ) from None
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        # Let SQLAlchemy, not pysqlite, open transactions, so BEGIN covers DDL and DML alike.
        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True)
    raise UnsupportedDatabase(backend=backend, url=parsed.render_as_string(hide_password=True))


def check_connection(engine: Engine) -> None:
    """Connect once; :class:`DatabaseUnreachable` (one line: the URL, the driver's reason, the
    setting) when the server is down, the credentials are wrong or the file cannot be opened."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except (OperationalError, InterfaceError) as error:
        raise DatabaseUnreachable(
            url=engine.url.render_as_string(hide_password=True),
            reason=first_line(error.orig if error.orig is not None else error),
        ) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # autocommit at the driver; see the "begin" hook
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def insert_if_absent(
    session: Session, model: type[Any], values: Mapping[str, Any], key: Sequence[str]
) -> bool:
    """``INSERT … ON CONFLICT (key) DO NOTHING``; True when this call inserted the row.

    Safe under concurrency where select-then-insert is not: on PostgreSQL a second writer
    waits for the first one's row and then does nothing, instead of failing on the unique key.
    """
    dialect = session.get_bind().dialect.name
    # Imported here, not at the top: a SQLite node's reads never load PostgreSQL's (issue 18).
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    statement = (
        insert(table)
        .values(dict(values))
        .on_conflict_do_nothing(index_elements=key)
        .returning(*(table.c[column] for column in key))
    )
    session.flush()  # the connection's statement runs after what the session holds
    return session.connection().execute(statement).first() is not None


def fetch_one_on_driver(
    engine: Engine, sql: str, parameters: Mapping[str, Any] | None = None
) -> Any:
    """The first row of one SELECT run on the driver's own connection, without SQLAlchemy's
    transaction and statement machinery (a tenth of the CPU, for the few reads the live
    scoring path makes per declaration); None when there is none. For a SQLite engine, whose
    connections are in autocommit (the node's pragmas): the SELECT is its own read
    transaction. A driver error is raised as SQLAlchemy raises it (``OperationalError`` …)."""
    driver_error = engine.dialect.loaded_dbapi.Error
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute(sql, parameters or {})
            return cursor.fetchone()
        finally:
            cursor.close()
    except driver_error as error:
        raise DBAPIError.instance(sql, parameters, error, driver_error) from error
    finally:
        raw.close()
