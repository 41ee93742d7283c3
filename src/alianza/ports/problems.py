"""Kinds of data problems in crossing (BTS) and wait-time (CBP BWT) files.

Codes are the contract: stable, kebab-case, prefixed by the source (``bts-``, ``bwt-``) so that
they never collide with other importers' codes.
"""

from __future__ import annotations

from alianza.validation import Severity, issue_type

W = Severity.WARNING

# Both sources
UNKNOWN_FORMAT = issue_type(
    "ports-unknown-format",
    "Not a known crossings or wait-times file",
    "the header matches no known format (BTS crossings, CBP wait times): {value}",
)
MISSING_COLUMN = issue_type(
    "ports-missing-column",
    "Required column missing",
    "column {field!r} is missing; nothing was loaded",
)
UNKNOWN_COLUMN = issue_type(
    "ports-unknown-column",
    "Unknown column ignored",
    "column {field!r} is not part of the format and was ignored",
    W,
)

# BTS Border Crossing Entry Data
BAD_PORT_CODE = issue_type(
    "bts-bad-port-code",
    "Unreadable port code",
    "port code {value!r} is not 3 or 4 digits",
)
UNKNOWN_PORT = issue_type(
    "bts-unknown-port",
    "Port not in the US–Mexico port list",
    "port code {value} ({name}) is not a US–Mexico land port known to Alianza",
)
DISCONTINUED_PORT = issue_type(
    "bts-discontinued-port",
    "Port no longer in the current release",
    "port {value} ({name}) exists only in older releases; row kept in quarantine",
)
BAD_DATE = issue_type(
    "bts-bad-date",
    "Unreadable month",
    "date {value!r} is neither 'Mon YYYY' nor 'MM/01/YYYY 12:00:00 AM'",
)
UNKNOWN_MEASURE = issue_type(
    "bts-unknown-measure",
    "Unknown measure",
    "measure {value!r} is not a BTS measure (nor a known older name of one)",
)
BAD_VALUE = issue_type(
    "bts-bad-value",
    "Value is not a count",
    "value {value!r} is not a whole number ≥ 0",
)
RENAMED_MEASURE = issue_type(
    "bts-renamed-measure",
    "Older measure name mapped",
    "measure {value!r} read as {current!r} ({count} rows, first shown)",
    W,
)
RENAMED_PORT = issue_type(
    "bts-renamed-port",
    "Older port name mapped",
    "port name {value!r} read as {current!r} ({count} rows, first shown)",
    W,
)
PORT_NAME_MISMATCH = issue_type(
    "bts-port-name-mismatch",
    "Port name differs from the port list",
    "port {code} is named {value!r} here and {current!r} in the port list ({count} rows); "
    "keyed by code",
    W,
)
OTHER_BORDER = issue_type(
    "bts-other-border",
    "Rows of another border skipped",
    "{count} rows of {value!r} are outside this node's scope (US-Mexico Border) and were "
    "skipped; first shown",
    W,
)
DUPLICATE_ROW = issue_type(
    "bts-duplicate-row",
    "Identical duplicate row",
    "same port, month, measure and value as row {first}; counted once",
    W,
)
CONFLICTING_ROWS = issue_type(
    "bts-conflicting-rows",
    "Same port, month and measure with different values",
    "port {code}, {month}, {measure}: rows {rows} give values {values}; none was loaded, "
    "fix the file and import it again",
)
CONFLICTS_WITH_HELD = issue_type(
    "bts-conflicts-with-held",
    "Value differs from the one held",
    "port {code}, {month}, {measure}: this file says {value}, the node holds {held} "
    "(import {held_import}); row kept in quarantine",
)

# CBP Border Wait Times
BAD_NUMBER = issue_type(
    "bwt-bad-number",
    "Not a whole number",
    "{field} {value!r} is not a whole number ≥ 0 (nor a missing-value marker)",
)
OUT_OF_RANGE = issue_type(
    "bwt-out-of-range",
    "Value out of range",
    "{field} {value} is outside {low}–{high}",
)
DUPLICATE_SLOT = issue_type(
    "bwt-duplicate-slot",
    "Month, weekday and hour given twice",
    "month {month}, day {weekday}, hour {hour} already given in row {first}",
)
INCOMPLETE_MONTH = issue_type(
    "bwt-incomplete-month",
    "Month without 7 × 24 slots",
    "month {value} has {count} of 168 weekday-hour slots",
    W,
)
NOT_APPLICABLE_COLUMN = issue_type(
    "bwt-not-applicable-column",
    "All-zero column read as not applicable",
    "column {field!r} is 0 in every row: read as 'not applicable' (no such lanes), not as no wait",
    W,
)
UNKNOWN_CROSSING = issue_type(
    "bwt-unknown-crossing",
    "Unknown crossing number",
    "crossing {value!r} is not in the crossing → port table",
)
UNKNOWN_STATUS = issue_type(
    "bwt-unknown-status",
    "Unknown operational status",
    "operational status {value!r} is not one of delay, no delay, N/A, Lanes Closed",
)
UNKNOWN_LANE_TYPE = issue_type(
    "bwt-unknown-lane-type",
    "Unknown lane type",
    "lane type {value!r} is not commercial, passenger or pedestrian lanes",
)
BAD_READING_DATE = issue_type(
    "bwt-bad-date",
    "Unreadable date",
    "date {value!r} is not M/D/YYYY",
)
BAD_UPDATE_TIME = issue_type(
    "bwt-bad-update-time",
    "Unreadable update time",
    "update time {value!r} is not like 'At 5:00 pm PST'",
)
STATUS_DISAGREES = issue_type(
    "bwt-status-disagrees",
    "Status and delay disagree",
    "status {value!r} with delay_minutes {minutes}: both kept as read",
    W,
)
WAIT_CONFLICTS_WITH_HELD = issue_type(
    "bwt-conflicts-with-held",
    "Waits differ from the ones held",
    "crossing {crossing}, month {month}, day {weekday}, hour {hour}: this file's waits differ "
    "from those held (import {held_import}); row kept in quarantine",
)
CROSSING_REQUIRED = issue_type(
    "bwt-crossing-required",
    "Crossing not named",
    "historical wait files do not name their crossing: give it (e.g. --crossing 250401)",
)
