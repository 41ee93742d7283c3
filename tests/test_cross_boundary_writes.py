"""Writes across the boundary between the two nodes (issue 14, item 5) are refused with a clear
error and change nothing: importing the other country's rows, creating the other government's
accounts, writing or approving for the other government, acting on the other node's records.

The node's country comes from its keys (``alianza node init --country``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza.accounts.models import User
from alianza.accounts.permissions import Country, Role
from alianza.accounts.principal import ForeignAccount, Principal
from alianza.actors import NodeSelf, NotPermitted
from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.demo.nodes import Node, create_accounts, prepare_node
from alianza.pme.cycles import (
    Government,
    approve_cycle,
    cycle_view,
    enter_status,
    lock_cycle,
    open_cycle,
    return_cycle,
    submit_cycle,
    waive_approval,
    withdraw_status,
)
from alianza.pme.engine_models import CycleStepRow, StatusTextRow
from alianza.pme.service import SEED_REPORT, import_report_file
from alianza.seizures.models import Event
from alianza.seizures.sample import write_mx_sample
from alianza.web import create_app

PASSWORD = "boundary-password-1"
CYCLE = "2025-annual"


@pytest.fixture
def us_node(tmp_path: Path) -> Iterator[Node]:
    """A US node (keys say US) with the seed report, its accounts and an open cycle."""
    node = prepare_node(tmp_path / "us", "US", env="test")
    import_report_file(node.database, SEED_REPORT, actor=NodeSelf("test"))
    create_accounts(node, PASSWORD)
    with node.database.transaction() as session:
        open_cycle(
            session,
            CYCLE,
            as_of=date(2025, 12, 31),
            label_en="2025",
            label_es="2025",
            actor=NodeSelf("coordinator-us"),
        )
        enter_status(
            session,
            CYCLE,
            "10.1",
            government=Government.US,
            language="en",
            text="US.",
            actor=NodeSelf("t"),
        )
    yield node
    node.dispose()


@pytest.fixture
def mx_rows(tmp_path: Path) -> Path:
    path = tmp_path / "mx-rows.csv"
    write_mx_sample(path, first=date(2025, 10, 1), last=date(2025, 12, 31), events=5)
    return path


def client_for(node: Node, username: str) -> TestClient:
    client = TestClient(create_app(node.settings, node.database), follow_redirects=False)
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.text
    return client


def csrf(client: TestClient, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match is not None
    return match.group(1)


def count(node: Node, what: object) -> int:
    with node.database.reader() as session:
        return int(session.scalar(select(func.count()).select_from(what)) or 0)  # type: ignore[arg-type]


def cli_on(node: Node, *args: str) -> tuple[int, str]:
    password = f"{PASSWORD}\n{PASSWORD}\n"  # for a command that asks for one
    result = CliRunner().invoke(cli, ["--home", str(node.home), *args], input=password)
    return result.exit_code, result.output


def test_importing_mexican_rows_on_the_us_node_over_the_api_is_refused(
    us_node: Node, mx_rows: Path
) -> None:
    with client_for(us_node, "analyst-us") as client:
        response = client.post(
            "/api/v1/seizures/imports",
            files={"file": (mx_rows.name, mx_rows.read_bytes(), "text/csv")},
            data={"profile": "canonical"},
            headers={"X-CSRF-Token": csrf(client, "/seizures/import")},
        )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert "country" in error["code"] + json.dumps(error["details"]), error
    assert count(us_node, Event) == 0


def test_importing_mexican_rows_on_the_us_node_from_the_cli_is_refused(
    us_node: Node, mx_rows: Path
) -> None:
    code, output = cli_on(us_node, "seizures", "import", str(mx_rows), "--profile", "canonical")
    assert code != 0, output
    assert "MX" in output, output
    assert count(us_node, Event) == 0


def test_a_mexican_account_on_the_us_node_is_refused(us_node: Node) -> None:
    before = count(us_node, User)
    code, output = cli_on(
        us_node, "users", "add", "maria", "--role", "coordinator", "--country", "MX",
        "--agency", "SRE",
    )  # fmt: skip
    assert code != 0, output
    assert "MX" in output, output
    assert count(us_node, User) == before


def test_approving_for_mexico_on_the_us_node_is_refused(us_node: Node) -> None:
    cli_on(us_node, "pme", "cycle", "submit", CYCLE)
    with us_node.database.reader() as session:
        before = cycle_view(session, CYCLE)
    code, output = cli_on(us_node, "pme", "cycle", "approve", CYCLE, "--gov", "MX", "--lang", "en")
    assert code != 0, output
    with us_node.database.reader() as session:
        after = cycle_view(session, CYCLE)
    assert after.state == before.state
    assert after.approvals() == before.approvals()


def test_writing_mexicos_status_paragraph_on_the_us_node_is_refused(us_node: Node) -> None:
    before = count(us_node, StatusTextRow)
    with client_for(us_node, "coordinator-us") as client:
        response = client.post(
            f"/pme/cycles/{CYCLE}/enter",
            data={
                "csrf_token": csrf(client, f"/pme/cycles/{CYCLE}"),
                "action": "10.1",
                "gov": "MX",
                "lang": "es",
                "text": "Texto de México escrito en el nodo de EE. UU.",
            },
        )
    assert response.status_code in (403, 409, 422), response.text
    assert count(us_node, StatusTextRow) == before


def test_acting_on_the_mx_nodes_cycle_by_key_on_the_us_node_is_not_found(us_node: Node) -> None:
    """The MX node's cycle (its key) does not exist on the US node: reading it, or approving,
    returning or entering text on it, answers 404 and creates nothing."""
    before = count(us_node, StatusTextRow)
    with client_for(us_node, "coordinator-us") as client:
        assert client.get("/pme/cycles/leak-hunt-mx").status_code == 404
        token = csrf(client, f"/pme/cycles/{CYCLE}")
        for step, fields in (
            ("approve", {"lang": "es"}),
            ("return", {"comment": "no"}),
            ("enter", {"action": "10.1", "gov": "US", "lang": "en", "text": "x"}),
        ):
            response = client.post(
                f"/pme/cycles/leak-hunt-mx/{step}", data={"csrf_token": token, **fields}
            )
            assert response.status_code == 404, (step, response.text)
            assert "leak-hunt-mx" in response.text
    assert count(us_node, StatusTextRow) == before
    code, output = cli_on(us_node, "pme", "cycle", "approve", "leak-hunt-mx", "--gov", "US",
                          "--lang", "en")  # fmt: skip
    assert code != 0
    assert "leak-hunt-mx" in output


def test_importing_us_rows_on_the_mx_node_is_refused(tmp_path: Path) -> None:
    """The mirror case: CBP's (US) aggregate rows on the MX node."""
    from alianza.seizures.models import AggregateRow
    from tests.conftest import DATA

    node = prepare_node(tmp_path / "mx", "MX", env="test")
    try:
        cbp = DATA / "exchange" / "cbp-nationwide-fy2019.csv"
        code, output = cli_on(node, "seizures", "import", str(cbp), "--profile", "cbp-nationwide")
        assert code != 0, output
        assert "US" in output, output
        assert count(node, AggregateRow) == 0
    finally:
        node.dispose()


# The cooperation registry: each government's national records (liaison posts, technology,
# training, its own studies) are kept on its node; binational ones on both (docs/cooperation.md).


def test_a_mexican_liaison_post_on_the_us_node_is_refused_from_the_cli(us_node: Node) -> None:
    from alianza.cooperation.models import LiaisonPost

    args = [
        "coop", "add-post", "--country", "MX", "--office", "SHCP liaison office",
        "--city", "Dallas, TX", "--agency", "SHCP", "--role", "customs-liaison",
        "--appointed-on", "1999-08-31", "--source", "10.4/status/1",
    ]  # fmt: skip
    code, output = cli_on(us_node, *args)
    assert code != 0, output
    assert "this node is the US node; the liaison post reports MX (country)" in output
    assert "este nodo" not in output  # one language: the user's
    spanish = CliRunner().invoke(
        cli, ["--home", str(us_node.home), *args], env={"ALIANZA_LANGUAGE": "es"}
    )
    assert spanish.exit_code != 0, spanish.output
    assert "este nodo es el nodo de EE. UU.; el registro (liaison post) reporta MX" in (
        spanish.output
    )
    assert count(us_node, LiaisonPost) == 0


def test_loading_mexicos_1999_facts_on_the_us_node_names_file_row_and_field(
    us_node: Node,
) -> None:
    from alianza.cooperation.facts import NATIONAL_FACTS_1999, load_facts
    from alianza.cooperation.models import LiaisonPost, Technology
    from alianza.node import ForeignCountry

    with pytest.raises(ForeignCountry) as refused, us_node.database.transaction() as session:
        load_facts(session, NATIONAL_FACTS_1999["MX"], actor=NodeSelf("test"))
    message = str(refused.value)
    assert message.startswith(
        "this node is the US node; facts-1999-mx.json, liaison_posts row 1, field country: "
        "the row reports MX"
    )
    spanish = in_language(message_of(refused.value), "es")
    assert "facts-1999-mx.json, liaison_posts fila 1, campo country: la fila reporta MX" in spanish
    assert (count(us_node, LiaisonPost), count(us_node, Technology)) == (0, 0)


def test_a_meeting_of_mexican_officials_only_is_refused_on_the_us_node(us_node: Node) -> None:
    """A meeting of both governments is binational (recorded on both nodes); one whose
    participants are all Mexican is Mexico's record."""
    from alianza.cooperation import registry
    from alianza.cooperation.models import Meeting

    actor = NodeSelf("test")
    with us_node.database.transaction() as session:
        registry.add_mechanism(
            session, key="hlcg", kind="hlcg", name="HLCG", source="test", actor=actor
        )
    both = [{"country": "US", "level": "federal"}, {"country": "MX", "level": "federal"}]
    with us_node.database.transaction() as session:
        registry.add_meeting(
            session,
            mechanism_key="hlcg",
            held_on=date(1999, 11, 10),
            participants=both,
            source="t",
            actor=actor,
        )
    with (
        pytest.raises(registry.ForeignRecord, match="the meeting reports MX \\(participants\\)"),
        us_node.database.transaction() as session,
    ):
        registry.add_meeting(
            session,
            mechanism_key="hlcg",
            held_on=date(1999, 11, 11),
            participants=[{"country": "MX", "level": "federal"}],
            source="t",
            actor=actor,
        )
    assert count(us_node, Meeting) == 1
    with us_node.database.reader() as session:
        held = [r["held_as"] for r in registry.list_records(session, "meeting")]
    assert held == ["binational"]


def test_ending_or_completing_mexicos_records_of_an_older_database_is_refused(
    us_node: Node,
) -> None:
    """An older database of the US node still holds a Mexican post and a Mexican study
    (written when it took both): acting on them by id is refused and changes nothing."""
    from alianza.cooperation import registry
    from alianza.cooperation.models import Deliverable, LiaisonPost
    from alianza.db import Database

    as_mx = Database(us_node.database.url, country="MX")  # written as the old node did
    try:
        with as_mx.transaction() as session:
            post = registry.add_liaison_post(
                session, country="MX", office="SHCP", city="Dallas, TX", agency="SHCP",
                role="customs-liaison", appointed_on=date(1999, 8, 31), source="t",
                actor=NodeSelf("old"),
            )  # fmt: skip
            registry.add_deliverable(
                session, key="mx-study", title="Mexican study", owner="PGR", country="MX",
                source="t", actor=NodeSelf("old"),
            )  # fmt: skip
            post_id = post.id
    finally:
        as_mx.dispose()
    code, output = cli_on(us_node, "coop", "end", f"liaison-post:{post_id}", "2001-01-31")
    assert code != 0, output
    assert "this node is the US node; the liaison post reports MX" in output
    code, output = cli_on(us_node, "coop", "complete", "mx-study", "2000-01-31")
    assert code != 0, output
    assert "this node is the US node; the deliverable reports MX" in output
    with us_node.database.reader() as session:
        assert session.get(LiaisonPost, post_id).ended_on is None  # type: ignore[union-attr]
        study = session.scalars(select(Deliverable).where(Deliverable.key == "mx-study")).one()
        assert study.completed_on is None


def test_a_mexican_technology_deployment_from_the_web_form_is_refused(us_node: Node) -> None:
    from alianza.cooperation.models import Technology

    with client_for(us_node, "coordinator-us") as client:
        response = client.post(
            "/coop/records/technology",
            data={
                "csrf_token": csrf(client, "/coop"),
                "kind": "ion-scanner",
                "country": "MX",
                "place": "Mexico City International Airport",
                "deployed_on": "1999-08-31",
                "precision": "approximate",
                "source": "10.8/status/2",
            },
        )
    assert response.status_code == 422, response.text
    assert "this node is the US node; the technology deployment reports MX" in response.text
    assert count(us_node, Technology) == 0


def _principal(username: str, role: Role, country: Country) -> Principal:
    return Principal(1, username, username, role, country, "X", "en")


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        (_principal("viewer", Role.VIEWER, Country.US), NotPermitted),
        (_principal("analyst-us", Role.ANALYST, Country.US), NotPermitted),
        (_principal("coordinador-mx", Role.COORDINATOR, Country.MX), ForeignAccount),
    ],
    ids=["us-viewer", "us-analyst", "mx-coordinator"],
)
def test_the_cycle_services_check_who_acts_whatever_the_shell(
    us_node: Node, who: Principal, refusal: type[Exception]
) -> None:
    """The reporting cycle's service functions check the acting user themselves (``acting``):
    a user whose role grants no cycle work, or an account of the other government, is refused
    by the service, not only by the page that calls it, and nothing is written."""
    steps_before, texts_before = count(us_node, CycleStepRow), count(us_node, StatusTextRow)
    calls: list[Callable[[Session], object]] = [
        lambda s: open_cycle(
            s, "2026-annual", as_of=date(2026, 12, 31), label_en="x", label_es="x", actor=who
        ),
        lambda s: enter_status(
            s, CYCLE, "10.1", government=Government.US, language="en", text="x", actor=who
        ),
        lambda s: withdraw_status(
            s, CYCLE, "10.1", government=Government.US, position=1, reason="x", actor=who
        ),
        lambda s: submit_cycle(s, CYCLE, actor=who),
        lambda s: return_cycle(s, CYCLE, government=Government.US, comment="x", actor=who),
        lambda s: approve_cycle(s, CYCLE, government=Government.US, language="en", actor=who),
        lambda s: waive_approval(
            s, CYCLE, government=Government.US, language="en", reason="x", actor=who
        ),
        lambda s: lock_cycle(s, CYCLE, actor=who),
    ]
    for call in calls:
        with pytest.raises(refusal), us_node.database.transaction() as session:
            call(session)
    assert count(us_node, CycleStepRow) == steps_before
    assert count(us_node, StatusTextRow) == texts_before


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        (_principal("viewer", Role.VIEWER, Country.US), NotPermitted),
        (_principal("analyst-us", Role.ANALYST, Country.US), NotPermitted),
        (_principal("enlace-mx", Role.LIAISON, Country.MX), ForeignAccount),
    ],
    ids=["us-viewer", "us-analyst", "mx-liaison"],
)
def test_the_registry_services_check_who_acts_whatever_the_shell(
    us_node: Node, who: Principal, refusal: type[Exception]
) -> None:
    """The cooperation registry's writes check the acting user themselves: a role without
    coop.manage, or an account of the other government, is refused and nothing is written."""
    from alianza.cooperation import registry
    from alianza.cooperation.models import Deliverable, LiaisonPost

    with us_node.database.transaction() as session:
        post = registry.add_liaison_post(
            session, country="US", office="CBP", city="Mexico City", agency="CBP",
            role="customs-liaison", appointed_on=date(1999, 8, 31), source="t",
            actor=NodeSelf("t"),
        )  # fmt: skip
        registry.add_deliverable(
            session, key="us-study", title="US study", owner="ONDCP", country="US",
            source="t", actor=NodeSelf("t"),
        )  # fmt: skip
        post_id = post.id
    posts = count(us_node, LiaisonPost)
    calls: list[Callable[[Session], object]] = [
        lambda s: registry.add_liaison_post(
            s,
            country="US",
            office="X",
            city="Mexico City",
            agency="CBP",
            role="customs-liaison",
            appointed_on=date(2000, 1, 1),
            source="t",
            actor=who,
        ),
        lambda s: registry.end_record(s, f"liaison-post:{post_id}", date(2001, 1, 31), actor=who),
        lambda s: registry.complete_deliverable(s, "us-study", date(2000, 1, 31), actor=who),
    ]
    for call in calls:
        with pytest.raises(refusal), us_node.database.transaction() as session:
            call(session)
    assert count(us_node, LiaisonPost) == posts
    with us_node.database.reader() as session:
        assert session.get(LiaisonPost, post_id).ended_on is None  # type: ignore[union-attr]
        study = session.scalars(select(Deliverable).where(Deliverable.key == "us-study")).one()
        assert study.completed_on is None
