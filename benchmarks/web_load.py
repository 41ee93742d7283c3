"""Load on the web app: 50 concurrent simulated users browsing the dashboards and the API.

Builds the demo node (or reuses one), serves it on loopback (`alianza serve`), logs in one
session and drives it with wrk (Debian's package `wrk`): each connection is one user walking
the performance-measure pages, the scorecard, the seizure overview and map, the exchange,
joint-analysis, cooperation and ports pages and the JSON API. Two runs of the same length:

- users: each pauses between requests (``--think-ms``, uniform, default 500-2000 ms), as
  people browsing do (locust's wait_time); the issue's target (p95 < 200 ms, no errors) is
  read on this run;
- saturation: each connection sends its next request as soon as the last is answered (the
  most the server can do; latency is then queueing behind 49 other requests).

Before timing, every path is visited on new connections (each worker process keeps its own
caches) so that first views after start are not what is timed. Also printed: the server's CPU
time per request (all its processes, from /proc), which does not depend on what else the
machine runs.

    .venv/bin/python benchmarks/web_load.py [--connections 50] [--seconds 60] [--workers 1]
        [--node DIR]   # reuse the nodes of `alianza demo --no-serve --dir DIR` (serves DIR/us)
        [--think-ms 500,2000]
        [--cold]       # forget the results kept for every worker first (first views compute)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx

BIN = Path(sys.executable).parent
PATHS = [
    "/pme",
    "/pme/actions/10.1",
    "/api/v1/pme/report",
    "/pme/actions/10.4.1",
    "/api/v1/pme/actions/10.9",
    "/pme/actions/10.8",
    "/api/v1/pme/paragraphs/10.2/status/5",
    "/api/v1/me",
    "/seizures",
    "/seizures?by=drug",
    "/seizures/map",
    "/api/v1/seizures/aggregate?by=fiscal_year,drug_group",
    "/pme/assessment",
    "/exchange",
    "/analysis?quarter=2025-Q4",
    "/coop?as_of=1999-08-31",
    "/coop/threat-assessment?first=2024-01-01&last=2024-12-31",
    "/ports",
    "/ports/2504/analysis",
]
# Two runs: "users" pause between requests like people browsing (wrk's delay()); "saturation"
# sends each connection's next request at once (what the server can do at most).
SCENARIOS = {
    "users": "delay = function() return math.random(%(low)d, %(high)d) end",
    "saturation": "",
}
LUA = """
local paths = {%(paths)s}
local counter = 0
%(delay)s
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Cookie"] = "%(cookie)s"})
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"seconds\\": %%.3f, \\"p50\\": %%.3f, \\"p95\\": %%.3f, "
    .. "\\"p99\\": %%.3f, \\"max\\": %%.3f, \\"errors\\": %%d, \\"non2xx\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    errors, summary.errors.status))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children still running (Linux /proc)."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    ticks = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_memory(pid: int) -> list[tuple[int, float, float]]:
    """(pid, resident MB now, peak resident MB) of a process and its children still running
    (Linux /proc: VmRSS and VmHWM)."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    found = []
    for one in pids:
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        now, peak = (int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM"))
        found.append((one, now, peak))
    return found


def forget_kept(home: Path) -> None:
    """Delete the node's kept results (every kind), through the product's own database."""
    from sqlalchemy import delete

    from alianza.db import open_database
    from alianza.db.kept import KeptResult
    from alianza.settings import load_settings

    database = open_database(load_settings(home=home))  # ALIANZA_DATABASE_URL where set
    with database.transaction() as session:
        session.execute(delete(KeptResult))
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--node", type=Path, help="a prepared demo node (default: build one)")
    parser.add_argument(
        "--think-ms",
        type=lambda text: tuple(int(v) for v in text.split(",")),
        default=(500, 2000),
        help="a simulated user's pause between requests, LOW,HIGH ms (uniform)",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="forget the results kept for every worker (alianza.db.kept) before starting, so "
        "that first views compute from the records, as after an import",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="alianza-bench-"))
    node = args.node or folder / "node"
    if args.node is None:
        subprocess.run(
            [BIN / "alianza", "demo", "--no-serve", "--dir", str(node)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if args.cold:
        forget_kept(node / "us")
    port = free_port()
    server = subprocess.Popen(
        [BIN / "alianza", "--home", str(node / "us"), "serve", "--port", str(port),
         "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=base) as client:
            page = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page)
            assert token is not None
            response = client.post(
                "/login",
                data={"username": "viewer", "password": "alianza-demo-2026",
                      "csrf_token": token.group(1)},
            )  # fmt: skip
            assert response.status_code == 303, response.text
            cookie = f"alianza_session={client.cookies['alianza_session']}"
            cold = {}  # each path's first view after start (one worker's, caches empty)
            for path in PATHS:
                started = time.perf_counter()
                assert client.get(path).status_code == 200, path
                cold[path] = time.perf_counter() - started
        # each worker process keeps its own caches: visit every path on new connections (a
        # connection goes to one worker) so that first views are not what gets timed
        for _round in range(8):
            with httpx.Client(base_url=base, headers={"Cookie": cookie}, timeout=60) as fresh:
                for path in PATHS:
                    assert fresh.get(path).status_code == 200, path
        runs = {}
        for scenario, delay in SCENARIOS.items():
            script = folder / f"walk-{scenario}.lua"
            script.write_text(
                LUA % {"paths": ", ".join(f'"{p}"' for p in PATHS), "cookie": cookie,
                       "delay": delay % {"low": args.think_ms[0], "high": args.think_ms[1]}},
                "utf-8",
            )  # fmt: skip
            cpu_before = cpu_seconds(server.pid)
            run = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s",
                 "--timeout", "10s", "-s", str(script), base],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            line = next(x for x in run.stdout.splitlines() if x.startswith("RESULT "))
            runs[scenario] = json.loads(line[len("RESULT ") :])
            runs[scenario]["cpu"] = cpu_seconds(server.pid) - cpu_before
            runs[scenario]["load"] = os.getloadavg()[0]
        memory = peak_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    url = os.environ.get("ALIANZA_DATABASE_URL", "")
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"web load: {args.connections} connections, {args.seconds} s each, "
          f"{args.workers} worker(s), {engine} node, {len(PATHS)} pages/API paths; "
          f"users think {args.think_ms[0]}-{args.think_ms[1]} ms between requests")  # fmt: skip
    print(f"{'measure':<24}{'users':>12}{'saturation':>12}{'target (users)':>16}")
    rows: list[tuple[str, str, Callable[[dict[str, float]], float], str]] = [
        ("requests/s", ".1f", lambda r: r["requests"] / r["seconds"], "—"),
        ("p50 latency (ms)", ".1f", lambda r: r["p50"], "—"),
        ("p95 latency (ms)", ".1f", lambda r: r["p95"], "< 200 ms"),
        ("p99 latency (ms)", ".1f", lambda r: r["p99"], "—"),
        ("max latency (ms)", ".1f", lambda r: r["max"], "—"),
        ("errors", "d", lambda r: int(r["errors"]), "0"),
        ("  of which non-2xx", "d", lambda r: int(r["non2xx"]), "—"),
        ("server CPU ms/request", ".2f", lambda r: 1000 * r["cpu"] / max(r["requests"], 1), "—"),
        ("load average at end", ".1f", lambda r: r["load"], "—"),
    ]
    for label, spec, value, target in rows:
        cells = "".join(f"{format(value(runs[s]), spec):>12}" for s in SCENARIOS)
        print(f"{label:<24}{cells}{target:>16}")
    print("first view of each path after start (seconds; warm-up threads may still run):")
    for path, seconds in cold.items():
        print(f"  {seconds:7.3f}  {path}")
    print("server processes' memory (supervisor first, then workers; target: a worker < 500 MB):")
    for pid, now, peak in memory:
        print(f"  pid {pid}: resident {now:,.0f} MB, peak {peak:,.0f} MB")
    users = runs["users"]
    verdict = users["p95"] < 200 and users["errors"] == 0
    print(f"{os.cpu_count()} CPUs; target (users) {'met' if verdict else 'NOT met'}; saturation: "
          "every connection sends its next request as soon as the last is answered")  # fmt: skip


if __name__ == "__main__":
    main()
