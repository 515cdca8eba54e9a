"""Live updates through a real uvicorn: WebSocket and SSE clients watching real n8n runs."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from temporalio.client import Client, WorkflowHandle

from hive_core.approvals import ApprovalDecision
from n8n_import import compile_export
from tests.approvals.gated import ON, gated_workflow, start
from tests.builders import chain, node
from tests.live.clients import sse_events, ws_events, ws_events_acting
from tests.live.conftest import LiveApi
from workflows.n8n_models import N8nRunSnapshot, ResumeRequest, RunN8nInput
from workflows.n8n_run import N8nWorkflow

THREE_ITEMS = "return [{json: {n: 1}}, {json: {n: 2}}, {json: {n: 3}}];"


def _pipeline() -> dict[str, Any]:
    """Start → Code (3 items) → a 1 s durable timer → No Op: long enough to watch live."""
    return chain(
        "live pipeline",
        [
            node("Start", "manualTrigger", 1),
            node("Make", "code", 2, 100, jsCode=THREE_ITEMS),
            node("Pause", "wait", 1.1, 200, amount=1, unit="seconds"),
            node("Done", "noOp", 1, 300),
        ],
    )


async def _start(
    client: Client, task_queue: str, workflow: dict[str, Any]
) -> WorkflowHandle[Any, N8nRunSnapshot]:
    return await client.start_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_export(workflow)[0]),
        id=f"live-{uuid.uuid4().hex[:10]}",
        task_queue=task_queue,
    )


def _node_events(events: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(e["type"], e.get("node")) for e in events if e["type"] != "tokens"]


PIPELINE_EVENTS = [
    ("node_started", "Start"),
    ("node_finished", "Start"),
    ("node_started", "Make"),
    ("node_finished", "Make"),
    ("node_started", "Pause"),
    ("node_finished", "Pause"),
    ("node_started", "Done"),
    ("node_finished", "Done"),
    ("run_finished", None),
]


async def test_websocket_follows_a_run_node_by_node(
    live_api: LiveApi, client: Client, central_worker: str
) -> None:
    handle = await _start(client, central_worker, _pipeline())
    result = await ws_events(live_api, handle.id)
    assert result.close_code == 1000
    events = result.events
    assert _node_events(events) == PIPELINE_EVENTS
    assert all(e["execution_id"] == handle.id for e in events)
    make = next(e for e in events if e["type"] == "node_finished" and e["node"] == "Make")
    assert make["items"] == [3] and make["run_index"] == 0
    assert events[-1]["status"] == "success" and events[-1]["error"] is None
    keys = [tuple(int(part) for part in e["id"].split(".")) for e in events]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


async def test_sse_streams_the_same_events_and_resumes(
    live_api: LiveApi, client: Client, central_worker: str
) -> None:
    handle = await _start(client, central_worker, _pipeline())
    live = await sse_events(live_api, handle.id)
    assert live.status == 200 and live.headers["content-type"].startswith("text/event-stream")
    assert _node_events(live.events) == PIPELINE_EVENTS
    assert all(
        frame.event == frame.data["type"] and frame.id == frame.data["id"]
        for frame in live.frames
        if frame.data
    )
    # A client that comes back with Last-Event-ID gets only what came after.
    resumed = await sse_events(
        live_api, handle.id, headers={"X-API-Key": live_api.key, "Last-Event-ID": live.frames[3].id or ""}
    )
    assert _node_events(resumed.events) == PIPELINE_EVENTS[4:]
    ws_resumed = await ws_events(live_api, handle.id, query=f"?last_event_id={live.frames[6].id}")
    assert _node_events(ws_resumed.events) == PIPELINE_EVENTS[7:]


async def test_late_client_gets_the_run_so_far_then_live_events(
    live_api: LiveApi, client: Client, central_worker: str
) -> None:
    handle = await _start(client, central_worker, _pipeline())
    await asyncio.sleep(0.5)  # the run is inside the 1 s Pause by now
    late = await ws_events(live_api, handle.id)
    assert _node_events(late.events) == PIPELINE_EVENTS
    await handle.result()
    # After the end: the whole run replayed from its result, then run_finished.
    after = await sse_events(live_api, handle.id)
    assert _node_events(after.events) == PIPELINE_EVENTS
    assert [e["id"] for e in after.events] == [e["id"] for e in late.events]


async def test_failing_node_gives_node_failed(live_api: LiveApi, client: Client, central_worker: str) -> None:
    workflow = chain(
        "live failure",
        [node("Start", "manualTrigger", 1), node("Boom", "code", 2, 100, jsCode="throw new Error('kaput');")],
    )
    handle = await _start(client, central_worker, workflow)
    result = await ws_events(live_api, handle.id)
    assert _node_events(result.events) == [
        ("node_started", "Start"),
        ("node_finished", "Start"),
        ("node_started", "Boom"),
        ("node_failed", "Boom"),
        ("run_finished", None),
    ]
    failed = result.events[3]
    assert "kaput" in failed["error"]
    assert result.events[-1]["status"] == "error" and "kaput" in result.events[-1]["error"]


async def test_wait_for_webhook_is_reported_as_waiting(
    live_api: LiveApi, client: Client, central_worker: str
) -> None:
    workflow = chain(
        "live wait",
        [
            node("Start", "manualTrigger", 1),
            node("Hold", "wait", 1.1, 100, resume="webhook"),
            node("Done", "noOp", 1, 200),
        ],
    )
    handle = await _start(client, central_worker, workflow)

    async def resume(_: dict[str, Any]) -> None:
        await handle.signal(N8nWorkflow.resume_wait, ResumeRequest(json_data={"ok": True}))

    result = await asyncio.wait_for(ws_events_acting(live_api, handle.id, "waiting", resume), timeout=20)
    assert _node_events(result.events) == [
        ("node_started", "Start"),
        ("node_finished", "Start"),
        ("node_started", "Hold"),
        ("waiting", "Hold"),
        ("node_finished", "Hold"),
        ("node_started", "Done"),
        ("node_finished", "Done"),
        ("run_finished", None),
    ]
    assert result.events[3]["reason"] == "webhook" and result.events[3]["gate_id"] is None


async def test_unknown_execution(live_api: LiveApi) -> None:
    ws = await ws_events(live_api, "no-such-run")
    assert ws.close_code == 4404 and ws.events == []
    sse = await sse_events(live_api, "no-such-run")
    assert sse.status == 404 and sse.frames == []
    # An id Temporal cannot even hold names no execution either.
    assert (await sse_events(live_api, "x" * 2000)).status == 404


async def test_credentials_are_required(live_api: LiveApi, client: Client, central_worker: str) -> None:
    handle = await _start(client, central_worker, _pipeline())
    anonymous = await ws_events(live_api, handle.id, headers={})
    assert anonymous.close_code == 4401 and anonymous.events == []
    wrong = await ws_events(live_api, handle.id, headers={"Authorization": "Bearer hive_0123456789ab_wrong"})
    assert wrong.close_code == 4401
    assert (await sse_events(live_api, handle.id, headers={})).status == 401
    # Browsers cannot set headers on a WebSocket: the key may come in the query string.
    by_query = await ws_events(live_api, handle.id, headers={}, query=f"?api_key={live_api.key}")
    assert by_query.close_code == 1000 and by_query.events[-1]["type"] == "run_finished"


async def test_approval_gate_is_reported_as_waiting(
    live_api: LiveApi, client: Client, central_worker: str
) -> None:
    handle = await start(client, central_worker, gated_workflow(), ON)

    async def approve(_: dict[str, Any]) -> None:
        await handle.execute_update(N8nWorkflow.decide_approval, ApprovalDecision(approve=True, by="ada"))

    result = await asyncio.wait_for(ws_events_acting(live_api, handle.id, "waiting", approve), timeout=20)
    assert _node_events(result.events) == [
        ("node_started", "Start"),
        ("node_finished", "Start"),
        ("waiting", "Send"),
        ("node_started", "Send"),
        ("node_finished", "Send"),
        ("node_started", "After"),
        ("node_finished", "After"),
        ("run_finished", None),
    ]
    waiting = result.events[2]
    assert waiting["reason"] == "approval" and waiting["gate_id"] == "node:Send"
