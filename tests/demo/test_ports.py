"""The ports step of the demo (alianza.demo.ports): packaged data load, the analysis is written,
alerts go both ways."""

from __future__ import annotations

import csv
from pathlib import Path

from alianza.db import Database
from alianza.demo.ports import DEMO_BTS, run_ports_demo


def test_run_ports_demo_analysis_and_alerts_both_ways(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'us.db'}")
    database.migrate()
    mx = Database(f"sqlite:///{tmp_path / 'mx.db'}")
    mx.migrate()
    lines: list[str] = []
    written = run_ports_demo(tmp_path, database, mx, lines.append)
    database.dispose()
    mx.dispose()
    with DEMO_BTS.open(newline="", encoding="utf-8") as handle:
        rows = sum(1 for row in csv.DictReader(handle) if row["Port Code"] == "2504")
    text = "\n".join(lines)
    assert f"{rows:,} rows, {rows:,} loaded" in text
    assert "outbox → MX: 2 delivered" in text
    assert "→ Oficial de enlace" in text  # escalated to the liaison officer
    assert "outbox → US: 4 message(s)" in text  # 2 escalations (supervisor, liaison), 2 acks
    assert "7ABC123" not in (tmp_path / "port-services" / "port-services-2504.en.md").read_text()
    assert {p.name for p in written} >= {"port-services-2504.es.html", "scenarios.png"}
