"""Exchange packages: one ZIP file, signed by the sending node.

Contents::

    datapackage.json        Frictionless Data Package descriptor (who, which quarter, when,
                            which version, the tables and their fields)
    data/<table>.csv        SDMX-CSV 2.0 tables (see alianza.exchange.sdmx)
    structure.xml           the SDMX-ML 2.1 data structure (DSD) of the tables, with every
                            code they use (a LOCATION list of the places actually reported)
    (the ZIP is canonical: stored, sorted, fixed times; any other byte sequence is refused)
    coverage.json           what the tables do not cover ("not reported" dimensions, sources)
    manifest.json           SHA-256 of every file above, and the signer's fingerprint
    manifest.sig            Ed25519 signature over manifest.json (base64)

:func:`verify_package` checks, in order: size and shape of the ZIP, presence of the manifest and
signature, the signer (a trusted partner), the signature, every checksum (no file missing or
extra), the descriptor, the tables (structure and code lists) and that every observation is of
the package's quarter (TIME_PERIOD is the calendar quarter, also of a fiscal package). Any
failure raises :class:`PackageRefused` with a stable code.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alianza import __version__
from alianza.exchange import messages as m
from alianza.exchange.keys import NodeIdentity, NodeKeys, verify_signature
from alianza.exchange.messages import Message
from alianza.exchange.periods import time_period
from alianza.exchange.sdmx import (
    DATAFLOW,
    DIMENSIONS,
    PREFIX,
    QUARTER,
    STATUSES,
    TABLES,
    Observation,
    TableError,
    dsd_xml,
    read_csv,
    write_csv,
)

MAX_PACKAGE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_FILES = 64
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_SAFE_NAME = re.compile(
    r"^(datapackage\.json|coverage\.json|manifest\.json|manifest\.sig|structure\.xml"
    r"|data/[a-z_]+\.csv)$"
)


class PackageRefused(Exception):
    """A package that must not be loaded; ``code`` is stable, the message says why (in English,
    ``message``, and in Spanish, ``message_es``; ``reason`` is the message's own stable code,
    see :mod:`alianza.exchange.messages`)."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(f"{message.en} [{code}]")
        self.code = code
        self.message = message.en
        self.message_es = message.es
        self.reason = message.code
        # True when refused before a trusted partner's signature was verified: the bytes may
        # come from anyone (the endpoint counts these instead of logging each one)
        self.unverified = False


@dataclass(frozen=True)
class PackageInfo:
    node: str
    country: str
    quarter: str
    period_kind: str  # "calendar" or "fiscal"
    version: int
    extracted_at: str


@dataclass(frozen=True)
class VerifiedPackage:
    info: PackageInfo
    signer: NodeIdentity
    tables: dict[str, list[Observation]]
    coverage: dict[str, Any]
    sha256: str
    size: int


def _fields() -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = [{"name": name, "type": "string"} for name in PREFIX]
    fields += [{"name": d, "type": "string"} for d in DIMENSIONS]
    fields += [
        {"name": "OBS_VALUE", "type": "number", "description": "empty when OBS_STATUS is M"},
        {"name": "OBS_STATUS", "type": "string", "constraints": {"enum": sorted(STATUSES)}},
    ]
    return fields


def build_package(
    keys: NodeKeys,
    *,
    quarter: str,
    tables: Mapping[str, list[Observation]],
    coverage: Mapping[str, Any],
    version: int,
    extracted_at: datetime,
    period_kind: str = "calendar",
) -> bytes:
    """The signed ZIP of one quarter's tables. A fiscal package's observations have the
    calendar quarter as TIME_PERIOD (FY2026-Q1: ``2025-Q4``); ``quarter`` is the fiscal one."""
    from alianza.exchange.cube import dsd_codelists

    if not QUARTER.match(quarter):
        raise ValueError(m.QUARTER_FORM.said(quarter=quarter))
    if period_kind not in ("calendar", "fiscal"):
        raise ValueError(m.PERIOD_KIND.said(kind=period_kind))
    period = time_period(quarter, period_kind)
    identity = keys.identity
    files: dict[str, bytes] = {}
    resources = []
    for name in TABLES:
        path = f"data/{name}.csv"
        files[path] = write_csv(tables.get(name, []))
        resources.append(
            {
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"header": True},
                "sdmx": {"format": "SDMX-CSV 2.0", "dataflow": DATAFLOW},
                "schema": {"fields": _fields()},
            }
        )
    names = coverage.get("location_names")
    structure = dsd_xml(
        dsd_codelists(tables, names if isinstance(names, dict) else None),
        extracted_at.isoformat(timespec="seconds"),
    )
    files["structure.xml"] = structure.encode("utf-8")
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"alianza-seizures-{identity.country.lower()}-{quarter.lower()}",
        "title": f"Drug seizures, {identity.country}, {quarter} ({period_kind})",
        "version": str(version),
        "created": extracted_at.isoformat(timespec="seconds"),
        "alianza": {
            "node": identity.name,
            "country": identity.country,
            "quarter": quarter,
            "period_kind": period_kind,
            "time_period": period,
            "version": version,
            "extracted_at": extracted_at.isoformat(timespec="seconds"),
            "software": f"alianza {__version__}",
        },
        "resources": resources,
    }
    files["datapackage.json"] = json.dumps(descriptor, indent=2, sort_keys=True).encode()
    files["coverage.json"] = json.dumps(coverage, indent=2, sort_keys=True).encode()
    manifest = {
        "files": {path: hashlib.sha256(body).hexdigest() for path, body in sorted(files.items())},
        "signer": {
            "node": identity.name,
            "country": identity.country,
            "fingerprint": identity.fingerprint,
            "algorithm": "Ed25519",
        },
    }
    files["manifest.json"] = json.dumps(manifest, indent=2, sort_keys=True).encode()
    files["manifest.sig"] = base64.b64encode(keys.sign(files["manifest.json"])) + b"\n"
    return canonical_zip(files)


def canonical_zip(files: Mapping[str, bytes]) -> bytes:
    """The one byte sequence a package with these files may have: stored (uncompressed),
    sorted, fixed timestamps. Receivers rebuild it and compare, so that no byte of the
    container (headers, comments, padding) can change unnoticed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, FIXED_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    return buffer.getvalue()


def _unpack(data: bytes) -> dict[str, bytes]:
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageRefused("too-large", m.TOO_LARGE(size=len(data), limit=MAX_PACKAGE_BYTES))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError) as error:
        raise PackageRefused("malformed", m.NOT_ZIP(error=error)) from None
    if len(members) > MAX_FILES:
        raise PackageRefused("malformed", m.TOO_MANY_FILES(count=len(members), limit=MAX_FILES))
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise PackageRefused("too-large", m.UNPACKS_TOO_LARGE(limit=MAX_UNPACKED_BYTES))
    files: dict[str, bytes] = {}
    for member in members:
        if not _SAFE_NAME.match(member.filename):
            raise PackageRefused("unexpected-file", m.UNEXPECTED_FILE(name=member.filename))
        if member.filename in files:
            raise PackageRefused("malformed", m.FILE_TWICE(name=member.filename))
        try:
            body = archive.read(member)
        except (
            zipfile.BadZipFile,
            ValueError,
            OSError,
            NotImplementedError,
            RuntimeError,
        ) as error:
            # NotImplementedError: unknown compression; RuntimeError: encrypted member
            raise PackageRefused(
                "malformed", m.UNREADABLE_FILE(name=member.filename, error=error)
            ) from None
        if len(body) != member.file_size:
            raise PackageRefused("malformed", m.SIZE_DIFFERS(name=member.filename))
        files[member.filename] = body
    if canonical_zip(files) != data:
        raise PackageRefused("malformed", m.NOT_CANONICAL())
    return files


def _json(files: dict[str, bytes], name: str) -> Any:
    try:
        return json.loads(files[name])
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PackageRefused("malformed", m.NOT_JSON(name=name, error=error)) from None


def _info(descriptor: Any) -> PackageInfo:
    try:
        meta = descriptor["alianza"]
        info = PackageInfo(
            node=str(meta["node"]),
            country=str(meta["country"]),
            quarter=str(meta["quarter"]),
            period_kind=str(meta["period_kind"]),
            version=int(meta["version"]),
            extracted_at=str(meta["extracted_at"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise PackageRefused("bad-descriptor", m.DESCRIPTOR_LACKS(error=error)) from None
    if not QUARTER.match(info.quarter) or info.period_kind not in ("calendar", "fiscal"):
        raise PackageRefused(
            "bad-descriptor", m.BAD_PERIOD(quarter=info.quarter, kind=info.period_kind)
        )
    if info.version < 1:
        raise PackageRefused("bad-descriptor", m.BAD_VERSION(version=info.version))
    return info


def verify_package(
    data: bytes,
    trusted: Mapping[str, NodeIdentity],
    codes: Mapping[str, set[str]] | None = None,
    *,
    legacy: bool = True,
) -> VerifiedPackage:
    """Check everything about a package; ``trusted`` maps fingerprints to partner identities.
    ``legacy``: accept structure 1.0 (SDMX-CSV 1.0 tables, no ``structure.xml``), as packages
    stored before were built; a new receipt passes False."""
    try:
        files, manifest, signer = _signed(data, trusted)
    except PackageRefused as refused:
        refused.unverified = True
        raise
    return _verify_signed(data, files, manifest, signer, codes, legacy=legacy)


def _signed(
    data: bytes, trusted: Mapping[str, NodeIdentity]
) -> tuple[dict[str, bytes], Any, NodeIdentity]:
    """The package's files, manifest and signer, once the signature of a trusted partner is
    verified."""
    files = _unpack(data)
    if "manifest.json" not in files or "manifest.sig" not in files:
        raise PackageRefused("unsigned", m.UNSIGNED())
    manifest = _json(files, "manifest.json")
    signer_fingerprint = str((manifest.get("signer") or {}).get("fingerprint", ""))
    signer = trusted.get(signer_fingerprint)
    if signer is None:
        raise PackageRefused(
            "unknown-signer", m.UNKNOWN_SIGNER(key=signer_fingerprint[:16] or "(none)")
        )
    try:
        signature = base64.b64decode(files["manifest.sig"].strip(), validate=True)
    except (binascii.Error, ValueError):
        raise PackageRefused("bad-signature", m.SIGNATURE_NOT_BASE64()) from None
    if not verify_signature(signer.public_key, signature, files["manifest.json"]):
        raise PackageRefused("bad-signature", m.BAD_SIGNATURE(signer=signer.name))
    return files, manifest, signer


def _verify_signed(
    data: bytes,
    files: dict[str, bytes],
    manifest: Any,
    signer: NodeIdentity,
    codes: Mapping[str, set[str]] | None,
    *,
    legacy: bool,
) -> VerifiedPackage:
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        raise PackageRefused("malformed", m.NO_FILE_LIST())
    for path, digest in listed.items():
        if path not in files:
            raise PackageRefused("missing-file", m.LISTED_MISSING(name=path))
        if hashlib.sha256(files[path]).hexdigest() != digest:
            raise PackageRefused("checksum-mismatch", m.CHECKSUM_MISMATCH(name=path))
    extra = set(files) - set(listed) - {"manifest.json", "manifest.sig"}
    if extra:
        raise PackageRefused("unexpected-file", m.NOT_IN_MANIFEST(names=", ".join(sorted(extra))))
    for required in ("datapackage.json", "coverage.json", *(() if legacy else ("structure.xml",))):
        if required not in files:
            raise PackageRefused("missing-file", m.FILE_MISSING(name=required))
    info = _info(_json(files, "datapackage.json"))
    if info.country != signer.country:
        raise PackageRefused(
            "bad-descriptor", m.WRONG_COUNTRY(country=info.country, signer=signer.country)
        )
    tables: dict[str, list[Observation]] = {}
    for name in TABLES:
        path = f"data/{name}.csv"
        if path not in files:
            raise PackageRefused("missing-file", m.FILE_MISSING(name=path))
        try:
            observations = read_csv(files[path], table=name, codes=codes, legacy=legacy)
        except TableError as error:
            raise PackageRefused("schema-violation", error.message) from None
        period = time_period(info.quarter, info.period_kind)
        for observation in observations:
            if observation.time_period != period:
                raise PackageRefused(
                    "quarter-mismatch",
                    m.OTHER_QUARTER(
                        table=name,
                        period=observation.time_period,
                        quarter=period
                        if info.period_kind == "calendar"
                        else f"{period} (FY{info.quarter})",
                    ),
                )
            if observation.ref_area != info.country:
                raise PackageRefused(
                    "schema-violation",
                    m.OTHER_AREA(table=name, area=observation.ref_area, country=info.country),
                )
        tables[name] = observations
    coverage = _json(files, "coverage.json")
    return VerifiedPackage(
        info,
        signer,
        tables,
        coverage if isinstance(coverage, dict) else {},
        hashlib.sha256(data).hexdigest(),
        len(data),
    )
