"""What the ``alianza risk`` commands print: English here, Spanish in the message catalogue
(keys ``cli.risk.…``), said in the user's language. Codes, references, feature names, numbers,
the JSON output and the CSV written for machines stay as they are."""

from __future__ import annotations

from alianza.catalogue import declare

# evaluate, drift, explain
EVALUATED = declare("cli.risk.evaluated", "{rows} shipments, {labeled} with an outcome")
RANDOM_SLICE = declare(
    "cli.risk.random-slice",
    "  random control slice: {hits}/{inspected} = {rate} (95% {low}-{high})",
)
RANDOM_SLICE_EMPTY = declare(
    "cli.risk.random-slice-empty",
    "  random control slice: no random-control inspections with outcomes",
)
DRIFT_HEADING = declare(
    "cli.risk.drift-heading",
    "feature drift {reference} -> {current} (PSI; < 0.1 stable, 0.1-0.25 watch, > 0.25 "
    "shifted, and above the noise of its sample):",
)
DRIFT_ROW = declare("cli.risk.drift-row", "  {psi}  {level} {feature} (noise {noise})")
HIT_RATE_CHANGE = declare(
    "cli.risk.hit-rate-change",
    "random-slice hit rate: {before} ({before_inspected}) -> {after} ({after_inspected}), "
    "z {z}, p {p}",
)
HIT_RATE_UNKNOWN = declare(
    "cli.risk.hit-rate-unknown",
    "random-slice hit rate: not enough random-control outcomes in both periods",
)
EXPLAINED = declare("cli.risk.explained", "{reference} ({head}, raw score {score}):")
RAISING = declare("cli.risk.raising", "  raising the score:")
LOWERING = declare("cli.risk.lowering", "  lowering the score:")

# rules and watchlists
RULE_STORED = declare("cli.risk.rule-stored", "rule {code} version {version} stored")
RULES_IMPORTED = declare(
    "cli.risk.rules-imported", "{file}: {stored} stored, {unchanged} unchanged"
)
NO_RULES = declare("cli.risk.no-rules", "no rules")
ACTIVE = declare("cli.risk.active", "active")
RETIRED = declare("cli.risk.retired", "retired: {reason}")
MANDATORY = declare("cli.risk.mandatory", "mandatory -> {lane}")
WEIGHT = declare("cli.risk.weight", "weight {weight}")
NO_EXPIRY = declare("cli.risk.no-expiry", "no expiry")
RULE_ROW = declare(
    "cli.risk.rule-row",
    "{code} v{version} [{state}] {valid_from}..{until}, {effect}; owner {owner}: {reason}",
)
RULE_CONDITION = declare("cli.risk.rule-condition", "    when {condition}")
RULE_RETIRED = declare(
    "cli.risk.rule-retired",
    ("rule {code}: retired version(s) {versions}", "rule {code}: retired version(s) {versions}"),
)
WATCH_STORED = declare(
    "cli.risk.watch-stored", "watchlist {name}: {value} ({column}) version {version} stored"
)
NO_WATCHES = declare("cli.risk.no-watches", "no watchlist entries")
WATCH_ROW = declare(
    "cli.risk.watch-row",
    "{watchlist}: {column} = {value} v{version} [{state}] from {valid_from}, {effect}; "
    "owner {owner}: {reason}",
)
WATCH_RETIRED = declare("cli.risk.watch-retired", "watchlist {name}: {value} retired")

# train, schedule, retrain, rollback, models
MODEL_STORED = declare("cli.risk.model-stored", "stored risk model {id}")
SCHEDULE_STORED = declare("cli.risk.schedule-stored", "stored")
SCHEDULE_DEFAULT = declare("cli.risk.schedule-default", "default (none stored)")
SCHEDULE = declare(
    "cli.risk.schedule",
    "retraining schedule ({origin}): every {every} days, early after {labels} new outcomes, "
    "calibration {calibration} days",
)
SCHEDULE_NOT_EARLY = declare(
    "cli.risk.schedule-not-early",
    "retraining schedule ({origin}): every {every} days, early after no new outcomes, "
    "calibration {calibration} days",
)
NOT_DUE = declare("cli.risk.not-due", "not due: {detail}")
RETRAINED = declare("cli.risk.retrained", "stored risk model {id} ({trigger}: {detail})")
RETRAINED_MANUALLY = declare(
    "cli.risk.retrained-manually", "stored risk model {id} (manual; the schedule says: {detail})"
)
MODEL_LABEL = declare("cli.risk.model-label", "model {id}")
PREVIOUS_LABEL = declare("cli.risk.previous-label", "previous {id}")
MODEL_MEASURED = declare("cli.risk.model-measured", "  {label} on {period}: {metrics}")
DRIFT_LARGEST = declare("cli.risk.drift-largest", "  drift (PSI, largest): {features}")
ROLLED_BACK = declare(
    "cli.risk.rolled-back", "model {withdrawn} withdrawn; model {active} is active"
)
WITHDRAWN = declare("cli.risk.withdrawn", "withdrawn: {reason}")
KEPT = declare("cli.risk.kept", "kept")
NO_RECORD = declare("cli.risk.no-record", "no record")
MODEL_ROW = declare(
    "cli.risk.model-row",
    "model {id} [{state}] {features} features, trained {trained}, calibrated {calibrated}, "
    "{labels} labels, {trigger}{auc}",
)

# score-one, hit-rates
NO_RULE_HIT = declare("cli.risk.no-rule-hit", "no rule hit")
SCORED_ONE = declare(
    "cli.risk.scored-one",
    "{reference}: p(violation) {violation}, p(critical) {critical} -> {lane} ({reason}); {rules}",
)
NO_DRAWS = declare("cli.risk.no-draws", "no random-control draws yet")
HIT_RATE_ROW = declare(
    "cli.risk.hit-rate-row",
    "{period} {lane}: {hits}/{inspected} = {rate} (95% {low}-{high}), {drawn} drawn",
)
HIT_RATE_NO_OUTCOME = declare(
    "cli.risk.hit-rate-no-outcome", "{period} {lane}: {drawn} drawn, no outcome yet"
)

# score, select, override
SCORED = declare("cli.risk.scored", "model {id}: {count} shipments scored")
# The score table's column names, aligned over their columns (14, 8, 8, 14 and 13 wide).
SCORE_COLUMNS = declare(
    "cli.risk.score-columns", "reference     port    hs6       p(violation)  p(critical)"
)
SELECTION = declare("cli.risk.selection", "selection {id} ({label}, model {model}, seed {seed})")
SPARE_POLICY = declare("cli.risk.spare-policy", "  spare capacity policy: {policy}")
OVER_CAPACITY = declare("cli.risk.over-capacity", ", {count} over capacity")
LANE_USE = declare(
    "cli.risk.lane-use",
    "  {lane}: {used}/{capacity} (mandatory {mandatory}, random control {random}, critical "
    "{critical}, score {score}{over}, spare {spare})",
)
OVERRIDDEN = declare("cli.risk.overridden", "selection {id}: {reference} -> {lane}")

# quarantine
QUARANTINED = declare("cli.risk.quarantined", ("{n} rows in quarantine", "{n} rows in quarantine"))
QUARANTINE_ROW = declare("cli.risk.quarantine-row", "  {source} row {row} {reference}: {codes}")
