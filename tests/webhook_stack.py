"""The webhook routes with everything behind them: stored workflows, a central worker, the API."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.config import ClusterConfig
from hive_core.db import create_engine, create_sessionmaker
from hive_core.db.migrate import upgrade_database_async
from hive_core.settings import ApiSettings, DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings
from hive_core.workflow_store import import_workflows
from tests.test_api import api_client
from workers.factory import build_central_worker


@asynccontextmanager
async def webhook_api(
    temporal_env: WorkflowEnvironment,
    data_dir: Path,
    task_queue: str,
    workflows: list[dict[str, Any]],
    cluster: ClusterConfig,
    *,
    embedded_worker: bool = False,
) -> AsyncIterator[httpx.AsyncClient]:
    """An API client for ``workflows`` stored and active in a fresh SQLite store under ``data_dir``.

    ``embedded_worker``: the API runs the central worker itself (``api.embedded_worker``);
    otherwise a worker of its own runs beside it.
    """
    url = f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        await import_workflows(session, workflows, activate=True)
    await engine.dispose()
    settings = HiveSettings(
        data_dir=data_dir,
        temporal=TemporalSettings(
            address=temporal_env.client.service_client.config.target_host, task_queue=task_queue
        ),
        database=DatabaseSettings(url=url),
        worker=WorkerSettings(metrics_port=0),
        api=ApiSettings(embedded_worker=embedded_worker),
    )
    async with contextlib.AsyncExitStack() as stack:
        if not embedded_worker:
            await stack.enter_async_context(build_central_worker(temporal_env.client, settings, cluster))
        yield await stack.enter_async_context(api_client(create_app(settings, cluster)))
