"""A node's tool variant (postgresTool, airtableTool...) called by the model: one node-host step.

As n8n's `makeHandleToolInvocation`: the base node runs once with one input item and its
`$fromAI(...)` values filled in from the tool call; the answer is its first output's items' json,
stringified; its error (message and details) is the answer when it fails, after the node's Retry
On Fail tries (n8n's 2–5, at most 5 s apart). Workflow code: no I/O.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from hive_core.node_host.contract import NodeHostTask, WireCredentialRef, WireNode, WireWorkflow
    from n8n_import.plan import Plan
    from n8n_runtime.ai.instruction import ToolSpec
    from n8n_runtime.ai.schema import fill_from_ai
    from workflows.node_host_step import NodeHostCall


def _literal(value: Any) -> Any:
    """Evaluated values go to n8n as literals: a string starting with "=" would be an expression."""
    if isinstance(value, str):
        return "=" + value if value.startswith("=") else value
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_literal(v) for v in value]
    return value


def node_tool_task(plan: Plan, tool: ToolSpec, arguments: dict[str, Any], run_index: int = 0) -> NodeHostTask:
    """The node-host activity input for one call of `tool` (credential references only)."""
    spec = tool.node_host or {}
    node = WireNode(
        name=tool.node,
        type=str(spec.get("type", "")),
        typeVersion=float(spec.get("type_version", 1)),
        parameters=_literal(fill_from_ai(spec.get("parameters") or {}, arguments)),
        credentials={
            k: WireCredentialRef(id=v.get("id"), name=v.get("name")) for k, v in tool.credentials.items()
        },
    )
    settings = {"timezone": plan.settings.timezone} if plan.settings.timezone else {}
    return NodeHostTask(
        # The run's id, as for every node-host step (binary data and logs are filed under it).
        execution_id=workflow.info().workflow_id,
        workflow=WireWorkflow(id=plan.workflow_id, name=plan.name, nodes=[node], settings=settings),
        node=tool.node,
        run_index=run_index,
        inputs=[[{"json": dict(arguments)}]],
        source=[None],
    )


def _tries(plan: Plan, tool: ToolSpec) -> tuple[int, timedelta]:
    """n8n's Retry On Fail of a tool node: 2–5 tries, at most 5 s apart."""
    node = plan.nodes.get(tool.node)
    if node is None or not node.settings.retry_on_fail:
        return 1, timedelta(0)
    settings = node.settings
    wait_ms = min(5000, max(0, settings.wait_between_tries_ms))
    return min(5, max(2, settings.max_tries)), timedelta(milliseconds=wait_ms)


async def run_node_tool(plan: Plan, tool: ToolSpec, arguments: dict[str, Any]) -> str:
    """The model's answer text for one call of a node's tool variant."""
    tries, wait = _tries(plan, tool)
    for attempt in range(tries):
        if attempt and wait:
            await workflow.sleep(wait)
        task = node_tool_task(plan, tool, arguments, attempt)
        result = await NodeHostCall(plan, task, []).run()
        if result.error is None:
            first = (result.outputs or [None])[0] or []
            return json.dumps([item.get("json", {}) for item in first])
    assert result.error is not None
    message = result.error.message
    details = result.error.description
    if details and details not in message:
        message = f"{message}\n\nDetails: {details}"
    return f'There was an error: "{message}"'


__all__ = ["node_tool_task", "run_node_tool"]
