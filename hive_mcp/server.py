"""Hive's MCP server: the MCP SDK's low-level `Server` over a list of tool providers.

Every `tools/list` asks the providers (so a workflow activated a second ago is listed); a
`tools/call` finds the tool by name, validates the arguments against its input schema and runs
it. Whatever goes wrong in a call (unknown tool, arguments failing the schema, a workflow that
errors, Temporal unreachable) is an `isError` answer naming the problem, never a protocol error
or a crash. Transports: `hive_mcp.http` (mounted in the API at `/mcp`), `hive_mcp.stdio`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import mcp_types as types
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from mcp.server.context import ServerRequestContext
from mcp.server.lowlevel import Server

from hive_core.errors import HiveError
from hive_mcp.tools import CallContext, HiveTool, ToolError, ToolOutcome, ToolProvider

log = logging.getLogger(__name__)

SERVER_NAME = "hive"
# `_meta` key a caller may set on tools/call to choose how long to wait for the run.
WAIT_META_KEY = "hive/wait_seconds"
# How a transport tells a call whether the caller may start runs (HTTP: the key's role).
MayRun = Callable[[ServerRequestContext[Any]], bool]


def _always(_: ServerRequestContext[Any]) -> bool:
    return True


def _error(text: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(text=text)], is_error=True)


def _result(outcome: ToolOutcome) -> types.CallToolResult:
    return types.CallToolResult(
        content=[types.TextContent(text=outcome.text)],
        structured_content=outcome.structured,
        is_error=outcome.is_error,
        _meta=outcome.meta or None,
    )


def check_arguments(tool: HiveTool, arguments: dict[str, Any]) -> None:
    """ToolError naming each argument that fails the tool's input schema."""
    try:
        validator = Draft202012Validator(tool.input_schema)
        problems = sorted(validator.iter_errors(arguments), key=lambda e: list(e.absolute_path))
    except SchemaError as exc:  # a schema a workflow declared badly: say so rather than guess
        raise ToolError(f"tool {tool.name!r} has an invalid input schema: {exc.message}") from None
    if problems:
        lines = [
            f"{'.'.join(str(p) for p in e.absolute_path) or '(arguments)'}: {e.message}" for e in problems
        ]
        raise ToolError(
            f"arguments for tool {tool.name!r} do not match its input schema: " + "; ".join(lines)
        )


def _wait_seconds(ctx: ServerRequestContext[Any], default: float) -> float:
    meta = ctx.meta or {}
    value = meta.get(WAIT_META_KEY) if isinstance(meta, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return default


class HiveToolServer:
    """The providers' tools behind one MCP server (transport-independent)."""

    def __init__(
        self, providers: Sequence[ToolProvider], *, wait_seconds: float, may_run: MayRun = _always
    ) -> None:
        self._providers = list(providers)
        self._wait_seconds = wait_seconds
        self._may_run = may_run
        self.server: Server[Any] = Server(
            SERVER_NAME,
            version="0.1.0",
            instructions="Hive's active workflows as tools: each call is a durable run on Temporal.",
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )

    async def all_tools(self) -> list[HiveTool]:
        tools: list[HiveTool] = []
        seen: set[str] = set()
        for provider in self._providers:
            for tool in await provider.tools():
                if tool.name in seen:  # the first provider wins a name; log so it is not silent
                    log.warning("MCP tool name %r is served twice; %s's is hidden", tool.name, provider.name)
                    continue
                seen.add(tool.name)
                tools.append(tool)
        return tools

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        tools = await self.all_tools()
        return types.ListToolsResult(
            tools=[
                types.Tool(name=t.name, description=t.description, input_schema=t.input_schema) for t in tools
            ]
        )

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult:
        try:
            return _result(await self._run(ctx, params.name, dict(params.arguments or {})))
        except ToolError as exc:
            return _error(str(exc))
        except HiveError as exc:
            return _error(f"tool {params.name!r} failed: {exc.message}")
        except Exception:
            log.exception("MCP tool %r failed", params.name)
            return _error(f"tool {params.name!r} failed with an internal error (see the server's log)")

    async def _run(self, ctx: ServerRequestContext[Any], name: str, arguments: dict[str, Any]) -> ToolOutcome:
        tools = {t.name: t for t in await self.all_tools()}
        tool = tools.get(name)
        if tool is None:
            known = ", ".join(sorted(tools)) or "none"
            raise ToolError(f"unknown tool {name!r}; this server has: {known}")
        check_arguments(tool, arguments)
        provider = next(p for p in self._providers if p.name == tool.provider)

        async def progress(done: float, message: str) -> None:
            await ctx.session.report_progress(done, None, message)

        call = CallContext(
            wait_seconds=_wait_seconds(ctx, self._wait_seconds), progress=progress, may_run=self._may_run(ctx)
        )
        if not call.may_run and tool.provider != "executions":
            raise ToolError(f"this API key's role may not start executions (tool {name!r})")
        return await provider.call(tool, arguments, call)


__all__ = ["SERVER_NAME", "WAIT_META_KEY", "HiveToolServer", "check_arguments"]
