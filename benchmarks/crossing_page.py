"""First and second view of a port's analysis page (the crossing study), today's code beside an
earlier commit's, each try in a fresh process (a worker that has just started; its second view
is the worker's next request).

The first view of ``/ports/2504/analysis`` computes the crossing study: the heavy-traffic
model's calibration and its month-left-out validation for the passenger lanes and their Ready
and SENTRI lanes. Each worker keeps it after that. Issue 19 measured that first view at
0.85-1.0 s on every node, whatever its seizure records.

Run after ``alianza demo --no-serve --dir DIR``:

    .venv/bin/python benchmarks/crossing_page.py --node DIR [--before REV] [--repeat 5]

For each code, ``--repeat`` fresh processes, each: the app made on the node's US side, a login
(the demo's analyst), then the page twice through Starlette's TestClient (in process, no
network, no warm-up threads). Printed: each try, then the medians side by side (seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from first_views import child  # noqa: E402  (a fresh app, a login, two timed views)

USER = "analyst-us"  # the demo's US analyst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node", type=Path, default=Path("alianza-demo"))
    parser.add_argument("--path", default="/ports/2504/analysis")
    parser.add_argument("--before", default="2f7c28a", help="commit of the 'before' figures")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # "before-cold": no startup, so no warm-up threads beside the views
        print(json.dumps(child(args.node, USER, args.path, "before-cold")))
        return
    with tempfile.TemporaryDirectory(prefix="alianza-before-") as old:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.before, "src/alianza"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", old], input=archive, check=True)
        sources = {"before": Path(old) / "src", "now": ROOT / "src"}
        runs: dict[str, list[dict[str, float]]] = {code: [] for code in sources}
        for attempt in range(args.repeat):  # the codes take turns: the same load
            for code, source in sources.items():
                command = [sys.executable, __file__, "--child", "--node", str(args.node)]
                command += ["--path", args.path]
                environment = dict(os.environ, PYTHONPATH=str(source))
                out = subprocess.run(
                    command, check=True, capture_output=True, text=True, env=environment
                ).stdout
                runs[code].append(json.loads(out.strip().splitlines()[-1]))
                got = runs[code][-1]
                print(
                    f"  try {attempt + 1}, {code}: first {got['first']:.3f} s, "
                    f"second {got['second']:.3f} s; load average {os.getloadavg()[0]:.2f}",
                    flush=True,
                )
    print(f"\n{args.path} on {args.node}, median of {args.repeat} fresh processes; seconds")
    print(f"{'code':<28}{'first view':>12}{'second view':>13}")
    for code, tries in runs.items():
        label = f"before ({args.before})" if code == "before" else "now"
        first = statistics.median(t["first"] for t in tries)
        second = statistics.median(t["second"] for t in tries)
        print(f"{label:<28}{first:>12.3f}{second:>13.3f}")


if __name__ == "__main__":
    main()
