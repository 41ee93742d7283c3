"""`alianza serve --workers 2` with a listening socket per worker (SO_REUSEPORT, issue 21): the
kernel spreads connections over both workers (with one shared socket one worker's event loop
took most of them); a worker that dies is replaced and the port keeps answering; SIGHUP replaces
both; SIGTERM stops every worker and the server exits 0; workers whose supervisor is killed stop
by themselves. A real server in a subprocess of a temporary node; which worker holds a
connection is read from Linux ``/proc`` (no header tells a client)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from alianza.operations.listen import check_port_free
from tests.ports.nodes import free_port

pytestmark = pytest.mark.skipif(
    not hasattr(socket, "SO_REUSEPORT") or not Path("/proc/net/tcp").exists(),
    reason="SO_REUSEPORT and /proc (Linux)",
)
CONNECTIONS = 24
WAIT = 90  # seconds: a worker's start on a loaded machine


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


def socket_inodes(pid: int) -> set[str]:
    """The sockets ``pid`` holds; none once it has exited (a worker being replaced can end
    between the listing of the server's children and this look)."""
    found: set[str] = set()
    try:
        descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
    except FileNotFoundError:
        return found
    for fd in descriptors:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def tcp_rows() -> list[list[str]]:
    return [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]


def workers(pid: int, port: int) -> list[int]:
    """The server's worker processes: its children holding a socket listening on ``port``."""
    listening = {
        row[9] for row in tcp_rows() if row[3] == "0A" and int(row[1].split(":")[1], 16) == port
    }
    return [child for child in children(pid) if socket_inodes(child) & listening]


def holders(pids: list[int], port: int, clients: list[socket.socket]) -> dict[int, int]:
    """How many of the clients' connections each worker accepted (by their local ports)."""
    ports = {client.getsockname()[1] for client in clients}
    owned = {pid: socket_inodes(pid) for pid in pids}
    counts = dict.fromkeys(pids, 0)
    for row in tcp_rows():
        local, remote = int(row[1].split(":")[1], 16), int(row[2].split(":")[1], 16)
        if row[3] == "01" and local == port and remote in ports:
            for pid, inodes in owned.items():
                counts[pid] += row[9] in inodes
    return counts


def kept_alive(port: int) -> list[socket.socket]:
    """CONNECTIONS connections opened at once (as a client's pool), each then answered once
    (HTTP/1.1 keep-alive) and left open."""
    clients = [
        socket.create_connection(("127.0.0.1", port), timeout=WAIT) for _ in range(CONNECTIONS)
    ]
    for client in clients:
        client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    for client in clients:
        answer = b""
        while b'"ok"' not in answer:
            chunk = client.recv(4096)
            assert chunk, answer
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer
    return clients


def wait_for(condition: object, what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"{what}:\n{log.read_text()}"
        time.sleep(0.2)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    port = free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIANZA_")}
    env.update(ALIANZA_HOME=str(tmp_path / "node"), ALIANZA_ENV="development")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    command = [sys.executable, "-m", "alianza", "serve", "--workers", "2", "--port", str(port)]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )

    def answers() -> bool:
        assert process.poll() is None, log.read_text()
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for(answers, "the server did not answer", log)
        wait_for(lambda: len(workers(process.pid, port)) == 2, "two workers", log)
        yield process, port, log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # what the test left: supervisor and workers
        process.wait()


def test_two_workers_share_connections_are_replaced_and_stop_on_sigterm(
    served: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    process, port, log = served
    first = workers(process.pid, port)

    # Both workers answer: the kernel spread the connections over their sockets.
    clients = kept_alive(port)
    try:
        counts = holders(first, port, clients)
        assert sum(counts.values()) == CONNECTIONS, counts
        assert all(count > 0 for count in counts.values()), counts
    finally:
        for client in clients:
            client.close()

    # A worker that dies is replaced, and every new connection is answered.
    os.kill(first[0], signal.SIGKILL)
    wait_for(
        lambda: len(now := workers(process.pid, port)) == 2 and first[0] not in now,
        "no new worker",
        log,
    )
    second = workers(process.pid, port)
    assert first[1] in second
    clients = kept_alive(port)
    try:
        counts = holders(second, port, clients)
        assert sum(counts.values()) == CONNECTIONS, counts
    finally:
        for client in clients:
            client.close()

    # SIGHUP: both workers replaced, one at a time; the port answers after it.
    process.send_signal(signal.SIGHUP)
    wait_for(
        lambda: len(now := workers(process.pid, port)) == 2 and not set(now) & set(second),
        "workers not replaced after SIGHUP",
        log,
    )
    wait_for(lambda: not any(running(pid) for pid in second), "old workers still running", log)
    second = workers(process.pid, port)
    for client in kept_alive(port):
        client.close()

    # SIGTERM: every worker stops gracefully and is reaped; the server exits 0.
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=WAIT) == 0, log.read_text()
    assert not any(Path(f"/proc/{pid}").exists() for pid in second)  # exited and reaped
    text = log.read_text()
    assert "Received SIGTERM" in text
    assert text.count("Stopped worker process") == 4, text  # 2 after SIGHUP, 2 after SIGTERM
    assert text.count("Application shutdown complete") >= 2, text


def test_workers_stop_when_the_supervisor_is_killed(
    served: tuple[subprocess.Popen[bytes], int, Path],
) -> None:
    """Killed with SIGKILL, the supervisor cannot stop its workers: they notice (the health
    check's pipe closes) and stop by themselves instead of holding the port, orphaned."""
    process, port, log = served
    pids = workers(process.pid, port)
    process.kill()
    process.wait()
    wait_for(lambda: not any(running(pid) for pid in pids), "orphaned workers", log)
    check_port_free("127.0.0.1", port)  # nothing listens on the port any more


def running(pid: int) -> bool:
    """Whether ``pid`` is a process that has not exited (a zombie has)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
