"""A chat stack per test: stored workflows, fake Ollama + its agent's workers, the central
worker and the API on a real uvicorn (streamed answers and a browser need a real server)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from api.app import create_app
from hive_core.config.models import AgentConfig, ClusterConfig, CredentialConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings
from hive_core.workflow_store import import_workflows
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig
from tests.live.server import serve
from workers.factory import build_agent_workers, build_central_worker


@dataclass
class ChatStack:
    url: str
    fake: FakeOllama
    model: str

    def configure(self, **config: Any) -> None:
        """New fake-host behaviour for the next requests (stats are cleared)."""
        config.setdefault("tokens_per_second", 20000)
        self.fake.reset(FakeOllamaConfig(models=[self.model], **config))


StackFactory = Callable[..., contextlib.AbstractAsyncContextManager[ChatStack]]


@pytest.fixture
def chat_model() -> str:
    """The fake host's model (unique per test, so model queues never mix tests)."""
    return f"m{uuid.uuid4().hex[:6]}:latest"


@pytest.fixture
def chat_stack(client: Client, task_queue: str, tmp_path: Path, chat_model: str) -> StackFactory:
    """``async with chat_stack(workflows, credentials=...) as stack``: everything running."""

    @contextlib.asynccontextmanager
    async def start(
        workflows: list[dict[str, Any]], credentials: dict[str, CredentialConfig] | None = None
    ) -> AsyncIterator[ChatStack]:
        url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
        await upgrade_database_async(url)
        engine = create_engine(url)
        sessions = create_sessionmaker(engine)
        async with sessions() as session:
            await import_workflows(session, workflows, activate=True)
        model = chat_model
        async with FakeOllama(FakeOllamaConfig(models=[model], tokens_per_second=20000)) as fake:
            agent = AgentConfig(
                id=f"gpu-{uuid.uuid4().hex[:6]}", name="gpu", endpoint=fake.url, models=[model]
            )
            cluster = ClusterConfig(agents={agent.id: agent}, credentials=credentials or {})
            settings = HiveSettings(
                data_dir=tmp_path,
                temporal=TemporalSettings(
                    address=client.service_client.config.target_host, task_queue=task_queue
                ),
                database=DatabaseSettings(url=url),
                worker=WorkerSettings(metrics_port=0),
            )
            async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
                for worker in build_agent_workers(client, agent, settings, http):
                    await stack.enter_async_context(worker)
                central = build_central_worker(
                    client, settings, cluster=cluster, http=http, sessions=sessions
                )
                await stack.enter_async_context(central)
                with serve(create_app(settings, cluster)) as base_url:
                    yield ChatStack(base_url, fake, model)
        await engine.dispose()

    return start
