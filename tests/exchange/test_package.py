"""Building, verifying and storing packages between two nodes (library level)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.keys import create_node_keys
from alianza.exchange.models import Event, Observation, Package
from alianza.exchange.package import PackageRefused, build_package, canonical_zip, verify_package
from alianza.exchange.sdmx import Observation as Obs
from alianza.exchange.service import build_and_record, partner_tables, receive
from tests.exchange.conftest import COVERAGE, Node, sample_tables


def counts(database: Database) -> tuple[int, int, int]:
    with database.reader() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Package, Observation, Event)
        )


def build(node: Node, quarter: str = "2019-Q1", seed: int = 1) -> bytes:
    tables = sample_tables(node.keys.identity.country, quarter, seed)
    data, _result = build_and_record(
        node.database,
        node.keys,
        quarter=quarter,
        tables=tables,
        coverage=COVERAGE,
        actor=NodeSelf("test"),
    )
    return data


def test_receive_gives_the_partner_the_senders_tables(us_node: Node, mx_node: Node) -> None:
    data = build(us_node)
    result, country, quarter = receive(mx_node.database, data, actor=NodeSelf("test"))
    assert (result.status, country, quarter) == ("stored", "US", "2019-Q1")
    with mx_node.database.reader() as session:
        received = partner_tables(session, "US", "2019-Q1")
    expected = sample_tables("US", "2019-Q1")
    assert received == {name: sorted(rows, key=Obs.key) for name, rows in expected.items()}
    missing = [o for o in received["totals"] if o.status == "M"]
    assert [(o.drug, o.value) for o in missing] == [("OTHER", None)]
    with mx_node.database.reader() as session:  # one table alone (the threat assessment's)
        totals = partner_tables(session, "US", "2019-Q1", only="totals")
    assert len(expected) > 1
    assert totals == {"totals": sorted(expected["totals"], key=Obs.key)}


def test_receive_same_package_twice_stores_it_once(us_node: Node, mx_node: Node) -> None:
    data = build(us_node)
    receive(mx_node.database, data, actor=NodeSelf("test"))
    before = counts(mx_node.database)
    result, _c, _q = receive(mx_node.database, data, actor=NodeSelf("test"))
    assert result.status == "duplicate"
    assert counts(mx_node.database) == before


def test_later_version_supersedes_and_replay_is_refused(us_node: Node, mx_node: Node) -> None:
    first = build(us_node, seed=1)
    second = build(us_node, seed=2)
    receive(mx_node.database, first, actor=NodeSelf("test"))
    result, _c, _q = receive(mx_node.database, second, actor=NodeSelf("test"))
    assert result.superseded == 1
    with mx_node.database.reader() as session:
        versions = session.execute(
            select(Package.version, Package.superseded_at).where(Package.direction == "inbound")
        ).all()
        assert partner_tables(session, "US", "2019-Q1")["totals"] == sorted(
            sample_tables("US", "2019-Q1", 2)["totals"], key=Obs.key
        )
    assert sorted((v, at is None) for v, at in versions) == [(1, False), (2, True)]
    before = counts(mx_node.database)
    with pytest.raises(PackageRefused) as refused:
        receive(mx_node.database, first, actor=NodeSelf("test"))  # replaying the old version
    assert refused.value.code == "stale-version"
    assert counts(mx_node.database) == before


def test_flipping_any_byte_is_refused_with_nothing_written(us_node: Node, mx_node: Node) -> None:
    data = build(us_node)
    before = counts(mx_node.database)
    positions = sorted(set(range(0, len(data), max(1, len(data) // 97))) | {len(data) - 1})
    codes = set()
    for position in positions:
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        with pytest.raises(PackageRefused) as refused:
            receive(mx_node.database, bytes(tampered), actor=NodeSelf("test"))
        codes.add(refused.value.code)
    assert counts(mx_node.database) == before
    assert codes <= {
        "malformed",
        "checksum-mismatch",
        "bad-signature",
        "unknown-signer",
        "unexpected-file",
        "missing-file",
    }
    assert len(positions) > 90


def repack(data: bytes, change: dict[str, bytes | None]) -> bytes:
    files = {
        i.filename: zipfile.ZipFile(io.BytesIO(data)).read(i)
        for i in zipfile.ZipFile(io.BytesIO(data)).infolist()
    }
    for name, body in change.items():
        if body is None:
            files.pop(name, None)
        else:
            files[name] = body
    return canonical_zip(files)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"data/totals.csv": None}, "missing-file"),
        ({"manifest.sig": None}, "unsigned"),
        ({"data/extra.csv": b"x"}, "unexpected-file"),
        ({"data/totals.csv": b"DATAFLOW\n"}, "checksum-mismatch"),
    ],
)
def test_altered_package_is_refused(
    us_node: Node, mx_node: Node, change: dict[str, bytes | None], code: str
) -> None:
    altered = repack(build(us_node), change)
    before = counts(mx_node.database)
    with pytest.raises(PackageRefused) as refused:
        receive(mx_node.database, altered, actor=NodeSelf("test"))
    assert refused.value.code == code
    assert counts(mx_node.database) == before


def test_package_signed_by_an_untrusted_key_is_refused(
    us_node: Node, mx_node: Node, tmp_path_factory: pytest.TempPathFactory
) -> None:
    intruder = create_node_keys(
        tmp_path_factory.mktemp("intruder"), name="US node (CBP)", country="US"
    )
    forged = build_package(
        intruder,
        quarter="2019-Q1",
        tables=sample_tables("US", "2019-Q1"),
        coverage=COVERAGE,
        version=9,
        extracted_at=datetime(2019, 5, 1),
    )
    with pytest.raises(PackageRefused) as refused:
        receive(mx_node.database, forged, actor=NodeSelf("test"))
    assert refused.value.code == "unknown-signer"
    # the intruder's signature under the trusted partner's fingerprint does not verify either
    import json

    files = {
        i.filename: zipfile.ZipFile(io.BytesIO(forged)).read(i)
        for i in zipfile.ZipFile(io.BytesIO(forged)).infolist()
    }
    manifest = json.loads(files["manifest.json"])
    manifest["signer"]["fingerprint"] = us_node.keys.identity.fingerprint
    files["manifest.json"] = json.dumps(manifest, indent=2, sort_keys=True).encode()
    with pytest.raises(PackageRefused) as refused:
        receive(mx_node.database, canonical_zip(files), actor=NodeSelf("test"))
    assert refused.value.code == "bad-signature"
    assert counts(mx_node.database) == (0, 0, 0)


def test_oversized_and_non_zip_packages_are_refused(us_node: Node, mx_node: Node) -> None:
    for data, code in [(b"\0" * (20 * 1024 * 1024 + 1), "too-large"), (b"not a zip", "malformed")]:
        with pytest.raises(PackageRefused) as refused:
            receive(mx_node.database, data, actor=NodeSelf("test"))
        assert refused.value.code == code


def test_package_with_an_observation_of_another_quarter_is_refused(us_node: Node) -> None:
    tables = sample_tables("US", "2019-Q1")
    tables["totals"].append(Obs("US", "HEROIN", "_T", "_T", "_T", "SEIZURES", "2019-Q2", 3))

    data = build_package(
        us_node.keys,
        quarter="2019-Q1",
        tables=tables,
        coverage=COVERAGE,
        version=1,
        extracted_at=datetime(2019, 5, 1),
    )
    identity = us_node.keys.identity
    with pytest.raises(PackageRefused) as refused:
        verify_package(data, {identity.fingerprint: identity})
    assert refused.value.code == "quarter-mismatch"


VALUES = st.one_of(st.none(), st.integers(0, 10**6), st.floats(0, 1e7, allow_nan=False))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["HEROIN", "COCAINE", "MARIJUANA"]),
            st.sampled_from(["_T", "SAN_YSIDRO", "NOGALES"]),
            st.sampled_from(["SEIZURES", "AMOUNT_KG"]),
            VALUES,
        ),
        unique_by=lambda t: t[:3],
        max_size=20,
    )
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_build_then_verify_preserves_every_figure(us_node: Node, rows: list[tuple]) -> None:  # type: ignore[type-arg]

    tables = {
        "by_location": [
            Obs(
                "US",
                drug,
                location,
                "_T",
                "_T",
                measure,
                "2020-Q3",
                value,
                "M" if value is None else "A",
            )
            for drug, location, measure, value in rows
        ]
    }
    data = build_package(
        us_node.keys,
        quarter="2020-Q3",
        tables=tables,
        coverage={},
        version=1,
        extracted_at=datetime(2020, 11, 1),
    )
    identity = us_node.keys.identity
    verified = verify_package(data, {identity.fingerprint: identity})
    assert verified.tables["by_location"] == sorted(tables["by_location"], key=Obs.key)
    assert verified.tables["totals"] == []
