"""What the exchange says to people, in English and Spanish: refusal reasons, table errors,
re-verification outcomes and the details of the exchange log.

Each kind of message has a stable kebab-case code (the key of its two templates), declared once
here, the way :mod:`alianza.validation` declares issue types. The English text is what the CLI
prints and what was always stored; the Spanish text is kept beside it for the web pages. Nothing
here is part of a signed package.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageType:
    code: str
    template: str  # str.format fields
    template_es: str

    def __call__(self, **values: object) -> Message:
        return Message(self.code, self.template.format(**values), self.template_es.format(**values))


@dataclass(frozen=True)
class Message:
    code: str
    en: str
    es: str

    def in_language(self, language: str) -> str:
        return self.es if language == "es" else self.en


MESSAGES: dict[str, MessageType] = {}


def message_type(code: str, template: str, template_es: str) -> MessageType:
    if code in MESSAGES:
        raise ValueError(f"exchange message {code!r} declared twice")
    kind = MessageType(code, template, template_es)
    MESSAGES[code] = kind
    return kind


# The container (alianza.exchange.package._unpack)
TOO_LARGE = message_type(
    "package-too-large",
    "package is {size:,} bytes; at most {limit:,}",
    "el paquete tiene {size:,} bytes; máximo {limit:,}",
)
UPLOAD_TOO_LARGE = message_type(
    "upload-too-large",
    "a package is at most {limit:,} bytes",
    "un paquete tiene como máximo {limit:,} bytes",
)
NOT_ZIP = message_type("not-zip", "not a ZIP file ({error})", "no es un archivo ZIP ({error})")
TOO_MANY_FILES = message_type(
    "too-many-files", "{count} files; at most {limit}", "{count} archivos; máximo {limit}"
)
UNPACKS_TOO_LARGE = message_type(
    "unpacks-too-large",
    "unpacks to more than {limit:,} bytes",
    "al descomprimirse ocupa más de {limit:,} bytes",
)
UNEXPECTED_FILE = message_type(
    "unexpected-file", "unexpected file {name!r}", "archivo inesperado {name!r}"
)
FILE_TWICE = message_type("file-twice", "{name!r} appears twice", "{name!r} aparece dos veces")
UNREADABLE_FILE = message_type(
    "unreadable-file", "{name}: {error}", "{name}: no se puede leer ({error})"
)
SIZE_DIFFERS = message_type(
    "size-differs",
    "{name}: size differs from its header",
    "{name}: el tamaño no coincide con su encabezado",
)
NOT_CANONICAL = message_type(
    "not-canonical",
    "the ZIP container is not in canonical form (altered or not built by Alianza)",
    "el contenedor ZIP no está en forma canónica (alterado o no generado por Alianza)",
)
NOT_JSON = message_type("not-json", "{name} is not JSON ({error})", "{name} no es JSON ({error})")
# Signature and checksums (alianza.exchange.package.verify_package)
UNSIGNED = message_type(
    "unsigned",
    "manifest.json or manifest.sig is missing",
    "falta manifest.json o manifest.sig",
)
UNKNOWN_SIGNER = message_type(
    "unknown-signer",
    "signed by key {key}…, which is not a trusted partner",
    "firmado con la llave {key}…, que no es de un socio de confianza",
)
SIGNATURE_NOT_BASE64 = message_type(
    "signature-not-base64", "manifest.sig is not base64", "manifest.sig no está en base64"
)
BAD_SIGNATURE = message_type(
    "bad-signature",
    "signature does not verify with {signer}'s key",
    "la firma no se verifica con la llave de {signer}",
)
NO_FILE_LIST = message_type(
    "no-file-list",
    "manifest.json has no file list",
    "manifest.json no tiene lista de archivos",
)
LISTED_MISSING = message_type(
    "listed-file-missing",
    "{name} is listed in the manifest but missing",
    "{name} está en el manifiesto pero falta",
)
CHECKSUM_MISMATCH = message_type(
    "checksum-mismatch",
    "{name} does not match its SHA-256",
    "{name} no coincide con su SHA-256",
)
NOT_IN_MANIFEST = message_type(
    "not-in-manifest", "not in the manifest: {names}", "no están en el manifiesto: {names}"
)
FILE_MISSING = message_type("file-missing", "{name} is missing", "falta {name}")
# The descriptor
DESCRIPTOR_LACKS = message_type(
    "descriptor-lacks", "datapackage.json lacks {error}", "a datapackage.json le falta {error}"
)
BAD_PERIOD = message_type(
    "bad-period", "quarter {quarter!r} ({kind})", "trimestre {quarter!r} ({kind}) no válido"
)
BAD_VERSION = message_type("bad-version", "version {version} < 1", "versión {version} < 1")
WRONG_COUNTRY = message_type(
    "wrong-country",
    "descriptor says {country}, the signer is {signer}",
    "el descriptor dice {country}, el firmante es {signer}",
)
# The tables (alianza.exchange.sdmx.read_csv and verify_package)
NOT_UTF8 = message_type("not-utf8", "{table}: not UTF-8", "{table}: no está en UTF-8")
BAD_HEADER = message_type(
    "bad-header", "{table}: header is not {header}", "{table}: el encabezado no es {header}"
)
CELL_COUNT = message_type(
    "cell-count",
    "{table}, row {row}: {count} columns, expected {expected}",
    "{table}, fila {row}: {count} columnas, se esperaban {expected}",
)
BAD_DATAFLOW = message_type(
    "bad-dataflow",
    "{table}, row {row}, dataflow: {value!r} is not {dataflow}",
    "{table}, fila {row}, flujo de datos: {value!r} no es {dataflow}",
)
UNKNOWN_CODE = message_type(
    "unknown-code",
    "{table}, row {row}, {dimension}: unknown code {value!r}",
    "{table}, fila {row}, {dimension}: código desconocido {value!r}",
)
UNKNOWN_MEASURE = message_type(
    "unknown-measure",
    "{table}, row {row}, MEASURE: unknown {value!r}",
    "{table}, fila {row}, MEASURE: medida desconocida {value!r}",
)
BAD_TIME_PERIOD = message_type(
    "bad-time-period",
    "{table}, row {row}, TIME_PERIOD: {value!r}",
    "{table}, fila {row}, TIME_PERIOD: {value!r} no es un trimestre",
)
BAD_STATUS = message_type(
    "bad-status",
    "{table}, row {row}, OBS_STATUS: {value!r} is not A, M or (kilograms, seizures) D",
    "{table}, fila {row}, OBS_STATUS: {value!r} no es A, M ni (en kilogramos o aseguramientos) D",
)
BAD_UNIT = message_type(
    "bad-unit",
    "{table}, row {row}, UNIT_MEASURE: {value!r} is not a unit of {measure}",
    "{table}, fila {row}, UNIT_MEASURE: {value!r} no es una unidad de {measure}",
)
MISSING_HAS_VALUE = message_type(
    "missing-has-value",
    "{table}, row {row}, OBS_VALUE: a missing value is empty",
    "{table}, fila {row}, OBS_VALUE: un valor faltante va vacío",
)
BAD_VALUE = message_type(
    "bad-value",
    "{table}, row {row}, OBS_VALUE: {value!r}",
    "{table}, fila {row}, OBS_VALUE: {value!r} no es un número",
)
NEGATIVE_VALUE = message_type(
    "negative-value",
    "{table}, row {row}, OBS_VALUE: {value!r} < 0",
    "{table}, fila {row}, OBS_VALUE: {value!r} < 0",
)
DUPLICATE_KEY = message_type(
    "duplicate-key",
    "{table}, row {row}: the same key twice",
    "{table}, fila {row}: la misma clave dos veces",
)
OTHER_QUARTER = message_type(
    "other-quarter",
    "{table}: an observation of {period} in a package of {quarter}",
    "{table}: una observación de {period} en un paquete de {quarter}",
)
OTHER_AREA = message_type(
    "other-area",
    "{table}: REF_AREA {area} is not {country}",
    "{table}: REF_AREA {area} no es {country}",
)
# Content checks on receipt (alianza.exchange.checks.check_content)
QUARTER_NOT_CLOSED = message_type(
    "quarter-not-closed",
    "quarter {quarter} ends on {end}; it has not closed yet (today is {today})",
    "el trimestre {quarter} termina el {end}; aún no ha cerrado (hoy es {today})",
)
NOT_INTEGER = message_type(
    "not-integer",
    "{table}, row {row}, {measure}: {value} is not a whole number",
    "{table}, fila {row}, {measure}: {value} no es un número entero",
)
BREAKDOWN_EXCEEDS_TOTAL = message_type(
    "breakdown-exceeds-total",
    "{table}: {drug} {code}, {measure} ({unit}) is {value}, more than the total {total}",
    "{table}: {drug} {code}, {measure} ({unit}) es {value}, más que el total {total}",
)
SUM_DIFFERS = message_type(
    "sum-differs",
    "{table}: {drug} {measure} ({unit}) adds up to {summed}, the total is {total} "
    "(at most {allowed} apart)",
    "{table}: {drug} {measure} ({unit}) suma {summed}, el total es {total} "
    "(diferencia máxima {allowed})",
)
# Storing (alianza.exchange.store.store_package)
REPLACED_VERSION = message_type(
    "replaced-version",
    "version {version} of {country} {quarter} was replaced by a later version "
    "(an old or replayed package)",
    "la versión {version} de {country} {quarter} fue reemplazada por una posterior "
    "(un paquete viejo o repetido)",
)
OLDER_VERSION = message_type(
    "older-version",
    "version {version} of {country} {quarter}: version {held} is already held "
    "(an old or replayed package)",
    "versión {version} de {country} {quarter}: ya se tiene la versión {held} "
    "(un paquete viejo o repetido)",
)
# Re-verification (alianza.exchange.inbox.reverify) and the exchange log
ALL_PASSED = message_type("all-passed", "every check passed", "todas las comprobaciones pasaron")
STORED_BYTES_DIFFER = message_type(
    "stored-bytes-differ",
    "stored bytes differ from their SHA-256",
    "los bytes guardados no coinciden con su SHA-256",
)
STORED = message_type(
    "stored",
    "version {version}, {size:,} bytes, sha256 {sha256}",
    "versión {version}, {size:,} bytes, sha256 {sha256}",
)
ACKNOWLEDGED = message_type("acknowledged", "by {name} at {at}", "por {name} el {at}")
