"""The MCP server Hive serves: its providers, in the order they claim tool names."""

from __future__ import annotations

from hive_mcp.backend import HiveBackend
from hive_mcp.execution_tools import ExecutionResults
from hive_mcp.server import HiveToolServer, MayRun
from hive_mcp.tools import ToolProvider
from hive_mcp.workflow_tools import WorkflowTools


def build_tool_server(backend: HiveBackend, *, may_run: MayRun | None = None) -> HiveToolServer:
    """The MCP server over Hive's providers: active workflows, then the execution-result tool."""
    providers: list[ToolProvider] = [WorkflowTools(backend), ExecutionResults(backend)]
    wait = backend.settings.mcp.wait_seconds
    if may_run is None:
        return HiveToolServer(providers, wait_seconds=wait)
    return HiveToolServer(providers, wait_seconds=wait, may_run=may_run)


__all__ = ["build_tool_server"]
