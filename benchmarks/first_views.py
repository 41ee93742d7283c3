"""First and second view of /seizures, /seizures/map and /analysis on the demo node, for a US
and an MX user, each in a fresh process (a worker that has just started).

Run: ``.venv/bin/python benchmarks/first_views.py [--node alianza-demo] [--repeat 1]
[--before c4d83d0]`` after ``alianza demo --no-serve``. For each page and user, four fresh
processes:

- before, cold: the code of commit ``--before`` (default c4d83d0, the last one with the
  per-worker caches and the warmer; extracted with ``git archive`` and put first on the path)
  without its startup: the first view computes, the second reads the worker's cache;
- before, warmed: the same code, started, its background warmer waited for;
- now, computed: today's code, started (there is no warmer), the joint analyses kept in the
  node's database deleted first: the first view of /analysis computes and writes it; the
  seizure pages keep nothing, every view reads the summary tables;
- now, shared: the same, the analysis left as the process before wrote it (another worker
  computed it): the first view reads it.

The "now" processes run on a copy of the demo node (migrated there: the table of kept
analyses), so the node itself is only read and stays usable by the code before. Figures are
wall-clock seconds of single requests through Starlette's TestClient (in process, no
network); on a shared, loaded machine they are noisy: ``--repeat`` takes the median.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

USERS = {"analyst-us": "US", "analista-mx": "MX"}
PASSWORD = "alianza-demo-2026"  # the demo nodes' development-only accounts (us/, mx/)
BEFORE = "c4d83d0"
ROOT = Path(__file__).resolve().parent.parent


def child(node: Path, user: str, path: str, mode: str) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from alianza.settings import load_settings
    from alianza.web.app import create_app

    home = node / USERS[user].lower()  # each user on their own government's demo node
    app = create_app(load_settings(home=home.resolve()))
    client = TestClient(app, follow_redirects=False)
    if mode == "now-computed":
        from alianza.analysis.cache import forget

        forget(app.state.database)
    if mode != "before-cold":
        client.__enter__()  # runs the app's startup (before: the warmer begins)
    login = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert token, "no CSRF token on /login"
    response = client.post(
        "/login", data={"username": user, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.text
    figures: dict[str, float] = {}
    if mode == "before-warmed":
        from alianza.web.warm import warmer_of  # type: ignore[import-not-found]

        warmer_of(app).wait()
    for view in ("first", "second"):
        start = time.perf_counter()
        response = client.get(path)
        figures[view] = time.perf_counter() - start
        assert response.status_code == 200, f"{path}: {response.status_code}"
    if mode != "before-cold":
        client.__exit__(None, None, None)
    return figures


def measure(
    node: Path, user: str, path: str, mode: str, repeat: int, old_src: Path
) -> dict[str, float]:
    environment = dict(os.environ)
    if mode.startswith("before"):
        environment["PYTHONPATH"] = str(old_src)
    else:
        node = old_src.parent / "node"  # the copy (see main)
    runs = []
    for _ in range(repeat):
        output = subprocess.run(
            [sys.executable, __file__, "--node", str(node), "--child", user, path, mode],
            check=True,
            capture_output=True,
            text=True,
            env=environment,
        ).stdout
        runs.append(json.loads(output.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node", type=Path, default=Path("alianza-demo"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--quarter", default="", help="of /analysis (default: the page's own)")
    parser.add_argument("--before", default=BEFORE, help="commit of the 'before' figures")
    parser.add_argument("--child", nargs=3, metavar=("USER", "PATH", "MODE"), help="internal")
    args = parser.parse_args()
    if args.child:
        user, path, mode = args.child
        import alianza

        expected = "alianza-before" if mode.startswith("before") else str(ROOT)
        assert expected in alianza.__file__, f"{mode}: alianza from {alianza.__file__}"
        print(json.dumps(child(args.node, user, path, mode)))
        return
    old = Path(tempfile.mkdtemp(prefix="alianza-before-"))
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", args.before, "src/alianza"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    old_src = old / "src"
    shutil.copytree(args.node, old / "node")
    analysis = f"/analysis?quarter={args.quarter}" if args.quarter else "/analysis"
    pages = ("/seizures", "/seizures/map", analysis)
    print(f"node {args.node}, before = {args.before}, median of {args.repeat}; seconds")
    modes = ("before-cold", "before-warmed", "now-computed", "now-shared")
    print(f"{'page':<14} {'user':<12} " + " ".join(f"{m + ' 1st':>18} {'2nd':>6}" for m in modes))
    try:
        for path in pages:
            for user in USERS:
                got = {mode: measure(args.node, user, path, mode, args.repeat, old_src)
                       for mode in modes}  # fmt: skip
                print(
                    f"{path:<14} {user:<12} "
                    + " ".join(f"{got[m]['first']:>18.3f} {got[m]['second']:>6.3f}" for m in modes),
                    flush=True,
                )
    finally:
        shutil.rmtree(old)


if __name__ == "__main__":
    main()
