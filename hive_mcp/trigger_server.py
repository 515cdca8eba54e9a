"""The MCP server behind every MCP Server Trigger: one low-level `Server`, the trigger chosen by
the request's path (`/mcp/<path>`), each call a `HiveMcpToolCall` run on Temporal."""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import mcp_types as types
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

from hive_core.approvals import approval_policy
from hive_core.errors import HiveError
from hive_core.executions.temporal import temporal_errors
from hive_core.workflow_store import active_plans
from hive_mcp.backend import HiveBackend
from hive_mcp.server import check_arguments
from hive_mcp.tools import HiveTool, ToolError
from hive_mcp.trigger_tools import TriggerTarget, find_mcp_trigger, trigger_tools
from workflows.mcp_tool_call import McpToolCallInput, McpToolCallWorkflow

log = logging.getLogger(__name__)


def request_path(ctx: ServerRequestContext[Any]) -> str:
    """The `<path>` of `/mcp/<path>` this message came in on."""
    params = getattr(ctx.request, "path_params", None) or {}
    return str(params.get("path", ""))


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=text)], is_error=True)


class TriggerToolServer:
    def __init__(self, backend: HiveBackend) -> None:
        self._backend = backend
        self.server: Server[Any] = Server(
            "hive-mcp-trigger", version="0.1.0", on_list_tools=self._list_tools, on_call_tool=self._call_tool
        )

    async def target(self, path: str) -> TriggerTarget | None:
        async with self._backend.sessions() as session:
            plans = await active_plans(session)
        return find_mcp_trigger(plans, path)

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        target = await self.target(request_path(ctx))
        tools = trigger_tools(target) if target else []
        return types.ListToolsResult(
            tools=[
                types.Tool(name=t.name, description=t.description, input_schema=t.parameters) for t in tools
            ]
        )

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        try:
            return await self._run(request_path(ctx), params.name, dict(params.arguments or {}))
        except ToolError as exc:
            return _error(str(exc))
        except HiveError as exc:
            return _error(f"tool {params.name!r} failed: {exc.message}")
        except Exception:
            log.exception("MCP trigger tool %r failed", params.name)
            return _error(f"tool {params.name!r} failed with an internal error (see the server's log)")

    async def _run(self, path: str, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        target = await self.target(path)
        if target is None:
            raise ToolError(f"no active MCP Server Trigger listens on {path!r}")
        tools = {t.name: t for t in trigger_tools(target)}
        tool = tools.get(name)
        if tool is None:
            raise ToolError(f"unknown tool {name!r}; this server has: {', '.join(sorted(tools)) or 'none'}")
        check_arguments(HiveTool(name, tool.description, tool.parameters, tool.node, "trigger"), arguments)
        backend = self._backend
        call_id = f"hive-mcp-tool-{uuid.uuid4()}"
        request = McpToolCallInput(
            plan=target.plan,
            tool=tool,
            arguments=arguments,
            approval=approval_policy(backend.cluster.security),
        )
        with temporal_errors():
            handle = await backend.temporal.start_workflow(
                McpToolCallWorkflow.run, request, id=call_id, task_queue=backend.settings.temporal.task_queue
            )
        wait = backend.settings.mcp.wait_seconds
        try:
            async with asyncio.timeout(wait):
                with temporal_errors(call_id):
                    output = await handle.result()
        except TimeoutError:
            raise ToolError(
                f"tool {name!r} is still running after {wait:g} s (its run {call_id} goes on)"
            ) from None
        return types.CallToolResult(
            content=[types.TextContent(text=output.text)],
            is_error=output.is_error,
            _meta={"hive/run_id": call_id},
        )


__all__ = ["TriggerToolServer", "request_path"]
