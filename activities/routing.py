"""Where an LLM call may run: an ``AiRoute`` resolved against the agents Hive knows.

Runs as a local activity of the central worker (milliseconds, no task-queue round trip). The
agents are the enabled agents of ``hive.yaml`` plus those an ``AgentDirectory`` returns (agents
registered at run time; the registry is injected by the worker). Resolving fails at once, for
good, when no agent could ever take the call: an unknown or disabled agent, a capability nobody
has, a model nobody serves; the message names the model and every agent with what it serves.

``live_pollers`` answers whether any worker polls a queue (DescribeTaskQueue), so that a call
nobody took in time can tell "every agent is busy" from "no agent is running".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence

from pydantic import BaseModel
from temporalio import activity
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from hive_core.config.models import AgentConfig, ClusterConfig, normalize_model_name
from hive_core.errors import HiveError, NotFoundError
from hive_core.queues import agent_queue, capability_queue, model_queue
from hive_core.temporal_errors import to_application_error

# Agents known besides hive.yaml (e.g. registered through the API); called on every resolve.
AgentDirectory = Callable[[], Awaitable[Sequence[AgentConfig]]]


class AiRoute(BaseModel):
    """Where an AI node's calls may run: a pinned agent, a capability, or any agent with the model."""

    agent: str | None = None
    capability: str | None = None


class ResolveRouteInput(BaseModel):
    model: str
    route: AiRoute = AiRoute()


class RouteTarget(BaseModel):
    """The queue to schedule on and the agents that may take the call there, in order."""

    task_queue: str
    model: str
    agents: list[str]
    # Those of ``agents`` the resolving worker calls itself (``dispatch: local``), in order;
    # empty in results recorded before local dispatch, so their replays keep the queue path.
    local_agents: list[str] = []
    # The shortest ``local_call_limit_s`` of ``local_agents`` (None: none are local).
    local_call_limit_s: float | None = None


class QueuePollersInput(BaseModel):
    task_queue: str


class QueuePollers(BaseModel):
    task_queue: str
    # Worker identities the server saw polling recently (it forgets them after a few minutes).
    identities: list[str] = []


class NoAgentForModelError(NotFoundError):
    """No enabled agent could take a call for this model on this route: never retried."""


def describe_agents(agents: Sequence[AgentConfig]) -> str:
    """``a (m1, m2), b (m3)``, or ``none`` — for error messages."""
    if not agents:
        return "none are configured"
    return "; ".join(f"{a.id} serves {', '.join(a.models)}" for a in agents)


def resolve_route(model: str, route: AiRoute, agents: Sequence[AgentConfig]) -> RouteTarget:
    """The task queue and candidate agents of a call, or NoAgentForModelError saying why none."""
    wanted = normalize_model_name(model)
    serving = [a for a in agents if wanted in a.models]
    known = f"agents: {describe_agents(agents)}"
    if route.agent:
        pinned = next((a for a in agents if a.id == route.agent), None)
        if pinned is None:
            raise NoAgentForModelError(
                f"AI call pinned to agent {route.agent!r} for model {wanted!r}, but no enabled agent "
                f"has that id; {known}",
                model=wanted,
                agent=route.agent,
            )
        if pinned not in serving:
            raise NoAgentForModelError(
                f"AI call pinned to agent {route.agent!r}, which does not serve model {wanted!r}; {known}",
                model=wanted,
                agent=route.agent,
            )
        return RouteTarget(task_queue=agent_queue(pinned.id), model=wanted, agents=[pinned.id])
    if route.capability:
        capability = route.capability.lower()
        able = [a for a in agents if capability in (c.lower() for c in a.capabilities)]
        candidates = [a.id for a in able if a in serving]
        if not candidates:
            having = ", ".join(a.id for a in able) or "no agent"
            raise NoAgentForModelError(
                f"no enabled agent with capability {capability!r} serves model {wanted!r} "
                f"({having} has the capability); {known}",
                model=wanted,
                capability=capability,
            )
        return RouteTarget(task_queue=capability_queue(capability), model=wanted, agents=candidates)
    if not serving:
        raise NoAgentForModelError(f"no enabled agent serves model {wanted!r}; {known}", model=wanted)
    return RouteTarget(task_queue=model_queue(wanted), model=wanted, agents=[a.id for a in serving])


class RoutingActivities:
    """Resolves routes against ``cluster`` (+ ``directory``); checks queues through ``client``."""

    def __init__(
        self,
        cluster: ClusterConfig,
        client: Client | None = None,
        directory: AgentDirectory | None = None,
        local_agents: Collection[str] = (),
    ) -> None:
        self._cluster = cluster
        self._client = client
        self._directory = directory
        # Agents this worker calls without a task queue (activities.ollama_local).
        self._local = frozenset(local_agents)

    async def agents(self) -> list[AgentConfig]:
        """Enabled agents: hive.yaml's first, then the directory's (an id in both: hive.yaml wins)."""
        found = {a.id: a for a in self._cluster.agents.values() if a.enabled}
        if self._directory is not None:
            for agent in await self._directory():
                if agent.enabled:
                    found.setdefault(agent.id, agent)
        return list(found.values())

    @activity.defn(name="hive.routing.resolve")
    async def resolve(self, request: ResolveRouteInput) -> RouteTarget:
        """Pick the task queue of an LLM call; fails for good when no agent could ever take it."""
        try:
            agents = await self.agents()
            target = resolve_route(request.model, request.route, agents)
        except HiveError as exc:
            raise to_application_error(exc) from exc
        limits = {a.id: a.local_call_limit_s for a in agents if a.id in self._local}
        target.local_agents = [agent for agent in target.agents if agent in limits]
        if target.local_agents:
            target.local_call_limit_s = min(limits[agent] for agent in target.local_agents)
        return target

    @activity.defn(name="hive.routing.queue_pollers")
    async def live_pollers(self, request: QueuePollersInput) -> QueuePollers:
        """Which workers poll ``task_queue`` for activities (empty: no agent is running)."""
        if self._client is None:
            return QueuePollers(task_queue=request.task_queue)
        response = await self._client.workflow_service.describe_task_queue(
            DescribeTaskQueueRequest(
                namespace=self._client.namespace,
                task_queue=TaskQueue(name=request.task_queue),
                task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
            )
        )
        return QueuePollers(task_queue=request.task_queue, identities=[p.identity for p in response.pollers])


__all__ = [
    "AgentDirectory",
    "AiRoute",
    "NoAgentForModelError",
    "QueuePollers",
    "QueuePollersInput",
    "ResolveRouteInput",
    "RouteTarget",
    "RoutingActivities",
    "describe_agents",
    "resolve_route",
]
