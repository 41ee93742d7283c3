"""What the exchange says to people: refusal reasons, table errors, re-verification outcomes
and the details of the exchange log.

Each kind of message has a stable kebab-case code, declared once here in English; it is a
message of the one catalogue (:mod:`alianza.catalogue`, key ``exchange.<code>``), whose Spanish
is in ``locale/es/LC_MESSAGES/alianza.po``. The English text is what the CLI prints and what was
always stored; the Spanish is stored beside it for the web pages. Nothing here is part of a
signed package.
"""

from __future__ import annotations

from dataclasses import dataclass

from alianza.catalogue import Text, declare


@dataclass(frozen=True)
class MessageType:
    code: str
    text: Text  # the catalogue's message ``exchange.<code>``

    @property
    def template(self) -> str:
        return str(self.text.english)

    @property
    def template_es(self) -> str:
        return self.text("es")

    def __call__(self, **values: object) -> Message:
        english, spanish = self.text.both(**values)
        return Message(self.code, english, spanish)


@dataclass(frozen=True)
class Message:
    code: str
    en: str
    es: str

    def in_language(self, language: str) -> str:
        return self.es if language == "es" else self.en


MESSAGES: dict[str, MessageType] = {}
DECLARED_TWICE = declare("exchange.declared-twice", "exchange message {code!r} declared twice")


def message_type(code: str, template: str) -> MessageType:
    if code in MESSAGES:
        raise ValueError(DECLARED_TWICE.said(code=code))
    kind = MessageType(code, declare(f"exchange.{code}", template))
    MESSAGES[code] = kind
    return kind


# The container (alianza.exchange.package._unpack)
TOO_LARGE = message_type("package-too-large", "package is {size:,} bytes; at most {limit:,}")
UPLOAD_TOO_LARGE = message_type("upload-too-large", "a package is at most {limit:,} bytes")
NOT_ZIP = message_type("not-zip", "not a ZIP file ({error})")
TOO_MANY_FILES = message_type("too-many-files", "{count} files; at most {limit}")
UNPACKS_TOO_LARGE = message_type("unpacks-too-large", "unpacks to more than {limit:,} bytes")
UNEXPECTED_FILE = message_type("unexpected-file", "unexpected file {name!r}")
FILE_TWICE = message_type("file-twice", "{name!r} appears twice")
UNREADABLE_FILE = message_type("unreadable-file", "{name}: {error}")
SIZE_DIFFERS = message_type("size-differs", "{name}: size differs from its header")
NOT_CANONICAL = message_type(
    "not-canonical",
    "the ZIP container is not in canonical form (altered or not built by Alianza)",
)
NOT_JSON = message_type("not-json", "{name} is not JSON ({error})")
# Signature and checksums (alianza.exchange.package.verify_package)
UNSIGNED = message_type("unsigned", "manifest.json or manifest.sig is missing")
UNKNOWN_SIGNER = message_type(
    "unknown-signer",
    "signed by key {key}…, which is not a trusted partner",
)
SIGNATURE_NOT_BASE64 = message_type("signature-not-base64", "manifest.sig is not base64")
BAD_SIGNATURE = message_type("bad-signature", "signature does not verify with {signer}'s key")
NO_FILE_LIST = message_type("no-file-list", "manifest.json has no file list")
LISTED_MISSING = message_type("listed-file-missing", "{name} is listed in the manifest but missing")
CHECKSUM_MISMATCH = message_type("checksum-mismatch", "{name} does not match its SHA-256")
NOT_IN_MANIFEST = message_type("not-in-manifest", "not in the manifest: {names}")
FILE_MISSING = message_type("file-missing", "{name} is missing")
# The descriptor
DESCRIPTOR_LACKS = message_type("descriptor-lacks", "datapackage.json lacks {error}")
BAD_PERIOD = message_type("bad-period", "quarter {quarter!r} ({kind})")
BAD_VERSION = message_type("bad-version", "version {version} < 1")
WRONG_COUNTRY = message_type("wrong-country", "descriptor says {country}, the signer is {signer}")
# The tables (alianza.exchange.sdmx.read_csv and verify_package)
NOT_UTF8 = message_type("not-utf8", "{table}: not UTF-8")
BAD_HEADER = message_type("bad-header", "{table}: header is not {header}")
CELL_COUNT = message_type("cell-count", "{table}, row {row}: {count} columns, expected {expected}")
BAD_DATAFLOW = message_type(
    "bad-dataflow",
    "{table}, row {row}, dataflow: {value!r} is not {dataflow}",
)
UNKNOWN_CODE = message_type(
    "unknown-code",
    "{table}, row {row}, {dimension}: unknown code {value!r}",
)
UNKNOWN_MEASURE = message_type("unknown-measure", "{table}, row {row}, MEASURE: unknown {value!r}")
BAD_TIME_PERIOD = message_type("bad-time-period", "{table}, row {row}, TIME_PERIOD: {value!r}")
BAD_STATUS = message_type(
    "bad-status",
    "{table}, row {row}, OBS_STATUS: {value!r} is not A, M or (kilograms, seizures) D",
)
BAD_UNIT = message_type(
    "bad-unit",
    "{table}, row {row}, UNIT_MEASURE: {value!r} is not a unit of {measure}",
)
MISSING_HAS_VALUE = message_type(
    "missing-has-value",
    "{table}, row {row}, OBS_VALUE: a missing value is empty",
)
BAD_VALUE = message_type("bad-value", "{table}, row {row}, OBS_VALUE: {value!r}")
NEGATIVE_VALUE = message_type("negative-value", "{table}, row {row}, OBS_VALUE: {value!r} < 0")
DUPLICATE_KEY = message_type("duplicate-key", "{table}, row {row}: the same key twice")
OTHER_QUARTER = message_type(
    "other-quarter",
    "{table}: an observation of {period} in a package of {quarter}",
)
OTHER_AREA = message_type("other-area", "{table}: REF_AREA {area} is not {country}")
# Content checks on receipt (alianza.exchange.checks.check_content)
QUARTER_NOT_CLOSED = message_type(
    "quarter-not-closed",
    "quarter {quarter} ends on {end}; it has not closed yet (today is {today})",
)
NOT_INTEGER = message_type(
    "not-integer",
    "{table}, row {row}, {measure}: {value} is not a whole number",
)
BREAKDOWN_EXCEEDS_TOTAL = message_type(
    "breakdown-exceeds-total",
    "{table}: {drug} {code}, {measure} ({unit}) is {value}, more than the total {total}",
)
SUM_DIFFERS = message_type(
    "sum-differs",
    "{table}: {drug} {measure} ({unit}) adds up to {summed}, the total is {total} "
    "(at most {allowed} apart)",
)
# Storing (alianza.exchange.store.store_package)
REPLACED_VERSION = message_type(
    "replaced-version",
    "version {version} of {country} {quarter} was replaced by a later version "
    "(an old or replayed package)",
)
OLDER_VERSION = message_type(
    "older-version",
    "version {version} of {country} {quarter}: version {held} is already held "
    "(an old or replayed package)",
)
# Re-verification (alianza.exchange.inbox.reverify) and the exchange log
ALL_PASSED = message_type("all-passed", "every check passed")
STORED_BYTES_DIFFER = message_type("stored-bytes-differ", "stored bytes differ from their SHA-256")
STORED = message_type("stored", "version {version}, {size:,} bytes, sha256 {sha256}")
ACKNOWLEDGED = message_type("acknowledged", "by {name} at {at}")

# Refusals raised as exceptions (``raise ValueError(NOT_A_QUARTER.said(...))``), said in the
# user's language where they are shown (``catalogue.message_of``).
# A quarter as typed (alianza.exchange.periods.parse_quarter), a package to build
# (alianza.exchange.package.build_package)
NOT_A_QUARTER = declare("exchange.not-a-quarter", "{text!r} is not a quarter like 2019-Q1")
QUARTER_FORM = declare("exchange.quarter-form", "quarter {quarter!r} is not like 2019-Q1")
PERIOD_KIND = declare("exchange.period-kind", "period kind {kind!r} is not calendar or fiscal")
