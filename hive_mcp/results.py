"""A finished run as an MCP answer: the last node's items as JSON, or the error naming its node."""

from __future__ import annotations

import json
from typing import Any

from hive_mcp.tools import ToolOutcome
from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot


def last_items(snapshot: N8nRunSnapshot) -> list[Any]:
    """The `json` of the items the last node to run put on its first output (n8n's run result)."""
    tasks = snapshot.run_data.get(snapshot.last_node_executed or "") or []
    if not tasks:
        return []
    outputs = (tasks[-1].get("data") or {}).get("main") or []
    first = outputs[0] if outputs else None
    return [item.get("json", {}) for item in first or [] if isinstance(item, dict)]


def error_message(snapshot: N8nRunSnapshot) -> str:
    error = snapshot.error or {}
    message = error.get("hiveMessage") or error.get("message") or "the workflow failed"
    node = (error.get("node") or {}).get("name") if isinstance(error.get("node"), dict) else None
    return f"node {node or snapshot.last_node_executed or '?'!r} failed: {message}"


def outcome_of(snapshot: N8nRunSnapshot, execution_id: str) -> ToolOutcome:
    """Success → the items (text: their JSON; structured: `{"items", "execution_id"}`)."""
    meta = {"hive/execution_id": execution_id}
    if snapshot.status is not ExecutionStatus.SUCCESS:
        text = f"execution {execution_id} ended {snapshot.status.value}: {error_message(snapshot)}"
        return ToolOutcome(text=text, is_error=True, meta=meta)
    items = last_items(snapshot)
    return ToolOutcome(
        text=json.dumps(items, ensure_ascii=False, default=str),
        structured={"items": items, "execution_id": execution_id},
        meta=meta,
    )


def still_running(execution_id: str, waited_s: float) -> ToolOutcome:
    """A run that outlasted the wait: its id, to read later (not an error: it goes on)."""
    text = (
        f"execution {execution_id} is still running after {waited_s:g} s; call hive_execution_result "
        f"with this execution_id (or GET /api/executions/{execution_id}) for its output"
    )
    return ToolOutcome(
        text=text,
        structured={"execution_id": execution_id, "status": "running"},
        meta={"hive/execution_id": execution_id},
    )


__all__ = ["error_message", "last_items", "outcome_of", "still_running"]
