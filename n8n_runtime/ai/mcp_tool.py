"""The MCP Client Tool node (`mcpClientTool`) as an agent tool placeholder: which server, which tools.

The server's tools are not known until it is asked: the workflow lists them when the agent
starts (an activity, so the list is in the run's history) and offers the model the ones the
node's `include` / `includeTools` / `excludeTools` select (`workflows/mcp_tools.py`).

| typeVersion | endpoint | transport |
|---|---|---|
| 1 | `sseEndpoint` | SSE |
| 1.1 | `endpointUrl` | `serverTransport` (default `sse`) |
| 1.2 | `endpointUrl` | `serverTransport` (default `httpStreamable`) |

The endpoint may also name a server of hive.yaml's `mcp_servers.registry` (resolved by the worker).
"""

from __future__ import annotations

from n8n_import.plan import PlanNode
from n8n_runtime.ai.instruction import ToolSpec
from n8n_runtime.ai.naming import tool_name_from_node
from n8n_runtime.nodes.base import NodeError, ParameterAccess

MCP_CLIENT_TOOL = "@n8n/n8n-nodes-langchain.mcpClientTool"
DEFAULT_TIMEOUT_MS = 60_000


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part) for part in value or []] if isinstance(value, list) else []


def mcp_client_tool(node: PlanNode, params: ParameterAccess, item: int) -> ToolSpec:
    """The node's server and tool selection, evaluated for `item`."""
    version = float(node.type_version)
    if version < 1.1:
        endpoint, transport = params.get("sseEndpoint", item, ""), "sse"
    else:
        endpoint = params.get("endpointUrl", item, "")
        transport = params.get("serverTransport", item, "sse" if version < 1.2 else "httpStreamable")
    if not str(endpoint or "").strip():
        field = "sseEndpoint" if version < 1.1 else "endpointUrl"
        raise NodeError(f"No MCP server endpoint given in '{field}'", item_index=item)
    if transport not in ("sse", "httpStreamable"):
        raise NodeError(f"Unsupported server transport '{transport}' in 'serverTransport'", item_index=item)
    options = params.get("options", item, {}) or {}
    timeout_ms = float(options.get("timeout", DEFAULT_TIMEOUT_MS) or DEFAULT_TIMEOUT_MS)
    server = {
        "node": node.name,
        "url": str(endpoint).strip(),
        "transport": transport,
        "authentication": str(params.get("authentication", item, "none") or "none"),
        "credentials": {k: {"id": v.id, "name": v.name} for k, v in node.credentials.items()},
        "timeout_s": max(timeout_ms / 1000, 0.001),
    }
    return ToolSpec(
        node=node.name,
        kind="mcp_server",
        name=tool_name_from_node(node.name),
        description="",
        parameters={"type": "object", "properties": {}},
        mcp={
            "server": server,
            "include": str(params.get("include", item, "all") or "all"),
            "include_tools": _names(params.get("includeTools", item, [])),
            "exclude_tools": _names(params.get("excludeTools", item, [])),
        },
    )


__all__ = ["MCP_CLIENT_TOOL", "mcp_client_tool"]
