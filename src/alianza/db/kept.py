"""Results kept in the node's database, shared by every worker and app server using it.

One store for every computation worth sharing (the joint analysis, the seizure pages' totals):
a row of :class:`KeptResult` per ``kind``, ``key`` and *data version*
(:mod:`alianza.db.versioned`), its value as JSON (:func:`encode`). The key holds everything the
result depends on besides the data (the viewer's country, filters, scope, unit…); the version
is read at every use, so a kept result is never given for data that changed. Whichever worker
asks first computes and writes the row; every other one reads it (a row and a JSON decode).
Writing a newer version's row deletes the rows of that kind whose versions it supersedes
(every number of a data version only grows).

The table keeps the name it was created with (``analysis_kept_result``, migration
analysis_0002), when the joint analysis was its only user.

Values are plain JSON data, tuples, sets, dicts with any keys, and the dataclasses registered
with :func:`keep_classes` (tagged by class name; only those are made when reading), or values
registered with :func:`keep_by_name` (a scope: stored as its name, looked up when read).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from alianza.db.base import Base
from alianza.db.write_turn import TurnBusy

T = TypeVar("T")
log = logging.getLogger(__name__)
KEY_LENGTH = 400  # the key column's length; a longer key is stored as its hash
# SQLite: the most a page waits for another writer's turn to keep its result (an import holds
# the turn for minutes; the page then shows its result without keeping it)
WRITE_WAIT = 0.05


class KeptResult(Base):
    """A computed result shared by every worker and app server of the node
    (:mod:`alianza.db.kept`): written once by whichever computes it first, read by the
    others, for one ``kind``, ``key`` (which holds the viewer's country and restriction) and
    data ``version``; rows of older versions are deleted when a newer one is written."""

    __tablename__ = "analysis_kept_result"
    __table_args__ = (UniqueConstraint("kind", "key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))  # JSON (or its sha256)
    version: Mapped[str] = mapped_column(String(400))  # JSON: the data version's numbers
    value: Mapped[str] = mapped_column(Text)  # JSON (:func:`alianza.db.kept.encode`)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


CLASSES: dict[str, type[Any]] = {}
NAMED: dict[type[Any], tuple[Callable[[Any], str], Callable[[str], Any]]] = {}


def keep_classes(*classes: type[Any]) -> None:
    """Allow these dataclasses in kept values (each class name once)."""
    for c in classes:
        if CLASSES.setdefault(c.__name__, c) is not c:
            raise AssertionError(f"two kept classes named {c.__name__}")


def keep_by_name(cls: type[T], name_of: Callable[[T], str], lookup: Callable[[str], T]) -> None:
    """Keep values of ``cls`` as their name (``name_of``), made again by ``lookup``: for values
    that hold something not JSON (a scope's title is a catalogue message). A value whose
    name looks up another value cannot be kept."""
    if cls.__name__ in CLASSES:
        raise AssertionError(f"two kept classes named {cls.__name__}")
    CLASSES[cls.__name__] = cls
    NAMED[cls] = (name_of, lookup)


def encode(value: Any) -> Any:
    """``value`` as JSON data: dicts (any keys), tuples, sets, frozensets and the registered
    classes tagged so that :func:`decode` gives them back equal."""
    named = NAMED.get(type(value))
    if named is not None:
        name_of, lookup = named
        name = name_of(value)
        try:
            same = lookup(name) == value
        except (KeyError, ValueError):
            same = False
        if not same:
            raise TypeError(f"not a kept {type(value).__name__}: {name!r}")
        return {"@n": [type(value).__name__, name]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if CLASSES.get(name) is not type(value):
            raise TypeError(f"not a kept class: {name}")
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"@c": name, "f": fields}
    if isinstance(value, dict):
        return {"@d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"@t": [encode(v) for v in value]}
    if isinstance(value, frozenset):
        return {"@f": [encode(v) for v in sorted(value)]}
    if isinstance(value, set):
        return {"@s": [encode(v) for v in sorted(value)]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__}")


def decode(data: Any) -> Any:
    """The value :func:`encode` was given (only the registered classes are made)."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "@c" in data:
        return CLASSES[data["@c"]](**{k: decode(v) for k, v in data["f"].items()})
    if "@n" in data:
        cls_name, name = data["@n"]
        return NAMED[CLASSES[cls_name]][1](name)
    if "@d" in data:
        return {decode(k): decode(v) for k, v in data["@d"]}
    if "@t" in data:
        return tuple(decode(v) for v in data["@t"])
    if "@f" in data:
        return frozenset(decode(v) for v in data["@f"])
    return {decode(v) for v in data["@s"]}


def _dominated(older: list[Any], newer: list[Any]) -> bool:
    """Whether data version ``older`` came before ``newer`` (no number of it is greater;
    None: an empty table)."""
    return len(older) == len(newer) and all(
        (o if o is not None else -1) <= (n if n is not None else -1)
        for o, n in zip(older, newer, strict=True)
    )


def key_text(text: str) -> str:
    """The stored form of a key (text): itself, or its sha256 where it is too long."""
    if len(text) > KEY_LENGTH:
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return text


class SharedResults:
    """The rows of one ``kind``, at most ``limit`` of them; ``computed`` counts the results
    computed here (not read), for tests and benchmarks."""

    def __init__(self, kind: str, limit: int | None = None) -> None:
        self.kind = kind
        self.limit = limit  # rows of this kind kept at most (the oldest written go first)
        self.computed = 0
        self.skipped = 0  # writes skipped: another writer (an import) held the turn

    def read(self, session: Session, key: str, version: Sequence[Any]) -> Any | None:
        """The value kept for ``key`` at ``version``, or None."""
        row = session.scalar(
            select(KeptResult.value).where(
                KeptResult.kind == self.kind,
                KeptResult.key == key,
                KeptResult.version == json.dumps(list(version)),
            )
        )
        return None if row is None else decode(json.loads(row))

    def get(
        self,
        database: Any,
        key: str,
        version: Sequence[Any],
        compute: Callable[[], T],
    ) -> T:
        """The value kept for ``key`` at ``version`` in ``database``
        (an :class:`~alianza.db.Database`), else ``compute()``, then written there."""
        # Read in a session of its own: the caller's may hold a snapshot from before another
        # worker's (or its own) write. A row of this version is right whenever it was written.
        with database.reader() as own:
            found = self.read(own, key, version)
        if found is not None:
            kept: T = found
            return kept
        value = compute()
        self.computed += 1
        try:
            text = json.dumps(encode(value), separators=(",", ":"))
        except TypeError:
            log.warning("a %s result cannot be kept: not shared", self.kind, exc_info=True)
            return value
        self.write(database, key, version, text)
        return value

    def write(self, database: Any, key: str, version: Sequence[Any], value: str) -> None:
        """Keep ``value`` (JSON) and delete the rows of the versions it supersedes; nothing
        if another worker wrote it first, a warning if the database refused the write."""
        stamp = json.dumps(list(version))
        try:
            with database.transaction(wait=WRITE_WAIT) as session:
                session.add(
                    KeptResult(
                        kind=self.kind, key=key, version=stamp, value=value, at=datetime.now(UTC)
                    )
                )
                session.flush()
                others = session.execute(
                    select(KeptResult.id, KeptResult.version).where(
                        KeptResult.kind == self.kind, KeptResult.version != stamp
                    )
                ).all()
                old = [i for i, v in others if _dominated(json.loads(v), list(version))]
                if old:
                    session.execute(delete(KeptResult).where(KeptResult.id.in_(old)))
                if self.limit is not None:  # keys without end (the API's filters): the newest
                    beyond = session.scalars(
                        select(KeptResult.id)
                        .where(KeptResult.kind == self.kind)
                        .order_by(KeptResult.id.desc())
                        .offset(self.limit)
                    ).all()
                    if beyond:
                        session.execute(delete(KeptResult).where(KeptResult.id.in_(beyond)))
        except IntegrityError:
            pass  # another worker wrote the same result first
        except TurnBusy:  # an import is writing: not kept now, rather than the page waiting
            self.skipped += 1
            log.info("a %s result not kept: another writer holds the database", self.kind)
        except SQLAlchemyError:  # the result stands; the next worker computes it too
            log.warning("a %s result could not be kept", self.kind, exc_info=True)

    def forget(self, database: Any) -> None:
        """Delete every kept result of this kind (benchmarks: a computation from nothing)."""
        with database.transaction() as session:
            session.execute(delete(KeptResult).where(KeptResult.kind == self.kind))
