"""Fixtures for the workflows API: a migrated database, an admin/operator/viewer key, an app
whose Temporal is the session's real dev server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings
from tests.api_auth.conftest import (  # noqa: F401  (fixtures)
    cluster_with,
    database_factory,
    database_url,
    engine,
    make_key,
    migrated_url,
    sessions,
)
from tests.test_api import api_client

ApiFactory = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def make_api(
    migrated_url: str,  # noqa: F811
    tmp_path: Path,
    temporal_env: WorkflowEnvironment,
    task_queue: str,
) -> ApiFactory:
    @asynccontextmanager
    async def open_api() -> AsyncIterator[httpx.AsyncClient]:
        settings = HiveSettings(
            data_dir=tmp_path,
            temporal=TemporalSettings(
                address=temporal_env.client.service_client.config.target_host, task_queue=task_queue
            ),
            database=DatabaseSettings(url=migrated_url),
        )
        async with api_client(create_app(settings, cluster_with(api_rate_limit=10_000))) as http:
            yield http

    return open_api


def export(name: str, nodes: list[dict[str, Any]], workflow_id: str | None = None) -> dict[str, Any]:
    """An n8n export of ``nodes`` connected in a chain."""
    from tests.builders import chain

    data = chain(name, nodes)
    if workflow_id:
        data["id"] = workflow_id
    return data
