"""Connection handling: keep-alive comments on an idle stream, and polling stops when clients leave."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from temporalio.client import Client
from websockets.asyncio.client import connect

from api.live import source as live_source
from api.live import sse as live_sse
from n8n_import import compile_export
from tests.builders import chain, node
from tests.helpers import assert_eventually
from tests.live.conftest import LiveApi
from workflows.n8n_models import RunN8nInput
from workflows.n8n_run import N8nWorkflow


@pytest.fixture
def polls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the server polled each execution (the server runs in this process)."""
    counts: Counter[str] = Counter()
    original = live_source.ExecutionEventSource.poll

    async def counted(self: live_source.ExecutionEventSource) -> list[Any]:
        counts[self.execution_id] += 1
        return await original(self)

    monkeypatch.setattr(live_source.ExecutionEventSource, "poll", counted)
    return counts


async def _start_waiting_run(client: Client, task_queue: str) -> str:
    """A run that waits for its resume webhook until terminated: an idle stream."""
    workflow = chain(
        "idle", [node("Start", "manualTrigger", 1), node("Hold", "wait", 1.1, 100, resume="webhook")]
    )
    handle = await client.start_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_export(workflow)[0]),
        id=f"idle-{uuid.uuid4().hex[:10]}",
        task_queue=task_queue,
    )
    return handle.id


async def _polling_stopped(polls: Counter[str], execution_id: str) -> None:
    async def stable() -> None:
        before = polls[execution_id]
        await asyncio.sleep(0.5)  # several poll intervals
        assert polls[execution_id] == before

    await assert_eventually(stable, timeout_s=5)


async def test_sse_keeps_alive_and_stops_when_the_client_leaves(
    live_api: LiveApi,
    client: Client,
    central_worker: str,
    polls: Counter[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live_sse, "KEEPALIVE_S", 0.3)
    execution_id = await _start_waiting_run(client, central_worker)
    seen: list[str] = []
    async with (
        httpx.AsyncClient(base_url=live_api.url, timeout=10) as http,
        http.stream(
            "GET", f"/api/executions/{execution_id}/stream", headers={"X-API-Key": live_api.key}
        ) as reply,
    ):
        assert reply.status_code == 200
        async for line in reply.aiter_lines():
            seen.append(line)
            if line == ": keep-alive":
                break
    assert "event: waiting" in seen
    await _polling_stopped(polls, execution_id)
    await client.get_workflow_handle(execution_id).terminate()


async def test_websocket_stops_polling_when_the_client_leaves(
    live_api: LiveApi, client: Client, central_worker: str, polls: Counter[str]
) -> None:
    execution_id = await _start_waiting_run(client, central_worker)
    url = f"{live_api.ws_url}/api/executions/{execution_id}/events"
    async with connect(url, additional_headers={"X-API-Key": live_api.key}) as ws:
        first = await asyncio.wait_for(ws.recv(), timeout=10)
        assert '"node_started"' in str(first)
    await _polling_stopped(polls, execution_id)
    assert polls[execution_id] > 0
    # A terminated run ends the stream with its Temporal status.
    await client.get_workflow_handle(execution_id).terminate("enough")
    async with connect(url, additional_headers={"X-API-Key": live_api.key}) as ws:
        messages = [message async for message in ws]
    assert '"status":"terminated"' in str(messages[-1]) and ws.close_code == 1000
