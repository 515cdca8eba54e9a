"""A failing host mid-call: the retry runs on another agent. Cancelling a run stops the stream."""

from __future__ import annotations

import asyncio
import time

from temporalio.client import Client

from stand_ins.ollama.server import FakeOllama
from tests.helpers import assert_eventually
from tests.routing.cluster import (
    AiChatWorkflow,
    agent_for,
    agent_running,
    central_running,
    chat_call,
    unique,
)


async def test_a_host_failing_mid_stream_fails_over_to_another_agent(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    for host in hosts:
        host.config.models = [model]
    hosts[0].config.faults.drop_after_chunks = 5  # A's Ollama breaks off every generation
    a = agent_for(hosts[0], unique("a"), [model])
    b = agent_for(hosts[1], unique("b"), [model])
    async with central_running(client, task_queue, [a, b]):
        async with agent_running(client, a):
            handle = await client.start_workflow(
                AiChatWorkflow.run, chat_call(model), id=unique("ai-"), task_queue=task_queue
            )
            while not hosts[0].stats.requests["/api/chat"]:
                await asyncio.sleep(0.02)
            started = time.monotonic()
            async with agent_running(client, b):
                result = await handle.result()
    assert result.agent_id == b.id and result.eval_count == 20
    assert hosts[0].stats.completed == 0 and hosts[1].stats.completed == 1
    # A paused its polling after the failure, so the retry did not bounce back to it for long.
    assert time.monotonic() - started < 5


async def test_cancelling_the_run_stops_the_generation(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    host = hosts[0]
    host.config.models = [model]
    host.config.tokens_per_second = 50
    host.config.reply_tokens = 2000  # 40 s unless stopped
    a = agent_for(host, unique("a"), [model])
    async with central_running(client, task_queue, [a]), agent_running(client, a):
        handle = await client.start_workflow(
            AiChatWorkflow.run, chat_call(model), id=unique("ai-"), task_queue=task_queue
        )

        async def streaming() -> None:
            assert host.stats.in_flight == 1

        await assert_eventually(streaming, timeout_s=10)
        await handle.cancel()

        async def stopped() -> None:
            assert host.stats.disconnects == 1 and host.stats.in_flight == 0

        # The worker hears of the cancel on its next heartbeat (throttled to 0.8 × 5 s).
        await assert_eventually(stopped, timeout_s=10)
    assert host.stats.completed == 0
