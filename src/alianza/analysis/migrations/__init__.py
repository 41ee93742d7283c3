"""Migrations of the analysis tables (branch ``analysis``)."""
