"""Registry of every domain package's tables (for migrations and schema checks)."""

from __future__ import annotations

from importlib import import_module

from sqlalchemy import MetaData

from alianza.db.base import Base

# Modules that declare tables: the core's, then each domain package's.
MODEL_MODULES = (
    "alianza.audit",
    "alianza.db.kept",
    "alianza.pme.models",
    "alianza.pme.engine_models",
    "alianza.accounts.models",
    "alianza.exchange.models",
    "alianza.seizures.models",
    "alianza.ports.models",
    "alianza.risk.models",
    "alianza.cooperation.models",
    "alianza.liaison.models",
    "alianza.analysis.models",
)


def all_metadata() -> MetaData:
    """Import every module that declares tables and return the shared metadata."""
    for name in MODEL_MODULES:
        import_module(name)
    return Base.metadata
