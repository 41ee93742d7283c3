"""/pme/cycles on the US node: who wrote each paragraph is shown; the other government's
texts and approvals are refused (they arrive from its node as signed messages)."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme import cycles
from tests.web.conftest import csrf_of, log_in


def test_cycle_page_shows_who_wrote_each_paragraph_and_who_approved(
    client: TestClient, published_cycle: str
) -> None:
    log_in(client, "viewer")
    page = client.get(f"/pme/cycles/{published_cycle}")
    assert page.status_code == 200
    assert page.text.count('<span class="written-by">coordinator</span>') == 2
    assert "approved · Mexico · English — coordinador (Nodo MX (test))" in page.text


def test_cycle_enter_under_the_other_government_is_refused(
    client: TestClient, web_db: Database
) -> None:
    with web_db.transaction() as session:
        cycles.open_cycle(
            session,
            "2000-02",
            as_of=date(2000, 2, 29),
            label_en="Status",
            label_es="Estado",
            actor=NodeSelf("coordinator"),
        )
    log_in(client, "coordinator")
    path = "/pme/cycles/2000-02"
    form = {
        "action": "10.4",
        "gov": "MX",
        "lang": "en",
        "text": "Written by the US.",
        "csrf_token": csrf_of(client, path),
    }
    refused = client.post(f"{path}/enter", data=form)
    assert refused.status_code == 409
    assert "this node is the US node; the status texts, returns and approvals of MX" in (
        refused.text
    )
    assert '<option value="US" selected>United States</option>' in client.get(path).text
    assert '<option value="MX"' not in client.get(path).text
    with web_db.reader() as session:
        assert cycles.cycle_view(session, "2000-02").texts == ()


def test_cycle_approve_in_the_browser_is_refused_while_a_translation_is_stale(
    client: TestClient, web_db: Database
) -> None:
    """Issue 17 (stale translations): the page answers 409 with the EN/ES reason naming the
    action and paragraph, and no approval is recorded."""
    with web_db.transaction() as session:
        cycles.open_cycle(
            session, "2000-02", as_of=date(2000, 2, 29), label_en="Status", label_es="Estado",
            actor=NodeSelf("coordinator"),
        )  # fmt: skip
        for language, text in (("en", "Eight of nine."), ("es", "Ocho de nueve."), ("en", "Nine.")):
            cycles.enter_status(
                session, "2000-02", "10.4.1", government=cycles.Government.JOINT,
                language=language, text=text, position=1, actor=NodeSelf("coordinator"),
            )  # fmt: skip
        cycles.submit_cycle(session, "2000-02", actor=NodeSelf("coordinator"))
    log_in(client, "coordinator")
    path = "/pme/cycles/2000-02"
    refused = client.post(
        f"{path}/approve", data={"lang": "en", "csrf_token": csrf_of(client, path)}
    )
    assert refused.status_code == 409
    assert "action 10.4.1, JOINT paragraph 1: the es text is older than the en" in refused.text
    client.cookies.set("lang", "es")  # the Spanish page says it in Spanish
    refused = client.post(
        f"{path}/approve", data={"lang": "en", "csrf_token": csrf_of(client, path)}
    )
    assert refused.status_code == 409
    assert "acción 10.4.1, párrafo 1 de JOINT" in refused.text
    with web_db.reader() as session:
        assert cycles.cycle_view(session, "2000-02").approvals() == {}
