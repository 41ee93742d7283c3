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
