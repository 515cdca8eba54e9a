"""Build Temporal workers: the central one (interpreter, pure nodes) and one set per agent."""

from __future__ import annotations

import os
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.agent_info import AgentInfoActivities
from activities.n8n_nodes import NodeActivities
from activities.ollama import OllamaActivities
from activities.workflow_store import WorkflowStoreActivities
from hive_core.config import AgentConfig, ClusterConfig
from hive_core.queues import queues_for_agent
from hive_core.settings import HiveSettings
from n8n_runtime.http import ConfigCredentials
from workers.registry import CENTRAL_WORKFLOWS


def _common_options(settings: HiveSettings) -> dict[str, object]:
    return {
        "sticky_queue_schedule_to_start_timeout": timedelta(
            seconds=settings.worker.sticky_schedule_to_start_s
        ),
        "graceful_shutdown_timeout": timedelta(seconds=settings.worker.graceful_shutdown_s),
    }


def build_central_worker(
    client: Client,
    settings: HiveSettings,
    cluster: ClusterConfig | None = None,
    http: httpx.AsyncClient | None = None,
    sessions: async_sessionmaker[AsyncSession] | None = None,
) -> Worker:
    """The worker that runs Hive's workflows and their n8n nodes.

    ``http`` is the client of HTTP Request nodes (the caller closes it); credentials come from
    the cluster description; ``sessions`` reach the workflow store (sub-workflows, error
    workflows).
    """
    store = WorkflowStoreActivities(sessions)
    cluster = cluster or ClusterConfig()
    env = {name: os.environ[name] for name in settings.worker.expression_env if name in os.environ}
    nodes = NodeActivities(
        http or httpx.AsyncClient(),
        ConfigCredentials(cluster.credentials),
        env=env,
        variables=cluster.variables,
    )
    return Worker(
        client,
        task_queue=settings.temporal.task_queue,
        workflows=CENTRAL_WORKFLOWS,
        activities=[nodes.run_pure_node, nodes.run_http_node, store.load_plan],
        **_common_options(settings),  # type: ignore[arg-type]
    )


def build_agent_workers(
    client: Client, agent: AgentConfig, settings: HiveSettings, http: httpx.AsyncClient | None = None
) -> list[Worker]:
    """One worker per queue the agent serves (its own, per model, per capability).

    Each is capped at the agent's ``max_concurrent`` activity slots and calls the agent's
    Ollama through ``http`` (the caller closes it).
    """
    info = AgentInfoActivities(agent)
    ollama = OllamaActivities(http or httpx.AsyncClient(), agent)
    return [
        Worker(
            client,
            task_queue=queue,
            activities=[info.describe_agent, ollama.chat, ollama.generate, ollama.embed],
            max_concurrent_activities=agent.max_concurrent,
            **_common_options(settings),  # type: ignore[arg-type]
        )
        for queue in queues_for_agent(agent)
    ]
