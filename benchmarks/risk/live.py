"""Scoring declarations as they arrive (issue 21): latency of ``POST /api/v1/risk/declarations``
at 20 concurrent clients beside the batch path, and the shipment page.

Builds a node (SQLite) holding a generated border sample (``alianza risk sample``: history with
outcomes, the last week's arrivals without), trains a model, then:

- batch path, in-process: ``score_batch`` over one day of arrivals and over the week (what
  scoring one declaration cost before: a model load and a read of the whole history);
- live path, over HTTP: ``alianza serve`` (``--workers``, default one) on loopback, 20 clients
  each posting declarations of the arrivals week one after another (closed loop, no pause)
  with a Bearer token; latency per request (client side), p50 / p95 / p99, requests per
  second, errors, and the CPU per request of the server and of the clients. The clients are
  one asyncio loop writing ready-made HTTP/1.1 requests on 20 kept-alive sockets (about
  0.1 ms of CPU a request): client threads of an HTTP library cost more CPU than the server's
  answer and queue on their own GIL, so they measured themselves on this 2-core machine. The
  first request (model load) is made and timed before, then 100 untimed on 100 connections
  at once (with ``--workers 2`` each worker loads the model on its first; the server's CPU
  counts every worker's). With several workers each phase also says how many of the
  clients' connections each worker process holds (read from ``/proc`` once each has an answer)
  and each worker's CPU over the phase: a kept-alive connection stays with the worker that
  accepted it. Then the same clients paced, each
  sending one declaration every ``--every`` ms (250: 80 a second offered). Beside them,
  ``GET /api/v1/me`` in a closed loop: what any authenticated API call gets on this machine
  under that load, the floor of the target.
  With ``--before REV`` (e.g. ``main``) the same node is first served from that commit's code
  (extracted with ``git archive``), and both are printed side by side, each with the load
  average of the machine before and after it (the figures are noisy on a shared machine);
- the shipment page (``GET /risk/shipments/REF``, logged-in session), first view and warm.

    .venv/bin/python benchmarks/risk/live.py [--rows 20000] [--clients 20] [--requests 30]
        [--workers 1] [--features near|exact] [--every 250] [--before REV]

Target (issue 21): p95 < 20 ms at 20 concurrent clients; shipment page < 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx

from alianza.db import Database
from alianza.risk.service import score_batch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from cli_startup import extract  # git archive of a revision's src/alianza

PASSWORD = "bench-password-2026"


def alianza(home: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "alianza", "--home", str(home), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Load:
    """One closed-loop load phase."""

    latencies: list[float]  # ms, client side
    wall: float
    errors: int
    server_cpu_ms: float | None  # per request (all the server's processes)
    client_cpu_ms: float  # per request
    # with several workers: per worker process, the clients' connections it accepted and its
    # CPU over the phase (seconds)
    spread: list[tuple[int, float]] | None = None

    def line(self) -> str:
        cpu = "" if self.server_cpu_ms is None else f"server CPU {self.server_cpu_ms:.2f} ms, "
        workers = ""
        if self.spread:
            workers = (
                "; per worker: connections "
                + " / ".join(str(n) for n, _ in self.spread)
                + ", CPU "
                + " / ".join(f"{c:.2f}" for _, c in self.spread)
                + " s"
            )
        return (
            f"p50 {statistics.median(self.latencies):.1f} ms, "
            f"p95 {percentile(self.latencies, 0.95):.1f} ms, "
            f"p99 {percentile(self.latencies, 0.99):.1f} ms; "
            f"{len(self.latencies) / self.wall:.0f} requests/s; errors {self.errors}; "
            f"{cpu}client CPU {self.client_cpu_ms:.2f} ms a request{workers}"
        )


@dataclass
class Live:
    cold_ms: float
    scoring: Load
    paced: Load
    me: Load
    page_first: float
    page_warm: list[float]
    example: dict[str, Any]
    load: tuple[float, float]


def cpu_seconds(pid: int) -> float:
    """User + system CPU so far of a process and its live children (the workers of
    ``alianza serve --workers N``), from Linux ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = children.read_text().split() if children.exists() else []
    return own + sum(cpu_seconds(int(child)) for child in found)


def workers(pid: int) -> list[int]:
    """The worker processes of ``alianza serve --workers N`` (children of ``pid`` that are
    uvicorn servers, not multiprocessing's helpers): those holding a listening socket."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(child) for child in children.read_text().split()] if children.exists() else []
    listening = {f[9] for f in tcp_table() if f[3] == "0A"}
    return [child for child in found if socket_inodes(child) & listening]


def tcp_table() -> list[list[str]]:
    rows: list[list[str]] = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        if Path(name).exists():
            rows += [line.split() for line in Path(name).read_text().splitlines()[1:]]
    return rows


def socket_inodes(pid: int) -> set[str]:
    found = set()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                found.add(target[8:-1])
    except OSError:
        pass
    return found


def connections_of(pids: list[int], port: int, clients: set[int]) -> list[int]:
    """How many of the clients' connections (their local ports) each process accepted."""
    inodes = [socket_inodes(pid) for pid in pids]
    counts = [0] * len(pids)
    for f in tcp_table():
        local, remote = int(f[1].split(":")[-1], 16), int(f[2].split(":")[-1], 16)
        if f[3] == "01" and local == port and remote in clients:
            for k, owned in enumerate(inodes):
                counts[k] += f[9] in owned
    return counts


def own_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def http_request(method: str, path: str, token: str, body: dict[str, Any] | None) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
    if body is None:
        return (head + "\r\n").encode()
    data = json.dumps(body).encode()
    head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    return head.encode() + data


def closed_loop(
    port: int, plans: list[list[bytes]], server: int | None, *, every: float = 0.0
) -> Load:
    """Each plan sent on its own kept-alive connection, one request after the other: at once
    (closed loop), or ``every`` seconds apart (paced, clients staggered; a request sent late
    because the previous answer was late is timed from when it was due)."""
    latencies: list[float] = []
    errors = 0
    # with several workers, which worker accepted each connection: read from /proc once each
    # client has its first answer (a few ms of the client loop, early in the phase)
    pool = workers(server) if server is not None else []
    ports: set[int] = set()
    answered: set[int] = set()
    spread: list[int] = []

    async def client(plan: list[bytes], offset: float) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        ports.add(writer.get_extra_info("sockname")[1])
        first = time.perf_counter() + offset
        for k, request in enumerate(plan):
            started = time.perf_counter()
            if every:
                due = first + k * every
                await asyncio.sleep(due - started)
                started = due
            writer.write(request)
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            latencies.append(1000 * (time.perf_counter() - started))
            errors += b" 200 " not in status
            if k == 0:  # once every client has its first answer, a worker accepted each
                answered.add(writer.get_extra_info("sockname")[1])
                if len(pool) > 1 and len(answered) == len(plans):
                    spread.extend(connections_of(pool, port, ports))
        writer.close()

    async def clients() -> None:
        await asyncio.gather(
            *(client(plan, every * i / len(plans)) for i, plan in enumerate(plans))
        )

    cpu_before = cpu_seconds(server) if server is not None else 0.0
    each_before = [cpu_seconds(pid) for pid in pool]
    own_before = own_cpu()
    started = time.perf_counter()
    asyncio.run(clients())
    wall = time.perf_counter() - started
    n = len(latencies)
    server_cpu = None if server is None else 1000 * (cpu_seconds(server) - cpu_before) / n
    each = [cpu_seconds(pid) - before for pid, before in zip(pool, each_before, strict=True)]
    return Load(
        latencies, wall, errors, server_cpu, 1000 * (own_cpu() - own_before) / n,
        list(zip(spread, each, strict=True)) if spread else None,
    )  # fmt: skip


def live_run(
    home: Path,
    token: str,
    arrivals: list[dict[str, str]],
    args: argparse.Namespace,
    *,
    src: Path | None,
) -> Live:
    """Serve the node (``src``: the source folder to run instead of this checkout's, for the
    earlier revision) and measure the live path and the shipment page."""
    environment = dict(os.environ)
    if src is not None:
        environment["PYTHONPATH"] = str(src)
    load_before = os.getloadavg()[0]
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alianza",
            "--home",
            str(home),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {token}"}
    one_worker = server.pid  # its CPU counts its workers' too
    try:
        for _ in range(600):
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, headers=auth, timeout=120) as client:
            started = time.perf_counter()
            first = client.post("/api/v1/risk/declarations", json={"declaration": arrivals[0]})
            cold_ms = 1000 * (time.perf_counter() - started)
            assert first.status_code == 200, first.text
            example = first.json()
        path = "/api/v1/risk/declarations"
        # untimed first: 100 declarations on 100 connections at once, so that every worker
        # accepts some (one loading the model does not accept): with several workers each
        # loads the model on its first declaration (seconds), which must not fall in a timed
        # phase
        warmup = [
            [http_request("POST", path, token, {"declaration": arrivals[k]})] for k in range(100)
        ]
        closed_loop(port, warmup, None)
        plans = [
            [
                http_request("POST", path, token, {"declaration": arrivals[k % len(arrivals)]})
                for k in range(index * args.requests, (index + 1) * args.requests)
            ]
            for index in range(args.clients)
        ]
        scoring = closed_loop(port, plans, one_worker)
        paced = closed_loop(port, plans, one_worker, every=args.every / 1000)
        me = [http_request("GET", "/api/v1/me", token, None)] * args.requests
        reference = closed_loop(port, [me] * args.clients, one_worker)

        with httpx.Client(base_url=base, timeout=120) as browser:
            page = browser.get("/login").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert csrf is not None
            browser.post(
                "/login",
                data={"username": "officer", "password": PASSWORD, "csrf_token": csrf.group(1)},
            )
            shipment = arrivals[1]["reference"]
            started = time.perf_counter()
            assert browser.get(f"/risk/shipments/{shipment}").status_code == 200
            page_first = 1000 * (time.perf_counter() - started)
            page_warm = []
            for row in arrivals[2:22]:
                started = time.perf_counter()
                assert browser.get(f"/risk/shipments/{row['reference']}").status_code == 200
                page_warm.append(1000 * (time.perf_counter() - started))
    finally:
        server.terminate()
        server.wait(timeout=30)

    return Live(
        cold_ms, scoring, paced, reference, page_first, page_warm, example,
        (load_before, os.getloadavg()[0]),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="per client")
    parser.add_argument("--workers", type=int, default=1, help="alianza serve --workers")
    parser.add_argument(
        "--features", default="near", help="alianza risk train --features (near or exact)"
    )
    parser.add_argument(
        "--every", type=float, default=250, help="ms between a client's declarations, paced"
    )
    parser.add_argument(
        "--before",
        metavar="REV",
        help="also serve this earlier commit's code first (e.g. main), side by side",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="alianza-risk-live-"))
    home = folder / "node"
    sample = folder / "sample"
    alianza(home, "node", "init", "--country", "US", "--name", "US bench node")
    alianza(home, "risk", "sample", str(sample), "--rows", str(args.rows), "--days", "180")
    for name in ("shipments-history.csv", "shipments-arrivals.csv"):
        alianza(home, "risk", "import", str(sample / name), "--profile", "alianza", "--by", "b")
    started = time.perf_counter()
    alianza(home, "risk", "train", "--calibration-days", "28", "--features", args.features,
            "--by", "bench")  # fmt: skip
    train_s = time.perf_counter() - started
    alianza(home, "users", "add", "officer", "--role", "analyst", "--country", "US",
            "--agency", "CBP", "--password", PASSWORD)  # fmt: skip
    token = alianza(home, "users", "token", "officer").strip().split()[-1]
    with (sample / "shipments-arrivals.csv").open(encoding="utf-8", newline="") as handle:
        arrivals = [{k: v for k, v in r.items() if k != "result"} for r in csv.DictReader(handle)]
    last = date.fromisoformat(max(r["declared_on"] for r in arrivals))

    database = Database(f"sqlite:///{home / 'alianza.db'}", country="US")
    batch: dict[str, float] = {}
    for label, first in (("one day", last), ("one week", last - timedelta(days=6))):
        started = time.perf_counter()
        scored = score_batch(database, start=first, end=last)
        seconds = time.perf_counter() - started
        batch[label] = seconds
        batch[f"{label} rows"] = len(scored.batch.table)
    database.dispose()

    runs: list[tuple[str, Live]] = []
    if args.before:
        src = extract(args.before, folder / "before")
        runs.append(("before", live_run(home, token, arrivals, args, src=src)))
    runs.append(("now", live_run(home, token, arrivals, args, src=None)))
    now = runs[-1][1]

    print(
        f"node: {args.rows:,} generated shipments over 180 days, model trained in {train_s:.1f} s"
    )
    print("batch path (in-process score_batch, model load + history read + scoring):")
    for label in ("one day", "one week"):
        rows = int(batch[f"{label} rows"])
        print(
            f"  {label}: {rows} declarations in {batch[label]:.2f} s "
            f"= {1000 * batch[label] / rows:.1f} ms per declaration; {batch[label]:.2f} s for the "
            "first answer"
        )
    print(
        f"live path (POST /api/v1/risk/declarations, {args.clients} concurrent clients x "
        f"{args.requests} requests, closed loop, {args.workers} server worker(s)):"
    )
    for label, run in runs:
        where = f"commit {args.before}" if label == "before" else "this checkout"
        print(
            f"  {label} ({where}; load average {run.load[0]:.1f} before, {run.load[1]:.1f} after):"
        )
        print(f"    first request (loads the model and indexes the history): {run.cold_ms:.0f} ms")
        print(f"    declarations, closed loop: {run.scoring.line()}")
        print(f"    declarations, each client one every {args.every:g} ms: {run.paced.line()}")
        print(f"    GET /api/v1/me, closed loop (any authenticated call): {run.me.line()}")
    print(
        f"shipment page (now): first view {now.page_first:.0f} ms; warm p50 "
        f"{statistics.median(now.page_warm):.0f} ms, max {max(now.page_warm):.0f} ms (20 pages)"
    )
    example = now.example
    print("example answer:", json.dumps({k: example[k] for k in ("lane", "reason", "p_violation")}))


if __name__ == "__main__":
    main()
