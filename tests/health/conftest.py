"""Fixtures of the health tests: the database fixtures of tests/db (SQLite and PostgreSQL), and the
API-with-keys fixtures of tests/api_auth (an app on that database, keys created in it)."""

from tests.api_auth.conftest import make_api, make_key, migrated_url, sessions
from tests.db.conftest import database_factory, database_url, engine, sessionmaker

__all__ = [
    "database_factory",
    "database_url",
    "engine",
    "make_api",
    "make_key",
    "migrated_url",
    "sessionmaker",
    "sessions",
]
