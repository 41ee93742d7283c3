"""Issue types raised while reading declarations (stable codes, English and Spanish)."""

from __future__ import annotations

from alianza.validation import Severity, issue_type

MISSING_COLUMN = issue_type(
    "risk-missing-column",
    "Required column missing",
    "Falta una columna obligatoria",
    "column {field!r} is missing from the header; the file cannot be read",
    "falta la columna {field!r} en el encabezado; no se puede leer el archivo",
)
BAD_DATE = issue_type(
    "risk-bad-date",
    "Unreadable date",
    "Fecha ilegible",
    "{value!r} is not a date YYYY-MM-DD",
    "{value!r} no es una fecha AAAA-MM-DD",
)
BAD_NUMBER = issue_type(
    "risk-bad-number",
    "Unreadable number",
    "Número ilegible",
    "{value!r} is not a number",
    "{value!r} no es un número",
)
NEGATIVE_NUMBER = issue_type(
    "risk-negative-number",
    "Negative quantity",
    "Cantidad negativa",
    "{value!r} is negative; {field} cannot be below zero",
    "{value!r} es negativo; {field} no puede ser menor que cero",
)
BAD_LABEL = issue_type(
    "risk-bad-label",
    "Unknown label value",
    "Valor de etiqueta desconocido",
    "{value!r} is not one of {allowed}",
    "{value!r} no es uno de {allowed}",
)
INCONSISTENT_LABELS = issue_type(
    "risk-inconsistent-labels",
    "Fraud and critical-fraud labels disagree",
    "Las etiquetas de fraude y fraude crítico no concuerdan",
    "Fraud={value} but Critical Fraud={critical}: Fraud is 0 exactly when Critical Fraud is 0",
    "Fraud={value} pero Critical Fraud={critical}: "
    "Fraud es 0 exactamente cuando Critical Fraud es 0",
)
BAD_HS_CODE = issue_type(
    "risk-bad-hs-code",
    "Unreadable HS code",
    "Código SA ilegible",
    "{value!r} is not a 6-digit HS code",
    "{value!r} no es un código SA de 6 dígitos",
)
PADDED_HS_CODE = issue_type(
    "risk-hs-code-padded",
    "HS code lost its leading zero",
    "El código SA perdió su cero inicial",
    "{value!r} has fewer than 6 digits; read as {padded!r}",
    "{value!r} tiene menos de 6 dígitos; se lee como {padded!r}",
    Severity.WARNING,
)
DUPLICATE_ID = issue_type(
    "risk-duplicate-id",
    "Declaration ID repeated",
    "Identificador de declaración repetido",
    "declaration {value!r} already appeared in row {first}",
    "la declaración {value!r} ya apareció en la fila {first}",
)
BAD_COUNTRY = issue_type(
    "risk-bad-country",
    "Unreadable country code",
    "Código de país ilegible",
    "{value!r} is not an ISO 3166-1 alpha-2 country code",
    "{value!r} no es un código de país ISO 3166-1 alfa-2",
)
TOO_LONG = issue_type(
    "risk-value-too-long",
    "Value too long",
    "Valor demasiado largo",
    "{value!r} is longer than {limit} characters",
    "{value!r} tiene más de {limit} caracteres",
)
