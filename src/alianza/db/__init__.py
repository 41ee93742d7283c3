"""Storage: SQLAlchemy 2 models, Alembic migrations, one write path.

``open_database(settings)`` gives a :class:`Database` whose schema is migrated to the newest
revision on first use. SQLite and PostgreSQL differences live in :mod:`alianza.db.engine`.
"""

from sqlalchemy.orm import Session  # the type of what transaction()/reader() give, for shells

from alianza.db.base import Base
from alianza.db.database import Database, open_database

__all__ = ["Base", "Database", "Session", "open_database"]
