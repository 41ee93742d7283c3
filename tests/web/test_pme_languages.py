"""A language that lacks a text shows the other language's, marked, never a 404 (issue 17,
item 4)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.service import import_report_file
from tests.conftest import DATA
from tests.web.conftest import log_in


def test_spanish_user_after_two_action_spanish_import_sees_every_action(
    web_db: Database, client: TestClient
) -> None:
    # spanish-report.tsv holds actions 10.4 and 10.4.1 only; the seed holds 10.1 to 10.9.
    import_report_file(web_db, DATA / "pme" / "spanish-report.tsv", actor=NodeSelf("test"))
    log_in(client, "coordinador")  # a Spanish-language account
    index = client.get("/pme")
    assert index.status_code == 200
    for number in ("10.1", "10.2", "10.3", "10.4", "10.4.1", "10.5", "10.9"):
        assert f'href="/pme/actions/{number}"' in index.text
    assert index.text.count("[EN] solo en inglés") == 8  # ten actions, two in Spanish
    other = client.get("/pme/actions/10.1")
    assert other.status_code == 200
    assert "Esta acción aún no tiene texto en español; se muestra en inglés." in other.text
    assert "When the Binational Threat Assessment is updated" in other.text  # seed, 10.1
    own = client.get("/pme/actions/10.4")
    assert own.status_code == 200
    assert "se muestra en inglés" not in own.text
    assert "Los Gobiernos de México y de los Estados Unidos fortalecerán" in own.text
