"""Hive's workflows as MCP tools: providers of tools, the server over them, its stdio transport.

The HTTP transport is mounted in the API (`api.mcp`); `hive mcp` serves stdio (`hive_mcp.stdio`).
"""

from __future__ import annotations

from hive_mcp.backend import HiveBackend
from hive_mcp.execution_tools import RESULT_TOOL, ExecutionResults
from hive_mcp.server import WAIT_META_KEY, HiveToolServer, MayRun
from hive_mcp.tools import CallContext, HiveTool, ToolError, ToolOutcome, ToolProvider
from hive_mcp.workflow_tools import WorkflowTools


def build_tool_server(backend: HiveBackend, *, may_run: MayRun | None = None) -> HiveToolServer:
    """The MCP server over Hive's providers: active workflows, then the execution-result tool."""
    providers: list[ToolProvider] = [WorkflowTools(backend), ExecutionResults(backend)]
    wait = backend.settings.mcp.wait_seconds
    if may_run is None:
        return HiveToolServer(providers, wait_seconds=wait)
    return HiveToolServer(providers, wait_seconds=wait, may_run=may_run)


__all__ = [
    "RESULT_TOOL",
    "WAIT_META_KEY",
    "CallContext",
    "ExecutionResults",
    "HiveBackend",
    "HiveTool",
    "HiveToolServer",
    "ToolError",
    "ToolOutcome",
    "ToolProvider",
    "WorkflowTools",
    "build_tool_server",
]
