"""Health check through a real Temporal dev server: agent daemons on FakeOllama, alerts, retention.

One agent's daemon runs, the other has none: the check marks it down and opens a critical
alert within the probe's schedule-to-start timeout. Its daemon starts: the next check finds it
up and resolves the alert.
"""

from __future__ import annotations

import contextlib
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities.health import HealthActivities, endpoint_is_local
from hive_core.agent_stats import AgentStats
from hive_core.config import parse_cluster_config
from hive_core.config.models import AgentConfig, ClusterConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.db.models import Agent, AgentMetric, AgentStatus, Alert, AlertSeverity
from hive_core.monitoring.payloads import HealthCheckInput, HealthReport, ProbeAgentInput
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig
from tests.builders import worker_settings
from workers.factory import build_agent_workers, build_central_worker
from workflows.health_check import HealthCheckWorkflow


def _cluster(a: AgentConfig, b: AgentConfig) -> ClusterConfig:
    return parse_cluster_config(
        {
            "agents": {agent.id: agent.model_dump(exclude={"id"}) for agent in (a, b)},
            "monitoring": {"metrics_retention_days": 7, "health_check_interval": 30},
        }
    )


async def _check(client: Client, task_queue: str) -> HealthReport:
    return await client.execute_workflow(
        HealthCheckWorkflow.run,
        HealthCheckInput(probe_timeout_s=1.5),
        id=f"health-{uuid.uuid4().hex[:8]}",
        task_queue=task_queue,
    )


async def test_down_agent_alerts_then_recovers(client: Client, task_queue: str, tmp_path: Path) -> None:
    suffix = uuid.uuid4().hex[:6]
    url = f"sqlite+aiosqlite:///{tmp_path / 'hive.db'}"
    await upgrade_database_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    settings = worker_settings(task_queue)
    agent_client = await Client.connect(
        client.service_client.config.target_host, data_converter=client.data_converter
    )
    with (
        FakeOllama(FakeOllamaConfig(models=["llama3.2:latest"])) as up_host,
        FakeOllama(FakeOllamaConfig(models=["qwen3:8b"])) as later_host,
    ):
        up = AgentConfig(id=f"up-{suffix}", name="up", endpoint=up_host.url, models=["llama3.2"])
        later = AgentConfig(id=f"later-{suffix}", name="later", endpoint=later_host.url, models=["qwen3:8b"])
        cluster = _cluster(up, later)
        async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
            await stack.enter_async_context(build_central_worker(client, settings, cluster, http, sessions))
            for worker in build_agent_workers(agent_client, cluster.agents[up.id], settings, http):
                await stack.enter_async_context(worker)

            first = await _check(client, task_queue)
            # Host figures are real (psutil): a loaded test machine may open CPU/memory alerts too.
            assert (first.up, first.down) == ([up.id], [later.id]) and first.alerts_opened >= 1
            async with sessions() as session:
                rows = {a.id: a for a in await session.scalars(select(Agent))}
                assert rows[up.id].status is AgentStatus.ONLINE and rows[up.id].last_seen_at is not None
                assert rows[later.id].status is AgentStatus.OFFLINE and rows[later.id].last_seen_at is None
                [alert] = await session.scalars(select(Alert).where(Alert.type == "agent_down"))
                assert (alert.agent_id, alert.type, alert.severity) == (
                    later.id,
                    "agent_down",
                    AlertSeverity.CRITICAL,
                )
                assert "ScheduleToStart" in alert.message or "timeout" in alert.message.lower()
                [metric] = await session.scalars(select(AgentMetric).where(AgentMetric.agent_id == up.id))
                perf = metric.performance_data
                assert perf["up"] is True and perf["models_available"] == ["llama3.2:latest"]
                assert perf["in_flight"] == 0 and perf["telemetry_source"] == "agent_host"
                # Loopback endpoint: the worker is on the agent's host, so its CPU/memory count.
                assert metric.cpu_percent is not None and metric.memory_percent is not None
                # This machine has no GPU: nothing is invented.
                assert metric.gpu_metrics is None
                # A sample older than the retention (7 days) goes at the next check.
                session.add(
                    AgentMetric(
                        agent_id=up.id, timestamp=datetime.now(UTC) - timedelta(days=8), performance_data={}
                    )
                )
                await session.commit()

            for worker in build_agent_workers(agent_client, cluster.agents[later.id], settings, http):
                await stack.enter_async_context(worker)
            second = await _check(client, task_queue)
            assert sorted(second.up) == sorted([up.id, later.id]) and second.down == []
            assert second.alerts_resolved >= 1 and second.metrics_purged == 1
            assert later_host.stats.requests["/api/tags"] == 1
            async with sessions() as session:
                assert (await session.get_one(Agent, later.id)).status is AgentStatus.ONLINE
                [alert] = await session.scalars(select(Alert).where(Alert.type == "agent_down"))
                assert alert.resolved and alert.resolved_at is not None
                assert len(list(await session.scalars(select(AgentMetric)))) == 4
    await engine.dispose()


async def test_probe_reports_ollama_down_and_remote_telemetry() -> None:
    """A daemon whose Ollama refuses: the probe says so; a remote endpoint reports no host figures."""
    with FakeOllama() as host:
        dead = f"http://127.0.0.1:{host.port}"
    stats = AgentStats()
    stats.started()
    agent = AgentConfig(id="gone", name="gone", endpoint=dead, models=["llama3.2"])
    async with httpx.AsyncClient() as http:
        probe = await ActivityEnvironment().run(
            HealthActivities(agent, http, stats, colocated=False).probe, ProbeAgentInput()
        )
    assert not probe.ollama_ok and "cannot connect" in (probe.ollama_error or "")
    assert probe.telemetry_source == "remote" and probe.host is None
    assert probe.stats.in_flight == 1


def test_endpoint_is_local() -> None:
    assert endpoint_is_local("http://127.0.0.1:11434")
    assert endpoint_is_local("http://localhost:11434")
    assert endpoint_is_local("http://[::1]:11434")
    assert not endpoint_is_local("http://gpu-walnut.invalid:11434")
    assert not endpoint_is_local("http://10.255.255.1:11434")


async def test_probe_reports_a_hung_ollama() -> None:
    """An Ollama that accepts the connection but never answers: reported within the probe's budget."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        agent = AgentConfig(id="hung", name="hung", endpoint=endpoint, models=["llama3.2"])
        async with httpx.AsyncClient() as http:
            started = time.monotonic()
            probe = await ActivityEnvironment().run(
                HealthActivities(agent, http, colocated=False).probe, ProbeAgentInput(ollama_timeout_s=0.3)
            )
    assert time.monotonic() - started < 2
    assert not probe.ollama_ok
    assert probe.ollama_error == f"Ollama at {endpoint} did not answer within 0.3 s"
