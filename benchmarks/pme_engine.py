"""Cost of the performance-measures engine, beside the foundation's operations it builds on.

Run: ``.venv/bin/python benchmarks/pme_engine.py``. Two plans: the seed (Alliance Point 10, 10
actions, 25 targets) and a synthetic full-size plan (the seed's rows renumbered into 16 Alliance
Points: 160 actions, 400 targets, about the 147 action items of the real 1999 strategy). For
each: the median of several runs per operation, on SQLite in a temporary folder. Baselines
(marked) are the foundation's: reading the file, loading it, reading the plan back.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.keys import NodeIdentity
from alianza.pme.assessment import assess_plan
from alianza.pme.cycle_publish import publish_cycle
from alianza.pme.cycles import (
    Government,
    PartnerAct,
    approve_cycle,
    enter_status,
    lock_cycle,
    open_cycle,
    submit_cycle,
)
from alianza.pme.deadline_store import sync_deadlines
from alianza.pme.deadlines import parse_deadline
from alianza.pme.load import load_report
from alianza.pme.publication import write_publication
from alianza.pme.query import load_plan_report
from alianza.pme.read import read_report_bytes
from alianza.pme.references import find_references
from alianza.pme.service import SEED_REPORT

# The partner MX node (its key is never used to verify here: the approvals are recorded as if
# its signed messages had been checked)
MX_NODE = NodeIdentity(
    "MX node (benchmark)", "MX", Ed25519PrivateKey.generate().public_key(), "2000-01-01T00:00:00"
)


def median_ms(work: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def full_size_plan() -> bytes:
    """The seed's rows repeated for Alliance Points 1–16, renumbered."""
    seed = SEED_REPORT.read_text("utf-8")
    copies = []
    for point in range(1, 17):
        text = seed.replace("Alliance Point 10:", f"Alliance Point {point}:")
        text = re.sub(r"(?m)^(<p>)?10\.(\d)", rf"\g<1>{point}.\2", text)
        copies.append(text)
    return "\n".join(copies).encode("utf-8")


def measure(name: str, data: bytes, folder: Path) -> list[tuple[str, float]]:
    database = Database(f"sqlite:///{folder / f'{name}.db'}", country="US")  # the US node
    database.migrate()
    report = read_report_bytes(data, name).report
    targets = [p.text for a in report.actions() for p in a.targets]
    sha = hashlib.sha256(data).hexdigest()
    with database.transaction() as session:
        load_report(session, report, source=name, sha256=sha, actor=NodeSelf("test"))
    rows = [
        (f"{name}: baseline read file", median_ms(lambda: read_report_bytes(data, name))),
    ]
    with database.transaction() as session:
        start = time.perf_counter()
        sync_deadlines(session, actor=NodeSelf("test"))
        first_sync = (time.perf_counter() - start) * 1000
    with database.reader() as session:
        rows += [
            (f"{name}: baseline load plan back", median_ms(lambda: load_plan_report(session))),
            (f"{name}: first deadline sync (parse+store)", first_sync),
            (
                f"{name}: parse {len(targets)} deadlines",
                median_ms(lambda: list(map(parse_deadline, targets))),
            ),
            (f"{name}: find cross-references", median_ms(lambda: find_references(report))),
            (
                f"{name}: assess as of 1999-08-31",
                median_ms(lambda: assess_plan(session, date(1999, 8, 31))),
            ),
        ]
    with database.transaction() as s:
        open_cycle(s, "c", as_of=date(2000, 2, 29), label_en="L", label_es="E", actor=NodeSelf("b"))
        for action in report.actions():
            for lang in ("en", "es"):
                enter_status(
                    s,
                    "c",
                    action.number,
                    government=Government.JOINT,
                    language=lang,
                    text=f"{action.number} {lang}",
                    actor=NodeSelf("b"),
                )
        submit_cycle(s, "c", actor=NodeSelf("b"))
        for gov in (Government.US, Government.MX):
            # Mexico's approvals arrive as its node's signed messages, recorded by this node
            partner = PartnerAct(MX_NODE, "b") if gov is Government.MX else None
            for lang in ("en", "es"):
                approve_cycle(
                    s, "c", government=gov, language=lang, actor=NodeSelf("b"), partner=partner
                )
        lock_cycle(s, "c", actor=NodeSelf("b"))
        start = time.perf_counter()
        publish_cycle(s, "c", actor=NodeSelf("b"))
        rows.append((f"{name}: publish (freeze + hash)", (time.perf_counter() - start) * 1000))
    with database.reader() as s:
        out = folder / f"{name}-out"
        start = time.perf_counter()
        written = write_publication(s, "c", out)
        rows.append(
            (
                f"{name}: render all formats EN+ES ({len(written)} files)",
                (time.perf_counter() - start) * 1000,
            )
        )
    database.dispose()
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = measure("seed", SEED_REPORT.read_bytes(), Path(folder))
        rows += measure("full-size", full_size_plan(), Path(folder))
    width = max(len(name) for name, _ in rows)
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:9.1f} ms")


if __name__ == "__main__":
    main()
