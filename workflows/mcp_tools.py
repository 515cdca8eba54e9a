"""MCP servers as agent tools, and one MCP tool call as a durable step (workflow code: no I/O).

When an agent (or the Ollama node) starts, each MCP Client Tool placeholder is expanded: an
activity lists the server's tools (so the list is in the history and a replay never asks the
server again) and the node's include/exclude selection picks what the model is offered. Each
call the model makes is one activity. Both retry infrastructure failures (the server down, a
timeout) within the node's `options.timeout`, as `workflows/retries.py` has it; after that, or
at once for a server answering garbage, listing fails the item with an error naming the node
and the server, and a call answers the model with the error (as every Hive tool does).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, TimeoutError

with workflow.unsafe.imports_passed_through():
    from activities.mcp_client import (
        McpCallInput,
        McpCallOutput,
        McpClientActivities,
        McpListInput,
        McpListOutput,
        McpServerRef,
        McpToolInfo,
    )
    from n8n_runtime.ai.instruction import ItemCall, ToolSpec
    from workflows.ai_llm import AiItemError
    from workflows.retries import HEARTBEAT_TIMEOUT, failure_message, infra_retry

# Room beyond the node's own timeout for connecting and the activity's bookkeeping.
_MARGIN = timedelta(seconds=5)
_OBJECT = {"type": "object", "properties": {}}


def _timeout(server: McpServerRef) -> timedelta:
    return timedelta(seconds=server.timeout_s) + _MARGIN


def mcp_failure(exc: ActivityError) -> str:
    """The last attempt's error when retries ran out of time, else the activity's own."""
    cause = exc.cause
    if isinstance(cause, TimeoutError) and isinstance(cause.cause, ApplicationError):
        return f"{cause.cause.message} (still failing when the node's timeout ran out)"
    return failure_message(exc)


def select_tools(listed: list[McpToolInfo], mcp: dict[str, Any]) -> list[McpToolInfo]:
    """n8n's `getSelectedTools`: all, the selected ones (all if none selected), or all except."""
    mode = mcp.get("include", "all")
    if mode == "selected":
        wanted = set(mcp.get("include_tools") or [])
        return [t for t in listed if t.name in wanted] if wanted else listed
    if mode == "except":
        unwanted = set(mcp.get("exclude_tools") or [])
        return [t for t in listed if t.name not in unwanted]
    return listed


async def list_server_tools(node: str, server: McpServerRef) -> list[McpToolInfo]:
    """The server's tools (AiItemError naming the node when they cannot be had)."""
    try:
        listed: McpListOutput = await workflow.execute_activity_method(
            McpClientActivities.list_tools,
            McpListInput(server=server),
            start_to_close_timeout=_timeout(server),
            schedule_to_close_timeout=_timeout(server),
            heartbeat_timeout=HEARTBEAT_TIMEOUT,
            retry_policy=infra_retry(),
            summary=f"{node}: list MCP tools",
        )
    except ActivityError as exc:
        raise AiItemError(f"{node}: could not list the tools of the MCP server: {mcp_failure(exc)}") from None
    return listed.tools


async def with_mcp_tools(call: ItemCall) -> ItemCall:
    """`call` with each MCP Client Tool replaced by the server tools it selects."""
    if not any(t.kind == "mcp_server" for t in call.tools):
        return call
    tools: list[ToolSpec] = []
    for tool in call.tools:
        if tool.kind != "mcp_server" or tool.mcp is None:
            tools.append(tool)
            continue
        server = McpServerRef.model_validate(tool.mcp["server"])
        selected = select_tools(await list_server_tools(tool.node, server), tool.mcp)
        if not selected:
            raise AiItemError(
                f"{tool.node}: MCP Server returned no tools (connected to {server.url}, but its "
                "list, after the node's include/exclude selection, is empty)"
            )
        for info in selected:
            schema = info.input_schema if info.input_schema.get("type") == "object" else _OBJECT
            tools.append(
                ToolSpec(
                    node=tool.node,
                    kind="mcp",
                    name=info.name,
                    description=info.description,
                    parameters=schema,
                    mcp={**tool.mcp, "tool": info.name},
                )
            )
    return call.model_copy(update={"tools": tools})


async def call_mcp_tool(tool: ToolSpec, arguments: dict[str, Any]) -> McpCallOutput:
    """One `tools/call` as an activity (ActivityError when the server stays unreachable)."""
    assert tool.mcp is not None
    server = McpServerRef.model_validate(tool.mcp["server"])
    output: McpCallOutput = await workflow.execute_activity_method(
        McpClientActivities.call_tool,
        McpCallInput(server=server, tool=str(tool.mcp["tool"]), arguments=arguments),
        start_to_close_timeout=_timeout(server),
        schedule_to_close_timeout=_timeout(server),
        heartbeat_timeout=HEARTBEAT_TIMEOUT,
        retry_policy=infra_retry(),
        summary=f"tool {tool.name} ({tool.node})",
    )
    return output


async def run_mcp_tool(tool: ToolSpec, arguments: dict[str, Any]) -> str:
    """The model's answer from one MCP tool call: its text, or the error (n8n's description)."""
    try:
        output = await call_mcp_tool(tool, arguments)
    except ActivityError as exc:
        return f'There was an error: "{mcp_failure(exc)}"'
    if output.is_error:
        return f'There was an error: "{output.text or f"Failed to execute tool {tool.name}"}"'
    return output.text


__all__ = [
    "call_mcp_tool",
    "list_server_tools",
    "mcp_failure",
    "run_mcp_tool",
    "select_tools",
    "with_mcp_tools",
]
