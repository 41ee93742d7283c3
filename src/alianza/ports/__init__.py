"""Ports of entry (Alliance Point 10, actions 10.6 and 10.7): crossing volumes (BTS), border wait
times (CBP), their analysis and a queueing model of a crossing."""
