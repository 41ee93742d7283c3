"""High-risk shipment targeting (Alliance Point 10, action 10.8).

Library first: ``table`` holds declarations column-wise, ``kcs`` reads the Korea Customs Service
synthetic declarations, ``history`` computes leakage-safe entity-history features, ``features``
builds the model matrix, ``model`` trains and scores the two calibrated heads (general violation
and critical), ``calibration`` maps scores to probabilities, ``explain`` gives the top
contributing features, ``metrics`` measures ranking and calibration at inspection budgets.

The machine-learning parts need the optional extra ``alianza[risk]`` (LightGBM, NumPy).
"""
