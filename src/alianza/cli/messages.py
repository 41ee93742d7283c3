"""The command line's errors and refusals (filled below)."""
