"""What the ``alianza ports`` analysis commands (volumes, seasonality, waits, model, report)
print: English here, Spanish in the message catalogue (keys ``cli.ports.…``), said in the
user's language. Port codes, numbers and file paths stay as they are."""

from __future__ import annotations

from alianza.catalogue import declare

PORTS_HEADING = declare("cli.ports.ports-heading", "ports {codes}: {names}")
COLUMN_YEAR = declare("cli.ports.column-year", "year")
COLUMN_MONTH = declare("cli.ports.column-month", "month")
MISSING_ZERO = declare("cli.ports.missing-zero", "missing(0)")
FEWER_MONTHS = declare("cli.ports.fewer-months", "* fewer than 12 months reported")
SEASONAL_INDEX = declare("cli.ports.seasonal-index", "{mode} Jan..Dec {months}")
TREND = declare("cli.ports.trend", "trend {first}-{last}: {slope} per year ({change}% of mean)")
WAITS_HEADING = declare(
    "cli.ports.waits-heading", "crossing {crossing} ({name}), {lane} lanes, by {by}"
)
NOT_APPLICABLE = declare("cli.ports.not-applicable", "n/a (not applicable)")
MINUTES = declare("cli.ports.minutes", "{value} min")
WROTE = declare("cli.ports.wrote", "wrote {path}")

# The crossing model's study (``alianza ports model``).
LANE_GENERAL = declare("cli.ports.lane-general", "general")
STUDY_HEADING = declare(
    "cli.ports.study-heading",
    "crossing {crossing} (port {port}), {lane} lanes, BTS {year}: {volume} per day",
)
STUDY_QUEUE = declare(
    "cli.ports.study-queue",
    "hourly heavy-traffic queue: busiest hour at {peak} utilisation, A = {scale} min, "
    "{lanes} effective lanes at {seconds} s per inspection",
)
STUDY_REPLAY = declare(
    "cli.ports.study-replay", "replays the observed week within {error} min (by construction)"
)
STUDY_VALIDATION = declare(
    "cli.ports.study-validation",
    "validation, each month left out, its 168 hourly waits predicted from its BTS volume",
)
STUDY_VALIDATION_COLUMNS = declare(
    "cli.ports.study-validation-columns",
    "(mean wait, minutes): month volume-factor observed predicted naive",
)
STUDY_ERRORS_HEADING = declare(
    "cli.ports.study-errors-heading",
    "hourly mean absolute error (bias), minutes: model | naive same hour | naive overall",
)
STUDY_BEATS = declare(
    "cli.ports.study-beats",
    "  the model beats the same-hour naive forecast for the {lane} lanes; correlation of "
    "monthly volume and wait {correlation}",
)
STUDY_DOES_NOT_BEAT = declare(
    "cli.ports.study-does-not-beat",
    "  the model does NOT beat the same-hour naive forecast for the {lane} lanes; correlation "
    "of monthly volume and wait {correlation}",
)
STUDY_OBSERVED = declare("cli.ports.study-observed", "observed mean wait by lane: {means}")
STUDY_DEDICATED = declare(
    "cli.ports.study-dedicated",
    "dedicated-lane check, the week's shape fitted on the same hours (u: utilisation and "
    "κ: scale, relative to the general lanes): lane u κ | hourly MAE: lane-group form, "
    "proportional to general, overall mean",
)
STUDY_SCENARIOS = declare(
    "cli.ports.study-scenarios", "scenarios (demand as calibrated, no demand response), minutes:"
)
# The scenario table's column names, right-aligned over their columns (7, 7, 8, 8 wide).
STUDY_SCENARIO_COLUMNS = declare(
    "cli.ports.study-scenario-columns", "   mean    peak  general commuter"
)
STUDY_SATURATED = declare("cli.ports.study-saturated", "  ({hours} h saturated)")
STUDY_COMMUTER = declare("cli.ports.study-commuter", "(commuter lanes: u {u}, κ {kappa})")
