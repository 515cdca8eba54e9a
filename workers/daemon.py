"""The worker process: connect, poll the right queues, stop gracefully on request."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.worker import Worker

from hive_core.approvals import ApprovalPolicy, approval_policy
from hive_core.config import AgentConfig, ClusterConfig
from hive_core.db import create_engine, create_sessionmaker
from hive_core.errors import ConfigError, NotFoundError
from hive_core.monitoring.registry import find_agent
from hive_core.monitoring.schedule import ensure_health_schedule
from hive_core.schedules import sync_schedules
from hive_core.settings import HiveSettings
from hive_core.telemetry import build_runtime, tracing_interceptors
from hive_core.temporal import connect_temporal, ensure_search_attributes
from hive_core.trigger_listeners import start_listeners
from hive_core.workflow_store import active_plans
from workers.agent_directory import registry_directory
from workers.central_agents import build_central_agent_workers
from workers.execution_index import execution_reconciler
from workers.factory import build_agent_workers, build_central_worker
from workers.local_dispatch import LocalDispatch

log = logging.getLogger(__name__)


async def _sync_schedules(
    client: Client,
    sessions: async_sessionmaker[AsyncSession],
    task_queue: str,
    approval: ApprovalPolicy,
) -> None:
    """Schedules follow the active workflows; a store that is not migrated yet is skipped."""
    try:
        async with sessions() as session:
            plans = await active_plans(session)
    except SQLAlchemyError as exc:
        log.warning("schedules not synced: workflow store unavailable (%s)", exc.__class__.__name__)
        return
    changes = await sync_schedules(client, plans, task_queue, approval)
    if changes:
        log.info("schedules synced: %s", changes)
    # Listening triggers of active workflows run (a listener already running is kept).
    for workflow_id, plan in plans:
        await start_listeners(client, task_queue, workflow_id, plan, approval)


async def daemon_agent(settings: HiveSettings, cluster: ClusterConfig, agent_id: str) -> AgentConfig:
    """The agent a daemon runs as: ``hive.yaml``'s, else one registered through ``POST /api/agents``.

    Raises:
        ConfigError: neither knows ``agent_id`` (a registry that cannot be read counts as empty).
    """
    if agent_id in cluster.agents:
        return cluster.agents[agent_id]
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            agent, _ = await find_agent(session, cluster, agent_id)
            return agent
    except (NotFoundError, SQLAlchemyError) as exc:
        unreadable = isinstance(exc, SQLAlchemyError)
        registry = f"registry unreadable: {type(exc).__name__}" if unreadable else "not registered either"
        raise ConfigError(
            f"unknown agent {agent_id!r}; known: {sorted(cluster.agents)} in hive.yaml ({registry}; "
            "register it with POST /api/agents)"
        ) from None
    finally:
        await engine.dispose()


async def run_worker(
    settings: HiveSettings,
    cluster: ClusterConfig,
    stop: asyncio.Event,
    agent_id: str | None = None,
    *,
    client: Client | None = None,
    runtime: Runtime | None = None,
    ready: asyncio.Event | None = None,
) -> None:
    """Run the central worker (``agent_id`` None) or one agent's daemon until ``stop`` is set.

    ``client`` (connected; with the ``runtime`` it was built on): run on it instead of a
    connection of the worker's own, as the API's embedded worker does (``workers.embedded``).
    ``ready`` is set once every worker polls.
    """
    # Looked up before connecting: a daemon for an agent nobody knows fails at once.
    agent = await daemon_agent(settings, cluster, agent_id) if agent_id is not None else None
    if client is None:
        runtime = build_runtime(settings.worker.metrics_port)
        client = await connect_temporal(
            settings.temporal,
            interceptors=tracing_interceptors(settings.telemetry),
            runtime=runtime,
        )
    if agent is None:
        # The interpreter upserts these; a missing one would fail every workflow task.
        await ensure_search_attributes(client)
    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient())
        engine = create_engine(settings.database_url)
        stack.push_async_callback(engine.dispose)
        sessions = create_sessionmaker(engine)
        if agent is None:
            await _sync_schedules(
                client, sessions, settings.temporal.task_queue, approval_policy(cluster.security)
            )
            health = await ensure_health_schedule(client, cluster.monitoring, settings.temporal.task_queue)
            log.info("health check schedule %s (every %gs)", health, cluster.monitoring.health_check_interval)
        # Agents called from here without a queue share slots with the queue workers run here.
        local = LocalDispatch.from_cluster(cluster)
        workers: list[Worker] = (
            build_agent_workers(client, agent, settings, http)
            if agent is not None
            else [
                build_central_worker(
                    client, settings, cluster, http, sessions, registry_directory(sessions, cluster), local
                )
            ]
        )
        if agent is None:
            # Agents with no daemon of their own are driven from here, over the network.
            workers += await build_central_agent_workers(client, cluster, settings, http, runtime, local)
        for worker in workers:
            await stack.enter_async_context(worker)
        if agent is None:
            # The executions index follows Temporal (hive_core/executions/reconcile.py).
            await stack.enter_async_context(execution_reconciler(sessions, client))
        queues = ", ".join(w.task_queue for w in workers)
        log.info("worker ready: %s polling %s", agent_id or "central", queues)
        if ready is not None:
            ready.set()
        await stop.wait()
        log.info("worker stopping (graceful, up to %ss)", settings.worker.graceful_shutdown_s)
    log.info("worker stopped")
