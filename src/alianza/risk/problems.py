"""Issue types raised while reading declarations (stable codes, English and Spanish)."""

from __future__ import annotations

from alianza.validation import Severity, issue_type

MISSING_COLUMN = issue_type(
    "risk-missing-column",
    "Required column missing",
    "column {field!r} is missing from the header; the file cannot be read",
)
BAD_DATE = issue_type(
    "risk-bad-date",
    "Unreadable date",
    "{value!r} is not a date YYYY-MM-DD",
)
BAD_NUMBER = issue_type(
    "risk-bad-number",
    "Unreadable number",
    "{value!r} is not a number",
)
NEGATIVE_NUMBER = issue_type(
    "risk-negative-number",
    "Negative quantity",
    "{value!r} is negative; {field} cannot be below zero",
)
BAD_LABEL = issue_type(
    "risk-bad-label",
    "Unknown label value",
    "{value!r} is not one of {allowed}",
)
INCONSISTENT_LABELS = issue_type(
    "risk-inconsistent-labels",
    "Fraud and critical-fraud labels disagree",
    "Fraud={value} but Critical Fraud={critical}: Fraud is 0 exactly when Critical Fraud is 0",
)
BAD_HS_CODE = issue_type(
    "risk-bad-hs-code",
    "Unreadable HS code",
    "{value!r} is not a 6-digit HS code",
)
PADDED_HS_CODE = issue_type(
    "risk-hs-code-padded",
    "HS code lost its leading zero",
    "{value!r} has fewer than 6 digits; read as {padded!r}",
    Severity.WARNING,
)
DUPLICATE_ID = issue_type(
    "risk-duplicate-id",
    "Declaration ID repeated",
    "declaration {value!r} already appeared in row {first}",
)
BAD_COUNTRY = issue_type(
    "risk-bad-country",
    "Unreadable country code",
    "{value!r} is not an ISO 3166-1 alpha-2 country code",
)
TOO_LONG = issue_type(
    "risk-value-too-long",
    "Value too long",
    "{value!r} is longer than {limit} characters",
)
