"""Every kind of problem a seizure import reports: stable codes with English and Spanish texts."""

from __future__ import annotations

from alianza.validation import Severity, issue_type

# File-level problems (row is None). A file that cannot be read at all: alianza.tabular.
MISSING_COLUMN = issue_type(
    "missing-column",
    "Required column missing",
    "column {field!r} is required by profile {profile!r} but is not in the file",
)
UNKNOWN_COLUMN = issue_type(
    "unknown-column",
    "Column not in the profile",
    "column {field!r} is not in profile {profile!r}; map it, or set unknown_columns to "
    "'ignore' in the profile",
)
UNKNOWN_COLUMN_IGNORED = issue_type(
    "unknown-column-ignored",
    "Column not in the profile, ignored",
    "column {field!r} is not in profile {profile!r} and was ignored (policy 'ignore')",
    Severity.WARNING,
)

# Row-level problems.
FOREIGN_REPORTING_COUNTRY = issue_type(
    "foreign-reporting-country",
    "Row of another country",
    "this node is the {node} node; the row reports {value}: each country imports its own "
    "records on its own node, and the partner's reach this node only as signed exchange "
    "packages",
)
MISSING_VALUE = issue_type(
    "missing-value",
    "Required value missing",
    "{field} is required and is empty",
)
UNKNOWN_CODE = issue_type(
    "unknown-code",
    "Value maps to no code",
    "{value!r} is not a known {list} (code, English or Spanish name); add a synonym to the "
    "code list or a value map to the profile",
)
OTHER_NOT_SPECIFIED = issue_type(
    "other-not-specified",
    '"Other" without a specified value',
    "{field} is {value!r}, which needs the value in {detail_field}",
)
AGGREGATE_ONLY_CODE = issue_type(
    "aggregate-only-code",
    "Code allowed only in aggregate sources",
    "{value!r} ({code}) is accepted only from sources that publish totals; name the substance",
)
BAD_NUMBER = issue_type(
    "bad-number",
    "Not a number",
    "{field} {value!r} is not a number",
)
NEGATIVE_NUMBER = issue_type(
    "negative-number",
    "Negative number",
    "{field} {value!r} is negative",
)
BAD_INTEGER = issue_type(
    "bad-integer",
    "Not a whole number",
    "{field} {value!r} is not a whole number ≥ 0",
)
ZERO_QUANTITY = issue_type(
    "zero-quantity",
    "Zero quantity in an event",
    "quantity is 0; an event's drug item must have a quantity above zero",
)
ZERO_WEIGHT_WITH_EVENTS = issue_type(
    "zero-weight-with-events",
    "Events with zero weight",
    "{events} event(s) with a reported weight of 0; loaded and flagged, not read as no seizure",
    Severity.WARNING,
)
BAD_DATE = issue_type(
    "bad-date",
    "Unreadable date",
    "{field} {value!r} does not match the profile's date formats ({formats})",
)
FUTURE_DATE = issue_type(
    "future-date",
    "Date in the future",
    "{field} {value!r} is after today",
)
BAD_FISCAL_YEAR = issue_type(
    "bad-fiscal-year",
    "Unreadable fiscal year",
    "{value!r} is not a fiscal year such as 2024 or '2026 (FYTD)'",
)
BAD_MONTH = issue_type(
    "bad-month",
    "Unreadable month",
    "{value!r} is not a month abbreviation (JAN … DEC)",
)
BAD_COORDINATE = issue_type(
    "bad-coordinate",
    "Coordinate out of range",
    "{field} {value!r} is not a WGS84 coordinate",
)
UNKNOWN_PORT = issue_type(
    "unknown-port",
    "Unknown port of entry",
    "port {value!r} is not in the US–Mexico land port table",
)
MISSING_PORT = issue_type(
    "missing-port",
    "Port of entry required",
    "location type {location_type} is a port of entry: port_code is required",
)
UNKNOWN_AREA = issue_type(
    "unknown-area",
    "Area of responsibility not in the reference table",
    "area {value!r} is not in the reference table of areas; loaded as reported",
    Severity.WARNING,
)
BAD_LAND_FILTER = issue_type(
    "bad-land-filter",
    "Unknown land filter",
    "{value!r} is not a land filter (Land Only, Land or Other)",
)
CONFLICTING_EVENT_FIELDS = issue_type(
    "conflicting-event-fields",
    "Rows of one event disagree",
    "{field} is {value!r} here but {first!r} in row {first_row} of the same event",
)
REPEATED_EVENT = issue_type(
    "repeated-event",
    "Event id repeated apart",
    "event {value!r} already appeared in row {first_row}; the rows of one event must be "
    "consecutive",
)
SIBLING_ROW_INVALID = issue_type(
    "sibling-row-invalid",
    "Another row of this event is invalid",
    "quarantined with its event: row {other_row} of event {value!r} is invalid",
)
DUPLICATE_KEY_IN_FILE = issue_type(
    "duplicate-key-in-file",
    "Same record twice in the file",
    "this row repeats the key of row {first_row} ({value})",
)
DECIMAL_COMMA_UNDECLARED = issue_type(
    "decimal-comma-undeclared",
    "Decimal comma the profile does not declare",
    "{value!r} has a comma that is not a thousands separator (a decimal comma?); it was not "
    "read as a number: set decimal_comma to true in the profile if the file uses one",
)
AMBIGUOUS_DECIMAL = issue_type(
    "ambiguous-decimal",
    "Ambiguous number",
    "{value!r} was read as {read} (the point as a thousands separator, decimal comma "
    "declared); check that it is not a decimal point",
    Severity.WARNING,
)
UNKNOWN_PLACE = issue_type(
    "unknown-place",
    "Place not in INEGI's catalogue",
    "{value!r} is not a known {field} (INEGI Marco Geoestadístico); closest: {hint}",
)
PLACE_NAME_MISMATCH = issue_type(
    "place-name-mismatch",
    "Place name does not match its code",
    "{value!r} is not the name of municipality {code} ({official!r})",
)
ROWS_FILTERED = issue_type(
    "rows-filtered",
    "Rows left out by the profile's filters",
    "{count} rows were left out by the profile's row filters ({filters}); they are not errors",
    Severity.WARNING,
)
EXTRA_CELLS = issue_type(
    "extra-cells",
    "More cells than the header has columns",
    "the row has cells past the last header column ({value!r}); if they are always empty "
    "(a trailing comma), set trailing_empty_columns to 'ignore' in the profile",
)
PLACE_NOT_IN_CATALOGUE = issue_type(
    "place-not-in-catalogue",
    "Place not found in INEGI's catalogue",
    "{value!r} names no state or municipality in INEGI's catalogue (closest: {hint}); the "
    "record loads without a place code (region from the state, if known)",
    Severity.WARNING,
)
