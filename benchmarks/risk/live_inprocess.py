"""CPU of the live scoring path in-process (issue 21): ``POST /api/v1/risk/declarations`` and
``GET /api/v1/me`` driven through the real ASGI app, without sockets.

Builds a node as ``live.py`` does (a generated border sample, a trained model, an analyst and
an API token; or reuses one with ``--node``), then in a child process builds the app as
``alianza serve`` does (``create_app``, logging configured, the access log written to the
child's stderr, here ``/dev/null``) and calls it directly: ``--clients`` asyncio tasks, each
sending ``--requests`` declarations one after the other (closed loop) through every
middleware, the route, the group batcher and its worker thread, and the audit write. What is
printed is the CPU of the whole process (every thread, ``time.process_time``) per request:
robust to the machine's load, where wall latency is not. The HTTP server's own work
(parsing, sockets: uvicorn) is not in it.

With ``--before REV`` the same node is also measured with that commit's code (``git
archive`` of its ``src/alianza``, run with ``PYTHONPATH`` set to it), the two interleaved
``--rounds`` times (before, now, before, now, ...), and the answers of both compared (the
parsed JSON of every declaration's answer: score, lane, reasons, explanation, policy).

``--groups`` adds, per code, the scoring thread's own work called directly (no app, no event
loop): ``_decide_group`` (cache check, scoring, explanation, rules, the audit transaction) on
groups of 1, 2, 5, 10 and 20 declarations, CPU a declaration: a group has a fixed cost, and a
server worker's groups are small (about 5 with 10 clients on a worker).

``--profile`` runs this checkout once under cProfile (the event loop's thread and the
scoring worker thread apart) and prints the top functions by own time.

    .venv/bin/python benchmarks/risk/live_inprocess.py [--node DIR] [--rows 20000]
        [--clients 20] [--requests 100] [--rounds 3] [--before REV] [--groups] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PASSWORD = "bench-password-2026"
PATH = "/api/v1/risk/declarations"


def build_node(folder: Path, rows: int) -> Path:
    """A node as live.py builds it: sample, import, train (``near``), an analyst's token."""
    sys.path.insert(0, str(HERE))
    from live import alianza  # type: ignore[import-not-found]

    home = folder / "node"
    sample = folder / "sample"
    alianza(home, "node", "init", "--country", "US", "--name", "US bench node")
    alianza(home, "risk", "sample", str(sample), "--rows", str(rows), "--days", "180")
    for name in ("shipments-history.csv", "shipments-arrivals.csv"):
        alianza(home, "risk", "import", str(sample / name), "--profile", "alianza", "--by", "b")
    alianza(home, "risk", "train", "--calibration-days", "28", "--by", "bench")
    alianza(home, "users", "add", "officer", "--role", "analyst", "--country", "US",
            "--agency", "CBP", "--password", PASSWORD)  # fmt: skip
    token = alianza(home, "users", "token", "officer").strip().split()[-1]
    (folder / "token.txt").write_text(token)
    return folder


# --- the child: one measurement with whichever alianza is on the path -----------------------


def scope_of(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def call(app: Any, method: str, path: str, token: str, body: bytes | None) -> bytes:
    headers = [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())]
    if body is not None:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    given = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body or b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope_of(method, path, headers), receive, send)
    answer = b"".join(chunks)
    if status != 200:
        raise RuntimeError(f"{method} {path}: {status} {answer[:300]!r}")
    return answer


def child(args: argparse.Namespace) -> None:
    import logging

    from alianza.operations.logs import configure_logging
    from alianza.settings import load_settings
    from alianza.web.app import create_app

    folder = Path(args.node)
    token = (folder / "token.txt").read_text().strip()
    with (folder / "sample" / "shipments-arrivals.csv").open(encoding="utf-8") as handle:
        arrivals = [{k: v for k, v in r.items() if k != "result"} for r in csv.DictReader(handle)]
    settings = load_settings(home=folder / "node")
    configure_logging(settings.log_level, settings.log_format)
    app = create_app(settings)
    bodies = [json.dumps({"declaration": row}).encode() for row in arrivals]

    async def phase(method: str, path: str, plans: list[list[bytes | None]]) -> list[bytes]:
        answers: list[bytes] = []

        async def client(plan: list[bytes | None]) -> None:
            for body in plan:
                answers.append(await call(app, method, path, token, body))

        await asyncio.gather(*(client(plan) for plan in plans))
        return answers

    async def run() -> dict[str, Any]:
        # untimed: the model load and the first of everything
        await phase("POST", PATH, [[bodies[k]] for k in range(100)])
        await phase("GET", "/api/v1/me", [[None]] * 20)
        n = args.requests
        plans: list[list[bytes | None]] = [
            [bodies[k % len(bodies)] for k in range(i * n, (i + 1) * n)]
            for i in range(args.clients)
        ]
        from alianza.risk import live

        decide, in_worker, groups = live._decide_group, [0.0], [0]

        def timed(group: Any) -> None:  # the scoring worker thread's CPU, the groups
            groups[0] += 1
            started = time.thread_time()
            try:
                decide(group)
            finally:
                in_worker[0] += time.thread_time() - started

        live._decide_group = timed  # type: ignore[assignment]
        profiler = worker_profiler = None
        if args.profile:
            import cProfile

            profiler, worker_profiler = cProfile.Profile(), cProfile.Profile()

            def profiled(group: Any) -> None:
                worker_profiler.enable()
                try:
                    decide(group)
                finally:
                    worker_profiler.disable()

            live._decide_group = profiled  # type: ignore[assignment]
            profiler.enable()
        in_worker[0], groups[0] = 0.0, 0
        cpu, wall = time.process_time(), time.perf_counter()
        answers = await phase("POST", PATH, plans)
        cpu_scoring, wall_scoring = time.process_time() - cpu, time.perf_counter() - wall
        if profiler is not None and worker_profiler is not None:
            profiler.disable()
            report_profile(profiler, "event loop thread", args.top)
            report_profile(worker_profiler, "scoring worker thread", args.top)
        me_plans: list[list[bytes | None]] = [[None] * n] * args.clients
        cpu, wall = time.process_time(), time.perf_counter()
        me = await phase("GET", "/api/v1/me", me_plans)
        cpu_me, wall_me = time.process_time() - cpu, time.perf_counter() - wall
        canonical = sorted(
            json.dumps(json.loads(a), sort_keys=True, separators=(",", ":")) for a in answers
        )
        return {
            "declaration_ms": 1000 * cpu_scoring / len(answers),
            "declaration_wall_ms": 1000 * wall_scoring / len(answers),
            "worker_ms": 1000 * in_worker[0] / len(answers),
            "group": len(answers) / max(groups[0], 1),
            "me_ms": 1000 * cpu_me / len(me),
            "me_wall_ms": 1000 * wall_me / len(me),
            "answers": hashlib.sha256("\n".join(canonical).encode()).hexdigest(),
            "example": json.loads(answers[0]),
        }

    logging.getLogger("alianza.access").debug("benchmark child starting")
    result = asyncio.run(run())
    if args.groups:
        result["groups"] = group_costs(folder)
    print(json.dumps(result), file=sys.__stdout__)


def group_costs(folder: Path) -> dict[str, float]:
    """``_decide_group`` alone on groups of several sizes: CPU a declaration (ms)."""
    from alianza.actors import NodeSelf
    from alianza.db import Database
    from alianza.risk.live import _arrival, _decide_group

    database = Database(f"sqlite:///{folder / 'node' / 'alianza.db'}", country="US")
    with (folder / "sample" / "shipments-arrivals.csv").open(encoding="utf-8") as handle:
        rows = [{k: v for k, v in r.items() if k != "result"} for r in csv.DictReader(handle)]
    arrivals = [
        _arrival(database, rows[i % len(rows)], "alianza", None, 5, NodeSelf("bench"))
        for i in range(1000)
    ]
    _decide_group(arrivals[:20])  # the model load
    out = {}
    for size in (1, 2, 5, 10, 20):
        started = time.process_time()
        for first in range(0, len(arrivals), size):
            _decide_group(arrivals[first : first + size])
        out[str(size)] = 1000 * (time.process_time() - started) / len(arrivals)
    database.dispose()
    return out


def report_profile(profiler: Any, label: str, top: int) -> None:
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    print(f"--- {label}, by own time ---", file=sys.__stdout__)
    print(out.getvalue(), file=sys.__stdout__)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    print(f"--- {label}, cumulative ---", file=sys.__stdout__)
    print(out.getvalue(), file=sys.__stdout__)


# --- the parent --------------------------------------------------------------------------------


def measure(src: Path, args: argparse.Namespace, node: Path) -> dict[str, Any]:
    environment = dict(os.environ, PYTHONPATH=str(src))
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--node", str(node)]
    command += ["--clients", str(args.clients), "--requests", str(args.requests)]
    if args.profile:
        command += ["--profile", "--top", str(args.top)]
    if args.groups:
        command += ["--groups"]
    done = subprocess.run(
        command,
        env=environment,
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the access log
        text=True,
    )
    if args.profile:
        print(done.stdout)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node", type=Path, help="a folder this script built before")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100, help="per client")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", metavar="REV", help="also measure this commit's code")
    parser.add_argument(
        "--groups", action="store_true", help="also the scoring thread's work by group size"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile this checkout once")
    parser.add_argument("--top", type=int, default=40, help="functions shown by --profile")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    folder = Path(tempfile.mkdtemp(prefix="alianza-risk-inprocess-"))
    node = args.node.resolve() if args.node else build_node(folder, args.rows)
    print(f"node: {node} (load average {os.getloadavg()[0]:.1f})")
    if args.profile:
        measure(ROOT / "src", args, node)
        return
    codes = {"now": ROOT / "src"}
    if args.before:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from cli_startup import extract

        codes = {f"before ({args.before})": extract(args.before, folder / "before"), **codes}
    found: dict[str, list[dict[str, Any]]] = {label: [] for label in codes}
    for round_ in range(args.rounds):
        for label, src in codes.items():
            load = os.getloadavg()[0]
            result = measure(src, args, node)
            found[label].append(result)
            print(
                f"round {round_ + 1}, {label}: declaration {result['declaration_ms']:.3f} ms CPU "
                f"(wall {result['declaration_wall_ms']:.3f} ms; scoring thread "
                f"{result['worker_ms']:.3f} ms, groups of {result['group']:.1f}), "
                f"/me {result['me_ms']:.3f} ms CPU (wall {result['me_wall_ms']:.3f} ms); "
                f"load average {load:.1f}"
            )
    print(
        f"CPU a request, in-process, {args.clients} clients x {args.requests}, "
        f"{args.rounds} rounds (median, min-max):"
    )
    for label, results in found.items():
        line = []
        for key, name in (("declaration_ms", "declaration"), ("me_ms", "/me")):
            values = [r[key] for r in results]
            line.append(
                f"{name} {statistics.median(values):.3f} ms ({min(values):.3f}-{max(values):.3f})"
            )
        print(f"  {label}: " + ", ".join(line))
    if args.groups:
        print("scoring thread's work alone (_decide_group), CPU a declaration by group size:")
        for label, results in found.items():
            sizes = results[0]["groups"]
            cells = [
                f"{size}: {statistics.median(r['groups'][size] for r in results):.3f} ms"
                for size in sizes
            ]
            print(f"  {label}: " + ", ".join(cells))
    hashes = {r["answers"] for results in found.values() for r in results}
    print("answers:", "the same in every run" if len(hashes) == 1 else f"DIFFER: {hashes}")
    example = found["now"][-1]["example"]
    print("example answer:", json.dumps({k: example[k] for k in ("lane", "reason", "p_violation")}))


if __name__ == "__main__":
    main()
