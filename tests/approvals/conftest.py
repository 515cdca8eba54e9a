"""An API and a central worker on one real Temporal dev server, with a migrated database
(SQLite and PostgreSQL) and an API key per role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.config import parse_cluster_config
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings
from tests.db.conftest import database_factory, database_url  # noqa: F401  (fixtures)
from tests.test_api import api_client
from workers.factory import build_central_worker


@dataclass
class Stack:
    http: httpx.AsyncClient
    sessions: async_sessionmaker[AsyncSession]
    # API key secret per role.
    keys: dict[UserRole, str]

    def auth(self, role: UserRole) -> dict[str, str]:
        return {"X-API-Key": self.keys[role]}


@pytest.fixture
async def stack(
    temporal_env: WorkflowEnvironment,
    tmp_path: Path,
    task_queue: str,
    database_url: str,  # noqa: F811
) -> AsyncIterator[Stack]:
    await upgrade_database_async(database_url)
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    keys: dict[UserRole, str] = {}
    async with sessions() as session, session.begin():
        for role in UserRole:
            keys[role] = (await create_api_key(session, name=role.value, role=role)).secret
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(
            address=temporal_env.client.service_client.config.target_host, task_queue=task_queue
        ),
        database=DatabaseSettings(url=database_url),
        worker=WorkerSettings(metrics_port=0),
    )
    cluster = parse_cluster_config({"security": {"require_approval": True, "api_rate_limit": 10_000}})
    try:
        async with build_central_worker(temporal_env.client, settings, cluster):
            async with api_client(create_app(settings, cluster)) as http:
                yield Stack(http=http, sessions=sessions, keys=keys)
    finally:
        await engine.dispose()
