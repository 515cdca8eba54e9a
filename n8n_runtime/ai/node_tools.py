"""n8n's `<node>Tool` variants (`usableAsTool` nodes such as postgresTool, airtableTool) as agent tools.

n8n generates the tool variant of a node at load time (`convertNodeToAiTool`): same parameters,
`$fromAI(...)` placeholders filled from the tool call, description from `toolDescription`. Hive
runs the base node on the n8n node host; this module builds its `ToolSpec`.
"""

from __future__ import annotations

import re

from n8n_import.plan import PlanNode
from n8n_import.tool_variants import tool_variant_base
from n8n_runtime.ai.instruction import ToolSpec
from n8n_runtime.ai.naming import tool_name_from_node
from n8n_runtime.ai.schema import from_ai_schema
from n8n_runtime.nodes.base import ParameterAccess

# Parameters the tool variant adds to the base node (not the base node's own).
_TOOL_PARAMETERS = ("toolDescription", "descriptionType")


def _display_name(node_type: str) -> str:
    # The node's default name, as n8n's makeDescription uses it ("googleCalendar" → "Google Calendar").
    short = node_type.removesuffix("Tool").rsplit(".", 1)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", short[:1].upper() + short[1:])


def _description(node: PlanNode, params: ParameterAccess, item: int) -> str:
    """n8n's getToolDescription: the manual description, else `<operation> <resource> in <Node>`."""
    manual = params.get("toolDescription", item, "") if "toolDescription" in node.parameters else ""
    if node.parameters.get("descriptionType") != "auto" and str(manual or "").strip():
        return str(manual)
    resource = node.parameters.get("resource")
    operation = node.parameters.get("operation")
    if isinstance(resource, str) and isinstance(operation, str):
        return f"{operation} {resource} in {_display_name(node.type)}"
    if isinstance(operation, str):
        return f"{operation} in {_display_name(node.type)}"
    return f"Runs the {_display_name(node.type)} node"


def node_host_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    """A node's tool variant: its parameters evaluated around the `$fromAI(...)` placeholders."""
    evaluated = {key: params.get(key, item) for key in node.parameters if key not in _TOOL_PARAMETERS}
    return ToolSpec(
        node=node.name,
        kind="node_host",
        name=tool_name_from_node(node.name),
        description=_description(node, params, item),
        parameters=from_ai_schema(node.parameters),
        node_host={
            "type": tool_variant_base(node.type) or node.type,
            "type_version": float(node.type_version),
            "parameters": evaluated,
        },
        credentials={k: {"id": v.id, "name": v.name} for k, v in node.credentials.items()},
    )


__all__ = ["node_host_tool"]
