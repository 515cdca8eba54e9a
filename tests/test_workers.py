"""Workers against a real Temporal dev server: queues, routing, graceful stop."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import TimeoutError as TemporalTimeoutError
from temporalio.testing import WorkflowEnvironment

from activities.agent_info import AgentIdentity
from hive_core.config import parse_cluster_config
from hive_core.monitoring.schedule import HEALTH_SCHEDULE_ID
from hive_core.queues import agent_queue, capability_queue, model_queue, queues_for_agent
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from hive_core.temporal.readiness import queue_has_pollers
from tests.helpers import assert_eventually
from workers.daemon import run_worker
from workers.factory import build_agent_workers, build_central_worker
from workflows.agent_probe import AgentProbeInput, AgentProbeWorkflow


def _cluster(suffix: str):  # type: ignore[no-untyped-def]
    return parse_cluster_config(
        {
            "agents": {
                f"alpha{suffix}": {
                    "endpoint": "http://127.0.0.1:1",
                    "models": [f"m{suffix}a", f"m{suffix}shared"],
                    "capabilities": [f"cap{suffix}"],
                },
                f"beta{suffix}": {"endpoint": "http://127.0.0.1:2", "models": [f"m{suffix}shared"]},
            }
        }
    )


def _settings(task_queue: str) -> HiveSettings:
    return HiveSettings(
        temporal=TemporalSettings(task_queue=task_queue),
        worker=WorkerSettings(metrics_port=0),
    )


async def _probe(
    client: Client, workflow_queue: str, target_queue: str, timeout_s: float = 10
) -> AgentIdentity:
    return await client.execute_workflow(
        AgentProbeWorkflow.run,
        AgentProbeInput(task_queue=target_queue, timeout_s=timeout_s),
        id=f"probe-{uuid.uuid4()}",
        task_queue=workflow_queue,
    )


def test_queue_names() -> None:
    cluster = _cluster("x")
    alpha = cluster.agents["alphax"]
    assert queues_for_agent(alpha) == [
        agent_queue("alphax"),
        model_queue("mxa"),
        model_queue("mxshared"),
        capability_queue("capx"),
    ]
    assert model_queue("llama3.2") == model_queue("llama3.2:latest") == "hive-model-llama3.2:latest"


async def test_agent_daemons_serve_their_queues(client: Client, task_queue: str) -> None:
    suffix = uuid.uuid4().hex[:6]
    cluster = _cluster(suffix)
    settings = _settings(task_queue)
    workers = [build_central_worker(client, settings)]
    for agent in cluster.agents.values():
        # One connection per agent, as on real hosts: the SDK refuses two workers
        # on one queue through the same client.
        agent_client = await Client.connect(
            client.service_client.config.target_host, data_converter=client.data_converter
        )
        workers += build_agent_workers(agent_client, agent, settings)
    async with contextlib.AsyncExitStack() as stack:
        for worker in workers:
            await stack.enter_async_context(worker)
        pinned = await _probe(client, task_queue, agent_queue(f"beta{suffix}"))
        assert pinned.agent_id == f"beta{suffix}"
        assert pinned.task_queue == agent_queue(f"beta{suffix}")
        only_alpha = await _probe(client, task_queue, model_queue(f"m{suffix}a"))
        assert only_alpha.agent_id == f"alpha{suffix}"
        by_capability = await _probe(client, task_queue, capability_queue(f"cap{suffix}"))
        assert by_capability.agent_id == f"alpha{suffix}"
        shared = {
            (await _probe(client, task_queue, model_queue(f"m{suffix}shared"))).agent_id for _ in range(6)
        }
        assert shared <= {f"alpha{suffix}", f"beta{suffix}"}


async def test_probe_of_unserved_queue_fails_fast(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, _settings(task_queue)):
        with pytest.raises(WorkflowFailureError) as info:
            await _probe(client, task_queue, agent_queue("nobody-" + task_queue), timeout_s=1)
    assert isinstance(info.value.cause.__cause__, TemporalTimeoutError)


async def test_run_worker_polls_then_stops_gracefully(
    temporal_env: WorkflowEnvironment, task_queue: str
) -> None:
    client = temporal_env.client
    address = client.service_client.config.target_host
    settings = HiveSettings(
        temporal=TemporalSettings(address=address, task_queue=task_queue),
        worker=WorkerSettings(metrics_port=0, graceful_shutdown_s=2),
    )
    stop = asyncio.Event()
    running = asyncio.create_task(run_worker(settings, _cluster("y"), stop))

    async def polled() -> None:
        assert await queue_has_pollers(client, task_queue)

    try:
        await assert_eventually(polled)
        stop.set()
        await asyncio.wait_for(running, timeout=15)
    finally:
        # The central worker creates the cluster-wide health schedule; later tests own it.
        await client.get_schedule_handle(HEALTH_SCHEDULE_ID).delete()


async def test_run_worker_unknown_agent(temporal_env: WorkflowEnvironment) -> None:
    from hive_core.errors import ConfigError

    with pytest.raises(ConfigError, match=r"unknown agent 'nope'; known: \['alphaz', 'betaz'\]"):
        await run_worker(HiveSettings(), _cluster("z"), asyncio.Event(), agent_id="nope")
