"""The central worker drives the agents that have no daemon of their own."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from hive_core.config import ClusterConfig
from hive_core.monitoring.schedule import HEALTH_SCHEDULE_ID
from hive_core.queues import agent_queue
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from hive_core.stack.local_model import LOCAL_AGENT_ID, with_local_agent
from stand_ins.ollama.server import FakeOllama
from tests.helpers import assert_eventually
from tests.routing.cluster import agent_for, agent_running, unique
from workers.central_agents import CENTRAL_IDENTITY_MARK
from workers.daemon import run_worker
from workflows.agent_probe import AgentProbeInput, AgentProbeWorkflow


async def _identities(client: Client, agent_id: str) -> list[str]:
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=agent_queue(agent_id)),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        )
    )
    return [p.identity for p in response.pollers]


async def test_central_worker_runs_agents_without_a_daemon(
    temporal_env: WorkflowEnvironment, task_queue: str, hosts: list[FakeOllama], tmp_path: Path
) -> None:
    client = temporal_env.client
    model = unique("m") + ":latest"
    auto = agent_for(hosts[0], unique("auto"), [model])
    has_daemon = agent_for(hosts[0], unique("hasd"), [model])
    daemon_only = agent_for(hosts[0], unique("dmn"), [model], worker="daemon")
    central = agent_for(hosts[1], unique("cen"), [model], worker="central")
    cluster = with_local_agent(
        ClusterConfig(agents={a.id: a for a in (auto, has_daemon, daemon_only, central)}), hosts[1].url
    )
    settings = HiveSettings(
        data_dir=tmp_path,
        temporal=TemporalSettings(address=client.service_client.config.target_host, task_queue=task_queue),
        worker=WorkerSettings(metrics_port=0, graceful_shutdown_s=1),
    )
    stop = asyncio.Event()
    async with agent_running(client, has_daemon):

        async def daemon_polls() -> None:
            assert await _identities(client, has_daemon.id)

        await assert_eventually(daemon_polls)
        running = asyncio.create_task(run_worker(settings, cluster, stop))
        try:

            async def central_polls() -> None:
                for agent_id in (auto.id, central.id, LOCAL_AGENT_ID):
                    assert any(CENTRAL_IDENTITY_MARK in i for i in await _identities(client, agent_id))

            await assert_eventually(central_polls, timeout_s=20)
            assert not any(CENTRAL_IDENTITY_MARK in i for i in await _identities(client, has_daemon.id))
            assert not await _identities(client, daemon_only.id)
            identity = await client.execute_workflow(
                AgentProbeWorkflow.run,
                AgentProbeInput(task_queue=agent_queue(auto.id)),
                id=f"probe-{uuid.uuid4()}",
                task_queue=task_queue,
            )
            assert identity.agent_id == auto.id and identity.endpoint == hosts[0].url
        finally:
            stop.set()
            await asyncio.wait_for(running, timeout=20)
            # The worker created the cluster-wide health schedule for this test's queue: leave
            # none behind (its runs would hang on a queue nobody polls any more).
            with contextlib.suppress(RPCError):
                await client.get_schedule_handle(HEALTH_SCHEDULE_ID).delete()
