"""How long ``alianza`` takes to start: ``--help``, ``--version``, two groups' ``--help``
(``serve``, ``risk``) and a read command (``pme show 10.4.1``), in English and (rows ``es …``)
in Spanish (``ALIANZA_LANGUAGE=es``: the message catalogue read), beside ``python -c pass`` and
``python -c "import click"``, in one run.

Run: ``.venv/bin/python benchmarks/cli_startup.py [--repeat 7] [--node HOME | --demo]
[--before REV]``. Each figure is the wall-clock time of a fresh process (the median and the
minimum of ``--repeat`` runs, interleaved so that a burst of load hits every command alike),
with its CPU time (user + system, median: less swayed by a loaded machine than wall time);
the targets of issue 18 are 0.25 s for ``--help`` and ``--version`` and 0.5 s for
``pme show 10.4.1``.

The read command needs a node holding the seed report (the 1999 report of Alliance Point 10):
``--node HOME`` uses an existing one (e.g. ``alianza-demo/us`` after ``alianza demo
--no-serve``), ``--demo`` builds the two demo nodes in a temporary folder and reads the US one,
and by default the lightest such node is made in a temporary folder (``alianza pme import``
of the seed report: the same schema, migrated to head). The node is only read by the timed
commands.

``--before REV`` also times the code of an earlier commit (extracted with ``git archive`` and
put first on the path) on the same node, in a column beside today's.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_REPORT = ROOT / "src" / "alianza" / "pme" / "data" / "bnds-1999-alliance-point-10.tsv"
# The console script's own code (``alianza`` in the virtual environment's bin/).
LAUNCH = "import sys; sys.argv[0] = 'alianza'; from alianza.cli import main; sys.exit(main())"
TARGETS = {
    "--help": 0.25,
    "--version": 0.25,
    "pme show 10.4.1": 0.5,
    "es --help": 0.25,
    "es --version": 0.25,
    "es pme show 10.4.1": 0.5,
}


def alianza(*arguments: str) -> list[str]:
    return [sys.executable, "-c", LAUNCH, *arguments]


def run(command: list[str], source: Path, language: str = "en") -> tuple[float, float]:
    """Seconds of wall time and of CPU time (user + system) of one fresh process running
    ``command`` with ``source`` first on the path, in ``language``; the command must
    succeed."""
    environment = dict(os.environ, PYTHONPATH=str(source), ALIANZA_LANGUAGE=language)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=environment, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def prepare_node(folder: Path, demo: bool) -> Path:
    source = ROOT / "src"
    if demo:
        subprocess.run(
            alianza("demo", "--no-serve", "--dir", str(folder / "alianza-demo")),
            check=True,
            env=dict(os.environ, PYTHONPATH=str(source)),
            stdout=subprocess.DEVNULL,
        )
        return folder / "alianza-demo" / "us"
    home = folder / "node"
    run(alianza("--home", str(home), "pme", "import", str(SEED_REPORT)), source)
    return home


def extract(revision: str, folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src/alianza"],
        check=True,
        capture_output=True,
    ).stdout
    folder.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--node", type=Path, help="an existing node holding the seed report")
    where.add_argument("--demo", action="store_true", help="build the demo nodes and read US")
    parser.add_argument("--before", help="also time this earlier commit's code")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="alianza-startup-"))
    try:
        node = args.node.resolve() if args.node else prepare_node(folder, args.demo)
        codes = {"today": ROOT / "src"}
        if args.before:
            codes = {f"before ({args.before})": extract(args.before, folder / "before"), **codes}
        show = alianza("--home", str(node), "pme", "show", "10.4.1")
        # name → (command, runs alianza, language)
        commands: dict[str, tuple[list[str], bool, str]] = {
            "python -c pass": ([sys.executable, "-c", "pass"], False, "en"),
            'python -c "import click"': ([sys.executable, "-c", "import click"], False, "en"),
            "--help": (alianza("--help"), True, "en"),
            "--version": (alianza("--version"), True, "en"),
            "serve --help": (alianza("serve", "--help"), True, "en"),
            "risk --help": (alianza("risk", "--help"), True, "en"),
            "pme show 10.4.1": (show, True, "en"),
            "es --help": (alianza("--help"), True, "es"),
            "es --version": (alianza("--version"), True, "es"),
            "es pme show 10.4.1": (show, True, "es"),
        }
        for source in codes.values():  # once, unmeasured: bytecode compiled, files cached
            for command, _, language in commands.values():
                run(command, source, language)
        started = os.getloadavg()
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.repeat):
            for name, (command, of_alianza, language) in commands.items():
                for code, source in codes.items():
                    if of_alianza or code == "today":
                        measured = times.setdefault((name, code), [])
                        measured.append(run(command, source, language))
        load = os.getloadavg()
        print(f"load average at the start {started[0]:.1f} {started[1]:.1f} {started[2]:.1f}")
        print(
            f"node {node}\n{args.repeat} runs each, interleaved; seconds of wall time (median, "
            f"min) and of CPU time (user + system, median); load average {load[0]:.1f} "
            f"{load[1]:.1f} {load[2]:.1f}"
        )
        header = f"{'':<26}"
        for code in codes:
            header += f" │ {code:^22}"
        print(header + f" │ {'':>6}")
        header = f"{'command':<26}"
        for _ in codes:
            header += f" │ {'median':>7} {'min':>6} {'cpu':>6}"
        print(header + f" │ {'target':>6}")
        for name in commands:
            line = f"{name:<26}"
            for code in codes:
                figures = times.get((name, code))
                if figures is None:
                    line += f" │ {'':>22}"
                else:
                    walls = [wall for wall, _ in figures]
                    cpu = statistics.median(cpu for _, cpu in figures)
                    line += f" │ {statistics.median(walls):>7.3f} {min(walls):>6.3f} {cpu:>6.3f}"
            target = TARGETS.get(name)
            line += f" │ {target:>6.2f}" if target else f" │ {'':>6}"
            print(line, flush=True)
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
