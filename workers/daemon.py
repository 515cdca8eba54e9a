"""The worker process: connect, poll the right queues, stop gracefully on request."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from hive_core.config import ClusterConfig
from hive_core.db import create_engine, create_sessionmaker
from hive_core.errors import ConfigError
from hive_core.monitoring.schedule import ensure_health_schedule
from hive_core.schedules import sync_schedules
from hive_core.settings import HiveSettings
from hive_core.telemetry import build_runtime, tracing_interceptors
from hive_core.temporal import connect_temporal, ensure_search_attributes
from hive_core.workflow_store import active_plans
from workers.agent_directory import registry_directory
from workers.central_agents import build_central_agent_workers
from workers.factory import build_agent_workers, build_central_worker

log = logging.getLogger(__name__)


async def _sync_schedules(
    client: Client, sessions: async_sessionmaker[AsyncSession], task_queue: str
) -> None:
    """Schedules follow the active workflows; a store that is not migrated yet is skipped."""
    try:
        async with sessions() as session:
            plans = await active_plans(session)
    except SQLAlchemyError as exc:
        log.warning("schedules not synced: workflow store unavailable (%s)", exc.__class__.__name__)
        return
    changes = await sync_schedules(client, plans, task_queue)
    if changes:
        log.info("schedules synced: %s", changes)


async def run_worker(
    settings: HiveSettings,
    cluster: ClusterConfig,
    stop: asyncio.Event,
    agent_id: str | None = None,
) -> None:
    """Run the central worker (``agent_id`` None) or one agent's daemon until ``stop`` is set."""
    agent = None
    if agent_id is not None:
        try:
            agent = cluster.agent(agent_id)
        except KeyError as exc:
            raise ConfigError(str(exc.args[0])) from None
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
            await _sync_schedules(client, sessions, settings.temporal.task_queue)
            health = await ensure_health_schedule(client, cluster.monitoring, settings.temporal.task_queue)
            log.info("health check schedule %s (every %gs)", health, cluster.monitoring.health_check_interval)
        workers: list[Worker] = (
            build_agent_workers(client, agent, settings, http)
            if agent is not None
            else [
                build_central_worker(
                    client, settings, cluster, http, sessions, registry_directory(sessions, cluster)
                )
            ]
        )
        if agent is None:
            # Agents with no daemon of their own are driven from here, over the network.
            workers += await build_central_agent_workers(client, cluster, settings, http, runtime)
        for worker in workers:
            await stack.enter_async_context(worker)
        queues = ", ".join(w.task_queue for w in workers)
        log.info("worker ready: %s polling %s", agent_id or "central", queues)
        await stop.wait()
        log.info("worker stopping (graceful, up to %ss)", settings.worker.graceful_shutdown_s)
    log.info("worker stopped")
