"""`hive worker --agent X` for an agent registered through the API (not in hive.yaml)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from hive_core.config import ClusterConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.errors import ConfigError
from hive_core.monitoring.registry import parse_agent, register_agent
from hive_core.queues import agent_queue, model_queue
from hive_core.settings import DatabaseSettings, HiveSettings, TemporalSettings, WorkerSettings
from hive_core.stack.ports import free_port
from workers.daemon import daemon_agent, run_worker
from workers.factory import build_central_worker
from workflows.agent_probe import AgentProbeInput, AgentProbeWorkflow


async def _settings(tmp_path: Path, temporal_env: WorkflowEnvironment) -> HiveSettings:
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=temporal_env.client.service_client.config.target_host),
        database=DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"),
        worker=WorkerSettings(metrics_port=0, graceful_shutdown_s=1),
    )
    await upgrade_database_async(settings.database_url)
    return settings


async def _register(settings: HiveSettings, agent_id: str, model: str) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            body = {"id": agent_id, "endpoint": f"http://127.0.0.1:{free_port()}", "model": model}
            await register_agent(session, ClusterConfig(), parse_agent(body))
    finally:
        await engine.dispose()


async def test_a_daemon_runs_as_a_registered_agent(
    temporal_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> None:
    settings = await _settings(tmp_path, temporal_env)
    agent_id, model = f"cedar{uuid.uuid4().hex[:6]}", f"m{uuid.uuid4().hex[:6]}"
    await _register(settings, agent_id, model)
    # hive.yaml knows no agent at all: the registry is the only source.
    stop = asyncio.Event()
    running = asyncio.create_task(run_worker(settings, ClusterConfig(), stop, agent_id=agent_id))

    client = temporal_env.client
    probes = settings.model_copy(
        update={"temporal": settings.temporal.model_copy(update={"task_queue": task_queue})}
    )
    try:
        # The probe activity answers from whichever worker polls the queue: the daemon, as the agent.
        async with build_central_worker(client, probes):
            for queue in (agent_queue(agent_id), model_queue(model)):
                identity = await client.execute_workflow(
                    AgentProbeWorkflow.run,
                    AgentProbeInput(task_queue=queue, timeout_s=20),
                    id=f"probe-{uuid.uuid4()}",
                    task_queue=task_queue,
                )
                assert (identity.agent_id, identity.task_queue) == (agent_id, queue)
        assert not running.done()
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=20)


async def test_an_agent_nobody_knows_is_a_clear_error(
    temporal_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    settings = await _settings(tmp_path, temporal_env)
    with pytest.raises(
        ConfigError, match=r"unknown agent 'ghost'; known: \[\] in hive.yaml \(not registered"
    ):
        await daemon_agent(settings, ClusterConfig(), "ghost")
    # A database without the registry's tables (never migrated) is an empty registry, not a crash.
    fresh = settings.model_copy(
        update={"database": DatabaseSettings(url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")}
    )
    with pytest.raises(ConfigError, match="registry unreadable"):
        await daemon_agent(fresh, ClusterConfig(), "ghost")
