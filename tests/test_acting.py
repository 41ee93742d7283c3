"""Who may write, decided by the service (issue 14, item 4): a service function that takes an
``actor: Actor`` checks it (:func:`alianza.actors.acting`). A signed-in user of the other
government is refused on this node (``ForeignAccount``, English and Spanish), a user whose
role does not grant the write is refused (``NotPermitted``), and nothing is written; the node
itself, named (``NodeSelf``), is its operator. The audit log records the user's login or the
node's name."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza.accounts.models import User
from alianza.accounts.permissions import Country, Role
from alianza.accounts.principal import ForeignAccount, Principal
from alianza.accounts.service import create_user, set_password, set_role
from alianza.accounts.throttle import clear_throttle
from alianza.actors import Actor, NodeSelf, NotPermitted
from alianza.audit import AuditEntry
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.exchange.inbox import reverify
from alianza.exchange.models import Package, Partner
from alianza.exchange.partners import set_partner_url, trust_partner
from alianza.exchange.rotation import accept_rotation, rotate_node_keys
from alianza.exchange.service import build_and_record, build_quarter, receive
from alianza.seizures.models import Event, ImportBatch
from alianza.seizures.service import import_file
from alianza.seizures.template import EXAMPLE_ROWS, template_columns
from tests.exchange.conftest import COVERAGE, Node, introduce, make_node, sample_tables

PASSWORD = "acting-password-1"


def user(username: str, role: Role, country: Country) -> Principal:
    """A signed-in user as the web hands it over (the services check it, not its row)."""
    return Principal(0, username, username, role, country, "agency", "en")


MX_ANALYST = user("analista-mx", Role.ANALYST, Country.MX)
MX_ADMIN = user("admin-mx", Role.ADMIN, Country.MX)
US_VIEWER = user("viewer-us", Role.VIEWER, Country.US)
US_ANALYST = user("analyst-us", Role.ANALYST, Country.US)
US_ADMIN = user("admin-us", Role.ADMIN, Country.US)


def us_rows(tmp_path: Path) -> Path:
    """The template's three example rows: US records, what a US node imports."""
    path = tmp_path / "us-rows.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=template_columns())
        writer.writeheader()
        writer.writerows(EXAMPLE_ROWS)
    return path


def count(database: Database, what: object) -> int:
    with database.reader() as session:
        return int(session.scalar(select(func.count()).select_from(what)) or 0)  # type: ignore[arg-type]


def last_actor(database: Database, action: str) -> str:
    with database.reader() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
        ).first()
    assert entry is not None, action
    return entry.actor


def assert_foreign(error: pytest.ExceptionInfo[ForeignAccount], username: str) -> None:
    message = str(error.value)
    assert "this node is the US node" in message, message  # English
    spanish = in_language(message_of(error.value), "es")  # and Spanish, from the catalogue
    assert "este nodo es el nodo de EE. UU." in spanish, spanish
    assert username in spanish, spanish
    assert username in message, message
    assert "MX" in message, message


# --- seizures ---------------------------------------------------------------------------


def test_a_user_of_the_other_government_imports_no_seizures(
    fresh_db: Database, tmp_path: Path
) -> None:
    """Even rows of this node's own country: the importer is not of this node."""
    with pytest.raises(ForeignAccount) as error:
        import_file(fresh_db, us_rows(tmp_path), "canonical", actor=MX_ANALYST)
    assert_foreign(error, "analista-mx")
    assert (count(fresh_db, Event), count(fresh_db, ImportBatch)) == (0, 0)


def test_a_viewer_imports_no_seizures(fresh_db: Database, tmp_path: Path) -> None:
    with pytest.raises(NotPermitted) as error:
        import_file(fresh_db, us_rows(tmp_path), "canonical", actor=US_VIEWER)
    message = str(error.value)
    assert "'viewer-us' (viewer) may not do this: it needs seizures.import" in message
    assert "no puede hacerlo: requiere seizures.import" in in_language(
        message_of(error.value), "es"
    )
    assert (count(fresh_db, Event), count(fresh_db, ImportBatch)) == (0, 0)


@pytest.mark.parametrize(
    ("actor", "recorded"), [(US_ANALYST, "analyst-us"), (NodeSelf("nightly-load"), "nightly-load")]
)
def test_an_import_records_who_imported(
    fresh_db: Database, tmp_path: Path, actor: Actor, recorded: str
) -> None:
    outcome = import_file(fresh_db, us_rows(tmp_path), "canonical", actor=actor)
    assert outcome.report.loaded == len(EXAMPLE_ROWS)
    assert last_actor(fresh_db, "seizures.import.load") == recorded
    with fresh_db.reader() as session:
        assert session.scalars(select(ImportBatch.actor)).one() == recorded


# --- accounts -----------------------------------------------------------------------------


def add_analyst(session: Session, actor: Actor) -> User:
    return create_user(
        session,
        username="new-analyst",
        password=PASSWORD,
        role=Role.ANALYST,
        country=Country.US,
        agency="CBP",
        actor=actor,
    )


ACCOUNT_WRITES: dict[str, Callable[[Session, Actor], object]] = {
    "create": add_analyst,
    "set-role": lambda s, a: set_role(s, "new-analyst", Role.VIEWER, actor=a),
    "set-password": lambda s, a: set_password(s, "new-analyst", "another password 1", actor=a),
    "clear-throttle": lambda s, a: clear_throttle(s, None, actor=a),
}


@pytest.mark.parametrize("write", sorted(ACCOUNT_WRITES))
def test_account_writes_need_a_user_manager_of_this_node(fresh_db: Database, write: str) -> None:
    if write != "create":
        with fresh_db.transaction() as session:
            add_analyst(session, NodeSelf("setup"))
    for actor, refusal in ((MX_ADMIN, ForeignAccount), (US_ANALYST, NotPermitted)):
        before = count(fresh_db, AuditEntry)
        with pytest.raises(refusal), fresh_db.transaction() as session:
            ACCOUNT_WRITES[write](session, actor)
        assert count(fresh_db, AuditEntry) == before  # nothing written
    with fresh_db.transaction() as session:
        ACCOUNT_WRITES[write](session, US_ADMIN)
    action = {"create": "accounts.user.create", "clear-throttle": "accounts.throttle.clear"}.get(
        write, f"accounts.user.{write}"
    )
    assert last_actor(fresh_db, action) == "admin-us"


def test_a_user_sets_their_own_password_only(fresh_db: Database) -> None:
    with fresh_db.transaction() as session:
        add_analyst(session, NodeSelf("setup"))
    me = user("new-analyst", Role.ANALYST, Country.US)
    with fresh_db.transaction() as session:
        set_password(session, "new-analyst", "my own new password", actor=me)
    assert last_actor(fresh_db, "accounts.user.set-password") == "new-analyst"
    with pytest.raises(NotPermitted), fresh_db.transaction() as session:
        set_password(session, "new-analyst", "somebody else's", actor=US_ANALYST)


# --- exchange -----------------------------------------------------------------------------


@pytest.fixture
def nodes(database_url: str, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    us = make_node(tmp_path / "us", database_url, "US node (CBP)", "US")
    mx = make_node(tmp_path / "mx", f"sqlite:///{tmp_path / 'mx.db'}", "Nodo MX (FGR)", "MX")
    introduce(us, mx)
    yield us, mx
    us.database.dispose()
    mx.database.dispose()


def partner_state(node: Node) -> list[tuple[str, str | None, object]]:
    with node.database.reader() as session:
        rows = session.scalars(select(Partner).order_by(Partner.id))
        return [(p.fingerprint, p.url, p.revoked_at) for p in rows]


def test_partner_changes_need_an_administrator_of_this_node(
    nodes: tuple[Node, Node], tmp_path: Path
) -> None:
    us, mx = nodes
    _new_keys, rotation = rotate_node_keys(mx.home)
    changes: dict[str, Callable[[Session, Actor], object]] = {
        "trust": lambda s, a: trust_partner(
            s,
            mx.keys.identity,
            own_fingerprint=us.keys.identity.fingerprint,
            actor=a,
            url="https://mx.example.org",
        ),
        "url": lambda s, a: set_partner_url(s, "Nodo MX (FGR)", "https://mx.example.org", actor=a),
        "rotate": lambda s, a: accept_rotation(
            s, rotation, own_fingerprint=us.keys.identity.fingerprint, actor=a
        ),
    }
    before = partner_state(us)
    for name, change in changes.items():
        for actor in (US_ANALYST, US_VIEWER):  # exchange.manage is not enough
            with pytest.raises(NotPermitted) as error, us.database.transaction() as session:
                change(session, actor)
            assert "it needs node.manage" in str(error.value), name
            assert "requiere node.manage" in in_language(message_of(error.value), "es"), name
        with pytest.raises(ForeignAccount) as foreign, us.database.transaction() as session:
            change(session, MX_ADMIN)
        assert_foreign(foreign, "admin-mx")
    assert partner_state(us) == before  # nothing changed
    with us.database.transaction() as session:
        changes["url"](session, US_ADMIN)
    assert last_actor(us.database, "exchange.partner.url") == "admin-us"
    with us.database.transaction() as session:
        changes["rotate"](session, NodeSelf("cli"))
    assert last_actor(us.database, "exchange.partner.rotate") == "cli"


def test_packages_are_built_received_and_reverified_by_this_node_only(
    nodes: tuple[Node, Node],
) -> None:
    us, mx = nodes
    data, _stored = build_and_record(
        mx.database,
        mx.keys,
        quarter="2019-Q1",
        tables=sample_tables("MX", "2019-Q1"),
        coverage=COVERAGE,
        actor=NodeSelf("cli"),
    )
    for actor, refusal in ((MX_ANALYST, ForeignAccount), (US_VIEWER, NotPermitted)):
        with pytest.raises(refusal):
            build_quarter(us.database, us.keys, "2019-Q1", actor=actor)
        with pytest.raises(refusal):
            receive(us.database, data, actor=actor)
    assert count(us.database, Package) == 0
    received, _country, _quarter = receive(us.database, data, actor=US_ANALYST)
    assert last_actor(us.database, "exchange.package.received") == "analyst-us"
    with pytest.raises(ForeignAccount):
        reverify(us.database, received.package_id, {}, actor=MX_ANALYST)
    reverify(us.database, received.package_id, {}, actor=NodeSelf("exchange-endpoint"))
    assert last_actor(us.database, "exchange.package.reverify") == "exchange-endpoint"
