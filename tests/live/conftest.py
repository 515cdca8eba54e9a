"""A real uvicorn with the Hive app on the session's Temporal dev server and a SQLite database.

One server for the whole module (the app is stateless between requests); each test brings its
own central worker on a unique task queue and starts its runs directly through Temporal.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.config import ClusterConfig, parse_cluster_config
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from tests.ai.conftest import ai_cluster, cluster_credentials  # noqa: F401  (fixtures: fake Ollama + agent workers)
from tests.builders import worker_settings
from tests.live.server import serve
from workers.factory import build_central_worker


@dataclass(frozen=True)
class LiveApi:
    """The running server: its base URL and a viewer's API key (viewers may watch runs)."""

    url: str
    key: str

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http")


def permissive_cluster() -> ClusterConfig:
    """A cluster whose rate limit never gets in a test's way."""
    return parse_cluster_config({"security": {"api_rate_limit": 10_000}})


async def new_key(url: str, role: UserRole) -> str:
    """A new API key of ``role`` in the database at ``url``; returns its secret."""
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            return (await create_api_key(session, name=f"live-{role.value}", role=role)).secret
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def _database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("live")
    url = f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"
    await upgrade_database_async(url)
    return data_dir, url


@pytest.fixture(scope="module")
async def live_api(temporal_env: WorkflowEnvironment, _database: tuple[Path, str]) -> AsyncIterator[LiveApi]:
    data_dir, url = _database
    settings = HiveSettings(
        data_dir=data_dir,
        temporal=TemporalSettings(address=temporal_env.client.service_client.config.target_host),
        database=DatabaseSettings(url=url),
    )
    key = await new_key(url, UserRole.VIEWER)
    with serve(create_app(settings, permissive_cluster())) as base_url:
        yield LiveApi(base_url, key)


@pytest.fixture
async def central_worker(client: Client, task_queue: str) -> AsyncIterator[str]:
    """A central worker on the test's own queue; yields the queue."""
    async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(build_central_worker(client, worker_settings(task_queue), http=http))
        yield task_queue
