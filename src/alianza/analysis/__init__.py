"""Joint analysis of both countries' exchanged seizure tables (action 10.9)."""
