"""Fixtures of the health tests: the database fixtures of tests/db (SQLite and PostgreSQL)."""

from tests.db.conftest import database_factory, database_url, engine, sessionmaker

__all__ = ["database_factory", "database_url", "engine", "sessionmaker"]
