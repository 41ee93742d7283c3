"""MUCD's municipality-month totals in the exchange: the number of seizures is not reported by
the source, so the package says so (``OBS_STATUS=M``), never 0 and never one per row; the
kilograms are the published sums. Expected values come from the raw file by a plain loop."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

from alianza.actors import NodeSelf
from alianza.exchange.service import build_quarter, partner_tables, receive
from alianza.seizures.mucd import import_mucd
from tests.conftest import DATA
from tests.exchange.conftest import Node

DECEMBER_2018 = DATA / "mx" / "mucd" / "MUCD_DataDASAACSV-0.csv"


def published_marijuana_kg() -> Decimal:
    lines = DECEMBER_2018.read_bytes().decode("latin-1").splitlines()[2:]
    total = Decimal(0)
    for row in csv.DictReader(lines):
        if row["Anio"] == "2018" and row["Mes"] == "12":
            total += Decimal(row["Aseguramientode_marihuana"])
    return total


def totals_rows(data: bytes) -> list[dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("data/totals.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_mucd_totals_travel_with_their_count_not_reported(mx_node: Node, us_node: Node) -> None:
    outcomes = import_mucd(mx_node.database, DECEMBER_2018.parent, actor=NodeSelf("test"))
    assert all(o.report.quarantined == 0 for o in outcomes.values())
    data, _ = build_quarter(
        mx_node.database, mx_node.keys, "2018-Q4", all_regions=True, actor=NodeSelf("test")
    )
    marijuana = {
        row["MEASURE"]: row
        for row in totals_rows(data)
        if row["DRUG"] == "MARIJUANA" and row["TIME_PERIOD"] == "2018-Q4"
    }
    assert (marijuana["SEIZURES"]["OBS_VALUE"], marijuana["SEIZURES"]["OBS_STATUS"]) == ("", "M")
    assert Decimal(marijuana["AMOUNT_KG"]["OBS_VALUE"]) == published_marijuana_kg()
    assert marijuana["AMOUNT_KG"]["OBS_STATUS"] == "A"

    result, _counts, _quarter = receive(us_node.database, data, actor=NodeSelf("test"))
    assert result.status == "stored", result
    with us_node.database.reader() as session:
        received = partner_tables(session, "MX", "2018-Q4")
    seizures = [o for o in received["totals"] if o.drug == "MARIJUANA" and o.measure == "SEIZURES"]
    assert [(o.value, o.status) for o in seizures] == [(None, "M")]
