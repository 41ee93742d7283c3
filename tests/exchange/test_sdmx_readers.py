"""Every package reads the same in two independent SDMX libraries, pysdmx and sdmx1: its DSD
(``structure.xml``, SDMX-ML 2.1) and every table (SDMX-CSV 2.0), observation by observation
(keys, values and OBS_STATUS), and both agree with the tables the sender computed."""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.exchange.cube import quarter_tables
from alianza.exchange.sdmx import CONCEPTS, DIMENSIONS, Observation
from alianza.exchange.service import build_and_record, build_quarter, receive
from alianza.seizures.service import import_file
from tests.conftest import DATA
from tests.exchange.conftest import Node

TABLES = ("totals", "by_location", "by_concealment", "transport_methods")
Row = tuple[tuple[str, ...], float | None, str]  # key, value, OBS_STATUS


def _unpack(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(archive.read(name))
    return folder


def _value(text: object) -> float | None:
    if text is None or text == "" or (isinstance(text, float) and math.isnan(text)):
        return None
    return float(str(text))


def _pysdmx_rows(table: Path, structure: Path) -> set[Row]:
    from pysdmx.io import get_datasets

    (dataset,) = get_datasets(table, structure)
    frame = dataset.data
    return {
        (tuple(str(r[d]) for d in DIMENSIONS), _value(r["OBS_VALUE"]), str(r["OBS_STATUS"]))
        for r in frame.to_dict("records")
    }


def _sdmx1_rows(table: Path, structure: Path) -> set[Row]:
    import sdmx

    with structure.open("rb") as handle:
        dsd = sdmx.read_sdmx(handle).structure["ALZ_SEIZURES"]
    with table.open("rb") as handle:
        message = sdmx.read_sdmx(handle, format="csv", structure=dsd)
    rows = set()
    for dataset in message.data:
        for obs in dataset.obs:
            key = tuple(str(obs.dimension[d].value) for d in DIMENSIONS)
            status = str(obs.attached_attribute["OBS_STATUS"].value)
            rows.add((key, _value(obs.value), status))
    return rows


def _ours(observations: list[Observation]) -> set[Row]:
    return {(o.key(), o.value, o.status) for o in observations}


def _same(a: set[Row], b: set[Row]) -> None:
    """Equal sets of rows, values compared to the last bit a decimal text carries."""
    assert {r[0] for r in a} == {r[0] for r in b}
    by_key = {r[0]: r for r in b}
    for key, value, status in a:
        other = by_key[key]
        assert status == other[2], key
        if value is None or other[1] is None:
            assert value is other[1], key
        else:
            assert math.isclose(value, other[1], rel_tol=1e-15), key


@pytest.fixture
def packages(us_node: Node, mx_node: Node) -> list[tuple[bytes, dict[str, list[Observation]]]]:
    """A real CBP quarter (US, calendar and fiscal) and the Mexican findings file (tablets,
    accented places, a kilogram total that leaves records out)."""
    result = []
    import_file(
        us_node.database,
        DATA / "exchange" / "cbp-nationwide-fy2019.csv",
        "cbp-nationwide",
        actor=NodeSelf("test"),
    )
    for quarter, kind in (("2019-Q1", "calendar"), ("2019-Q2", "fiscal")):
        with us_node.database.reader() as session:
            tables, coverage = quarter_tables(
                session, country="US", quarter=quarter, period_kind=kind
            )
        data, _ = build_and_record(
            us_node.database,
            us_node.keys,
            quarter=quarter,
            tables=tables,
            coverage=coverage,
            period_kind=kind,
            actor=NodeSelf("test"),
        )
        result.append((data, tables))
    import_file(
        mx_node.database,
        DATA / "exchange" / "mx-2019-q2-findings.csv",
        "canonical",
        actor=NodeSelf("test"),
    )
    data, _ = build_quarter(
        mx_node.database, mx_node.keys, "2019-Q2", all_regions=True, actor=NodeSelf("test")
    )
    with mx_node.database.reader() as session:
        tables, _coverage = quarter_tables(session, country="MX", quarter="2019-Q2", regions=None)
    result.append((data, tables))
    return result


def test_every_table_reads_the_same_in_pysdmx_and_sdmx1(
    packages: list[tuple[bytes, dict[str, list[Observation]]]], tmp_path: Path
) -> None:
    for number, (data, tables) in enumerate(packages):
        folder = _unpack(data, tmp_path / str(number))
        structure = folder / "structure.xml"
        for name in TABLES:
            path = folder / "data" / f"{name}.csv"
            ours = _ours(tables[name])
            assert ours, (number, name)
            with_pysdmx = _pysdmx_rows(path, structure)
            with_sdmx1 = _sdmx1_rows(path, structure)
            _same(with_pysdmx, with_sdmx1)
            _same(with_pysdmx, ours)


def test_the_dsd_reads_the_same_in_pysdmx_and_sdmx1_with_spanish_names(
    packages: list[tuple[bytes, dict[str, list[Observation]]]], tmp_path: Path
) -> None:
    import sdmx
    from pysdmx.io import read_sdmx

    for number, (data, _tables) in enumerate(packages):
        structure = _unpack(data, tmp_path / str(number)) / "structure.xml"
        by_pysdmx = read_sdmx(structure)  # validates against the SDMX-ML 2.1 schemas
        with structure.open("rb") as handle:
            by_sdmx1 = sdmx.read_sdmx(handle)
        lists_pysdmx = {c.id: {code.id for code in c.codes} for c in by_pysdmx.get_codelists()}
        lists_sdmx1 = {i: {code.id for code in c} for i, c in by_sdmx1.codelist.items()}
        assert lists_pysdmx == lists_sdmx1
        dsd = by_sdmx1.structure["ALZ_SEIZURES"]
        (dsd_pysdmx,) = by_pysdmx.get_data_structure_definitions()
        dimensions = [c.id for c in dsd.dimensions.components]
        assert dimensions == list(DIMENSIONS)
        assert [c.id for c in dsd_pysdmx.components.dimensions] == dimensions
        assert [c.id for c in dsd.attributes.components] == ["OBS_STATUS"]
        # names of concepts and code lists in Spanish (and English)
        (scheme,) = by_sdmx1.concept_scheme.values()
        for concept in scheme:
            assert concept.name.localizations == dict(
                zip(("en", "es"), CONCEPTS[concept.id], strict=True)
            )
        for codelist in by_sdmx1.codelist.values():
            assert codelist.name.localizations["es"].startswith("Lista de códigos: ")
            for code in codelist:
                assert set(code.name.localizations) == {"en", "es"}
        assert by_sdmx1.codelist["CL_UNIT_MEASURE"]["TABLET"].name.localizations["es"] == (
            "Tabletas"
        )


def test_tables_of_structure_1_0_still_read_for_reverification() -> None:
    """Packages stored before UNIT_MEASURE (SDMX-CSV 1.0, a DATAFLOW column) verify again."""
    from alianza.exchange.sdmx import read_csv

    legacy = (
        b"DATAFLOW,REF_AREA,DRUG,LOCATION,CONCEALMENT,TRANSPORT_MODE,MEASURE,TIME_PERIOD,"
        b"OBS_VALUE,OBS_STATUS\n"
        b"ALZ:ALZ_SEIZURES(1.0),US,HEROIN,_T,_T,_T,AMOUNT_KG,2019-Q1,12.5,A\n"
        b"ALZ:ALZ_SEIZURES(1.0),US,HEROIN,_T,_T,_T,SEIZURES,2019-Q1,3,A\n"
    )
    rows = read_csv(legacy, table="totals")
    assert [(o.measure, o.unit_measure, o.value) for o in rows] == [
        ("AMOUNT_KG", "KG", 12.5),
        ("SEIZURES", "EVENT", 3.0),
    ]


def _as_structure_1_0(data: bytes, node: Node) -> bytes:
    """The same package as Alianza built it before structure 2.0, signed again by ``node``:
    SDMX-CSV 1.0 tables without UNIT_MEASURE, no structure.xml."""
    import base64
    import hashlib
    import json

    from alianza.exchange.package import canonical_zip

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    del files["structure.xml"], files["manifest.json"], files["manifest.sig"]
    for name in [n for n in files if n.startswith("data/")]:
        lines = files[name].decode().splitlines()
        out = [
            "DATAFLOW,REF_AREA,DRUG,LOCATION,CONCEALMENT,TRANSPORT_MODE,MEASURE,TIME_PERIOD,"
            "OBS_VALUE,OBS_STATUS"
        ]
        for line in lines[1:]:
            cells = line.split(",")
            out.append(",".join(["ALZ:ALZ_SEIZURES(1.0)", *cells[3:9], *cells[10:]]))
        files[name] = ("\n".join(out) + "\n").encode()
    identity = node.keys.identity
    manifest = {
        "files": {p: hashlib.sha256(b).hexdigest() for p, b in sorted(files.items())},
        "signer": {
            "node": identity.name,
            "country": identity.country,
            "fingerprint": identity.fingerprint,
            "algorithm": "Ed25519",
        },
    }
    files["manifest.json"] = json.dumps(manifest, indent=2, sort_keys=True).encode()
    files["manifest.sig"] = base64.b64encode(node.keys.sign(files["manifest.json"])) + b"\n"
    return canonical_zip(files)


def test_a_new_package_of_structure_1_0_is_refused_on_receipt(us_node: Node, mx_node: Node) -> None:
    """Only structure 2.0 (tables both SDMX readers read, with their DSD) is received now;
    1.0 is read only to verify packages stored before again."""
    from alianza.exchange.keys import NodeIdentity
    from alianza.exchange.package import PackageRefused, verify_package
    from tests.exchange.conftest import COVERAGE, sample_tables

    tables = sample_tables("MX", "2019-Q1")
    data, _ = build_and_record(
        mx_node.database,
        mx_node.keys,
        quarter="2019-Q1",
        tables=tables,
        coverage=COVERAGE,
        actor=NodeSelf("test"),
    )
    old = _as_structure_1_0(data, mx_node)
    trusted: dict[str, NodeIdentity] = {mx_node.keys.identity.fingerprint: mx_node.keys.identity}
    again = verify_package(old, trusted)  # as re-verification reads a stored package
    assert {n: sorted(r, key=Observation.key) for n, r in again.tables.items()} == {
        n: sorted(r, key=Observation.key) for n, r in tables.items()
    }
    with pytest.raises(PackageRefused) as refused:
        receive(us_node.database, old, actor=NodeSelf("test"))
    assert (refused.value.code, refused.value.message) == (
        "missing-file",
        "structure.xml is missing",
    )
