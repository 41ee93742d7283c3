"""Running a node: configuration problems as one-line errors, logs, health, metrics, backups."""
