"""One pool of slots per agent across all its queues; no queue starves behind idle polls."""

from __future__ import annotations

import asyncio
import time
import uuid

from temporalio.client import Client

from activities.routing import AiRoute
from stand_ins.ollama.server import FakeOllama
from tests.routing.cluster import (
    AiChatWorkflow,
    agent_for,
    agent_running,
    central_running,
    chat_call,
    unique,
)


async def test_an_agent_runs_at_most_max_concurrent_calls_across_its_queues(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    host = hosts[0]
    host.config.models = [model]
    host.config.tokens_per_second = 100
    host.config.reply_tokens = 20  # 0.2 s each
    a = agent_for(host, unique("a"), [model], capabilities=["code"], max_concurrent=2)
    routes = [AiRoute(), AiRoute(agent=a.id), AiRoute(capability="code")] * 2
    async with central_running(client, task_queue, [a]), agent_running(client, a):
        results = await asyncio.gather(
            *(
                client.execute_workflow(
                    AiChatWorkflow.run,
                    chat_call(model, route),
                    id=f"ai-{uuid.uuid4().hex[:10]}",
                    task_queue=task_queue,
                )
                for route in routes
            )
        )
    assert len(results) == 6 and {r.agent_id for r in results} == {a.id}
    assert host.stats.completed == 6
    assert host.stats.max_in_flight == 2


async def test_one_slot_serves_every_queue_without_waiting_for_idle_polls(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    # One slot, three queues: a plain shared semaphore would leave two queues unpolled while the
    # third's idle long poll held the slot (a task there would wait up to a minute).
    model = unique("m") + ":latest"
    hosts[0].config.models = [model]
    a = agent_for(hosts[0], unique("a"), [model], capabilities=["code"], max_concurrent=1)
    routes = [AiRoute(capability="code"), AiRoute(), AiRoute(agent=a.id), AiRoute(capability="code")]
    async with central_running(client, task_queue, [a]), agent_running(client, a):
        for route in routes:
            started = time.monotonic()
            result = await client.execute_workflow(
                AiChatWorkflow.run, chat_call(model, route), id=unique("ai-"), task_queue=task_queue
            )
            assert result.agent_id == a.id
            assert time.monotonic() - started < 5, route
