"""Hive's own database: SQLAlchemy 2 async models, engine helpers and migrations.

SQLite (aiosqlite) by default, PostgreSQL (asyncpg) in production. The schema is
owned by the Alembic migrations in ``migrations/``; apply them with
`upgrade_database` before serving.
"""

from hive_core.db.base import Base, JSONType, UTCDateTime, new_id, utcnow
from hive_core.db.engine import check_database, create_engine, create_sessionmaker
from hive_core.db.migrate import (
    current_revision,
    current_revision_async,
    downgrade_database,
    downgrade_database_async,
    head_revision,
    upgrade_database,
    upgrade_database_async,
)

__all__ = [
    "Base",
    "JSONType",
    "UTCDateTime",
    "check_database",
    "create_engine",
    "create_sessionmaker",
    "current_revision",
    "current_revision_async",
    "downgrade_database",
    "downgrade_database_async",
    "head_revision",
    "new_id",
    "upgrade_database",
    "upgrade_database_async",
    "utcnow",
]
