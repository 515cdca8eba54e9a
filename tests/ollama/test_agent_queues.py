"""AI activities through Temporal: an agent's daemon serves chat on its model queue, heartbeating."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta

import httpx
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Worker

from activities.ollama import OllamaActivities
from hive_core.config.models import AgentConfig
from hive_core.ollama import ChatMessage, ChatRequest, ChatResult
from hive_core.queues import model_queue
from hive_core.settings import HiveSettings, WorkerSettings
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig
from workers.factory import build_agent_workers


@workflow.defn(sandboxed=False)
class ChatOnce:
    """Test-only caller: one chat on a model queue, as AI nodes will do."""

    @workflow.run
    async def run(self, request: ChatRequest) -> ChatResult:
        return await workflow.execute_activity_method(
            OllamaActivities.chat,
            request,
            task_queue=model_queue(request.model),
            start_to_close_timeout=timedelta(minutes=5),
            heartbeat_timeout=timedelta(seconds=5),
        )


async def test_model_queue_chat_through_agent_daemon(client: Client, task_queue: str) -> None:
    model = f"m{uuid.uuid4().hex[:6]}:latest"
    with FakeOllama(FakeOllamaConfig(models=[model], tokens_per_second=400, reply_tokens=40)) as fake:
        agent = AgentConfig(id=f"gpu-{uuid.uuid4().hex[:4]}", name="gpu", endpoint=fake.url, models=[model])
        settings = HiveSettings(worker=WorkerSettings(metrics_port=0))
        agent_client = await Client.connect(
            client.service_client.config.target_host, data_converter=client.data_converter
        )
        async with httpx.AsyncClient() as http, contextlib.AsyncExitStack() as stack:
            for worker in build_agent_workers(agent_client, agent, settings, http):
                await stack.enter_async_context(worker)
            async with Worker(client, task_queue=task_queue, workflows=[ChatOnce]):
                result = await client.execute_workflow(
                    ChatOnce.run,
                    ChatRequest(model=model, messages=[ChatMessage(role="user", content="hello hive")]),
                    id=f"chat-{uuid.uuid4().hex[:8]}",
                    task_queue=task_queue,
                )
    assert result.agent_id == agent.id
    assert result.message.content
    assert result.eval_count == 40
    assert result.tokens_per_second is not None and 200 < result.tokens_per_second < 800
