"""The first views warmed in the background (web/warm.py): warmed at startup for each viewer
country, and warmed again after an import, never showing the totals from before it. The
expected counts come from the rows the test writes (tests/web/test_seizures_pages.py)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures import cache
from alianza.seizures.service import import_file
from alianza.web.warm import warmer_of
from tests.web.conftest import csrf_of, log_in
from tests.web.test_seizures_pages import EVENTS, visible, write_events

QUARTER = "2024-Q2"  # the quarter of EVENTS' date, 2024-05-02


def seizures_in(page: str, label: str) -> int | None:
    """The seizures of one row of the overview table, None when the row is not there."""
    match = re.search(
        rf'<th scope="row"[^>]*>{re.escape(label)}</th>\s*<td class="num"[^>]*>([\d,.\s]+)</td>',
        page,
    )
    return None if match is None else int(re.sub(r"\D", "", match.group(1)))


def warmed(database: Database, country: str) -> bool:
    """The default overview of ``country``'s viewers is kept for the records as they are."""
    with database.reader() as session:
        return cache.records.holds(session, cache.totals_key(["quarter"], viewer_country=country))


def test_warmed_totals_give_way_to_an_import(
    client: TestClient, mx_client: TestClient, web_db: Database, tmp_path: Path
) -> None:
    warmer = warmer_of(client.app)  # type: ignore[arg-type]
    warmer.wait()  # started with the app
    assert warmed(web_db, "US")
    assert warmed(web_db, "MX")
    log_in(client, "analyst")
    assert seizures_in(client.get("/seizures").text, QUARTER) is None

    path = write_events(tmp_path / "us.csv", [e for e in EVENTS if e[1] == "US"])
    response = client.post(
        "/seizures/import",
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        data={"csrf_token": csrf_of(client, "/seizures/import"), "profile": "canonical"},
    )
    assert response.status_code == 303, response.text
    warmer.wait()
    assert warmed(web_db, "US")
    assert warmed(web_db, "MX")
    us_rows = [e for e in EVENTS if e[1] == "US"]  # the US node imports its own rows only
    assert seizures_in(client.get("/seizures").text, QUARTER) == len(us_rows)

    log_in(mx_client, "oficial")  # a Mexican user, on the MX node
    shared = [e for e in us_rows if e in visible("MX")]
    assert seizures_in(mx_client.get("/seizures").text, QUARTER) == len(shared)


def test_a_view_before_warming_is_done_is_computed_and_right(
    client: TestClient, web_db: Database, tmp_path: Path
) -> None:
    """Records changed behind the server's back (another process's import): no warming was
    asked for, and the next view computes the new totals itself."""
    warmer_of(client.app).wait()  # type: ignore[arg-type]
    log_in(client, "analyst")
    assert seizures_in(client.get("/seizures").text, QUARTER) is None
    us_rows = [e for e in EVENTS if e[1] == "US"]
    import_file(
        web_db, write_events(tmp_path / "us.csv", us_rows), "canonical", actor=NodeSelf("test")
    )
    assert not warmed(web_db, "US")
    assert seizures_in(client.get("/seizures").text, QUARTER) == len(us_rows)
