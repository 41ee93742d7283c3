"""Interface strings of the risk pages (English and Spanish)."""

from __future__ import annotations

from alianza.web.strings import Message

STRINGS: dict[str, Message] = {
    "rk_title": "Shipment targeting",
    "rk_intro": (
        "Action 10.8: rules, watchlists and calibrated scores assign each batch of shipments to "
        "inspection lanes within capacity; a random control slice measures the true violation rate."
    ),
    "rk_extra_missing": (
        "Scoring, selection and explanations need the optional risk extra on this node (pip "
        "install 'alianza[risk]'). What is stored is still shown."
    ),
    "rk_rules_link": "Rules and watchlists",
    "rk_model": "Model",
    "rk_model_active": "Active model {id}",
    "rk_trained": "trained on",
    "rk_calibrated": "calibrated on",
    "rk_features": "feature set {features}",
    "rk_ece": "Calibration error",
    "rk_no_model": "No model has been trained yet (alianza risk train).",
    "rk_schedule": (
        "Retraining every {every} days, or after {labels} new outcomes; the last {days} days of "
        "outcomes calibrate."
    ),
    "rk_measured_on": "Measured on its calibration period, {start} – {end}.",
    "rk_schedule_period": (
        "Retraining every {every} days when new outcomes arrived; the last {days} days of outcomes "
        "calibrate."
    ),
    "rk_schedule_default": "default schedule",
    "rk_hit_rate": "Random-slice hit rate",
    "rk_hit_rate_note": (
        "Violations found among randomly drawn inspections, per month of declaration, with a 95 % "
        "interval: the only unbiased estimate of the violation rate."
    ),
    "rk_period": "Period",
    "rk_drawn": "Drawn",
    "rk_inspected": "With outcome",
    "rk_rate": "Hit rate",
    "rk_interval": "95 % interval",
    "rk_no_slices": "No random-control inspections yet.",
    "rk_drift": "Drift monitors",
    "rk_drift_note": (
        "Population stability index of each feature from {reference} to {current} (computed at the "
        "last retraining)."
    ),
    "rk_feature": "Feature",
    "rk_level": "Level",
    "rk_drift_stable": "stable",
    "rk_drift_watch": "watch",
    "rk_drift_shifted": "shifted",
    "rk_drift_rate": (
        "Random-slice hit rate {before} ({before_n}) → {after} ({after_n}), two-proportion test p "
        "= {p}."
    ),
    "rk_drift_history": "At each retraining",
    "rk_drift_history_note": "Counts among the 15 features that moved most at each retraining.",
    "rk_largest": "Largest",
    "rk_withdrawn": "withdrawn",
    "rk_no_drift": "No drift report yet: it is computed when a model is retrained.",
    "rk_selections": "Selections",
    "rk_selection_n": "Selection {id}",
    "rk_batch": "Batch",
    "rk_lanes": "Lanes",
    "rk_no_selections": "No selections yet.",
    "rk_select": "Select a batch",
    "rk_select_note": (
        "Mandatory rule hits first, then the random control slice, then the highest scores, within "
        "each lane's capacity. Rules and watchlists held on this node apply."
    ),
    "rk_from": "Declared from",
    "rk_to": "Declared to",
    "rk_port": "Port (office), optional",
    "rk_lane_physical": "Physical exam",
    "rk_lane_non-intrusive": "Non-intrusive exam",
    "rk_lane_documentary": "Documentary check",
    "rk_lane_release": "Release",
    "rk_random_share": "Random control share (0–1)",
    "rk_seed": "Random seed",
    "rk_factors_raising": "Factors raising the score",
    "rk_factors_lowering": "Factors lowering the score",
    "rk_not_scored": "This shipment is not among the declarations the model scores yet.",
    "rk_released_hits": "Released despite a rule or watchlist hit",
    "rk_replace": "Reason to select this batch again (only if already selected)",
    "rk_already_selected": "This batch was already selected. To select it again, give the reason.",
    "rk_select_button": "Select and record",
    "rk_no_lanes": "Give at least one lane a capacity.",
    "rk_bad_period": "The last day is before the first.",
    "rk_nothing_to_score": "No shipments were declared in that period (at that port).",
    "rk_quarantine": "Refused declaration rows (quarantine)",
    "rk_file": "File",
    "rk_row": "Row",
    "rk_reference": "Declaration",
    "rk_issues": "Reasons",
    "rk_selection_meta": (
        "Model {model}, seed {seed}, random control {share} % of each lane, by {who}."
    ),
    "rk_lane": "Lane",
    "rk_used": "Used / capacity",
    "rk_reason": "Reason",
    "rk_reason_mandatory": "Mandatory rule hit",
    "rk_reason_random-control": "Random control",
    "rk_reason_critical-score": "Critical score",
    "rk_reason_score": "Score",
    "rk_reason_release": "Released",
    "rk_selected": "Selected shipments",
    "rk_all_lanes": "all lanes",
    "rk_p_violation": "P(violation)",
    "rk_p_critical": "P(critical)",
    "rk_rule_hits": "Rule hits",
    "rk_mandatory": "mandatory",
    "rk_outcome": "Outcome",
    "rk_pending": "pending",
    "rk_overridden": "moved by {who}",
    "rk_none_selected": "No shipment in this lane.",
    "rk_released": (
        "1 shipment released without inspection.",
        "{n} shipments released without inspection.",
    ),
    "rk_shipment": "Shipment",
    "rk_declared": "Declared",
    "rk_field_declared_on": "Declared on",
    "rk_field_port": "Port",
    "rk_field_mode": "Mode",
    "rk_field_hs6": "HS code",
    "rk_field_origin": "Origin",
    "rk_field_departure": "Departure",
    "rk_field_importer": "Importer",
    "rk_field_shipper": "Shipper",
    "rk_field_declarant": "Declarant",
    "rk_field_carrier": "Carrier",
    "rk_field_net_mass_kg": "Net mass (kg)",
    "rk_field_value": "Declared value",
    "rk_result": "Result",
    "rk_result_clear": "Clear",
    "rk_result_violation": "Violation",
    "rk_result_critical": "Critical (narcotics)",
    "rk_exam_type": "Exam type",
    "rk_inspected_on": "Inspected on",
    "rk_seizure_event": "Seizure event ID",
    "rk_seizure_held": "in this node's seizure records ({date}, port {port})",
    "rk_seizure_not_held": "not found among this node's seizure records",
    "rk_record_outcome": "Record outcome",
    "rk_recorded_by": "recorded by {who}",
    "rk_outcome_refused": "The outcome was not recorded:",
    "rk_why": "Why it was selected",
    "rk_override": "Move to another lane",
    "rk_override_lane": "New lane",
    "rk_override_reason": "Reason (required)",
    "rk_override_button": "Move",
    "rk_overrides": "Overrides",
    "rk_override_line": "{reference}: {before} → {after}, by {who} on {at}: {reason}",
    "rk_no_overrides": "No shipment of this selection was moved.",
    "rk_override_no-reason": "The shipment was not moved: give the reason for the override.",
    "rk_override_unknown-lane": (
        "The shipment was not moved: that lane is not one of the selection's lanes."
    ),
    "rk_override_same-lane": "The shipment was not moved: it is already in that lane.",
    "rk_never_selected": "This shipment is in no recorded selection.",
    "rk_head_general": "Violation risk",
    "rk_head_critical": "Critical (narcotics) risk",
    "rk_raw_score": "Raw score {score} (log-odds)",
    "rk_value": "Value",
    "rk_contribution": "Contribution",
    "rk_explain_note": (
        "Contributions are exact TreeSHAP values of the active model on the log-odds scale; "
        "positive ones raise the risk."
    ),
    "rk_rules_title": "Rules and watchlists",
    "rk_rules_note": (
        "Every version is kept; a retired version no longer hits. Managed with alianza risk rules "
        "and alianza risk watchlist."
    ),
    "rk_rules": "Rules",
    "rk_rule": "Rule",
    "rk_conditions": "When (all hold)",
    "rk_effect": "Effect",
    "rk_mandatory_to": "mandatory → {lane}",
    "rk_in_force": "In force",
    "rk_owner": "Owner",
    "rk_state": "State",
    "rk_active": "active",
    "rk_retired": "retired",
    "rk_no_rules": "No rules held.",
    "rk_watchlists": "Watchlists",
    "rk_watchlist": "Watchlist",
    "rk_entity": "Entity",
    "rk_no_watchlists": "No watchlist entries.",
}
