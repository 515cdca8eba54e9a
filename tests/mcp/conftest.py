"""A real uvicorn serving the Hive app (with `/mcp`) on the session's Temporal dev server, a
SQLite database holding the test workflows, and a central worker on the module's task queue."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.config.models import CredentialConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, McpSettings, TemporalSettings
from hive_core.workflow_store import import_workflows
from tests.ai.conftest import ai_cluster, cluster_credentials  # noqa: F401  (fixtures: fake Ollama + agent workers)
from tests.builders import worker_settings
from tests.live.conftest import new_key, permissive_cluster
from tests.live.server import serve
from tests.mcp.workflows import adder, broken, hidden, mcp_trigger, slow
from workers.factory import build_central_worker

MCP_TOKEN = "s3cret-mcp-token"
TOKEN_CREDENTIAL = CredentialConfig(type="httpBearerAuth", data={"token": MCP_TOKEN})


@dataclass(frozen=True)
class McpStack:
    url: str  # the API's base URL
    database_url: str
    data_dir: Path
    temporal_address: str
    task_queue: str
    operator_key: str
    viewer_key: str

    @property
    def mcp_url(self) -> str:
        return f"{self.url}/mcp"


async def _store_workflows(url: str) -> None:
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as session:
            await import_workflows(session, [adder(), broken(), slow(), mcp_trigger()], activate=True)
            await import_workflows(session, mcp_trigger("guarded", "bearerAuth"), activate=True)
            await import_workflows(session, hidden(), activate=False)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def mcp_stack(
    temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[McpStack]:
    data_dir = tmp_path_factory.mktemp("mcp")
    url = f"sqlite+aiosqlite:///{data_dir / 'hive.db'}"
    await upgrade_database_async(url)
    await _store_workflows(url)
    task_queue = f"mcp-{uuid.uuid4().hex[:10]}"
    address = temporal_env.client.service_client.config.target_host
    settings = HiveSettings(
        data_dir=data_dir,
        temporal=TemporalSettings(address=address, task_queue=task_queue),
        database=DatabaseSettings(url=url),
        mcp=McpSettings(wait_seconds=30),
    )
    operator = await new_key(url, UserRole.OPERATOR)
    viewer = await new_key(url, UserRole.VIEWER)
    async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(
            build_central_worker(temporal_env.client, worker_settings(task_queue), http=http)
        )
        cluster = permissive_cluster().model_copy(update={"credentials": {"MCP token": TOKEN_CREDENTIAL}})
        with serve(create_app(settings, cluster)) as base_url:
            yield McpStack(base_url, url, data_dir, address, task_queue, operator, viewer)
