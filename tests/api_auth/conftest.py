"""Fixtures for API auth tests: a migrated database (SQLite and PostgreSQL) and apps on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.config import ClusterConfig, parse_cluster_config
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import ApiSettings, DatabaseSettings, HiveSettings, TemporalSettings
from hive_core.stack.ports import free_port
from tests.db.conftest import database_factory, database_url  # noqa: F401  (fixtures)
from tests.test_api import api_client

ApiFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def cluster_with(**security: Any) -> ClusterConfig:
    """A cluster description whose ``security`` section is ``security``."""
    return parse_cluster_config({"security": security})


@pytest.fixture
async def migrated_url(database_url: str) -> str:  # noqa: F811
    await upgrade_database_async(database_url)
    return database_url


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(migrated_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
def make_api(migrated_url: str, tmp_path: Path) -> ApiFactory:
    """Opens an app (lifespan running) on the test database; Temporal is never contacted."""

    @asynccontextmanager
    async def open_api(cluster: ClusterConfig | None = None, **api: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = HiveSettings(
            data_dir=tmp_path,
            # The client connects lazily; auth tests never reach Temporal.
            temporal=TemporalSettings(address=f"127.0.0.1:{free_port()}", connect_timeout_s=1),
            database=DatabaseSettings(url=migrated_url),
            api=ApiSettings(**api),
        )
        app = create_app(settings, cluster or cluster_with(api_rate_limit=10_000))
        async with api_client(app) as http:
            yield http

    return open_api


@pytest.fixture
def make_key(sessions: async_sessionmaker[AsyncSession]) -> Callable[..., Any]:
    """Creates an API key straight in the database; returns its secret."""

    async def new_key(role: UserRole = UserRole.ADMIN, **fields: Any) -> str:
        async with sessions() as session, session.begin():
            return (await create_api_key(session, name=f"{role.value}-test", role=role, **fields)).secret

    return new_key


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
