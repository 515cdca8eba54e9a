"""Async engine and session factory for Hive's database, and a readiness check."""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator

from sqlalchemy import event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from hive_core.db._sqlite import configure_sqlite_connection, ensure_sqlite_directory, is_sqlite
from hive_core.errors import OperationalError


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine for ``url`` (``sqlite+aiosqlite:///...`` or ``postgresql+asyncpg://...``).

    For SQLite the file's folder is created, and every connection enforces foreign
    keys and uses WAL journaling. No connection is made yet; see `check_database`.

    Raises:
        OperationalError: the SQLite file's folder cannot be created.
    """
    if is_sqlite(url):
        ensure_sqlite_directory(url)
        engine = create_async_engine(url, echo=echo)
        event.listen(engine.sync_engine, "connect", configure_sqlite_connection)
        return engine
    # pre_ping: a PostgreSQL restart should cost one retry, not a burst of failed requests.
    return create_async_engine(url, echo=echo, pool_pre_ping=True)


_SQLITE_WRITE_LOCKS: weakref.WeakKeyDictionary[AsyncEngine, asyncio.Lock] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def write_gate(engine: AsyncEngine) -> AsyncIterator[None]:
    """Hold around a short write transaction that runs on every request (rate-limit counters).

    SQLite has one writer at a time, and a writer that finds the file locked sleeps in growing
    steps (its busy handler: 1, 2, 5 … 100 ms), which turned 20 concurrent requests into a
    1 s p95. Queuing this process's writers on an asyncio lock instead hands the lock over at
    once. Other engines (PostgreSQL) need no gate.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    lock = _SQLITE_WRITE_LOCKS.get(engine)
    if lock is None:
        lock = _SQLITE_WRITE_LOCKS[engine] = asyncio.Lock()
    async with lock:
        yield


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory; objects stay readable after commit (no implicit async refresh)."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def check_database(engine: AsyncEngine, *, timeout_s: float = 10.0) -> None:
    """Run ``SELECT 1``.

    Raises:
        OperationalError: the database cannot be reached or answered in time.
    """
    where = engine.url.render_as_string(hide_password=True)
    try:
        async with asyncio.timeout(timeout_s), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except TimeoutError as exc:
        raise OperationalError(f"database {where} did not answer within {timeout_s:g} s", url=where) from exc
    except (SQLAlchemyError, OSError) as exc:
        # asyncpg raises OSError subclasses (connection refused) that SQLAlchemy leaves unwrapped.
        reason = _first_line(exc)
        raise OperationalError(
            f"cannot connect to database {where}: {reason}", url=where, reason=reason
        ) from exc


def _first_line(exc: BaseException) -> str:
    # SQLAlchemy appends the SQL and a docs link; the first line names the cause.
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


__all__ = ["check_database", "create_engine", "create_sessionmaker"]
