"""``alianza risk``: high-risk shipment targeting (action 10.8).

The group only; its commands live by family, each a thin shell over the library:
``risk_data`` (import, sample, outcomes, quarantine), ``risk_training`` (train, schedule,
retrain, rollback, models), ``risk_select`` (score, select, override), ``risk_measure``
(evaluate, drift, explain), ``risk_rules`` (rules …, watchlist …), ``risk_live`` (score-one,
hit-rates); shared options in ``risk_options``. The library is imported inside each command so
that ``alianza`` runs on a node installed without the ``risk`` extra (LightGBM, NumPy). Every
write records who acts (``--by``, default your login name) as ``NodeSelf`` in the audit log.
"""

from __future__ import annotations

import click

from alianza.cli import risk_data, risk_live, risk_measure, risk_rules, risk_select, risk_training


@click.group()
def risk() -> None:
    """Shipment risk targeting: import, train, score, select, evaluate, explain."""


for _family in (risk_data, risk_training, risk_select, risk_measure, risk_rules, risk_live):
    for _command in _family.COMMANDS:
        risk.add_command(_command)
