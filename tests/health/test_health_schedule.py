"""The central worker creates the ``hive-health-check`` schedule at start, and its runs store metrics."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from temporalio.client import Client, ScheduleActionStartWorkflow, WorkflowExecutionStatus
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from hive_core.config import parse_cluster_config
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import AgentMetric
from hive_core.monitoring.schedule import HEALTH_SCHEDULE_ID, ensure_health_schedule
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from stand_ins.ollama.server import FakeOllama
from tests.helpers import assert_eventually
from workers.daemon import run_worker
from workers.factory import build_agent_workers


async def test_schedule_created_at_worker_start_and_runs(
    temporal_env: WorkflowEnvironment, task_queue: str, tmp_path: Path
) -> None:
    client = temporal_env.client
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=client.service_client.config.target_host, task_queue=task_queue),
        worker=WorkerSettings(metrics_port=0, graceful_shutdown_s=2),
    )
    await upgrade_database_async(settings.database_url)
    engine = create_engine(settings.database_url)
    sessions = create_sessionmaker(engine)
    agent_id = f"sched-{uuid.uuid4().hex[:6]}"
    stop = asyncio.Event()
    with FakeOllama() as ollama:
        cluster = parse_cluster_config(
            {
                "agents": {agent_id: {"endpoint": ollama.url, "model": "llama3.2"}},
                "monitoring": {"health_check_interval": 2},
            }
        )
        running = asyncio.create_task(run_worker(settings, cluster, stop))
        try:
            agent_client = await Client.connect(
                client.service_client.config.target_host, data_converter=client.data_converter
            )
            async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
                for worker in build_agent_workers(agent_client, cluster.agents[agent_id], settings, http):
                    await stack.enter_async_context(worker)

                async def scheduled() -> None:
                    try:
                        description = await client.get_schedule_handle(HEALTH_SCHEDULE_ID).describe()
                    except RPCError as exc:
                        raise AssertionError(f"no schedule yet: {exc}") from exc
                    action = description.schedule.action
                    assert isinstance(action, ScheduleActionStartWorkflow)
                    assert action.task_queue == task_queue
                    assert [i.every for i in description.schedule.spec.intervals] == [timedelta(seconds=2)]

                await assert_eventually(scheduled, timeout_s=20)

                async def stored() -> None:
                    async with sessions() as session:
                        rows = list(await session.scalars(select(AgentMetric)))
                    if not rows:
                        # Say what the schedule did, so a miss on a loaded machine is explained.
                        info = (await client.get_schedule_handle(HEALTH_SCHEDULE_ID).describe()).info
                        running = [a.workflow_id for a in info.running_actions]
                        raise AssertionError(
                            f"no metrics yet; {info.num_actions} action(s), "
                            f"{info.num_actions_skipped_overlap} skipped, running {running}"
                        )
                    assert rows[0].agent_id == agent_id and rows[0].performance_data["up"] is True

                # Nobody starts the workflow but the schedule (every 2 s; a loaded CI machine
                # has been seen to take over 20 s for the first stored check).
                await assert_eventually(stored, timeout_s=60, interval_s=0.2)
            # Idempotent: a second start updates the same schedule.
            assert await ensure_health_schedule(client, cluster.monitoring, task_queue) == "updated"
        finally:
            stop.set()
            await asyncio.wait_for(running, timeout=20)
            await client.get_schedule_handle(HEALTH_SCHEDULE_ID).delete()
            await engine.dispose()


async def test_check_left_on_a_dead_queue_is_ended_when_the_worker_moves(
    temporal_env: WorkflowEnvironment, task_queue: str
) -> None:
    """With overlap SKIP, a check no worker will ever run would block new checks for a minute."""
    client = temporal_env.client
    cluster = parse_cluster_config({"agents": {}, "monitoring": {"health_check_interval": 3600}})
    monitoring = cluster.monitoring
    assert await ensure_health_schedule(client, monitoring, f"{task_queue}-gone") == "created"
    handle = client.get_schedule_handle(HEALTH_SCHEDULE_ID)
    try:
        await handle.trigger()

        async def running() -> str:
            (action,) = (await handle.describe()).info.running_actions
            return action.workflow_id

        stale = await assert_eventually(running)
        assert await ensure_health_schedule(client, monitoring, task_queue) == "updated"
        description = await client.get_workflow_handle(stale).describe()
        assert description.status is WorkflowExecutionStatus.TERMINATED
        assert (await handle.describe()).info.running_actions == []
    finally:
        await handle.delete()
