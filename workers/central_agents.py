"""Agent workers run by the central worker, for agents that have no daemon of their own.

One machine can drive Ollama hosts over the network: the central worker (``hive up``, ``hive
worker``) runs the workers of every enabled agent whose ``worker`` setting says so:

- ``central``: always;
- ``daemon``: never (the GPU host runs ``hive worker --agent ID``);
- ``auto`` (default): unless a daemon polls the agent's queue when the central worker starts —
  a poller on ``hive-agent-<id>`` seen in the last ``DAEMON_SEEN_S`` seconds whose identity is
  not a central one (the server remembers pollers for minutes, including this worker's own from
  a previous run, hence both filters). A daemon started later simply joins: both then serve the
  agent, each with its own slots.

Each agent gets its own Temporal connection: the SDK refuses two workers on one task queue from
one client, and agents share model queues. An agent whose host is down still polls; its calls
fail (retryable), it pauses polling, and other agents take the work.
"""

from __future__ import annotations

import logging
import os
import socket
import time

import httpx
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.worker import Worker

from hive_core.agent_stats import AgentStats
from hive_core.config import AgentConfig, ClusterConfig
from hive_core.queues import agent_queue
from hive_core.settings import HiveSettings
from hive_core.telemetry import tracing_interceptors
from hive_core.temporal import connect_temporal
from workers.factory import build_agent_workers
from workers.local_dispatch import LocalDispatch

log = logging.getLogger(__name__)

# A live daemon re-polls at least every long-poll expiry (60 s) unless all its slots are busy.
DAEMON_SEEN_S = 90.0
CENTRAL_IDENTITY_MARK = "hive-central-agent"


def central_identity(agent_id: str) -> str:
    """Poller identity of an agent worker run centrally (told apart from the agent's daemon)."""
    return f"{os.getpid()}@{socket.gethostname()} {CENTRAL_IDENTITY_MARK}:{agent_id}"


async def daemon_polls(client: Client, agent: AgentConfig) -> bool:
    """Whether a daemon (not a central worker) polled the agent's queue in the last minute or so."""
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=agent_queue(agent.id)),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
        )
    )
    horizon = time.time() - DAEMON_SEEN_S
    return any(
        CENTRAL_IDENTITY_MARK not in poller.identity and poller.last_access_time.ToSeconds() >= horizon
        for poller in response.pollers
    )


async def agents_to_drive(client: Client, cluster: ClusterConfig) -> list[AgentConfig]:
    """The enabled agents whose workers the central worker runs (see the module docstring)."""
    chosen = []
    for agent in cluster.agents.values():
        if not agent.enabled or agent.worker == "daemon":
            continue
        if agent.worker == "auto" and await daemon_polls(client, agent):
            log.info("agent %s has its own daemon; not driving it centrally", agent.id)
            continue
        chosen.append(agent)
    return chosen


async def build_central_agent_workers(
    client: Client,
    cluster: ClusterConfig,
    settings: HiveSettings,
    http: httpx.AsyncClient,
    runtime: Runtime | None = None,
    local: LocalDispatch | None = None,
) -> list[Worker]:
    """Workers (one connection per agent) for every agent the central worker drives.

    An agent in ``local`` (dispatch: local) shares its slots and stats with its local calls.
    """
    workers: list[Worker] = []
    local = local or LocalDispatch()
    for agent in await agents_to_drive(client, cluster):
        agent_client = await connect_temporal(
            settings.temporal, interceptors=tracing_interceptors(settings.telemetry), runtime=runtime
        )
        workers += build_agent_workers(
            agent_client,
            agent,
            settings,
            http,
            local.stats.get(agent.id) or AgentStats(),
            identity=central_identity(agent.id),
            slots=local.pools.get(agent.id),
        )
        log.info("driving agent %s (%s) from the central worker", agent.id, agent.endpoint)
    return workers


__all__ = [
    "CENTRAL_IDENTITY_MARK",
    "agents_to_drive",
    "build_central_agent_workers",
    "central_identity",
    "daemon_polls",
]
