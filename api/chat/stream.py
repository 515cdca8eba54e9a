"""Streaming response mode: n8n's NDJSON chunks, fed by the run's live token events.

Each line is `{"type": "begin"|"item"|"end"|"error", "content"?, "metadata": {nodeId, nodeName,
itemIndex, runIndex, timestamp}}`, what `@n8n/chat` reads. The text comes from the LLM calls'
token heartbeats (`api.live`), so it arrives while the model generates; when the node finishes,
whatever the heartbeats did not carry (the last tokens of a call) is sent from the node's
output before its `end`. A run in which no AI node streamed sends the last node's answer as one
message, so the chat always shows a reply.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from temporalio.client import Client

from api.live import ExecutionEventSource, NodeFailed, NodeFinished, RunFinished, Tokens
from hive_core.executions.temporal import QUERY_TIMEOUT
from n8n_import.plan import Plan
from workflows.n8n_models import N8nRunSnapshot
from workflows.n8n_run import N8nWorkflow

POLL_INTERVAL_S = 0.1


@dataclass
class _Streaming:
    """One node's message: the call now streaming, and what went out of it."""

    run_index: int
    call: str = ""
    call_text: str = ""
    # A heartbeat skipped text (more than its tail): the call's text cannot be completed exactly.
    broken: bool = False


def _line(kind: str, plan: Plan, node: str, run_index: int, content: str | None = None) -> bytes:
    plan_node = plan.nodes.get(node)
    chunk: dict[str, Any] = {"type": kind}
    if content is not None:
        chunk["content"] = content
    chunk["metadata"] = {
        "nodeId": (plan_node.id if plan_node else None) or node,
        "nodeName": node,
        "itemIndex": 0,
        "runIndex": run_index,
        "timestamp": int(time.time() * 1000),
    }
    return (json.dumps(chunk) + "\n").encode()


def answer_text(json_data: dict[str, Any]) -> str:
    """The reply an item carries (`output` of agents, `text` of chains), as the widget shows it."""
    for key in ("output", "text", "content"):
        value = json_data.get(key)
        if isinstance(value, str):
            return value
    return json.dumps(json_data) if json_data else ""


def node_answer(run: N8nRunSnapshot, node: str, run_index: int) -> str:
    """The first output item's reply of one node run ('' when there is none)."""
    tasks = run.run_data.get(node) or []
    if run_index >= len(tasks):
        return ""
    outputs = ((tasks[run_index].get("data") or {}).get("main") or [[]])[0] or []
    return answer_text(outputs[0].get("json", {})) if outputs else ""


async def _snapshot(client: Client, execution_id: str) -> N8nRunSnapshot | None:
    handle = client.get_workflow_handle_for(N8nWorkflow.run, execution_id)
    try:
        return await handle.query(N8nWorkflow.snapshot, rpc_timeout=QUERY_TIMEOUT)
    except Exception:  # noqa: BLE001 - the run closed meanwhile: its result has the data
        try:
            return await handle.result()
        except Exception:  # noqa: BLE001 - a failed run: nothing more to complete
            return None


async def chat_stream(client: Client, execution_id: str, plan: Plan) -> AsyncIterator[bytes]:
    """The NDJSON body of one streamed chat answer (ends when the run ends)."""
    source = ExecutionEventSource(client, execution_id, poll_interval_s=POLL_INTERVAL_S)
    streaming: dict[str, _Streaming] = {}
    streamed_any = False
    async for batch in source.batches():
        for event in batch:
            if isinstance(event, Tokens) and event.node:
                state = streaming.get(event.node)
                if state is None:
                    # The node's runs so far: the one streaming now is not recorded yet.
                    now = await _snapshot(client, execution_id)
                    run_index = len(now.run_data.get(event.node, [])) if now else 0
                    state = streaming[event.node] = _Streaming(run_index)
                    yield _line("begin", plan, event.node, state.run_index)
                if event.call != state.call:
                    state.call, state.call_text, state.broken = event.call, "", False
                state.broken = state.broken or event.gap
                if event.delta:
                    state.call_text += event.delta
                    streamed_any = True
                    yield _line("item", plan, event.node, state.run_index, event.delta)
            elif isinstance(event, NodeFinished | NodeFailed) and event.node in streaming:
                state = streaming.pop(event.node)
                if isinstance(event, NodeFailed):
                    yield _line("error", plan, event.node, state.run_index, event.error)
                    continue
                run = await _snapshot(client, execution_id)
                final = node_answer(run, event.node, event.run_index) if run else ""
                # Chains strip their reply: what was streamed may start with whitespace the
                # output no longer has.
                sent = state.call_text.lstrip()
                if not state.broken and final.startswith(sent) and len(final) > len(sent):
                    yield _line("item", plan, event.node, state.run_index, final[len(sent) :])
                yield _line("end", plan, event.node, state.run_index)
            elif isinstance(event, RunFinished):
                async for line in _finish(client, execution_id, plan, event, streamed_any):
                    yield line


async def _finish(
    client: Client, execution_id: str, plan: Plan, event: RunFinished, streamed_any: bool
) -> AsyncIterator[bytes]:
    run = await _snapshot(client, execution_id)
    last = (run.last_node_executed if run else None) or ""
    if event.status != "success":
        yield _line("error", plan, last, 0, event.error or "Error in workflow")
        return
    if streamed_any or run is None or not last:
        return
    runs = len(run.run_data.get(last) or [])
    text = node_answer(run, last, max(0, runs - 1))
    yield _line("begin", plan, last, 0)
    if text:
        yield _line("item", plan, last, 0, text)
    yield _line("end", plan, last, 0)


__all__ = ["answer_text", "chat_stream", "node_answer"]
