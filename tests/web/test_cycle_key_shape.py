"""Red team (sec22): a cycle key is what its refusal says, "letters, digits, dashes", at most
40 characters (its column). Only a blank key or one with ``/`` was refused: a key typed here,
or sent by the partner node in an ``open`` message, could hold quotes, line breaks or letters
outside Latin-1 (which then broke the edition's download header) or overflow the column (a
500 on PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.pme.cycles import CycleRefused, PartnerAct, open_cycle
from tests.web.conftest import MX_NODE, csrf_of, log_in

BAD_KEYS = ['2026-"q1"', "2026-q1\r\nX-Evil: 1", "2026-Łódź", "k" * 41, "2026 q1", "-"]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_a_cycle_key_outside_letters_digits_and_dashes_is_refused(
    client: TestClient, web_db: Database, key: str
) -> None:
    log_in(client, "coordinator")
    form = {
        "key": key,
        "as_of": "2026-03-31",
        "label_en": "Q1",
        "label_es": "T1",
        "csrf_token": csrf_of(client, "/pme/cycles"),
    }
    answer = client.post("/pme/cycles", data=form)
    assert answer.status_code == 409
    assert "is not a cycle key" in answer.text
    # the partner's "open" message goes through the same function
    with web_db.transaction() as session, pytest.raises(CycleRefused) as refused:
        open_cycle(
            session,
            key,
            as_of=date(2026, 3, 31),
            label_en="Q1",
            label_es="T1",
            actor=NodeSelf("Nodo MX (test)"),
            partner=PartnerAct(MX_NODE, "oficial"),
        )
    assert "no es una clave de ciclo" in in_language(message_of(refused.value), "es")


def test_a_plain_cycle_key_still_opens(client: TestClient) -> None:
    log_in(client, "coordinator")
    form = {
        "key": "2026-Q1-annual",
        "as_of": "2026-03-31",
        "label_en": "Q1",
        "label_es": "T1",
        "csrf_token": csrf_of(client, "/pme/cycles"),
    }
    answer = client.post("/pme/cycles", data=form)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/pme/cycles/2026-Q1-annual"
