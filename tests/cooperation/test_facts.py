"""The 1999 facts file: every fact is recorded as written and cites a seed paragraph."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from alianza.actors import NodeSelf
from alianza.cooperation import registry
from alianza.cooperation.facts import FACTS_1999, NATIONAL_FACTS_1999
from alianza.cooperation.measures import MEASURES, _Records
from alianza.cooperation.models import Mechanism, Meeting
from alianza.db import Database
from alianza.pme.query import Address, paragraph_at
from alianza.pme.read import read_report
from alianza.pme.service import SEED_REPORT

SECTIONS = ("mechanisms", "meetings", "liaison_posts", "deliverables", "technology", "training")
BINATIONAL = json.loads(FACTS_1999.read_text("utf-8"))
NATIONAL = {c: json.loads(p.read_text("utf-8")) for c, p in NATIONAL_FACTS_1999.items()}
# What the US node (facts_db) holds: the binational records, then its own government's.
FACTS = {s: BINATIONAL[s] + NATIONAL["US"][s] for s in SECTIONS}
KINDS = {
    "mechanisms": "mechanism",
    "meetings": "meeting",
    "liaison_posts": "liaison-post",
    "deliverables": "deliverable",
    "technology": "technology",
    "training": "training",
}


def test_facts_cite_paragraphs_that_exist_in_the_seed() -> None:
    report = read_report(SEED_REPORT).report
    assert report is not None
    for section in KINDS:
        for fact in BINATIONAL[section] + NATIONAL["US"][section] + NATIONAL["MX"][section]:
            for key in ("source", "completion_source"):
                if key in fact:
                    paragraph_at(report, Address.parse(fact[key]))  # raises if absent


def test_load_facts_records_every_fact_as_written(facts_db: Database) -> None:
    with facts_db.reader() as session:
        held = {kind: registry.list_records(session, kind) for kind in KINDS.values()}
    for section, kind in KINDS.items():
        assert len(held[kind]) == len(FACTS[section]), kind
        for fact, record in zip(FACTS[section], held[kind], strict=True):
            for name, value in fact.items():
                if name in ("parent", "mechanism", "completion_source"):
                    continue
                if name == "completed_on":
                    assert str(record[name]) == value
                    continue
                if name == "precision" and section == "deliverables":
                    continue
                assert str(record[name]) == str(value), (kind, name)


meeting_dates = st.lists(st.dates(date(1995, 1, 1), date(2005, 12, 31)), max_size=40)


@settings(max_examples=80)
@given(meeting_dates, st.dates(date(1995, 1, 1), date(2005, 12, 31)), st.integers(1, 5))
def test_meetings_measure_counts_like_a_plain_filter(
    days: list[date], as_of: date, at_least: int
) -> None:
    hlcg = Mechanism(id=1, key="hlcg", kind="hlcg")
    meetings = [
        Meeting(id=n, mechanism_id=1, held_on=day, precision="exact", topics=[])
        for n, day in enumerate(days, start=1)
    ]
    computed = MEASURES["meetings"](
        _Records(mechanisms=[hlcg], meetings=meetings),
        as_of,
        {"mechanism": "hlcg", "at_least": str(at_least)},
    )
    held = sorted(day for day in days if day <= as_of)
    assert computed.value == len(held)
    assert computed.met_on == (held[at_least - 1] if len(held) >= at_least else None)
    assert len(computed.records) == len(held)


def test_each_national_facts_file_holds_its_own_governments_records_only() -> None:
    """The split of the 1999 facts: no record of Mexico in the US file, and the reverse; the
    binational file holds no national record."""
    for country, facts in NATIONAL.items():
        for section in ("liaison_posts", "technology", "training", "deliverables"):
            assert {f["country"] for f in facts[section]} <= {country}, (country, section)
        for meeting in facts["meetings"]:
            assert {p["country"] for p in meeting["participants"]} == {country}
    for section in ("liaison_posts", "technology", "training"):
        assert BINATIONAL[section] == []
    assert all("country" not in d for d in BINATIONAL["deliverables"])
    # The 1999 report's three customs-liaison posts: the USCS attaché (US), SHCP twice (MX).
    assert [p["agency"] for p in NATIONAL["US"]["liaison_posts"]] == ["USCS"]
    assert [p["agency"] for p in NATIONAL["MX"]["liaison_posts"]] == ["SHCP", "SHCP"]


def test_loading_the_facts_twice_changes_nothing(facts_db: Database) -> None:
    from alianza.cooperation.facts import load_seed_facts

    with facts_db.transaction() as session:
        again = load_seed_facts(session, actor=NodeSelf("test"))
    assert [loaded.created for loaded in again] == [{}, {}]
