"""Refusals a page or the API raises after a code (``ApiError(404, "not-found", text)``) are
catalogue messages (issue 18): a page says them in Spanish, the API keeps the English it always
said. Expected texts are written here, the English as the routes wrote it before."""

from __future__ import annotations

from fastapi.testclient import TestClient

from alianza.catalogue import in_language, message_of
from alianza.web import errors
from alianza.web.errors import ApiError
from tests.web.test_pages_spanish import spanish, visible


def _cases() -> list[tuple[str, str, str]]:
    return [
        (errors.NO_KEYS.said(), "this node has no keys: alianza node init",
         "este nodo no tiene llaves: alianza node init"),
        (errors.NO_KEYS_RUN.said(), "this node has no keys: run `alianza node init`",
         "este nodo no tiene llaves: ejecute `alianza node init`"),
        (errors.NO_OWN_PACKAGE.said(quarter="2025-Q1"),
         "this node has no package of 2025-Q1 to sign (alianza exchange build)",
         "este nodo no tiene un paquete de 2025-Q1 que firmar (alianza exchange build)"),
        (errors.NO_SEIZURE_TABLES.said(quarter="2025-Q1"),
         "no seizure tables for 2025-Q1 on either side",
         "no hay tablas de aseguramientos de 2025-Q1 en ninguno de los dos lados"),
        (errors.NO_RECORD_FORM.said(kind="nope", forms="meeting, mechanism"),
         "no record form 'nope' (one of: meeting, mechanism)",
         "no existe el formulario de registro 'nope' (uno de: meeting, mechanism)"),
        (errors.NO_RECORD_KIND.said(kind="nope", kinds="meeting"),
         "no record kind 'nope' (one of: meeting)",
         "no existe el tipo de registro 'nope' (uno de: meeting)"),
        (errors.LANGUAGE_EN_OR_ES.said(), "language is en or es", "el idioma es en o es"),
        (errors.UNKNOWN_PROFILE.said(profile="x", known="a, b"), "no profile 'x'; built in: a, b",
         "no existe el perfil 'x'; integrados: a, b"),
        (errors.SEIZURE_FILE_TYPE.said(name="f.txt", suffixes=".csv, .xlsx"),
         "f.txt: a seizure file ends in .csv, .xlsx",
         "f.txt: un archivo de aseguramientos termina en .csv, .xlsx"),
        (errors.TOO_LARGE["batch"].said(limit=1_048_576), "a batch is at most 1,048,576 bytes",
         "un lote tiene como máximo 1,048,576 bytes"),
        (errors.TOO_LARGE["cycle message"].said(limit=1000),
         "a cycle message is at most 1,000 bytes",
         "un mensaje de ciclo tiene como máximo 1,000 bytes"),
        (errors.NO_OUTCOME.said(), "no outcome was recorded", "no se registró ningún resultado"),
    ]  # fmt: skip


def test_web_refusals_keep_their_english_and_have_their_spanish() -> None:
    for said, english, spanish_text in _cases():
        assert said == english
        refused = ApiError(404, "not-found", said)
        assert refused.message == english
        assert in_language(refused.message, "es") == spanish_text


def test_a_nested_refusal_keeps_its_spanish_inside() -> None:
    from alianza import refusals

    missing = LookupError(refusals.not_found("cycle", "'2000-Q1'"))
    said = errors.CYCLE_NOT_PUBLISHED.said(key="2000-Q1", reason=message_of(missing))
    assert said == "cycle '2000-Q1' is not published: no cycle '2000-Q1'"
    assert in_language(said, "es") == (
        "el ciclo '2000-Q1' no está publicado: no existe el ciclo '2000-Q1'"
    )
    # str() of the nested error would have lost the Spanish of the reason
    assert in_language(
        errors.CYCLE_NOT_PUBLISHED.said(key="2000-Q1", reason=str(missing)), "es"
    ) == ("el ciclo '2000-Q1' no está publicado: no cycle '2000-Q1'")


def test_threat_assessment_language_refused_in_spanish_on_the_page(client: TestClient) -> None:
    spanish(client, "viewer")
    page = client.get("/coop/threat-assessment?first=2025-01-01&last=2025-03-31&language=fr")
    assert page.status_code == 422
    assert "el idioma es en o es" in visible(page.text)
    assert "language is en or es" not in page.text


def test_api_keeps_the_english(client: TestClient) -> None:
    spanish(client, "viewer")
    body = client.get("/api/v1/coop/nope").json()
    assert body["error"]["code"] == "not-found"
    assert body["error"]["message"].startswith("no record kind 'nope' (one of: ")


def test_analysis_download_refusal_in_spanish_on_the_page(client: TestClient) -> None:
    spanish(client, "analyst")
    page = client.get("/analysis/download?quarter=2000-Q1&format=html")
    assert page.status_code == 404
    assert "no hay tablas de aseguramientos de 2000-Q1 en ninguno de los dos lados" in visible(
        page.text
    )
    assert "on either side" not in page.text


def test_a_missing_alert_is_refused_in_spanish_on_the_page(client: TestClient) -> None:
    from tests.web.conftest import csrf_of

    spanish(client, "liaison")  # ports.alert: reaches the lookup
    csrf = csrf_of(client, "/ports/alerts")
    page = client.post("/ports/alerts/no-such-alert/ack", headers={"X-CSRF-Token": csrf})
    assert page.status_code == 404
    assert "no existe la alerta no-such-alert" in visible(page.text)
    assert "no alert" not in page.text
