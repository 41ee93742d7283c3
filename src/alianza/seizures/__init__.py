"""Seizure records: canonical model, importers with validation reports, quarantine,
duplicate detection and aggregation (issue 4; reference ``shared/docs/seizure-reference.md``)."""
