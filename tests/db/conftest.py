"""Fixtures that run every database test on SQLite and on PostgreSQL.

PostgreSQL tests each get a freshly created database (dropped afterwards), so runs
can repeat and run in parallel. The server is expected at ``HIVE_TEST_POSTGRES_URL``
(default ``postgresql+asyncpg://postgres@127.0.0.1:5432/test``); if it is down the
PostgreSQL tests fail, unless ``HIVE_TEST_SKIP_POSTGRES=1``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async

POSTGRES_ADMIN_URL = os.environ.get(
    "HIVE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
SKIP_POSTGRES = os.environ.get("HIVE_TEST_SKIP_POSTGRES") == "1"

DatabaseFactory = Callable[[], AbstractAsyncContextManager[str]]


@asynccontextmanager
async def _postgres_database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for one test; dropped on exit."""
    # A short connect timeout: a firewalled server should fail the test, not hang it.
    admin = create_async_engine(
        POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"timeout": 10}
    )
    name = f"hive_test_{uuid.uuid4().hex[:16]}"
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        await admin.dispose()
        where = make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)
        message = f"PostgreSQL at {where} is not usable ({exc!r})"
        if SKIP_POSTGRES:
            pytest.skip(message)
        pytest.fail(f"{message}; set HIVE_TEST_SKIP_POSTGRES=1 to skip the PostgreSQL tests")
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            # FORCE: a test that failed mid-way may leave a connection open.
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_factory(request: pytest.FixtureRequest, tmp_path: Path) -> DatabaseFactory:
    """Makes fresh, empty databases of the parametrized engine; yields their URLs."""
    counter = iter(range(1_000_000))

    @asynccontextmanager
    async def sqlite_database() -> AsyncIterator[str]:
        # A subfolder that does not exist yet: the code under test must create it.
        yield f"sqlite+aiosqlite:///{tmp_path / f'db{next(counter)}' / 'hive.db'}"

    return sqlite_database if request.param == "sqlite" else _postgres_database


@pytest.fixture
async def database_url(database_factory: DatabaseFactory) -> AsyncIterator[str]:
    """URL of a fresh, empty database (SQLite file in tmp_path, or a new PostgreSQL database)."""
    async with database_factory() as url:
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database migrated to head."""
    await upgrade_database_async(database_url)
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)
