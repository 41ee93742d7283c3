"""Web fixtures: the app in-process over a seeded node with one user per role."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import select

from alianza.accounts.models import User
from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user
from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.keys import NodeIdentity
from alianza.pme.cycles import PartnerAct
from alianza.settings import load_settings
from alianza.web import create_app

PASSWORD = "correct horse battery"
# Every account is of the node's country (US): a node has no accounts of the other
# government, and those an older database holds do not sign in (tests/accounts). The two with
# Spanish names read the pages in Spanish.
USERS = {
    "admin": (Role.ADMIN, Country.US),
    "coordinator": (Role.COORDINATOR, Country.US),
    "coordinador": (Role.COORDINATOR, Country.US),
    "analyst": (Role.ANALYST, Country.US),
    "liaison": (Role.LIAISON, Country.US),
    "viewer": (Role.VIEWER, Country.US),
}
SPANISH = {"coordinador", "liaison"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def web_db(seeded_db: Database) -> Database:
    """The seeded node with one user per role (:func:`add_users`)."""
    add_users(seeded_db)
    return seeded_db


def add_users(database: Database) -> None:
    """One user per role. Users are made with ``create_user``; to spare the Argon2 cost five
    times per test, the later ones reuse the first one's (real) hash."""
    (first, (role, country)), *others = USERS.items()
    with database.transaction() as session:
        user = create_user(
            session,
            username=first,
            password=PASSWORD,
            role=role,
            country=country,
            agency="TEST",
            actor=NodeSelf("test"),
        )
        for username, (role, country) in others:
            session.add(
                User(
                    username=username,
                    display_name=username,
                    password_hash=user.password_hash,
                    role=role.value,
                    country=country.value,
                    agency="TEST",
                    language="es" if username in SPANISH else "en",
                    active=True,
                    created_at=user.created_at,
                )
            )


@pytest.fixture
def client(web_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = load_settings(home=tmp_path_factory.mktemp("home"), env="test")
    with TestClient(create_app(settings, web_db), follow_redirects=False) as test_client:
        yield test_client


# Two Mexican accounts, for the tests that need the MX side: they sign in on ``mx_client``.
MX_USERS = {"oficial": Role.COORDINATOR, "enlace": Role.LIAISON}


def mx_node(web_db: Database) -> Database:
    """The test database as the MX node sees it (a handle whose country is MX), holding the
    Mexican accounts of ``MX_USERS`` (added once): Mexican users sign in on the MX node only.
    The caller disposes of the handle."""
    as_mx = Database(web_db.url, country="MX")
    with as_mx.transaction() as session:
        admin = session.scalars(select(User).where(User.username == "admin")).one()
        known = set(session.scalars(select(User.username).where(User.username.in_(MX_USERS))))
        for username, role in MX_USERS.items():
            if username in known:
                continue
            session.add(
                User(
                    username=username,
                    display_name=username,
                    password_hash=admin.password_hash,  # the same (real) password
                    role=role.value,
                    country=Country.MX.value,
                    agency="TEST",
                    language="es",
                    active=True,
                    created_at=admin.created_at,
                )
            )
    return as_mx


@pytest.fixture
def mx_client(web_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The test database as the MX node sees it, with the Mexican accounts of ``MX_USERS``."""
    as_mx = mx_node(web_db)
    settings = load_settings(home=tmp_path_factory.mktemp("mx-home"), env="test")
    with TestClient(create_app(settings, as_mx), follow_redirects=False) as test_client:
        yield test_client
    as_mx.dispose()


def csrf_of(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = _CSRF.search(page.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 303, response.text


CYCLE = "1999-08"
MX_NODE = NodeIdentity(  # the partner node whose signed cycle messages the US node records
    "Nodo MX (test)", "MX", Ed25519PrivateKey.generate().public_key(), "1999-01-01T00:00:00+00:00"
)


@pytest.fixture
def published_cycle(web_db: Database) -> str:
    """A cycle taken to publication through the library (both governments, both languages)."""
    from datetime import date

    from alianza.pme import cycle_publish, cycles

    with web_db.transaction() as session:
        cycles.open_cycle(
            session,
            CYCLE,
            as_of=date(1999, 8, 31),
            label_en="Status as of 31 Aug 99",
            label_es="Estado al 31 ago 99",
            actor=NodeSelf("coordinator"),
        )
        for language, text in (
            ("en", "Subgroups in eight of the nine BLMs."),
            ("es", "Subgrupos en ocho de los nueve MEF."),
        ):
            cycles.enter_status(
                session,
                CYCLE,
                "10.4.1",
                government=cycles.Government.JOINT,
                language=language,
                text=text,
                actor=NodeSelf("coordinator"),
            )
        cycles.submit_cycle(session, CYCLE, actor=NodeSelf("coordinator"))
        for language in ("en", "es"):
            cycles.approve_cycle(
                session, CYCLE, government=cycles.Government.US, language=language,
                actor=NodeSelf("coordinator"),
            )  # fmt: skip
            cycles.record_partner_approval(  # Mexico's, as its node's signed message
                session,
                CYCLE,
                partner=PartnerAct(MX_NODE, "coordinador"),
                language=language,
                actor=NodeSelf("node"),
            )
        cycles.lock_cycle(session, CYCLE, actor=NodeSelf("coordinator"))
        cycle_publish.publish_cycle(session, CYCLE, actor=NodeSelf("coordinator"))
    return CYCLE
