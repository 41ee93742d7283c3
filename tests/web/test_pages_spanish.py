"""Spanish throughout (issue 23, item 3): role names, errors, workflow steps and the codes the
records hold, as a Spanish-speaking official reads them. Expected texts are written here."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.db import Database
from tests.web.conftest import CYCLE, csrf_of, log_in


def spanish(client: TestClient, username: str) -> None:
    log_in(client, username)
    client.cookies.set("lang", "es")


def visible(html: str) -> str:
    """The page's text, less identifiers shown as code."""
    html = re.sub(r"<code[^>]*>.*?</code>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_header_names_the_role_and_country_in_spanish(mx_client: TestClient) -> None:
    spanish(mx_client, "enlace")  # a Mexican liaison, on the MX node
    page = mx_client.get("/pme").text
    assert "(enlace, México)" in page
    assert "(liaison, MX)" not in page


def test_header_collapses_behind_a_menu_button(client: TestClient) -> None:
    spanish(client, "liaison")
    page = client.get("/pme").text
    assert 'class="menu-toggle" aria-expanded="false" aria-controls="menu"' in page
    assert ">Menú</button>" in page
    assert '<script src="/static/menu.js" defer></script>' in page
    assert client.get("/static/menu.js").status_code == 200


def test_forbidden_page_says_why_in_spanish(client: TestClient) -> None:
    spanish(client, "liaison")  # a US liaison who reads Spanish; liaisons do not read targeting
    page = client.get("/risk")
    assert page.status_code == 403
    assert "su rol no concede el permiso risk.read" in page.text
    assert "does not grant" not in page.text


def test_not_found_page_says_what_in_spanish(client: TestClient) -> None:
    spanish(client, "viewer")
    page = client.get("/pme/actions/10.99")
    assert page.status_code == 404
    assert "no existe la acción 10.99" in page.text
    assert "no action" not in page.text


def test_invalid_choice_is_explained_in_spanish(client: TestClient) -> None:
    spanish(client, "analyst")
    page = client.get("/seizures?by=colour")
    assert page.status_code == 422
    assert "by: uno de estos valores:" in page.text
    assert "one of" not in page.text


def test_api_errors_stay_english_and_stable(client: TestClient) -> None:
    spanish(client, "liaison")
    body = client.get("/api/v1/risk/models").json()
    assert body["error"]["code"] == "forbidden"
    assert body["error"]["message"] == "your role does not grant risk.read"


def _refusals() -> list[tuple[str, str, str]]:
    """Refusals as the library raises them (catalogue messages with their values)."""
    from alianza import refusals
    from alianza.pme import cycles

    wrong_state = cycles.WRONG_STATE.said(
        key="1999-08",
        state=cycles.STATE_NAMES[cycles.CycleState.LOCKED].said(),
        doing=cycles.DOINGS["approving"].said(),
        allowed=cycles.STATE_NAMES[cycles.CycleState.IN_REVIEW].said(),
    )
    spanish = cycles.LANGUAGE_NAMES["es"].said()
    missing = cycles.NO_TEXT.said(where="10.1/JOINT/1", language=spanish)
    not_yet = cycles.NOT_APPROVABLE.said(language=spanish, listed=missing)
    return [
        (refusals.FILE_TOO_LARGE["seizure"].said(limit=52_428_800),
         "a seizure file is at most 52,428,800 bytes",
         "un archivo de aseguramientos tiene como máximo 52,428,800 bytes"),
        (refusals.not_found("package", 12), "no package 12", "no existe el paquete 12"),
        (wrong_state, "cycle '1999-08' is locked; approving needs it in_review",
         "el ciclo «1999-08» está cerrado; aprobar requiere que esté en revisión"),
        (not_yet,
         "es cannot be approved yet: 10.1/JOINT/1: no es text. Enter the texts (the cycle "
         "must be returned first), or waive this approval with a reason.",
         "el texto en español aún no puede aprobarse: 10.1/JOINT/1: falta el texto en español. "
         "Capture los textos (antes hay que devolver el ciclo) o dispense esta aprobación con "
         "un motivo."),
    ]  # fmt: skip


def test_refusals_have_their_spanish() -> None:
    """A refusal carries its catalogue key up to the page: its English stays what the API and
    the logs always said; the page says it in Spanish."""
    from alianza.web.i18n import translate_message

    for said, english, spanish_text in _refusals():
        assert said == english
        assert translate_message(said, "es") == spanish_text
        assert translate_message(said, "en") == english
        assert translate_message(english, "es") is None  # the words alone: no guessing


def test_unknown_message_is_shown_marked_as_english(client: TestClient) -> None:
    from alianza.web.i18n import translate_message

    assert translate_message("something nobody wrote down", "es") is None


def test_cycle_refusal_is_shown_in_spanish(client: TestClient, web_db: Database) -> None:
    from alianza.pme import cycles

    with web_db.transaction() as session:
        cycles.open_cycle(
            session, CYCLE, as_of=date(1999, 8, 31), label_en="Status", label_es="Estado",
            actor=NodeSelf("coordinator"),
        )  # fmt: skip
        cycles.enter_status(
            session, CYCLE, "10.4.1", government=cycles.Government.JOINT, language="en",
            text="Subgroups in eight of the nine BLMs.", actor=NodeSelf("coordinator"),
        )  # fmt: skip
        cycles.submit_cycle(session, CYCLE, actor=NodeSelf("coordinator"))
    spanish(client, "coordinator")
    page = client.post(
        f"/pme/cycles/{CYCLE}/approve",
        data={"lang": "es", "csrf_token": csrf_of(client, f"/pme/cycles/{CYCLE}")},
    )
    assert page.status_code == 409
    assert "el texto en español aún no puede aprobarse" in page.text
    assert "falta el texto en español" in page.text
    assert "cannot be approved yet" not in page.text


def test_workflow_steps_and_governments_in_spanish(
    client: TestClient, published_cycle: str
) -> None:
    spanish(client, "viewer")
    page = visible(client.get(f"/pme/cycles/{published_cycle}").text)
    for step in ("abierto", "enviado a aprobación", "aprobado · Estados Unidos · inglés",
                 "cerrado", "publicado"):  # fmt: skip
        assert step in page, step
    assert "conjunto" in page  # the JOINT government's paragraphs
    assert re.search(r"\b(submit|approve|lock|publish) (US|MX)?", page) is None


def test_translation_states_say_what_they_are(client: TestClient, published_cycle: str) -> None:
    spanish(client, "viewer")
    page = client.get(f"/pme/cycles/{published_cycle}").text
    assert "(texto original)" in page or "(traducción revisada)" in page
    assert "(original)" not in page


def test_cooperation_codes_in_spanish(client: TestClient, web_db: Database) -> None:
    from alianza.cooperation.facts import bind_seed_measures, load_facts, seed_fact_files

    with web_db.transaction() as session:
        for path in seed_fact_files(session):  # binational and the US node's own
            load_facts(session, path, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
    spanish(client, "viewer")
    page = visible(client.get("/coop").text)
    assert "· trimestral" in page
    assert "· anual" in page
    assert "EE. UU. y México" in page
    assert "seguridad pública fronteriza" in page
    assert "lector de placas" in page  # the US node's own technology (facts-1999-us.json)
    for code in ("quarterly", "US and MX", "border-public-safety", "license-plate-reader"):
        assert code not in page, page[page.index(code) - 200 : page.index(code) + 50]
