"""n8n's MCP Server Trigger: its attached tool nodes as the tools of an MCP server at `/mcp/<path>`.

The trigger (`@n8n/n8n-nodes-langchain.mcpTrigger`) of an active workflow listens on its `path`
parameter (else its webhook id), as n8n serves it. Its `ai_tool` sub-nodes are built into tools
the way an agent sees them (name, description, argument schema from `$fromAI(...)` or the
node's input schema), with literal parameters only: the trigger has no items to evaluate
expressions against. A call runs as a `HiveMcpToolCall` workflow of its own.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from n8n_import.plan import Plan, PlanNode
from n8n_runtime.ai.instruction import ToolSpec
from n8n_runtime.ai.node_tools import node_host_tool
from n8n_runtime.ai.tools import TOOL_BUILDERS, with_from_ai_marked
from n8n_runtime.nodes.base import NodeError
from n8n_runtime.params import ExpressionParameters

log = logging.getLogger(__name__)

MCP_TRIGGER = "@n8n/n8n-nodes-langchain.mcpTrigger"
# Tool kinds a call can run outside an agent (vector stores need the root's context, and an MCP
# Client Tool under an MCP trigger would be a proxy: both are left out, with a log line).
SERVABLE_KINDS = frozenset({"code", "workflow", "http", "calculator", "think", "web", "node_host"})


# A whole-value expression that is one JSON string: what `mark_from_ai` leaves of `{{ $fromAI(...) }}`.
_STRING_EXPRESSION = re.compile(r'=\s*\{\{\s*("(?:[^"\\]|\\.)*")\s*\}\}\s*')


def _literal(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        match = _STRING_EXPRESSION.fullmatch(value)
        if match is None:
            raise NodeError(
                f"the MCP Server Trigger has no items to evaluate {value[:80]!r} against: its tools "
                "take literal parameters and $fromAI(...) only"
            )
        return json.loads(match.group(1))
    if isinstance(value, dict):
        return {key: _literal(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_literal(inner) for inner in value]
    return value


class _FromAiOnly:
    """A parameter resolver for tools without an item: `$fromAI` placeholders, nothing else."""

    def resolve_each(self, value: Any, path: str, item_indices: Sequence[int]) -> list[Any]:
        try:
            resolved = _literal(value)
        except NodeError as exc:
            return [exc for _ in item_indices]
        return [resolved for _ in item_indices]


@dataclass(frozen=True)
class TriggerTarget:
    workflow_id: str
    plan: Plan
    node: PlanNode

    @property
    def authentication(self) -> str:
        return str(self.node.parameters.get("authentication") or "none")


def trigger_path(node: PlanNode) -> str:
    return str(node.parameters.get("path") or node.webhook_id or "").strip("/")


def find_mcp_trigger(plans: Iterable[tuple[str, Plan]], path: str) -> TriggerTarget | None:
    """The first active MCP Server Trigger listening on `path`."""
    wanted = path.strip("/")
    for workflow_id, plan in plans:
        for node in plan.nodes.values():
            if node.type == MCP_TRIGGER and not node.disabled and trigger_path(node) == wanted:
                return TriggerTarget(workflow_id, plan, node)
    return None


def trigger_tools(target: TriggerTarget) -> list[ToolSpec]:
    """The trigger's tools, in connection order (a tool that cannot be built is logged and left out)."""
    tools: list[ToolSpec] = []
    for name in target.node.sub_nodes.get("ai_tool", []):
        node = target.plan.nodes.get(name)
        if node is None or node.disabled:
            continue
        build = TOOL_BUILDERS.get(node.type, node_host_tool)
        try:
            marked = with_from_ai_marked(node)
            tool = build(node, ExpressionParameters(marked, _FromAiOnly()), 0)
        except (NodeError, ValueError) as exc:
            log.warning("MCP trigger %r: tool %r cannot be served: %s", target.node.name, name, exc)
            continue
        if tool.kind not in SERVABLE_KINDS:
            log.warning(
                "MCP trigger %r: a %s tool (%r) runs only inside an agent", target.node.name, tool.kind, name
            )
            continue
        tools.append(tool)
    return tools


__all__ = ["MCP_TRIGGER", "TriggerTarget", "find_mcp_trigger", "trigger_path", "trigger_tools"]
