"""A small cluster for routing tests: fake Ollama hosts, their agent workers, a central worker."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
from pydantic import BaseModel
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Worker

from activities.routing import AgentDirectory, AiRoute, RoutingActivities
from hive_core.agent_stats import AgentStats
from hive_core.config import AgentConfig, ClusterConfig
from hive_core.ollama.types import ChatMessage, ChatRequest, ChatResult
from hive_core.settings import HiveSettings, WorkerSettings
from stand_ins.ollama.server import FakeOllama
from workers.factory import build_agent_workers
from workers.local_dispatch import LocalDispatch
from workflows import ai_dispatch


class ChatCall(BaseModel):
    request: ChatRequest
    route: AiRoute = AiRoute()
    no_agent_timeout_s: float = 60.0


@workflow.defn(sandboxed=False)
class AiChatWorkflow:
    """Test-only AI node: one chat through the routing door."""

    @workflow.run
    async def run(self, call: ChatCall) -> ChatResult:
        return await ai_dispatch.chat(
            call.request,
            call.route,
            summary="routing test chat",
            no_agent_timeout=timedelta(seconds=call.no_agent_timeout_s),
        )


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def agent_for(fake: FakeOllama, agent_id: str, models: list[str], **fields: object) -> AgentConfig:
    return AgentConfig.model_validate(
        {"id": agent_id, "name": agent_id, "endpoint": fake.url, "models": models, **fields}
    )


def chat_call(model: str, route: AiRoute | None = None, **kwargs: object) -> ChatCall:
    request = ChatRequest(model=model, messages=[ChatMessage(role="user", content="hello hive")])
    return ChatCall.model_validate({"request": request, "route": route or AiRoute(), **kwargs})


async def own_client(client: Client) -> Client:
    """A separate connection, as an agent host has: one worker per queue per client."""
    return await Client.connect(
        client.service_client.config.target_host, data_converter=client.data_converter
    )


@contextlib.asynccontextmanager
async def agent_running(
    client: Client, agent: AgentConfig, stats: AgentStats | None = None
) -> AsyncIterator[list[Worker]]:
    """The agent's workers (all its queues, one slot pool) until the block ends."""
    settings = HiveSettings(worker=WorkerSettings(metrics_port=0, graceful_shutdown_s=0))
    agent_client = await own_client(client)
    async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
        workers = build_agent_workers(agent_client, agent, settings, http, stats)
        for worker in workers:
            await stack.enter_async_context(worker)
        yield workers


@contextlib.asynccontextmanager
async def central_running(
    client: Client,
    task_queue: str,
    agents: list[AgentConfig],
    directory: AgentDirectory | None = None,
    local: LocalDispatch | None = None,
) -> AsyncIterator[Worker]:
    """The test workflow plus the routing activities, against ``agents`` (+ ``directory``).

    Agents with ``dispatch: local`` are called from here (``local``: their shared slots).
    """
    cluster = ClusterConfig(agents={a.id: a for a in agents})
    async with httpx.AsyncClient() as http:
        local = local or LocalDispatch.from_cluster(cluster)
        routing = RoutingActivities(cluster, client, directory, local.agents)
        local_calls = local.activities(http, routing.resolve)
        async with Worker(
            client,
            task_queue=task_queue,
            workflows=[AiChatWorkflow],
            activities=[
                routing.resolve,
                routing.live_pollers,
                local_calls.chat,
                local_calls.generate,
                local_calls.embed,
            ],
        ) as worker:
            yield worker
