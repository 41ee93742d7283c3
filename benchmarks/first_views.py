"""First and second view of /seizures, /seizures/map and /analysis on the demo node, for a US
and an MX user, each in a fresh process (a worker that has just started).

Run: ``.venv/bin/python benchmarks/first_views.py [--node alianza-demo] [--repeat 1]
[--before f38015a]`` after ``alianza demo --no-serve`` (the node is only read). For each page
and user, four fresh processes:

- before: the code of commit ``--before`` (default f38015a, the last one before this work;
  extracted with ``git archive`` and put first on the path), the app served as it was then:
  the first view computes the totals (the records version is new to the process), the second
  reads them from the cache;
- cold: today's code without its startup (no background warming): the first view computes,
  as before, with today's computation (published rows summed in SQL);
- after, at once: the app started (warming begins), the user logs in and asks at once, so the
  view may arrive while the warmer is still at work (it then computes what is not kept yet);
- after, warmed: the same once the warmer is done; also printed, how long warming took from
  startup (in its own thread, not blocking startup or requests).

Figures are wall-clock seconds of single requests through Starlette's TestClient (in process,
no network); on a shared, loaded machine they are noisy: ``--repeat`` takes the median.
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
BEFORE = "f38015a"
ROOT = Path(__file__).resolve().parent.parent


def child(node: Path, user: str, path: str, mode: str) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from alianza.settings import load_settings
    from alianza.web.app import create_app

    home = node / USERS[user].lower()  # each user on their own government's demo node
    app = create_app(load_settings(home=home.resolve()))
    client = TestClient(app, follow_redirects=False)
    started = time.perf_counter()
    if mode not in ("before", "cold"):
        client.__enter__()  # runs the app's startup: warming begins
    login = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert token, "no CSRF token on /login"
    response = client.post(
        "/login", data={"username": user, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.text
    figures: dict[str, float] = {}
    if mode == "after-warmed":
        from alianza.web.warm import warmer_of

        warmer_of(app).wait()
        figures["warming"] = time.perf_counter() - started
    for view in ("first", "second"):
        start = time.perf_counter()
        response = client.get(path)
        figures[view] = time.perf_counter() - start
        assert response.status_code == 200, f"{path}: {response.status_code}"
    if mode not in ("before", "cold"):
        client.__exit__(None, None, None)
    return figures


def measure(
    node: Path, user: str, path: str, mode: str, repeat: int, old_src: Path
) -> dict[str, float]:
    environment = dict(os.environ)
    if mode == "before":
        environment["PYTHONPATH"] = str(old_src)
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

        expected = "alianza-before" if mode == "before" else str(ROOT)
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
    analysis = f"/analysis?quarter={args.quarter}" if args.quarter else "/analysis"
    pages = ("/seizures", "/seizures/map", analysis)
    print(f"node {args.node}, before = {args.before}, median of {args.repeat}; seconds")
    print(
        f"{'page':<14} {'user':<12} {'before 1st':>10} {'2nd':>6} │ {'cold 1st':>8} "
        f"{'at once 1st':>11} {'warmed 1st':>10} {'2nd':>6} {'warming':>8}"
    )
    try:
        for path in pages:
            for user in USERS:
                got = {
                    mode: measure(args.node, user, path, mode, args.repeat, old_src)
                    for mode in ("before", "cold", "after-at-once", "after-warmed")
                }
                before, warmed = got["before"], got["after-warmed"]
                print(
                    f"{path:<14} {user:<12} {before['first']:>10.3f} {before['second']:>6.3f} │ "
                    f"{got['cold']['first']:>8.3f} {got['after-at-once']['first']:>11.3f} "
                    f"{warmed['first']:>10.3f} {warmed['second']:>6.3f} {warmed['warming']:>8.2f}",
                    flush=True,
                )
    finally:
        shutil.rmtree(old)


if __name__ == "__main__":
    main()
