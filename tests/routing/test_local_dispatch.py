"""`dispatch: local`: the central worker calls the agent's Ollama itself, as a local activity.

Through a real dev server and fake Ollama hosts: the call takes no queue hop; a down, busy or
too-slow local host falls back (to the next local candidate, then the queue path) as the queue
path fails over; a bad request still fails at once.
"""

from __future__ import annotations

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle

from hive_core.config import ClusterConfig
from hive_core.ollama.types import ChatResult
from stand_ins.ollama.server import FakeOllama
from tests.routing.cluster import (
    AiChatWorkflow,
    agent_for,
    agent_running,
    central_running,
    chat_call,
    unique,
)
from workers.local_dispatch import LocalDispatch


def _model(hosts: list[FakeOllama]) -> str:
    model = unique("m") + ":latest"
    for host in hosts:
        host.config.models = [model]
    return model


async def _event_types(handle: WorkflowHandle[AiChatWorkflow, ChatResult]) -> list[int]:
    return [event.event_type for event in (await handle.fetch_history()).events]


async def _chat(client: Client, task_queue: str, model: str) -> WorkflowHandle[AiChatWorkflow, ChatResult]:
    return await client.start_workflow(
        AiChatWorkflow.run, chat_call(model), id=unique("ai-"), task_queue=task_queue
    )


async def test_a_local_agent_takes_the_call_without_a_queue_hop(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = _model(hosts)
    a = agent_for(hosts[0], unique("a"), [model], dispatch="local")
    # No agent worker runs at all: only the central worker can have made the call.
    async with central_running(client, task_queue, [a]):
        handle = await _chat(client, task_queue, model)
        result = await handle.result()
    assert result.agent_id == a.id and result.eval_count == 20
    assert hosts[0].stats.completed == 1
    events = await _event_types(handle)
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED not in events
    # One workflow task: the routing and the call are local-activity markers in it.
    assert events.count(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) == 1
    assert events.count(EventType.EVENT_TYPE_MARKER_RECORDED) >= 2


async def test_a_down_local_host_fails_over_to_the_next_local_agent(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = _model(hosts)
    hosts[0].config.faults.status = 503
    a = agent_for(hosts[0], unique("a"), [model], dispatch="local")
    b = agent_for(hosts[1], unique("b"), [model], dispatch="local")
    async with central_running(client, task_queue, [a, b]):
        result = await (await _chat(client, task_queue, model)).result()
    assert result.agent_id == b.id
    assert hosts[0].stats.requests["/api/chat"] == 1 and hosts[1].stats.completed == 1


async def test_a_down_local_host_falls_back_to_the_queue_path(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = _model(hosts)
    hosts[0].config.faults.status = 503
    a = agent_for(hosts[0], unique("a"), [model], dispatch="local")
    b = agent_for(hosts[1], unique("b"), [model])
    async with central_running(client, task_queue, [a, b]), agent_running(client, b):
        handle = await _chat(client, task_queue, model)
        result = await handle.result()
    assert result.agent_id == b.id
    assert hosts[0].stats.requests["/api/chat"] == 1 and hosts[1].stats.completed == 1
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED in await _event_types(handle)


async def test_a_busy_local_host_sends_the_call_through_the_queue(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = _model(hosts)
    a = agent_for(hosts[0], unique("a"), [model], dispatch="local", max_concurrent=1)
    b = agent_for(hosts[1], unique("b"), [model])
    local = LocalDispatch.from_cluster(ClusterConfig(agents={a.id: a}))
    async with central_running(client, task_queue, [a, b], local=local), agent_running(client, b):
        async with local.pools[a.id].claim() as held:  # a's one slot is taken (e.g. by its queue)
            assert held
            result = await (await _chat(client, task_queue, model)).result()
    assert result.agent_id == b.id
    assert hosts[0].stats.requests["/api/chat"] == 0


async def test_a_local_call_past_its_limit_goes_through_the_queue(
    client: Client, task_queue: str, hosts: list[FakeOllama]
) -> None:
    model = _model(hosts)
    hosts[0].config.tokens_per_second = 40  # 20 tokens: 0.5 s, past the 0.2 s limit
    a = agent_for(hosts[0], unique("a"), [model], dispatch="local", local_call_limit_s=0.2)
    async with central_running(client, task_queue, [a]), agent_running(client, a):
        handle = await _chat(client, task_queue, model)
        result = await handle.result()
    assert result.agent_id == a.id and result.eval_count == 20
    # The local call was cancelled at its limit; the queue path (heartbeats, no limit) finished it.
    assert hosts[0].stats.requests["/api/chat"] == 2 and hosts[0].stats.completed == 1
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED in await _event_types(handle)


async def test_a_bad_request_fails_at_once(client: Client, task_queue: str, hosts: list[FakeOllama]) -> None:
    model = _model(hosts)
    hosts[0].config.faults.status = 400
    hosts[0].config.faults.status_message = "invalid format: expected a JSON schema"
    a = agent_for(hosts[0], unique("a"), [model], dispatch="local")
    async with central_running(client, task_queue, [a]):
        handle = await _chat(client, task_queue, model)
        with pytest.raises(WorkflowFailureError) as failed:
            await handle.result()
    message = str(failed.value.cause)
    assert "invalid format" in message and "local agent" in message, message
    assert hosts[0].stats.requests["/api/chat"] == 1
