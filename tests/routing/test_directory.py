"""Agents registered at run time are routed to like hive.yaml's: the registry as AgentDirectory."""

from __future__ import annotations

import uuid
from pathlib import Path

from temporalio.client import Client

from hive_core.config import ClusterConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.monitoring.registry import register_agent
from stand_ins.ollama.server import FakeOllama
from tests.routing.cluster import AiChatWorkflow, agent_for, agent_running, central_running, chat_call, unique
from workers.agent_directory import registry_directory


async def test_a_registered_agent_serves_calls(
    client: Client, task_queue: str, hosts: list[FakeOllama], tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    model = unique("m") + ":latest"
    hosts[0].config.models = [model]
    registered = agent_for(hosts[0], unique("reg"), [model])
    cluster = ClusterConfig()
    directory = registry_directory(sessions, cluster, ttl_s=0)
    try:
        assert await directory() == []
        async with sessions() as session, session.begin():
            await register_agent(session, cluster, registered)
        assert [a.id for a in await directory()] == [registered.id]
        async with central_running(client, task_queue, [], directory), agent_running(client, registered):
            result = await client.execute_workflow(
                AiChatWorkflow.run, chat_call(model), id=f"ai-{uuid.uuid4().hex[:8]}", task_queue=task_queue
            )
        assert result.agent_id == registered.id
    finally:
        await engine.dispose()
