"""Cooperation-registry pages: the 1999 facts and the measures computed from them, adding
records (validated, audited), read-only roles, and nominal data kept to its country."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from alianza import audit
from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_seed_facts
from alianza.cooperation.models import LiaisonPost, Mechanism, Meeting, Technology, Training
from alianza.db import Database
from tests.web.conftest import csrf_of, log_in


@pytest.fixture
def facts(web_db: Database) -> Database:
    with web_db.transaction() as session:
        load_seed_facts(session, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
    return web_db


def measure_row(html: str, measurement: str) -> str:
    match = re.search(rf"{re.escape(measurement)}</a>.*?</tr>", html, re.S)
    assert match, measurement
    return match.group(0)


def count(database: Database, model: type) -> int:
    with database.reader() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_measures_as_of_1999_reproduce_the_seed(client: TestClient, facts: Database) -> None:
    log_in(client, "viewer")
    page = client.get("/coop?as_of=1999-08-31").text
    subgroups = measure_row(page, "10.4.1/measurements/1")
    assert "8 of 9" in subgroups
    assert "overdue" in subgroups
    assert "mechanism:" in subgroups  # the records behind the value are listed
    # the registry itself: mechanisms with their subgroups nested, meetings, posts, studies
    with facts.reader() as session:
        blms = session.scalars(select(Mechanism).where(Mechanism.kind == "blm")).all()
        meetings = session.scalar(select(func.count()).select_from(Meeting))
    tree = re.search(r'id="mechanisms".*?</ul>\s*\n<', page, re.S)
    assert tree
    for blm in blms:
        assert blm.name in page
    assert len(re.findall(r"<tr>", re.search(r'id="meetings".*?</table>', page, re.S)[0])) == (
        (meetings or 0) + 1  # the header row
    )
    # a later date: the measure is computed as of that date (the records have not changed)
    later = measure_row(client.get("/coop?as_of=2000-12-31").text, "10.4.1/measurements/1")
    assert "8 of 9" in later


def test_spanish_page(client: TestClient, facts: Database) -> None:
    log_in(client, "coordinador")  # a Mexican user: Spanish by default
    page = client.get("/coop?as_of=1999-08-31").text
    assert "Registro de cooperación" in page
    subgroups = measure_row(page, "10.4.1/measurements/1")
    assert "vencida" in subgroups
    assert "8 de 9 MEF con subgrupo" in subgroups  # the computed value in Spanish too
    assert "8 of 9" not in subgroups
    assert "Mecanismos y subgrupos" in page


def test_liaison_adds_a_subgroup_and_the_measure_counts_it(
    client: TestClient, facts: Database
) -> None:
    """Recording the ninth subgroup on 1999-10-15 makes 10.4.1 met late as of that date."""
    with facts.reader() as session:
        blms = session.scalars(select(Mechanism).where(Mechanism.kind == "blm")).all()
        covered = {
            m.parent_id
            for m in session.scalars(select(Mechanism).where(Mechanism.kind == "subgroup"))
            if m.topic == "border-public-safety"
        }
    missing = next(b for b in blms if b.id not in covered)
    log_in(client, "liaison")
    csrf = csrf_of(client, "/coop")
    response = client.post(
        "/coop/records/mechanism",
        data={
            "csrf_token": csrf,
            "key": "bps-ninth",
            "kind": "subgroup",
            "name": "Border Public Safety subgroup",
            "parent": missing.key,
            "topic": "border-public-safety",
            "formed_on": "1999-10-15",
            "precision": "exact",
            "source": "test",
        },
    )
    assert response.status_code == 303
    page = client.get("/coop?as_of=1999-10-15").text
    row = measure_row(page, "10.4.1/measurements/1")
    assert "9 de 9" in row  # the liaison user is Mexican: the page is in Spanish
    assert "cumplida tarde" in row  # met late
    with facts.reader() as session:
        entry = session.scalars(
            select(audit.AuditEntry).order_by(audit.AuditEntry.id.desc()).limit(1)
        ).one()
    assert entry.actor == "liaison"
    assert entry.action == "cooperation.mechanism.record"


def test_invalid_form_names_the_field_and_writes_nothing(
    client: TestClient, facts: Database
) -> None:
    log_in(client, "coordinator")
    csrf = csrf_of(client, "/coop")
    before = (count(facts, Mechanism), count(facts, Meeting), count(facts, LiaisonPost))
    bad_date = client.post(
        "/coop/records/meeting",
        data={
            "csrf_token": csrf,
            "mechanism": "hlcg",
            "held_on": "31/08/1999",
            "precision": "exact",
            "source": "test",
            "people_us": "0",
            "people_mx": "0",
        },
    )
    assert bad_date.status_code == 422
    assert "held_on" in bad_date.text
    assert "is not a date" in bad_date.text
    orphan = client.post(
        "/coop/records/mechanism",
        data={
            "csrf_token": csrf,
            "key": "orphan",
            "kind": "subgroup",
            "name": "x",
            "precision": "exact",
            "source": "test",
        },
    )
    assert orphan.status_code == 422
    assert "needs the mechanism it belongs to" in orphan.text
    no_source = client.post(
        "/coop/records/liaison-post",
        data={
            "csrf_token": csrf,
            "country": "MX",
            "office": "Consulate",
            "city": "Dallas",
            "agency": "SHCP",
            "role": "customs-liaison",
            "appointed_on": "1999-01-01",
            "precision": "exact",
        },
    )
    assert no_source.status_code == 422
    assert "source: required" in no_source.text
    after = (count(facts, Mechanism), count(facts, Meeting), count(facts, LiaisonPost))
    assert after == before


def test_meeting_and_study_forms(client: TestClient, facts: Database) -> None:
    log_in(client, "coordinador")
    csrf = csrf_of(client, "/coop")
    with facts.reader() as session:
        key = session.scalars(select(Mechanism.key).order_by(Mechanism.id)).first()
    meeting = client.post(
        "/coop/records/meeting",
        data={
            "csrf_token": csrf,
            "mechanism": key,
            "held_on": "1999-11-04",
            "precision": "exact",
            "place": "Ciudad Juárez",
            "people_us": "3",
            "level_us": "federal",
            "people_mx": "4",
            "level_mx": "state",
            "topics": "rail, ports",
            "source": "minutes 1999-11",
        },
    )
    assert meeting.status_code == 303
    with facts.reader() as session:
        row = session.scalars(select(Meeting).order_by(Meeting.id.desc()).limit(1)).one()
    assert row.held_on == date(1999, 11, 4)
    assert row.participants == [
        {"country": "US", "level": "federal", "people": 3},
        {"country": "MX", "level": "state", "people": 4},
    ]
    assert row.topics == ["rail", "ports"]
    study = client.post(
        "/coop/records/deliverable",
        data={
            "csrf_token": csrf,
            "key": "rail-study-2",
            "title": "Rail smuggling follow-up",
            "title_es": "Seguimiento del contrabando por ferrocarril",
            "owner": "HLCG",
            "due_on": "2000-06-30",
            "source": "test",
        },
    )
    assert study.status_code == 303
    done = client.post(
        "/coop/records/complete",
        data={"csrf_token": csrf, "key": "rail-study-2", "completed_on": "2000-05-01"},
    )
    assert done.status_code == 303
    page = client.get("/coop").text
    assert "Seguimiento del contrabando por ferrocarril" in page  # Spanish title for es


def test_viewer_and_analyst_cannot_write(client: TestClient, facts: Database) -> None:
    for username in ("viewer", "analyst"):
        log_in(client, username)
        page = client.get("/coop").text
        assert 'action="/coop/records/' not in page
        csrf = csrf_of(client, "/coop")
        refused = client.post(
            "/coop/records/mechanism",
            data={"csrf_token": csrf, "key": "x", "kind": "hlcg", "name": "x", "source": "x"},
        )
        assert refused.status_code == 403
        client.post("/logout", data={"csrf_token": csrf})
    with facts.reader() as session:
        assert session.scalars(select(Mechanism).where(Mechanism.key == "x")).first() is None


def test_officer_names_stay_with_their_country(
    client: TestClient, mx_client: TestClient, web_db: Database
) -> None:
    from alianza.cooperation import registry

    with web_db.transaction() as session:
        registry.add_liaison_post(
            session,
            country="US",
            office="Consulate General",
            city="Monterrey",
            agency="USCS",
            role="customs-liaison",
            officer="Jane Roe",
            appointed_on=date(1999, 3, 1),
            source="test",
            actor=NodeSelf("test"),
        )
    log_in(client, "coordinator")  # US
    assert "Jane Roe" in client.get("/coop").text
    log_in(mx_client, "oficial")  # MX (on a database that still held the US post)
    page = mx_client.get("/coop").text
    assert "Jane Roe" not in page
    assert "Monterrey" in page
    api = mx_client.get("/api/v1/coop/liaison-post").json()
    assert "officer" not in api["records"][0]


def test_threat_assessment_draft_downloads(client: TestClient, facts: Database) -> None:
    log_in(client, "viewer")
    response = client.get("/coop/threat-assessment?first=1999-01-01&last=1999-12-31&language=es")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("# ")
    assert "1999-01-01" in response.text
    backwards = client.get("/coop/threat-assessment?first=1999-12-31&last=1999-01-01")
    assert backwards.status_code == 422


def last_audit(database: Database) -> audit.AuditEntry:
    with database.reader() as session:
        return session.scalars(
            select(audit.AuditEntry).order_by(audit.AuditEntry.id.desc()).limit(1)
        ).one()


def test_technology_form_feeds_10_7(client: TestClient, facts: Database) -> None:
    """The US node's 1999 facts hold its two deployments (facts-1999-us.json, dated
    1999-08-31; Mexico's four are on the MX node); a third recorded from the page is counted
    by 10.7/measurements/2 from its date on. A Mexican deployment is refused, naming the
    field, and changes nothing."""
    log_in(client, "coordinator")
    before = measure_row(client.get("/coop?as_of=1999-12-31").text, "10.7/measurements/2")
    assert "2 deployments" in before
    fields = {
        "csrf_token": csrf_of(client, "/coop"),
        "kind": "x-ray",
        "country": "US",
        "place": "Laredo",
        "port_code": "",
        "deployed_on": "1999-10-20",
        "precision": "exact",
        "source": "test",
    }
    mexican = client.post("/coop/records/technology", data=fields | {"country": "MX"})
    assert mexican.status_code == 422
    assert "this node is the US node; the technology deployment reports MX (country)" in (
        mexican.text
    )
    assert 'id="error-technology-country"' in mexican.text
    assert count(facts, Technology) == 2
    response = client.post("/coop/records/technology", data=fields)
    assert response.status_code == 303
    page = client.get("/coop?as_of=1999-12-31").text
    assert "3 deployments" in measure_row(page, "10.7/measurements/2")
    assert "2 deployments" in measure_row(
        client.get("/coop?as_of=1999-10-19").text, "10.7/measurements/2"
    )
    assert "Laredo" in re.search(r'id="technology".*?</table>', page, re.S)[0]
    entry = last_audit(facts)
    assert (entry.actor, entry.action) == ("coordinator", "cooperation.technology.record")


def test_training_form_records_the_nodes_own_training(client: TestClient, facts: Database) -> None:
    """No training is in the 1999 facts. On the US node the form records the training of US
    officers; the training of Mexican officials (10.8/measurements/2, bound on the MX node)
    is Mexico's record: refused here, in the page's language, naming the field."""
    log_in(client, "coordinador")  # reads Spanish
    fields = {
        "csrf_token": csrf_of(client, "/coop"),
        "subject": "large-x-ray-and-ion-scanners",
        "country": "MX",
        "agency": "SHCP",
        "trainer": "USCS",
        "people": "12",
        "held_on": "1999-11-15",
        "precision": "exact",
        "source": "test",
    }
    refused = client.post("/coop/records/training", data=fields)
    assert refused.status_code == 422
    assert "este nodo es el nodo de EE. UU.; el registro (training event) reporta MX" in (
        refused.text
    )
    assert count(facts, Training) == 0
    response = client.post(
        "/coop/records/training", data=fields | {"country": "US", "agency": "CBP"}
    )
    assert response.status_code == 303
    assert count(facts, Training) == 1
    entry = last_audit(facts)
    assert (entry.actor, entry.action) == ("coordinador", "cooperation.training.record")


def test_end_form_takes_a_post_out_of_10_4(client: TestClient, facts: Database) -> None:
    """The US node's customs-liaison post of the 1999 facts (Mexico's two are on the MX node);
    ending it on 1999-10-01 leaves US 0 from that date."""
    with facts.reader() as session:
        post = session.scalars(select(LiaisonPost).where(LiaisonPost.country == "US")).one()
    log_in(client, "liaison")
    client.get("/lang/en")
    before = measure_row(client.get("/coop?as_of=1999-12-31").text, "10.4/measurements/1")
    assert "(US 1; MX&#39;s posts are held on the MX node)" in before
    response = client.post(
        "/coop/records/end",
        data={
            "csrf_token": csrf_of(client, "/coop"),
            "record": f"liaison-post:{post.id}",
            "ended_on": "1999-10-01",
        },
    )
    assert response.status_code == 303
    after = measure_row(client.get("/coop?as_of=1999-12-31").text, "10.4/measurements/1")
    assert "0 customs liaison posts filled (US 0;" in after
    assert "(US 1;" in measure_row(client.get("/coop?as_of=1999-09-30").text, "10.4/measurements/1")
    entry = last_audit(facts)
    assert (entry.actor, entry.action) == ("liaison", "cooperation.liaison-post.end")
    # an ended post is no longer offered; ending before the start is refused
    assert f'value="liaison-post:{post.id}"' not in client.get("/coop").text
    early = client.post(
        "/coop/records/end",
        data={
            "csrf_token": csrf_of(client, "/coop"),
            "record": f"liaison-post:{post.id}",
            "ended_on": "1990-01-01",
        },
    )
    assert early.status_code == 422
    assert "cannot end (1990-01-01) before it starts" in early.text


def test_field_errors_are_shown_beside_the_field(client: TestClient, facts: Database) -> None:
    log_in(client, "coordinador")  # Spanish
    response = client.post(
        "/coop/records/training",
        data={
            "csrf_token": csrf_of(client, "/coop"),
            "subject": "x",
            "country": "MX",
            "agency": "SHCP",
            "people": "doce",
            "held_on": "1999-11-15",
            "precision": "exact",
            "source": "test",
        },
    )
    assert response.status_code == 422
    field = re.search(r'<label for="g-people">.*?</label>\s*<span[^>]*>[^<]*</span>', response.text)
    assert field, "no error beside the people field"
    assert 'aria-invalid="true" aria-describedby="error-training-people"' in field.group(0)
    assert "people: &#39;doce&#39; no es un número entero de 0 o más" in field.group(0)
    assert 'id="error-training-people"' in field.group(0)
    missing = client.post(
        "/coop/records/technology",
        data={"csrf_token": csrf_of(client, "/coop"), "kind": "x-ray", "country": "MX"},
    )
    assert missing.status_code == 422
    assert re.search(
        r'<label for="x-place">.*?</label><span[^>]*id="error-technology-place">place: '
        r"obligatorio</span>",
        missing.text,
    )
    assert count(facts, Training) == 0
