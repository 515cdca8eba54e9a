"""The shipped Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

import hive_core.db.models  # noqa: F401  (registers the tables)
from hive_core.db import (
    Base,
    create_engine,
    current_revision,
    current_revision_async,
    downgrade_database,
    downgrade_database_async,
    head_revision,
    upgrade_database,
    upgrade_database_async,
)
from hive_core.db.migrate import alembic_config

from .conftest import DatabaseFactory


async def _table_names(url: str) -> set[str]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


def _check_constraint_names(connection: Connection) -> set[tuple[str, str]]:
    inspector = inspect(connection)
    return {
        (table, str(check["name"]))
        for table in inspector.get_table_names()
        if table != "alembic_version"
        for check in inspector.get_check_constraints(table)
    }


async def test_upgrade_downgrade_upgrade(database_url: str) -> None:
    model_tables = set(Base.metadata.tables)
    assert await current_revision_async(database_url) is None

    await upgrade_database_async(database_url)
    assert await current_revision_async(database_url) == head_revision()
    assert await _table_names(database_url) == model_tables | {"alembic_version"}

    await downgrade_database_async(database_url, "base")
    assert await current_revision_async(database_url) is None
    assert await _table_names(database_url) <= {"alembic_version"}

    await upgrade_database_async(database_url)
    assert await current_revision_async(database_url) == head_revision()
    assert await _table_names(database_url) == model_tables | {"alembic_version"}


async def test_upgrade_is_idempotent(database_url: str) -> None:
    await upgrade_database_async(database_url)
    await upgrade_database_async(database_url)
    assert await current_revision_async(database_url) == head_revision()


async def test_sync_api_works_inside_a_running_loop(database_url: str) -> None:
    # E.g. a FastAPI lifespan calling the synchronous function: must not hit "loop already running".
    upgrade_database(database_url)
    assert current_revision(database_url) == head_revision()
    downgrade_database(database_url, "base")
    assert current_revision(database_url) is None


def test_sync_api_without_a_loop(tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/nested/dir/hive.db"
    assert current_revision(url) is None
    upgrade_database(url)
    assert current_revision(url) == head_revision()


async def test_migrations_on_a_callers_connection(database_url: str) -> None:
    # env.py's documented hook: run inside a connection (and transaction) the caller owns.
    config = alembic_config(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            config.attributes["connection"] = connection.sync_connection
            await connection.run_sync(lambda _: command.upgrade(config, "head"))
    finally:
        await engine.dispose()
    assert await current_revision_async(database_url) == head_revision()


async def test_migrated_schema_matches_models(engine: AsyncEngine) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        assert await connection.run_sync(diff) == []


async def test_comparison_would_notice_a_difference(engine: AsyncEngine) -> None:
    """Guards the test above against comparing nothing."""

    def diff(connection: Connection) -> list[object]:
        connection.exec_driver_sql("DROP INDEX ix_workflows_name")
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        diffs = await connection.run_sync(diff)
        await connection.rollback()
    assert [d[0] for d in diffs] == ["add_index"]  # type: ignore[index]


async def test_check_constraints_match_models(engine: AsyncEngine) -> None:
    # compare_metadata ignores CHECK constraints, so compare their names with create_all's.
    reference = create_sync_engine("sqlite://")
    Base.metadata.create_all(reference)
    with reference.connect() as connection:
        expected = _check_constraint_names(connection)
    reference.dispose()

    async with engine.connect() as connection:
        actual = await connection.run_sync(_check_constraint_names)
    assert actual == expected
    assert ("executions", "ck_executions_execution_status") in actual


async def test_parallel_upgrades_of_separate_databases(database_factory: DatabaseFactory) -> None:
    async with database_factory() as first, database_factory() as second:
        await asyncio.gather(upgrade_database_async(first), upgrade_database_async(second))
        assert await current_revision_async(first) == await current_revision_async(second) == head_revision()
