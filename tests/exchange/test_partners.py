"""Trusted partners and where this node sends (alianza.exchange.partners): the refusals keep
their English and are said in Spanish (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.db import Database
from alianza.exchange.keys import create_node_keys
from alianza.exchange.partners import (
    BadPartnerUrl,
    UnknownDestination,
    check_partner_url,
    destination,
    find_partner,
    set_partner_url,
    trust_partner,
)

ACTOR = NodeSelf("test")


def both(error: BaseException) -> tuple[str, str]:
    return str(error), in_language(message_of(error), "es")


@pytest.mark.parametrize(
    ("url", "english", "spanish"),
    [
        (
            "ftp://mx.example",
            "'ftp://mx.example': a partner URL is https://HOST[:PORT][/PATH]",
            "'ftp://mx.example': la URL de un socio es https://SERVIDOR[:PUERTO][/RUTA]",
        ),
        (
            "http://mx.example",
            "'http://mx.example': plain http:// is refused except to this machine; use https://",
            "'http://mx.example': se rechaza http:// sin cifrar, salvo hacia esta misma máquina;"
            " use https://",
        ),
        (
            "https://ana:secret@mx.example",
            "'https://ana:secret@mx.example': no user name, password, query or fragment in a"
            " partner URL",
            "'https://ana:secret@mx.example': la URL de un socio no lleva nombre de usuario,"
            " contraseña, consulta ni fragmento",
        ),
        (
            "https://mx.example:port",
            "'https://mx.example:port': the port is not a number",
            "'https://mx.example:port': el puerto no es un número",
        ),
    ],
)
def test_a_bad_partner_url_is_refused_in_both_languages(
    url: str, english: str, spanish: str
) -> None:
    with pytest.raises(BadPartnerUrl) as refused:
        check_partner_url(url)
    assert both(refused.value) == (english, spanish)


def test_destinations_and_partners_are_refused_in_both_languages(
    fresh_db: Database, tmp_path: Path
) -> None:
    us = create_node_keys(tmp_path / "us", name="US node", country="US")
    mx = create_node_keys(tmp_path / "mx", name="Nodo MX", country="MX")
    with fresh_db.transaction() as session:
        with pytest.raises(UnknownDestination) as no_partner:
            find_partner(session, "Nodo MX")
        assert both(no_partner.value) == (
            "no single trusted partner 'Nodo MX'; trusted: none",
            "no hay un único socio de confianza 'Nodo MX'; socios de confianza: ninguno",
        )
        with pytest.raises(UnknownDestination) as no_endpoint:
            destination(session)
        assert both(no_endpoint.value) == (
            "no registered partner endpoint: alianza node trust FILE --url https://… or alianza"
            " node set-url PARTNER https://…",
            "ningún socio tiene una dirección registrada: alianza node trust FILE --url https://…"
            " o alianza node set-url PARTNER https://…",
        )
        with pytest.raises(ValueError, match="own key") as own:
            trust_partner(
                session, us.identity, own_fingerprint=us.identity.fingerprint, actor=ACTOR
            )
        assert both(own.value) == (
            "that is this node's own key: a node does not trust itself as partner",
            "es la llave de este mismo nodo: un nodo no confía en sí mismo como socio",
        )
        trust_partner(session, mx.identity, own_fingerprint=us.identity.fingerprint, actor=ACTOR)
        set_partner_url(session, "Nodo MX", "https://mx.example", actor=ACTOR)
        with pytest.raises(UnknownDestination) as elsewhere:
            destination(session, "https://evil.example")
        assert both(elsewhere.value) == (
            "https://evil.example is not the registered endpoint of a trusted partner"
            " (alianza node set-url PARTNER URL)",
            "https://evil.example no es la dirección registrada de un socio de confianza"
            " (alianza node set-url PARTNER URL)",
        )
        with pytest.raises(UnknownDestination) as unknown:
            find_partner(session, "Nodo US")
        fingerprint = mx.identity.fingerprint[:12]
        assert both(unknown.value) == (
            f"no single trusted partner 'Nodo US'; trusted: Nodo MX ({fingerprint})",
            f"no hay un único socio de confianza 'Nodo US'; socios de confianza: Nodo MX"
            f" ({fingerprint})",
        )
        other = create_node_keys(tmp_path / "mx2", name="Nodo MX 2", country="MX")
        trust_partner(session, other.identity, own_fingerprint=us.identity.fingerprint, actor=ACTOR)
        set_partner_url(session, "Nodo MX 2", "https://mx2.example", actor=ACTOR)
        with pytest.raises(UnknownDestination) as several:
            destination(session)
        assert both(several.value) == (
            "several partner endpoints: choose one with --to",
            "hay varias direcciones de socios: elija una con --to",
        )


def test_trusting_over_plain_http_is_refused_in_spanish(tmp_path: Path) -> None:
    us, mx = tmp_path / "us", tmp_path / "mx"

    def run(home: Path, *args: str, language: str = "en") -> tuple[int, str]:
        env = {"ALIANZA_LANGUAGE": language}
        result = CliRunner().invoke(cli, ["--home", str(home), *args], env=env)
        return result.exit_code, result.output

    assert run(us, "node", "init", "--country", "US", "--name", "US node")[0] == 0
    assert run(mx, "node", "init", "--country", "MX", "--name", "Nodo MX")[0] == 0
    assert run(mx, "node", "export-key", "-o", str(tmp_path / "mx.json"))[0] == 0
    trust = ("node", "trust", str(tmp_path / "mx.json"), "--url", "http://mx.example")
    code, said = run(us, *trust, language="es")
    assert code == 1
    assert "'http://mx.example': se rechaza http:// sin cifrar" in said
    assert "plain http://" not in said
