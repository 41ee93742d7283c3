"""Why a cycle message waits, in English and Spanish (issue 18): the partner refused it, or
could not be reached. The partner's answers are stood in for; nothing goes on the network."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest

from alianza.catalogue import in_language, message_of
from alianza.pme import cycle_transport

URL = "http://127.0.0.1:8765"


def post_answering(answer: Any) -> Any:
    def post(url: str, **_: object) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        return answer

    return post


def test_a_refusing_partner_is_said_in_english_and_spanish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refusal = httpx.Response(403, json={"error": {"code": "bad-signature", "message": "x"}})
    monkeypatch.setattr(cycle_transport.httpx, "post", post_answering(refusal))
    with pytest.raises(ConnectionRefusedError) as refused:
        cycle_transport._post(b"{}", URL, attempts=3, backoff=0, timeout=1, sleep=lambda _: None)
    assert str(refused.value) == "the partner's node refused it (HTTP 4xx, bad-signature)"
    assert in_language(message_of(refused.value), "es") == (
        "el nodo de la contraparte lo rechazó (HTTP 4xx, bad-signature)"
    )


@pytest.mark.parametrize(
    ("answer", "attempts", "english", "spanish"),
    [
        (httpx.ConnectError("refused"), 1,
         "could not reach the partner's node after 1 attempts (no answer)",
         "no se pudo contactar el nodo de la contraparte tras 1 intento (sin respuesta)"),
        (httpx.Response(503), 2,
         "could not reach the partner's node after 2 attempts (HTTP 5xx)",
         "no se pudo contactar el nodo de la contraparte tras 2 intentos (HTTP 5xx)"),
        (httpx.Response(503), 0,
         "could not reach the partner's node after 0 attempts (no attempt made)",
         "no se pudo contactar el nodo de la contraparte tras 0 intentos (no se hizo ningún "
         "intento)"),
    ],
)  # fmt: skip
def test_an_unreachable_partner_is_said_in_english_and_spanish(
    monkeypatch: pytest.MonkeyPatch, answer: Any, attempts: int, english: str, spanish: str
) -> None:
    monkeypatch.setattr(cycle_transport.httpx, "post", post_answering(answer))
    with pytest.raises(ConnectionError) as unreachable:
        cycle_transport._post(
            b"{}", URL, attempts=attempts, backoff=0, timeout=1, sleep=lambda _: None
        )
    assert str(unreachable.value) == english
    assert in_language(message_of(unreachable.value), "es") == spanish
