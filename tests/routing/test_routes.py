"""Routing through ai_dispatch against real workers: pinning, unknown models, 404 failover, no agent."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError

from activities.routing import AiRoute
from stand_ins.ollama.server import FakeOllama
from tests.routing.cluster import (
    AiChatWorkflow,
    ChatCall,
    agent_for,
    agent_running,
    central_running,
    chat_call,
    unique,
)


async def _run(client: Client, task_queue: str, call: ChatCall):  # type: ignore[no-untyped-def]
    return await client.execute_workflow(
        AiChatWorkflow.run, call, id=f"ai-{uuid.uuid4().hex[:10]}", task_queue=task_queue
    )


async def _failure(client: Client, task_queue: str, call: ChatCall) -> ApplicationError:
    with pytest.raises(WorkflowFailureError) as info:
        await _run(client, task_queue, call)
    cause = info.value.cause
    assert isinstance(cause, ApplicationError)
    return cause


async def test_pinning_to_an_agent_and_a_capability(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    for host in hosts:
        host.config.models = [model]
    a = agent_for(hosts[0], unique("a"), [model], capabilities=["code"])
    b = agent_for(hosts[1], unique("b"), [model])
    async with (
        central_running(client, task_queue, [a, b]),
        agent_running(client, a),
        agent_running(client, b),
    ):
        pinned = await asyncio.gather(
            *(_run(client, task_queue, chat_call(model, AiRoute(agent=b.id))) for _ in range(3))
        )
        by_capability = await asyncio.gather(
            *(_run(client, task_queue, chat_call(model, AiRoute(capability="CODE"))) for _ in range(3))
        )
    assert {r.agent_id for r in pinned} == {b.id}
    assert {r.agent_id for r in by_capability} == {a.id}
    assert hosts[0].stats.completed == 3 and hosts[1].stats.completed == 3


async def test_a_model_nobody_serves_fails_at_once_naming_the_agents(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    a = agent_for(hosts[0], unique("a"), [model, "llama3.2"])
    b = agent_for(hosts[1], unique("b"), [model], enabled=False)
    started = time.monotonic()
    async with central_running(client, task_queue, [a, b]):
        error = await _failure(client, task_queue, chat_call("qwen3:8b"))
        pinned = await _failure(client, task_queue, chat_call(model, AiRoute(agent="nobody")))
        not_served = await _failure(client, task_queue, chat_call("qwen3:8b", AiRoute(agent=a.id)))
        no_capability = await _failure(client, task_queue, chat_call(model, AiRoute(capability="gpu")))
    assert time.monotonic() - started < 10  # no queue waits, no retries
    assert error.type == "NoAgentForModelError" and error.non_retryable
    assert "no enabled agent serves model 'qwen3:8b'" in error.message
    assert f"{a.id} serves {model}, llama3.2:latest" in error.message
    assert b.id not in error.message  # disabled agents do not count
    assert "pinned to agent 'nobody'" in pinned.message and a.id in pinned.message
    assert f"pinned to agent '{a.id}', which does not serve model 'qwen3:8b'" in not_served.message
    assert "capability 'gpu'" in no_capability.message


async def test_model_missing_on_one_host_runs_on_another_agent(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    hosts[1].config.models = [model]  # the first host's Ollama lacks it, despite its config
    a = agent_for(hosts[0], unique("a"), [model])
    b = agent_for(hosts[1], unique("b"), [model])
    async with central_running(client, task_queue, [a, b]):
        async with agent_running(client, a):
            # Only A polls at first, so the call surely hits A's 404.
            handle = await client.start_workflow(
                AiChatWorkflow.run, chat_call(model), id=unique("ai-"), task_queue=task_queue
            )
            while not hosts[0].stats.requests["/api/chat"]:
                await asyncio.sleep(0.02)
            async with agent_running(client, b):
                result = await handle.result()
    assert result.agent_id == b.id and result.message.content


async def test_model_missing_everywhere_names_every_agent_tried(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    a = agent_for(hosts[0], unique("a"), [model])
    b = agent_for(hosts[1], unique("b"), [model])
    async with (
        central_running(client, task_queue, [a, b]),
        agent_running(client, a),
        agent_running(client, b),
    ):
        error = await _failure(client, task_queue, chat_call(model))
    assert error.type == "ModelNotFound" and error.non_retryable
    assert model in error.message and a.id in error.message and b.id in error.message
    assert hosts[0].stats.requests["/api/chat"] == 1 and hosts[1].stats.requests["/api/chat"] == 1


async def test_no_live_agent_is_an_error_after_the_queue_timeout(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = unique("m") + ":latest"
    a = agent_for(hosts[0], unique("a"), [model])
    async with central_running(client, task_queue, [a]):
        started = time.monotonic()
        error = await _failure(client, task_queue, chat_call(model, no_agent_timeout_s=1))
    assert time.monotonic() - started < 8
    assert error.type == "NoLiveAgent"
    assert f"no live agent took the LLM call for model '{model}'" in error.message
    assert a.id in error.message
