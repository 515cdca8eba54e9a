"""Apply Hive's Alembic migrations programmatically; no ``alembic.ini`` needed.

The functions are synchronous (for the CLI) and accept async URLs; they also work
when called from inside a running event loop. Async code should prefer the
``*_async`` variants, which keep the loop responsive.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from hive_core.db._loop import run_blocking
from hive_core.db._sqlite import sqlite_file

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Key in Config.attributes under which env.py finds the URL (see env.py).
URL_ATTRIBUTE = "hive_database_url"
# Alembic's `context` and `op` are process-wide proxies: two commands running at once
# in different threads would overwrite each other's. One command at a time, then.
_ALEMBIC_LOCK = threading.Lock()


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the migrations shipped in this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not a main option: ConfigParser would choke on "%" in passwords.
    config.attributes[URL_ATTRIBUTE] = url
    return config


def head_revision() -> str:
    """The newest revision shipped with this version of Hive."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def upgrade_database(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision`` (default: the newest)."""
    with _ALEMBIC_LOCK:
        command.upgrade(alembic_config(url), revision)


def downgrade_database(url: str, revision: str) -> None:
    """Migrate the database at ``url`` down to ``revision`` (``"base"`` drops every table)."""
    with _ALEMBIC_LOCK:
        command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    """The revision the database is at; None if it was never migrated."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        # Connecting would create an empty file as a side effect of a read-only question.
        return None
    return run_blocking(_current_revision(url))


async def upgrade_database_async(url: str, revision: str = "head") -> None:
    """`upgrade_database` in a worker thread, so the event loop keeps running."""
    await asyncio.to_thread(upgrade_database, url, revision)


async def downgrade_database_async(url: str, revision: str) -> None:
    """`downgrade_database` in a worker thread, so the event loop keeps running."""
    await asyncio.to_thread(downgrade_database, url, revision)


async def current_revision_async(url: str) -> str | None:
    """`current_revision` in a worker thread, so the event loop keeps running."""
    return await asyncio.to_thread(current_revision, url)


async def _current_revision(url: str) -> str | None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_read_revision)
    finally:
        await engine.dispose()


def _read_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


__all__ = [
    "MIGRATIONS_DIR",
    "alembic_config",
    "current_revision",
    "current_revision_async",
    "downgrade_database",
    "downgrade_database_async",
    "head_revision",
    "upgrade_database",
    "upgrade_database_async",
]
