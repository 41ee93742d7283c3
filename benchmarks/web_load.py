"""Load on the web app: 50 concurrent simulated users browsing the dashboards and the API.

Builds the demo node, serves it on loopback (`alianza serve`), logs in one session per run and
drives it with wrk (Debian's package `wrk`): each connection walks the plan page, action pages,
the JSON report and JSON actions. Prints requests per second, p50/p95/p99 latency and errors,
beside the issue's target (p95 < 200 ms, no errors).

    .venv/bin/python benchmarks/web_load.py [--connections 50] [--seconds 60] [--workers 1]
        [--node DIR]   # reuse a node prepared by `alianza demo --no-serve --dir DIR`

Also printed: the server's CPU time per request (all its processes, from /proc), the figure
that does not depend on what else the machine is running.
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
    "/seizures?by=drug",
    "/seizures/map",
    "/api/v1/seizures/aggregate?by=fiscal_year,drug_group",
]
LUA = """
local paths = {%(paths)s}
local counter = 0
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--node", type=Path, help="a prepared demo node (default: build one)")
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
    port = free_port()
    server = subprocess.Popen(
        [BIN / "alianza", "--home", str(node), "serve", "--port", str(port),
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
            for path in PATHS:
                assert client.get(path).status_code == 200, path
        script = folder / "walk.lua"
        script.write_text(
            LUA % {"paths": ", ".join(f'"{p}"' for p in PATHS), "cookie": cookie}, "utf-8"
        )
        threads = 2
        cpu_before = cpu_seconds(server.pid)
        run = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{args.connections}", f"-d{args.seconds}s",
             "--timeout", "10s", "-s", str(script), base],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        cpu = cpu_seconds(server.pid) - cpu_before
        load = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    line = next(x for x in run.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    rps = result["requests"] / result["seconds"]
    print(f"web load: {args.connections} connections, {args.seconds} s, "
          f"{args.workers} worker(s), SQLite demo node, {len(PATHS)} pages/API paths")  # fmt: skip
    print(f"{'measure':<22}{'Alianza':>12}{'target':>12}")
    print(f"{'requests/s':<22}{rps:>12.1f}{'—':>12}")
    for key in ("p50", "p95", "p99", "max"):
        target = "< 200 ms" if key == "p95" else "—"
        print(f"{key + ' latency (ms)':<22}{result[key]:>12.1f}{target:>12}")
    print(f"{'errors':<22}{result['errors']:>12}{'0':>12}")
    print(f"{'server CPU ms/request':<22}{1000 * cpu / max(result['requests'], 1):>12.2f}{'—':>12}")
    print(f"load average at the end: {load:.1f} on {os.cpu_count()} CPUs")
    verdict = result["p95"] < 200 and result["errors"] == 0
    print("target met" if verdict else "target NOT met")


if __name__ == "__main__":
    main()
