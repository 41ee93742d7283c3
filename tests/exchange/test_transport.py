"""Sending a package (alianza.exchange.transport): why it failed, in English as always and in
Spanish (issue 18). The partner's answers are stood in for; tests/exchange/test_http.py sends
to a real node."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest

from alianza.catalogue import in_language, message_of
from alianza.exchange import transport
from alianza.exchange.transport import SendFailed, send_package


def answering(monkeypatch: pytest.MonkeyPatch, *responses: httpx.Response) -> None:
    answers = iter(responses)

    def post(url: str, **_: Any) -> httpx.Response:
        return next(answers)

    monkeypatch.setattr(transport.httpx, "post", post)


def failure(data: bytes = b"zip", **options: Any) -> tuple[str, str, str]:
    with pytest.raises(SendFailed) as failed:
        send_package(data, "https://mx.example", sleep=lambda _: None, **options)
    error = failed.value
    return error.kind, str(error), in_language(message_of(error), "es")


def test_a_refused_package_is_said_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    answering(monkeypatch, httpx.Response(422, json={"error": {"code": "bad-signature"}}))
    assert failure() == (
        "refused",
        "the partner's node refused the package (HTTP 4xx, bad-signature)",
        "el nodo del socio rechazó el paquete (HTTP 4xx, bad-signature)",
    )


def test_an_unreachable_partner_is_said_in_both_languages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answering(
        monkeypatch,
        httpx.Response(503, json={"error": {"code": "busy"}}),
        httpx.Response(502, text="Bad gateway at 10.0.0.7:8443"),
    )
    assert failure(attempts=2) == (
        "unreachable",
        "could not reach the partner's node after 2 attempts (last: refused, HTTP 5xx)",
        "no se pudo contactar el nodo del socio tras 2 intentos (último: rechazado, HTTP 5xx)",
    )
    assert failure(attempts=0) == (
        "unreachable",
        "could not reach the partner's node after 0 attempts (last: no attempt made)",
        "no se pudo contactar el nodo del socio tras 0 intentos (último: no se hizo ningún"
        " intento)",
    )
