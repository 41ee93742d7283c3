"""What the targeting says to people beside its import problems (:mod:`alianza.risk.problems`)
and its features' names (:mod:`alianza.risk.wording`): its refusals. English here, Spanish in
the message catalogue (keys ``risk.…``; :mod:`alianza.catalogue`)."""

from __future__ import annotations

from alianza.catalogue import declare

ALREADY_SELECTED = declare(
    "risk.already-selected",
    "batch {label} was already selected (selection {selections}); to select it again, give"
    " --replace with the reason",
)
DECLARATION_REFUSED = declare("risk.declaration-refused", "the declaration was refused")
COLUMN_NOT_HELD = declare(
    "risk.rule-column-not-held",
    "rule {rule} tests the column {column}, which no import profile held on this node gives"
    " (held: {profiles}); retire it or correct its column",
)
CONDITION_SHAPE = declare(
    "risk.condition.shape", "condition {text!r}: expected 'COLUMN KIND [ARGUMENT]'"
)
CONDITION_NEEDS_VALUES = declare(
    "risk.condition.needs-values", "condition {text!r}: '{kind}' needs values, e.g. CO,PE"
)
CONDITION_NOT_NUMBER = declare(
    "risk.condition.not-number", "condition {text!r}: {value!r} is not a number"
)
CONDITION_NO_ARGUMENT = declare(
    "risk.condition.no-argument", "condition {text!r}: 'first-time' takes no argument"
)
CONDITION_REFUSED = declare("risk.condition.refused", "condition {text!r}: {error}")
RULE_CODE = declare(
    "risk.rule.code", "rule code {code!r}: give a plain identifier, e.g. hs1211-andean"
)
RULE_OWNER = declare("risk.rule.owner", "rule {code!r} needs an owner and a reason")
RULE_NO_LANE = declare("risk.rule.no-lane", "rule {code!r} is mandatory but names no lane")
RULE_EXPIRES = declare("risk.rule.expires", "rule {code!r} expires ({expires}) before it starts")
RULE_NO_CONDITION = declare(
    "risk.rule.no-condition", "rule {code!r} has no condition: it would hit every shipment"
)
RULE_NEGATIVE_WEIGHT = declare(
    "risk.rule.negative-weight", "rule {code!r}: the weight cannot be negative"
)
WATCH_COLUMN = declare("risk.watch.column", "watchlist column {column!r}: one of {columns}")
WATCH_NEEDS_NAME = declare(
    "risk.watch.needs-name", "a watchlist entry needs a watchlist name and a value"
)
WATCH_OWNER = declare("risk.watch.owner", "watchlist entry {value!r} needs an owner and a reason")
WATCH_NO_LANE = declare(
    "risk.watch.no-lane", "watchlist entry {value!r} is mandatory but names no lane"
)
WATCH_EXPIRES = declare(
    "risk.watch.expires", "watchlist entry {value!r} expires ({expires}) before it starts"
)
WATCH_OTHER_COLUMN = declare(
    "risk.watch.other-column", "watchlist {watchlist!r} lists {listed!r} values, not {column!r}"
)
RETIRE_REASON = declare("risk.retire-reason", "say why the rule or entry is retired (--reason)")
FILE_NOT_TOML = declare("risk.file.not-toml", "{file}: not valid TOML ({error})")
FILE_RULE = declare("risk.file.rule", "{file}: rule {number}: {error}")
FILE_WATCH = declare("risk.file.watch", "{file}: watchlist entry: {error}")
NO_ACTIVE_RULE = declare("risk.no-active-rule", "no active rule {code!r}")
NO_ACTIVE_RULE_VERSION = declare(
    "risk.no-active-rule-version", "no active rule {code!r} version {version}"
)
NOT_ON_WATCHLIST = declare(
    "risk.not-on-watchlist", "{value!r} is not on the watchlist {watchlist!r}"
)
# The selection of a batch (risk/selection.py) and live scoring's settings (risk/live.py).
LANE_NEGATIVE = declare("risk.lane.negative", "lane {lane!r} has a negative capacity")
LANE_RELEASE = declare(
    "risk.lane.release", "{release!r} is implicit and unlimited; do not list it as a lane"
)
LANE_NOT_UNIQUE = declare("risk.lane.not-unique", "lane names must be unique")
RANDOM_SHARE = declare("risk.random-share", "random_share must be between 0 and 1")
HIT_OUTSIDE = declare("risk.hit.outside", "rule hit for row {row} outside the batch of {size}")
HIT_UNKNOWN_LANE = declare("risk.hit.unknown-lane", "rule {rule!r} sends to unknown lane {lane!r}")
CRITICAL_NEEDS_HEAD = declare(
    "risk.critical.needs-head", "a critical budget needs the critical head's probabilities"
)
CRITICAL_PER_ROW = declare("risk.critical.per-row", "one critical probability per row is needed")
CRITICAL_UNKNOWN_LANES = declare(
    "risk.critical.unknown-lanes", "critical budget for unknown lane(s): {lanes}"
)
# The retraining schedule and the model's rollback (risk/schedule.py).
SCHEDULE_PERIOD = declare("risk.schedule.period", "the retraining period must be at least 1 day")
SCHEDULE_LABELS = declare(
    "risk.schedule.labels", "new labels cannot be negative; calibration needs at least 1 day"
)
WITHDRAW_REASON = declare("risk.model.withdraw-reason", "say why the model is withdrawn (--reason)")
NO_MODEL_TO_WITHDRAW = declare("risk.model.none-to-withdraw", "no active risk model to withdraw")
NO_SUCH_MODEL = declare("risk.model.unknown", "no risk model {model}")
MODEL_WITHDRAWN = declare("risk.model.withdrawn", "model {model} is already withdrawn")
MODEL_ONLY_ACTIVE = declare(
    "risk.model.only-active", "model {model} is the only active model; nothing to roll back to"
)
# A rule's conditions and versions (risk/rules.py).
CONDITION_KIND = declare(
    "risk.condition.kind", "unknown condition kind {kind!r} (expected one of {kinds})"
)
CONDITION_DIFFERS = declare(
    "risk.condition.differs", "a 'differs' condition needs 'other', the column to compare with"
)
CONDITION_THRESHOLD = declare("risk.condition.threshold", "an {kind!r} condition needs a threshold")
RULE_VERSION_EXPIRES = declare(
    "risk.rule.version-expires", "rule {code!r} v{version} expires before it starts"
)
RULE_VERSION_EXISTS = declare(
    "risk.rule.version-exists", "rule {code!r} version {version} already exists"
)
# Training, loading and retraining a model (risk/model.py).
NOT_A_MODEL = declare("risk.model.not-a-model", "{file} is not an Alianza risk model ({format})")
NEEDS_LABELED = declare(
    "risk.model.needs-labeled", "training and validation periods both need labeled rows"
)
VALIDATION_AFTER = declare(
    "risk.model.validation-after",
    "the validation period must start after the training period ends "
    "(calibrating on shuffled or overlapping periods would leak the future)",
)
UNKNOWN_LABEL = declare(
    "risk.model.unknown-label", "unknown label {label!r} (expected 'fraud' or 'critical')"
)
NOTHING_TO_RETRAIN = declare("risk.model.nothing-to-retrain", "no labeled rows to retrain on")
# Declarations held column-wise (risk/table.py).
UNEQUAL_COLUMNS = declare(
    "risk.table.unequal-columns", "columns of unequal length (rows={rows}): {columns}"
)
NO_TEXT_COLUMN = declare("risk.table.no-text-column", "declarations have no text column {name!r}")
NOTHING_TO_CONCAT = declare("risk.table.nothing-to-concatenate", "nothing to concatenate")
CONCAT_COLUMNS = declare(
    "risk.table.concatenate-columns", "declarations with different columns cannot be concatenated"
)
# Scoring, explaining and drift over the stored shipments (risk/service.py).
NO_SHIPMENTS = declare("risk.no-shipments", "no shipments declared {start} .. {end}")
NO_SHIPMENTS_AT = declare(
    "risk.no-shipments-at", "no shipments declared {start} .. {end} at {port}"
)
REFERENCES_NOT_HELD = declare(
    "risk.references-not-held", "some references are not held: {references}"
)
NO_MODEL_YET = declare("risk.model.none-yet", "no risk model yet: run alianza risk train")
# Live scoring's policy (risk/live.py; random_share is RANDOM_SHARE above).
CONTROL_LANE = declare(
    "risk.live.control-lane", "the control lane {lane!r} is not one of the lanes"
)
# The rule book's condition columns (risk/book.py), the hit-rate browser (risk/browse.py), an
# override (risk/overrides.py), the shipments' import (risk/store.py), calibration, drift and
# explanations (risk/calibration.py, risk/drift.py, risk/explain.py).
CONDITION_COLUMN = declare(
    "risk.condition.column", "column {column!r} cannot be tested by {kind!r} (one of: {columns})"
)
PERIOD = declare("risk.period", "period {period!r}: one of {periods}")
NOT_IN_SELECTION = declare(
    "risk.override.not-in-selection", "shipment {reference!r} is not in selection {selection}"
)
UNKNOWN_PROFILE = declare("risk.unknown-profile", "unknown profile {profile!r} (known: {known})")
CALIBRATE_NO_ROWS = declare("risk.calibrate-no-rows", "cannot calibrate on no rows")
FEATURISED_DIFFERENTLY = declare(
    "risk.drift.featurised-differently", "the two periods were featurised differently"
)
UNKNOWN_FEATURES = declare(
    "risk.model.unknown-features", "unknown feature set {name!r} (known: {known})"
)
NO_HEAD = declare("risk.model.no-head", "model has no head {head!r} (heads: {heads})")
OVERRIDE_REASON = declare("risk.override.no-reason", "an override needs a reason")
OVERRIDE_LANE = declare(
    "risk.override.unknown-lane",
    "lane {lane!r} is not a lane of selection {selection}: one of {lanes}",
)
OVERRIDE_SAME_LANE = declare(
    "risk.override.same-lane", "shipment {reference!r} is already in lane {lane!r}"
)
