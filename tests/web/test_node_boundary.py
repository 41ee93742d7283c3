"""Issue 14, finding 1, over HTTP: on a node database that also holds the other country's
records (as the old demo's US node did), a US viewer's threat-assessment draft counts the US
records only. Expected figures come from the rows the test writes."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures.sample import write_mx_sample
from alianza.seizures.service import import_file
from alianza.seizures.template import EXAMPLE_ROWS, template_csv
from tests.web.conftest import log_in


def test_threat_assessment_of_a_us_viewer_holds_no_mexican_records(
    client: TestClient, web_db: Database, tmp_path: Path
) -> None:
    us_file = tmp_path / "us.csv"
    us_file.write_text(template_csv(example=True), encoding="utf-8")
    assert import_file(web_db, us_file, "canonical", actor=NodeSelf("test")).report.loaded == len(
        EXAMPLE_ROWS
    )
    mx_file = tmp_path / "mx.csv"
    write_mx_sample(mx_file, first=date(2025, 1, 1), last=date(2025, 12, 31), events=300)
    mx_node = Database(web_db.url, country="MX")  # written as the MX node would have
    assert import_file(mx_node, mx_file, "canonical", actor=NodeSelf("test")).report.loaded > 0
    mx_node.dispose()
    with mx_file.open(encoding="utf-8", newline="") as handle:
        mx_modes = Counter(mode for _id, mode in {
            (r["source_record_id"], r["transport_mode"]) for r in csv.DictReader(handle)
        })  # fmt: skip
    us_modes = Counter(
        mode for _id, mode in {(r["source_record_id"], r["transport_mode"]) for r in EXAMPLE_ROWS}
    )
    assert mx_modes["ROAD"] > 0  # the draft would show them if it counted Mexico's records

    log_in(client, "viewer")
    draft = client.get("/coop/threat-assessment?first=2025-01-01&last=2025-12-31")
    assert draft.status_code == 200
    for mode, count in us_modes.items():
        assert f"| {mode} | {count:,} |" in draft.text
    assert "| RAIL |" not in draft.text
