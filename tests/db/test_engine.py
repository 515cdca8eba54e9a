"""Engine set-up, the readiness check and timezone handling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hive_core.db import check_database, create_engine
from hive_core.db.models import AuditLog, SystemConfig, User
from hive_core.errors import OperationalError

Sessions = async_sessionmaker[AsyncSession]


async def test_check_database_passes(engine: AsyncEngine) -> None:
    await check_database(engine)


async def test_check_database_names_an_unreachable_server() -> None:
    engine = create_engine("postgresql+asyncpg://postgres:s3cret@127.0.0.1:1/x")
    try:
        with pytest.raises(OperationalError) as caught:
            await check_database(engine)
    finally:
        await engine.dispose()
    message = str(caught.value)
    assert message.startswith("cannot connect to database postgresql+asyncpg://postgres:***@127.0.0.1:1/x: ")
    assert "s3cret" not in message
    assert caught.value.retryable
    assert caught.value.details["url"] == "postgresql+asyncpg://postgres:***@127.0.0.1:1/x"


async def test_check_database_names_an_unusable_database(database_url: str, tmp_path: Path) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # SQLite creates missing files, but cannot open a folder as one.
        bad, reason = url.set(database=str(tmp_path)), "unable to open database file"
    else:
        bad, reason = url.set(database="hive_no_such_db"), 'database "hive_no_such_db" does not exist'
    engine = create_engine(bad.render_as_string(hide_password=False))
    try:
        with pytest.raises(OperationalError, match=f"cannot connect to database .*: {reason}$"):
            await check_database(engine)
    finally:
        await engine.dispose()


def test_uncreatable_sqlite_folder_is_an_operational_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OperationalError, match="cannot create folder"):
        create_engine(f"sqlite+aiosqlite:///{blocker}/hive.db")


async def test_sqlite_engine_creates_folder_and_sets_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "hive.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        assert path.parent.is_dir()
        async with engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
    finally:
        await engine.dispose()


async def test_in_memory_sqlite_works() -> None:
    engine = create_engine("sqlite+aiosqlite://")
    try:
        await check_database(engine)
    finally:
        await engine.dispose()


async def test_timestamps_are_timezone_aware_utc(sessionmaker: Sessions) -> None:
    # 12:00 at UTC+02:00 is 10:00 UTC: stored as the same instant, read back in UTC.
    at = datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    async with sessionmaker() as session:
        user = User(email="tz@example.org")
        entry = AuditLog(at=at, actor="tz@example.org", action="login", resource_type="user")
        session.add_all([user, entry])
        await session.commit()
        user_id, entry_id = user.id, entry.id

    async with sessionmaker() as session:
        user = await session.get_one(User, user_id)
        for value in (user.created_at, user.updated_at):
            assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
            assert abs(datetime.now(UTC) - value) < timedelta(minutes=5)
        entry = await session.get_one(AuditLog, entry_id)
        assert entry.at == at
        assert entry.at.utcoffset() == timedelta(0) and entry.at.hour == 10
        # Comparisons in SQL use the same UTC normalisation.
        found = await session.scalar(select(AuditLog.id).where(AuditLog.at > at - timedelta(microseconds=1)))
        assert found == entry_id


async def test_updated_at_moves_on_update(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        user = User(email="up@example.org")
        session.add(user)
        await session.commit()
        created, first_update = user.created_at, user.updated_at
        user.is_active = False
        await session.commit()
        assert user.created_at == created
        assert user.updated_at > first_update


async def test_server_default_timestamps_are_aware(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        # Raw SQL leaves created_at/updated_at to the database's DEFAULT.
        insert = "INSERT INTO system_config (key, value, category) VALUES ('raw', CAST(:v AS JSON), 'test')"
        await session.execute(text(insert), {"v": "1"})
        await session.commit()
        config = await session.get_one(SystemConfig, "raw")
        assert config.created_at.tzinfo is not None
        assert abs(datetime.now(UTC) - config.created_at) < timedelta(minutes=5)


async def test_naive_datetimes_are_refused(sessionmaker: Sessions) -> None:
    async with sessionmaker() as session:
        session.add(AuditLog(at=datetime(2026, 1, 1), actor="x", action="y", resource_type="z"))
        with pytest.raises(StatementError, match="naive datetime"):
            await session.commit()


async def test_write_gate_queues_sqlite_writers_and_lets_others_through(engine: AsyncEngine) -> None:
    import asyncio

    from hive_core.db.engine import write_gate

    inside = 0
    most = 0

    async def writer() -> None:
        nonlocal inside, most
        async with write_gate(engine):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await asyncio.gather(*(writer() for _ in range(5)))
    # SQLite has one writer: the gate queues them; PostgreSQL writers go side by side.
    assert most == (1 if engine.dialect.name == "sqlite" else 5)
