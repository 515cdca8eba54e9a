"""A team of three fake agents (own fake Ollama hosts and workers), a central worker, the API."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from hive_core.auth import create_api_key
from hive_core.config import ClusterConfig, parse_cluster_config
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import UserRole
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig
from tests.routing.cluster import agent_running
from tests.test_api import api_client
from workers.factory import build_central_worker

MODEL = "llama3.2:latest"
# Three agents, as the seed's cluster has: one capability each, two task slots each.
AGENTS = {"alpha": ["planning"], "beta": ["frontend"], "gamma": ["backend"]}


@dataclass
class Team:
    http: httpx.AsyncClient
    sessions: async_sessionmaker[AsyncSession]
    cluster: ClusterConfig
    hosts: dict[str, FakeOllama]
    key: str
    approver_key: str
    client: Client
    task_queue: str
    settings: HiveSettings
    # Prompts each host received, in arrival order.
    prompts: dict[str, list[str]] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"X-API-Key": self.key}

    @property
    def approver_auth(self) -> dict[str, str]:
        return {"X-API-Key": self.approver_key}

    def reply_with(self, agent: str, reply: Callable[[str], str], **config: object) -> None:
        """Make ``agent``'s host answer with ``reply(prompt)`` (recording every prompt)."""
        seen = self.prompts.setdefault(agent, [])

        def recorded(prompt: str) -> str:
            seen.append(prompt)
            return reply(prompt)

        self.hosts[agent].reset(
            FakeOllamaConfig(models=[MODEL], reply=recorded, follow_format=False, **config)
        )  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def _hosts() -> Iterator[dict[str, FakeOllama]]:
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(FakeOllama()) for name in AGENTS}


def cluster_for(hosts: dict[str, FakeOllama], **extra: object) -> ClusterConfig:
    agents = {
        name: {"endpoint": hosts[name].url, "models": [MODEL], "capabilities": caps, "max_concurrent": 2}
        for name, caps in AGENTS.items()
    }
    # A template over the three: planning first, then frontend and backend side by side.
    stages = [
        "planning",
        {"name": "frontend", "depends_on": ["planning"]},
        {"name": "backend", "depends_on": ["planning"]},
    ]
    templates = {"trio": {"agents": list(AGENTS), "stages": stages}}
    return parse_cluster_config(
        {
            "agents": agents,
            "workflows": {"templates": templates},
            "security": {"require_approval": True, "api_rate_limit": 10_000},
            **extra,
        }
    )


@pytest.fixture
async def team(
    temporal_env: WorkflowEnvironment, tmp_path: Path, task_queue: str, _hosts: dict[str, FakeOllama]
) -> AsyncIterator[Team]:
    for name, host in _hosts.items():
        host.reset(FakeOllamaConfig(models=[MODEL], reply=f"answer from {name}"))
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(database_url)
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    async with sessions() as session, session.begin():
        key = (await create_api_key(session, name="operator", role=UserRole.OPERATOR)).secret
        approver_key = (await create_api_key(session, name="approver", role=UserRole.APPROVER)).secret
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(
            address=temporal_env.client.service_client.config.target_host, task_queue=task_queue
        ),
        database=DatabaseSettings(url=database_url),
        worker=WorkerSettings(metrics_port=0),
    )
    cluster = cluster_for(_hosts)
    try:
        async with contextlib.AsyncExitStack() as stack:
            for agent in cluster.agents.values():
                await stack.enter_async_context(agent_running(temporal_env.client, agent))
            await stack.enter_async_context(
                build_central_worker(temporal_env.client, settings, cluster, sessions=sessions)
            )
            http = await stack.enter_async_context(api_client(create_app(settings, cluster)))
            yield Team(
                http=http,
                sessions=sessions,
                cluster=cluster,
                hosts=_hosts,
                key=key,
                approver_key=approver_key,
                client=temporal_env.client,
                task_queue=task_queue,
                settings=settings,
            )
    finally:
        await engine.dispose()
