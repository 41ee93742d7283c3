"""Totals of the first views computed in the background, before anyone asks for them.

The seizure overview, the border map and the joint analysis are computed once per records
version (then kept: seizures/cache.py, analysis/cache.py), which costs the first viewer
hundreds of milliseconds to seconds. The totals and the analysis are kept in the database for
every worker too (alianza.db.kept): the second worker's warmer reads what the first computed.
A :class:`Warmer` computes the pages' default views, for each viewer country, in a thread of
its own when the server starts and after an import through the web commits. It only fills the
same caches the pages read, under the same keys (which hold the records version), so it can
never make a page show older totals: a page asked for before the warmer is done computes its
totals itself, as it did before.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from alianza.accounts.permissions import Country
from alianza.db import Database, Session
from alianza.seizures.cache import cached_aggregate
from alianza.seizures.overview import fiscal_years, map_places
from alianza.web.views.analysis import analysis_cache, default_quarter, own_country

log = logging.getLogger(__name__)
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def warm_views(app: FastAPI, stop: threading.Event | None = None) -> None:
    """Compute the default views of /seizures, /seizures/map and /analysis for every viewer
    country (returns early once ``stop`` is set)."""
    database: Database = app.state.database
    steps: list[Callable[[Session], object]] = [
        *(
            (lambda s, c=c.value: cached_aggregate(s, ["quarter"], {}, viewer_country=c))
            for c in Country
        ),
        *((lambda s, c=c.value: map_places(s, {}, viewer_country=c)) for c in Country),
        fiscal_years,
    ]
    for step in steps:
        if stop is not None and stop.is_set():
            return
        with database.reader() as session:
            step(session)
    own = own_country(app)
    if own is None or (stop is not None and stop.is_set()):
        return
    with database.reader() as session:
        analysis_cache(app).get(
            session, default_quarter(session), own_country=own, inputs="packages"
        )


class Warmer:
    """One background thread per app; a request to warm while it runs makes it run again."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._pending = False
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def request(self) -> None:
        """Warm soon, without waiting for it."""
        with self._lock:
            self._pending = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="warm-views", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._pending or self._stop.is_set():
                    self._thread = None
                    return
                self._pending = False
            try:
                warm_views(self.app, self._stop)
            except Exception:  # a page computes its own totals when warming failed
                log.exception("warming the first views failed")

    def close(self) -> None:
        """Stop after the step in progress and wait for it (at shutdown)."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join()

    def wait(self) -> None:
        """Wait until the warming asked for so far is done (for tests and benchmarks)."""
        while True:
            thread = self._thread
            if thread is None or not thread.is_alive():
                return
            thread.join()


def warmer_of(app: FastAPI) -> Warmer:
    found = getattr(app.state, "warmer", None)
    if not isinstance(found, Warmer):
        found = app.state.warmer = Warmer(app)
    return found


def warming(inner: Lifespan) -> Lifespan:
    """``inner`` with the first views warmed from startup on (stopped at shutdown)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warmer = warmer_of(app)
        warmer.request()
        try:
            async with inner(app):
                yield
        finally:
            warmer.close()

    return lifespan
