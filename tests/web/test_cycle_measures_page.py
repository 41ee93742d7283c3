"""/pme/cycles/KEY lists the measure outcomes each government submitted with the cycle (target,
state, value, date met, records counted, who submitted them and when), a binational measure
once where both governments submitted the same outcome and marked where they differ, and
flags the measures whose registry records changed on this node after its submission (issue
17), in English and Spanish."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_facts, seed_fact_files
from alianza.cooperation.registry import complete_deliverable
from alianza.db import Database
from alianza.pme import cycle_measures, cycles
from alianza.pme.load import DEFAULT_PLAN
from alianza.web.render import LANGUAGE_COOKIE
from tests.web.conftest import MX_NODE, log_in

KEY = "2000-02"
PATH = f"/pme/cycles/{KEY}"


def rows(page: str, table_id: str) -> list[tuple[str, str]]:
    """(the first cell's text, the other cells' text) per row of the table with ``table_id``."""
    start = page.index(f'id="{table_id}"')
    body = page[start : page.index("</table>", start)]
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)[1:]:
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        found.append((cells[0], " | ".join(cells[1:])))
    return found


def submit_both(web_db: Database) -> None:
    """The US node's facts and bindings; a cycle the US government submitted; Mexico's outcomes
    as its signed message carries them: the binational ones the same as the US node computes,
    but for 10.5's meetings, where Mexico's node counts three."""
    with web_db.transaction() as session:
        for path in seed_fact_files(session):
            load_facts(session, path, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
        cycles.open_cycle(
            session, KEY, as_of=date(2000, 2, 29), label_en="Feb 2000", label_es="feb 2000",
            actor=NodeSelf("coordinator"),
        )  # fmt: skip
        for language, text in (("en", "Eight of nine."), ("es", "Ocho de nueve.")):
            cycles.enter_status(
                session, KEY, "10.4.1", government=cycles.Government.JOINT, language=language,
                text=text, actor=NodeSelf("coordinator"),
            )  # fmt: skip
        cycles.submit_cycle(session, KEY, actor=NodeSelf("coordinator"))
        mexico = []
        for outcome in cycle_measures.measure_snapshot(session, date(2000, 2, 29)):
            if outcome["scope"] != "binational":
                continue
            if outcome["measurement"] == "10.5/measurements/1":
                outcome = {**outcome, "value": 3, "display": "3 meetings", "record_count": 3}
                outcome["display_es"] = "3 reuniones"
            mexico.append(outcome)
        row = cycles._cycle(session, KEY, DEFAULT_PLAN)
        cycle_measures.apply_partner_measures(session, row, mexico, MX_NODE, "coordinador-mx")


def test_cycle_page_lists_each_governments_submitted_outcomes(
    client: TestClient, web_db: Database
) -> None:
    submit_both(web_db)
    log_in(client, "viewer")
    page = client.get(PATH).text
    listed = rows(page, "submitted-measures")
    table = dict(listed)
    # binational, the same from both: once, both named
    subgroups = table["10.3/targets/1 10.3/measurements/1 · subgroups"]
    assert subgroups.startswith(
        "United States, Mexico: both governments submitted the same outcome | overdue | "
        "8 of 9 BLMs with a border public safety subgroup | — | 17 | "
    )
    assert "coordinator · United States" in subgroups
    assert "coordinador-mx · Mexico" in subgroups
    assert "partner data" in subgroups
    # binational, different: each government's row, marked
    submitted_at = re.compile(r"\d+ \w+ \d{4} \d\d:\d\d UTC")  # the time of submission
    meetings = [submitted_at.sub("AT", v) for k, v in listed if k.startswith("10.5/targets/1")]
    assert meetings == [
        "Mexico: the governments' outcomes differ | no deadline | 3 meetings | "
        "1 Feb 1998 (on or before) | 3 | coordinador-mx · Mexico · AT · partner data, signed "
        "message",
        "United States: the governments' outcomes differ | no deadline | 2 meetings | "
        "1 Feb 1998 (on or before) | 2 | coordinator · United States · AT",
    ]
    # national (the US node's liaison posts): the US government's only
    posts = table["10.4/targets/1 10.4/measurements/1 · liaison-posts"]
    assert posts.startswith("United States | met (timing unknown) | 1 customs liaison post")
    assert "31 Aug 1999 (on or before)" in posts
    assert 'id="measures-changed"' not in page
    client.cookies.set(LANGUAGE_COOKIE, "es")
    spanish = dict(rows(client.get(PATH).text, "submitted-measures"))
    assert spanish["10.3/targets/1 10.3/measurements/1 · subgroups"].startswith(
        "Estados Unidos, México: ambos gobiernos enviaron el mismo resultado | vencida | "
        "8 de 9 MEF con subgrupo de seguridad pública fronteriza | — | 17 | "
    )


def test_cycle_page_flags_records_changed_after_the_submission(
    client: TestClient, web_db: Database
) -> None:
    submit_both(web_db)
    with web_db.transaction() as session:
        complete_deliverable(session, "bta-update", date(2000, 2, 15), actor=NodeSelf("test"))
    log_in(client, "viewer")
    page = client.get(PATH).text
    assert "Records changed since the submission" in page
    changed = dict(rows(page, "measures-changed"))
    row = changed["10.1/targets/2 10.1/measurements/2 · deliverable"]
    assert row.startswith("overdue not completed · Records counted: 1 coordinator · ")
    assert "met late completed on 15 Feb 2000 · Date met 15 Feb 2000 · Records counted: 1" in row
    assert row.endswith("return the cycle, then submit it again")
    api = client.get("/api/v1/pme/assessment", params={"as_of": "2000-02-29"}).json()
    flagged = [
        (c["target"], c["then"]["state"], c["now"]["state"])
        for c in api["changed_since_submission"]
    ]
    assert ("10.1/targets/2", "overdue", "met_late") in flagged
    client.cookies.set(LANGUAGE_COOKIE, "es")
    spanish = dict(rows(client.get(PATH).text, "measures-changed"))
    row = spanish["10.1/targets/2 10.1/measurements/2 · deliverable"]
    assert row.startswith("vencida no concluido · Registros contados: 1 coordinator · ")
    assert row.endswith("devuelva el ciclo y envíelo de nuevo")
