"""A small AI cluster per test: fake Ollama host, its agent's workers, and the central worker.

The model name and agent id are unique per test, so the model and agent task queues on the
shared Temporal dev server never mix tests.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from hive_core.config.model_aliases import ModelAliases, ProviderDefaults
from hive_core.config.models import AgentConfig, ClusterConfig, CredentialConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from n8n_import import compile_export
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig
from tests.ai.web_standin import SERPAPI_KEY, WebStandin, web_standin
from tests.builders import worker_settings
from workers.factory import build_agent_workers, build_central_worker
from workflows.n8n_models import N8nRunSnapshot, RunN8nInput
from workflows.n8n_run import N8nWorkflow


@dataclass
class AiCluster:
    client: Client
    task_queue: str
    fake: FakeOllama
    model: str
    agent: AgentConfig
    sessions: async_sessionmaker[AsyncSession]
    # Stand-ins of Wikipedia's API and SerpAPI the central worker's web tools call.
    web: WebStandin

    def aliases(self) -> ModelAliases:
        """Every provider model (chat and embeddings) mapped to this cluster's one model."""
        return ModelAliases(providers={"*": ProviderDefaults(chat=self.model, embeddings=self.model)})

    def configure(self, **config: Any) -> None:
        """New fake-host behaviour for the next run (stats are cleared)."""
        self.fake.reset(FakeOllamaConfig(models=[self.model], tokens_per_second=20000, **config))

    last_run_id: str = ""

    async def run(
        self, workflow: dict[str, Any], aliases: ModelAliases | None = None, **request: Any
    ) -> N8nRunSnapshot:
        self.last_run_id = f"ai-{uuid.uuid4().hex[:10]}"
        return await self.client.execute_workflow(
            N8nWorkflow.run,
            RunN8nInput(plan=compile_export(workflow, aliases=aliases)[0], **request),
            id=self.last_run_id,
            task_queue=self.task_queue,
        )

    async def activity_queues(self) -> list[str]:
        """Task queues of the activities the last run scheduled (not local activities)."""
        history = await self.client.get_workflow_handle(self.last_run_id).fetch_history()
        return [
            event.activity_task_scheduled_event_attributes.task_queue.name
            for event in history.events
            if event.HasField("activity_task_scheduled_event_attributes")
        ]


@contextlib.asynccontextmanager
async def open_ai_cluster(
    client: Client,
    task_queue: str,
    tmp_path: Path,
    credentials: dict[str, CredentialConfig] | None = None,
) -> AsyncIterator[AiCluster]:
    """A fake host with its agent's workers and a central worker holding `credentials`."""
    model = f"m{uuid.uuid4().hex[:6]}:latest"
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    async with (
        FakeOllama(FakeOllamaConfig(models=[model], tokens_per_second=20000)) as fake,
        contextlib.AsyncExitStack() as outer,
    ):
        web = outer.enter_context(web_standin())
        agent = AgentConfig(
            id=f"gpu-{uuid.uuid4().hex[:6]}",
            name="gpu",
            endpoint=fake.url,
            models=[model],
            capabilities=[f"cap-{uuid.uuid4().hex[:6]}"],
        )
        settings = worker_settings(task_queue, wikipedia_api_url=web.wikipedia_url, serpapi_url=web.url)
        serp = CredentialConfig(type="serpApi", data={"apiKey": SERPAPI_KEY})
        cluster = ClusterConfig(
            agents={agent.id: agent}, credentials={"SerpAPI account": serp, **(credentials or {})}
        )
        async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
            for worker in build_agent_workers(client, agent, settings, http):
                await stack.enter_async_context(worker)
            central = build_central_worker(client, settings, cluster=cluster, http=http, sessions=sessions)
            await stack.enter_async_context(central)
            yield AiCluster(client, task_queue, fake, model, agent, sessions, web)
    await engine.dispose()


@pytest.fixture
def cluster_credentials() -> dict[str, CredentialConfig]:
    """hive.yaml credentials of the cluster (a test module overrides this fixture to add some)."""
    return {}


@pytest.fixture
async def ai_cluster(
    client: Client, task_queue: str, tmp_path: Path, cluster_credentials: dict[str, CredentialConfig]
) -> AsyncIterator[AiCluster]:
    async with open_ai_cluster(client, task_queue, tmp_path, cluster_credentials) as cluster:
        yield cluster
