"""The API answers in the asked language, or in the other one marked as such, never silently
and never a 404 for an action the plan has; an action the plan lacks in both languages is the
404 envelope (issue 17, item 4)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.service import import_report_file
from tests.conftest import DATA
from tests.web.conftest import log_in
from tests.web.test_error_shape import assert_error_shape

# spanish-report.tsv holds actions 10.4 and 10.4.1 only; the seed (English) holds 10.1 to 10.9.
SPANISH = DATA / "pme" / "spanish-report.tsv"
SEED_10_1 = "When the Binational Threat Assessment is updated"  # the seed's 10.1 text, English


def test_api_action_without_spanish_text_is_english_marked_not_404(
    web_db: Database, client: TestClient
) -> None:
    import_report_file(web_db, SPANISH, actor=NodeSelf("test"))
    log_in(client, "viewer")
    response = client.get("/api/v1/pme/actions/10.1", params={"lang": "es"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["language"] == "en"
    assert body["text"].startswith(SEED_10_1)
    assert body["notice"] == "Esta acción aún no tiene texto en español; se muestra en inglés."
    own = client.get("/api/v1/pme/actions/10.4", params={"lang": "es"}).json()
    assert own["language"] == "es"
    assert "notice" not in own
    assert own["text"].startswith("Los Gobiernos de México y de los Estados Unidos")


def test_api_report_in_spanish_holds_every_action_and_names_the_borrowed_ones(
    web_db: Database, client: TestClient
) -> None:
    import_report_file(web_db, SPANISH, actor=NodeSelf("test"))
    log_in(client, "viewer")
    body = client.get("/api/v1/pme/report", params={"lang": "es"}).json()
    actions = {a["number"]: a for p in body["alliance_points"] for a in p["actions"]}
    assert len(actions) == 10  # the seed's ten actions, not the Spanish file's two
    assert {n for n, a in actions.items() if a["language"] == "es"} == {"10.4", "10.4.1"}
    assert sorted(body["shown_in_other_language"]) == sorted(set(actions) - {"10.4", "10.4.1"})


def test_api_paragraph_of_an_action_without_spanish_is_english_marked(
    web_db: Database, client: TestClient
) -> None:
    log_in(client, "viewer")  # the seed only: nothing in Spanish at all
    response = client.get("/api/v1/pme/paragraphs/10.1/text/1", params={"lang": "es"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["language"] == "en"
    assert body["text"].startswith(SEED_10_1)
    assert "se muestra en inglés" in body["notice"]


def test_api_action_in_neither_language_is_the_404_envelope_in_the_language_asked(
    web_db: Database, client: TestClient
) -> None:
    import_report_file(web_db, SPANISH, actor=NodeSelf("test"))
    log_in(client, "viewer")
    plan = "'binational-drug-strategy'"
    said = {
        "en": f"no action 10.77 in plan {plan}, in English or Spanish",
        "es": f"no hay acción 10.77 en el plan {plan}, ni en inglés ni en español",
    }
    for lang, message in said.items():
        response = client.get("/api/v1/pme/actions/10.77", params={"lang": lang})
        assert response.status_code == 404
        body = response.json()
        assert_error_shape(body, 404, "not-found")
        assert body["error"]["message"] == message
    page = client.get("/pme/actions/10.77")
    assert page.status_code == 404
