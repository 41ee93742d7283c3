"""Several worker processes for ``alianza serve --workers N``, each with a listening socket of
its own (issue 21).

``uvicorn.run(..., workers=N)`` binds one listening socket and every worker accepts from it:
the worker whose event loop wakes first accepts every connection waiting, and a kept-alive
connection stays with it, so one worker often holds nearly all of a busy client's connections
(splits like 19/1 of 20) while the other idles. Where the platform has ``SO_REUSEPORT``
(Linux), :func:`serve_workers` instead binds N sockets to the same address, one per worker,
each with ``SO_REUSEPORT``: the kernel spreads new connections over them by a hash of the
addresses. Elsewhere it falls back to uvicorn's own supervisor.

The supervisor here keeps what uvicorn's gives:

- a worker that dies (after it started serving) is replaced by a new one on the same socket;
  connections that arrived meanwhile wait in that socket's queue;
- a worker that exits before it started serving (the app, TLS or settings are broken and would
  fail again) stops the whole server, exit status 3 (uvicorn's ``STARTUP_FAILURE``);
- a worker that no longer answers the supervisor's health check (a pipe answered by a thread of
  the worker, every ``HEALTH_EVERY`` seconds, ``HEALTH_TIMEOUT`` to answer) is killed and
  replaced;
- SIGINT and SIGTERM stop the server gracefully: each worker gets SIGTERM, finishes its
  requests within the grace period (uvicorn's ``timeout_graceful_shutdown``) and exits; one
  still running ``grace + STOP_MARGIN`` seconds later is killed; every child is reaped;
- SIGHUP replaces the workers one at a time, each new one serving before the old one stops;
- a worker whose supervisor is gone (killed with SIGKILL) stops gracefully by itself, instead
  of serving on, orphaned, holding the port.

The sockets are bound by the supervisor and kept open for its lifetime, so the port stays
bound while a worker is replaced. Security: a socket bound with ``SO_REUSEPORT`` lets another
process *of the same user* bind the same address and take a share of the connections (Linux
allows it only for the same effective user id). ``alianza serve`` checks first that nothing
listens on the port (:func:`alianza.operations.listen.check_port_free`); run the node under a
user of its own (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event
from typing import Any

log = logging.getLogger("alianza.workers")

STARTUP_FAILURE = 3  # uvicorn's exit status for a server that could not start
HEALTH_EVERY = 5.0  # seconds between health checks of a running worker
HEALTH_TIMEOUT = 5.0  # seconds a worker has to answer one
READY_TIMEOUT = 60.0  # seconds a replacement worker (SIGHUP) has to start serving
STOP_MARGIN = 5.0  # seconds beyond the grace period before a stopping worker is killed
BACKLOG = 2048  # uvicorn's default

_spawn = multiprocessing.get_context("spawn")


def has_reuseport() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def bind_reuseport(host: str, port: int, backlog: int = BACKLOG) -> socket.socket:
    """A listening TCP socket on ``host:port`` with ``SO_REUSEADDR`` and ``SO_REUSEPORT``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(backlog)
        sock.set_inheritable(True)
    except BaseException:
        sock.close()
        raise
    return sock


def serve_workers(app: str, options: dict[str, Any], workers: int) -> int:
    """Serve the ASGI app factory ``app`` (``module:function``) in ``workers`` processes;
    ``options`` are uvicorn's (``host``, ``port``, TLS, logging, ``timeout_graceful_shutdown``
    …). Returns the exit status: 0 after SIGINT/SIGTERM, 3 when a worker could not start."""
    if not has_reuseport():
        import uvicorn

        uvicorn.run(app, factory=True, workers=workers, **options)
        return 0
    host, port = str(options.get("host", "127.0.0.1")), int(options.get("port", 8000))
    sockets: list[socket.socket] = []
    try:
        for _ in range(workers):
            sockets.append(bind_reuseport(host, port, int(options.get("backlog", BACKLOG))))
        grace = float(options.get("timeout_graceful_shutdown") or 0)
        return Supervisor(app, options, sockets, grace=grace).run()
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class Worker:
    """One worker process, the socket it serves and the pipe of its health check."""

    index: int
    process: SpawnProcess
    ready: Event
    health: Connection
    checked_at: float = field(default_factory=time.monotonic)

    @property
    def pid(self) -> int | None:
        return self.process.pid


class Supervisor:
    """Starts, watches, replaces and stops the workers (see the module's docstring)."""

    def __init__(
        self, app: str, options: dict[str, Any], sockets: list[socket.socket], *, grace: float
    ) -> None:
        self.app = app
        self.options = options
        self.sockets = sockets
        self.grace = grace
        self.workers: list[Worker] = []
        self.signals: list[int] = []
        self.status = 0
        self._stopping = False
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_write.setblocking(False)

    # Signals: queued and handled by the loop (a handler only notes the signal and wakes it).

    def _on_signal(self, signum: int, _frame: Any) -> None:
        self.signals.append(signum)
        with contextlib.suppress(OSError):
            self._wake_write.send(b"\0")

    def _install_signals(self) -> dict[int, Any]:
        previous: dict[int, Any] = {}
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            previous[signum] = signal.signal(signum, self._on_signal)
        return previous

    def start(self, index: int) -> Worker:
        ready = _spawn.Event()
        here, there = _spawn.Pipe()
        process = _spawn.Process(
            target=_run_worker,
            args=(self.app, self.options, self.sockets[index], ready, there),
            name=f"alianza-worker-{index}",
        )
        process.start()
        there.close()
        worker = Worker(index, process, ready, here)
        log.info("Started worker process [%s]", worker.pid)
        return worker

    def run(self) -> int:
        log.info("Started supervisor process [%s]", os.getpid())
        previous = self._install_signals()
        try:
            for index in range(len(self.sockets)):
                self.workers.append(self.start(index))  # stopped in finally if one fails
            while not self._stopping:
                self._wait(HEALTH_EVERY / 2)
                self._handle_signals()
                if not self._stopping:
                    self._keep_alive()
        finally:
            self._stop_all()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self._wake_read.close()
            self._wake_write.close()
        log.info("Stopped supervisor process [%s]", os.getpid())
        return self.status

    def _wait(self, timeout: float) -> None:
        sentinels: list[Any] = [w.process.sentinel for w in self.workers]
        ready = wait([self._wake_read, *sentinels], timeout=timeout)
        if self._wake_read in ready:
            with contextlib.suppress(OSError):
                self._wake_read.recv(64)

    def _handle_signals(self) -> None:
        while self.signals:
            signum = self.signals.pop(0)
            if signum in (signal.SIGINT, signal.SIGTERM):
                log.info("Received %s, stopping the workers", signal.Signals(signum).name)
                self._stopping = True
            elif signum == signal.SIGHUP and not self._stopping:
                log.info("Received SIGHUP, replacing the workers one at a time")
                self._restart_all()

    def _keep_alive(self) -> None:
        now = time.monotonic()
        for position, worker in enumerate(self.workers):
            if worker.process.is_alive():
                if not worker.ready.is_set() or now - worker.checked_at < HEALTH_EVERY:
                    continue
                worker.checked_at = now
                if _answers(worker.health):
                    continue
                log.error("Worker process [%s] did not answer its health check", worker.pid)
                worker.process.kill()
            worker.process.join()
            worker.health.close()
            if not worker.ready.is_set():
                log.error(
                    "Worker process [%s] failed to start (exit status %s); stopping",
                    worker.pid,
                    worker.process.exitcode,
                )
                self.status = STARTUP_FAILURE
                self._stopping = True
                return
            log.warning(
                "Worker process [%s] died (exit status %s); starting another",
                worker.pid,
                worker.process.exitcode,
            )
            self.workers[position] = self.start(worker.index)

    def _restart_all(self) -> None:
        for position, old in enumerate(self.workers):
            new = self.start(old.index)
            deadline = time.monotonic() + READY_TIMEOUT
            while not new.ready.wait(0.1):
                self._handle_stop_signals()
                if self._stopping or not new.process.is_alive() or time.monotonic() > deadline:
                    log.error("Worker process [%s] did not start; keeping [%s]", new.pid, old.pid)
                    self._stop([new])
                    return
            self.workers[position] = new
            self._stop([old])

    def _handle_stop_signals(self) -> None:
        if any(s in (signal.SIGINT, signal.SIGTERM) for s in self.signals):
            self._stopping = True

    def _stop_all(self) -> None:
        self._stop(self.workers)

    def _stop(self, workers: list[Worker]) -> None:
        """SIGTERM, the grace period and a margin, then SIGKILL; every process reaped."""
        for worker in workers:
            if worker.process.is_alive() and worker.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace + STOP_MARGIN
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                log.error("Worker process [%s] did not stop in time; killing it", worker.pid)
                worker.process.kill()
                worker.process.join()
            worker.health.close()
            log.info("Stopped worker process [%s]", worker.pid)


def _answers(health: Connection) -> bool:
    try:
        health.send(b"?")
        if health.poll(HEALTH_TIMEOUT):
            health.recv()
            return True
    except (OSError, EOFError):
        pass
    return False


def _run_worker(
    app: str, options: dict[str, Any], sock: socket.socket, ready: Event, health: Connection
) -> None:  # pragma: no cover - runs in the worker process (tests serve through it)
    """A worker process: uvicorn's server on ``sock``; tells the supervisor once it serves."""
    import sys

    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                ready.set()

    def answer() -> None:
        with contextlib.suppress(OSError, EOFError):
            while True:
                health.recv()
                health.send(b"!")
        # The supervisor is gone (killed: its end of the pipe closed): stop gracefully rather
        # than serve on, orphaned, holding the port.
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=answer, name="health", daemon=True).start()
    config = uvicorn.Config(app, factory=True, **options)
    server = Server(config)
    server.run(sockets=[sock])
    if not server.started:
        sys.exit(STARTUP_FAILURE)
