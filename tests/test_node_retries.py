"""n8n's Retry On Fail over node errors only, run by the interpreter (`workflows.retries`).

A node error (HTTP status, refused target, thrown Code error) comes back from its activity at
once: with retries off the node fails after one call; with retries on it runs exactly maxTries
times with waitBetweenTries between (durable timers), then onError applies.
"""

from __future__ import annotations

import socket
import uuid
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from n8n_import import compile_export
from tests.builders import chain, node, worker_settings
from tests.counting_server import counting_server
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot, RunN8nInput
from workflows.n8n_run import N8nWorkflow


def _retry(tries: int, wait_ms: int) -> dict[str, Any]:
    return {"retryOnFail": True, "maxTries": tries, "waitBetweenTries": wait_ms}


def _http(url: str, **settings: Any) -> dict[str, Any]:
    call = {**node("Call", "httpRequest", 4.2, 200, url=url, options={}), **settings}
    return chain("retries", [node("Start", "manualTrigger", 1), call])


async def _run(client: Client, queue: str, workflow: dict[str, Any]) -> tuple[N8nRunSnapshot, list[Any]]:
    handle = await client.start_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_export(workflow)[0]),
        id=f"retries-{uuid.uuid4().hex[:10]}",
        task_queue=queue,
    )
    result = await handle.result()
    return result, list((await handle.fetch_history()).events)


def _count(events: list[Any], kind: int) -> int:
    return sum(1 for e in events if e.event_type == kind)


def _attempts(events: list[Any]) -> list[int]:
    return [
        e.activity_task_started_event_attributes.attempt
        for e in events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
    ]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_node_error_without_retry_fails_after_one_call(client: Client, task_queue: str) -> None:
    with counting_server() as server:
        async with build_central_worker(client, worker_settings(task_queue)):
            failed, events = await _run(client, task_queue, _http(f"{server.url}/flaky/9"))
            refused, refused_events = await _run(
                client, task_queue, _http(f"http://127.0.0.1:{_closed_port()}/")
            )
    assert failed.status is ExecutionStatus.ERROR
    assert server.counts["/flaky/9"] == 1
    assert _attempts(events) == [1]  # no Temporal retry of a node error
    assert _count(events, EventType.EVENT_TYPE_TIMER_STARTED) == 0
    # A refused target is the node's error too (n8n: ECONNREFUSED), not Hive's infrastructure.
    assert refused.status is ExecutionStatus.ERROR
    assert "refused" in (refused.error or {}).get("message", "")
    assert _attempts(refused_events) == [1]


async def test_retry_on_fail_tries_exactly_max_tries_with_the_wait(client: Client, task_queue: str) -> None:
    with counting_server() as server:
        async with build_central_worker(client, worker_settings(task_queue)):
            failed, events = await _run(client, task_queue, _http(f"{server.url}/flaky/9", **_retry(4, 300)))
            flaky, _ = await _run(client, task_queue, _http(f"{server.url}/flaky/1", **_retry(3, 50)))
    assert failed.status is ExecutionStatus.ERROR
    assert server.counts["/flaky/9"] == 4
    gaps = [b - a for a, b in zip(server.times["/flaky/9"], server.times["/flaky/9"][1:], strict=False)]
    assert all(gap >= 0.29 for gap in gaps), gaps
    # Each try is its own activity (attempt 1) and each wait a durable timer.
    assert _attempts(events) == [1, 1, 1, 1]
    assert _count(events, EventType.EVENT_TYPE_TIMER_STARTED) == 3
    assert flaky.status is ExecutionStatus.SUCCESS, flaky.error
    assert server.counts["/flaky/1"] == 2  # stops at the first success


async def test_on_error_continue_applies_after_the_retries(client: Client, task_queue: str) -> None:
    with counting_server() as server:
        async with build_central_worker(client, worker_settings(task_queue)):
            result, _ = await _run(
                client,
                task_queue,
                _http(f"{server.url}/down", **_retry(3, 10), onError="continueRegularOutput"),
            )
    assert result.status is ExecutionStatus.SUCCESS, result.error
    assert server.counts["/down"] == 3
    item = result.run_data["Call"][0]["data"]["main"][0][0]["json"]
    assert "error" in item


async def test_code_node_error_is_retried_by_the_interpreter(client: Client, task_queue: str) -> None:
    throws = {**node("Throw", "code", 2, 100, jsCode="throw new Error('boom');"), **_retry(3, 20)}
    passes = node("After", "noOp", 1, 200)
    workflow = chain("code-retries", [node("Start", "manualTrigger", 1), throws, passes])
    async with build_central_worker(client, worker_settings(task_queue)):
        failed, events = await _run(client, task_queue, workflow)
        workflow["nodes"][1]["onError"] = "continueErrorOutput"
        tolerated, _ = await _run(client, task_queue, workflow)
    assert failed.status is ExecutionStatus.ERROR
    assert failed.error and failed.error["message"].startswith("boom")
    local_runs = [
        e for e in events if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
        and e.marker_recorded_event_attributes.marker_name == "core_local_activity"
    ]  # fmt: skip
    assert len(local_runs) == 3
    assert _count(events, EventType.EVENT_TYPE_TIMER_STARTED) == 2
    # continueErrorOutput: after the three tries the error item leaves on the error output.
    assert tolerated.status is ExecutionStatus.SUCCESS, tolerated.error
    outputs = tolerated.run_data["Throw"][0]["data"]["main"]
    assert outputs[0] == [] and str(outputs[1][0]["json"]["error"]).startswith("boom")
