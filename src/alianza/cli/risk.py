"""``alianza risk``: high-risk shipment targeting (action 10.8).

The group and the table of its commands only (issue 18: ``alianza risk --help`` imports none
of them); its commands live by family, each a thin shell over the library: ``risk_data``
(import, sample, outcomes, quarantine), ``risk_training`` (train, schedule, retrain, rollback,
models), ``risk_select`` (score, select, override), ``risk_measure`` (evaluate, drift,
explain), ``risk_rules`` (rules …, watchlist …), ``risk_live`` (score-one, hit-rates); shared
options in ``risk_options``. The library is imported inside each command so that ``alianza``
runs on a node installed without the ``risk`` extra (LightGBM, NumPy). Every write records who
acts (``--by``, default your login name) as ``NodeSelf`` in the audit log.
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help)
RISK_COMMANDS: dict[str, Entry] = {
    "drift": (
        "alianza.cli.risk_measure",
        "drift",
        "Feature drift (PSI, judged against the noise of its number of categories and sample "
        "sizes) and the change of the random-slice hit rate between two periods.",
    ),
    "evaluate": (
        "alianza.cli.risk_measure",
        "evaluate",
        "Measure the model on the period's inspected shipments, and report the unbiased hit "
        "rate of the random-control inspections of the period.",
    ),
    "explain": (
        "alianza.cli.risk_measure",
        "explain_command",
        "Why shipments score as they do: the features that moved their score most.",
    ),
    "hit-rates": (
        "alianza.cli.risk_live",
        "hit_rates_command",
        "The random control slice's hit rate per period and lane, with its 95 % interval "
        "(Wilson): the unbiased measure of how often a shipment of the traffic breaks the "
        "rules.",
    ),
    "import": (
        "alianza.cli.risk_data",
        "import_command",
        "Import shipment declarations; labels in the file are stored as past outcomes.",
    ),
    "models": (
        "alianza.cli.risk_training",
        "models_command",
        "Stored models, newest first: what they were trained on, how they measured.",
    ),
    "outcomes": (
        "alianza.cli.risk_data",
        "outcomes_command",
        "Record inspection outcomes (CSV: reference, lane, exam_type, inspected_on, result = "
        "clear|violation|critical, optional seizure_event_id).",
    ),
    "override": (
        "alianza.cli.risk_select",
        "override",
        "Move one shipment of a selection to another of its lanes, or to release (kept and "
        "audited).",
    ),
    "quarantine": (
        "alianza.cli.risk_data",
        "quarantine_command",
        "Declaration rows refused by imports and not yet released by a corrected file.",
    ),
    "retrain": (
        "alianza.cli.risk_training",
        "retrain_command",
        "Retrain on every label held, keep the previous model for rollback, record the new "
        "model's evaluation and the drift monitors.",
    ),
    "rollback": (
        "alianza.cli.risk_training",
        "rollback_command",
        "Withdraw the active model: the previous one scores again (kept, audited).",
    ),
    "rules": (
        "alianza.cli.risk_rules",
        "rules",
        "Targeting rules held in the database: versioned, owned, expiring, retired, audited.",
    ),
    "sample": (
        "alianza.cli.risk_data",
        "sample_command",
        "Write a generated (synthetic) border-shipment sample in the canonical columns: a "
        "history with outcomes, the last week's arrivals without, and the arrivals' true "
        "outcomes.",
    ),
    "schedule": (
        "alianza.cli.risk_training",
        "schedule_command",
        "Show the retraining schedule, or set it with any of the options.",
    ),
    "score": (
        "alianza.cli.risk_select",
        "score",
        "Score the shipments declared in a period (both heads, calibrated probabilities); the "
        "scores are written to the audit log under --by.",
    ),
    "score-one": (
        "alianza.cli.risk_live",
        "score_one_command",
        "Score declarations one at a time, as they arrive (FILE: a JSON object or list, or a "
        "CSV): each is checked, scored by the active model, run through the rules and "
        "watchlists, and given a lane, its reasons and its explanation.",
    ),
    "select": (
        "alianza.cli.risk_select",
        "select_command",
        "Assign the period's shipments to lanes within capacity and record the selection: "
        "mandatory rule hits first, then the random control slice (randomised rounding: its "
        "expected size is the share of every lane, however small), then the highest scores "
        "under the stated spare-capacity policy.",
    ),
    "train": (
        "alianza.cli.risk_training",
        "train",
        "Train the general and critical heads on every labeled shipment and store the model "
        "(the active one is kept for rollback; the new one's evaluation and drift are "
        "recorded).",
    ),
    "watchlist": (
        "alianza.cli.risk_rules",
        "watchlist",
        "Watchlists of entities (importer, shipper, declarant, carrier, consignee).",
    ),
}


@click.group(cls=LazyGroup, lazy=RISK_COMMANDS)
def risk() -> None:
    """Shipment risk targeting: import, train, score, select, evaluate, explain."""
