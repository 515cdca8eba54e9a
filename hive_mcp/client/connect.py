"""One MCP session per call, with the SDK's real clients (streamable HTTP or SSE).

Failures come in two kinds, as everywhere in Hive (`workflows/retries.py`): the server cannot be
reached (refused, timed out, a 5xx, the stream broke) → `McpUnreachable`, which the activity
lets Temporal retry; the server answered something that is not MCP (garbage, a 4xx, a protocol
error) → `McpUnusable`, a node error at once.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from hive_mcp.client.models import McpCallOutput, McpServerRef, McpToolInfo


class McpUnreachable(Exception):  # noqa: N818 - named for what happened, like the SDK's errors
    """The MCP server could not be reached (worth retrying)."""


class McpUnusable(Exception):  # noqa: N818
    """The MCP server answered, but not as an MCP server (retrying will not help)."""


def _leaves(error: BaseException) -> Iterator[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            yield from _leaves(inner)
    else:
        yield error


def _transient(error: BaseException) -> bool:
    if isinstance(error, httpx2.HTTPStatusError):
        return error.response.status_code >= 500 or error.response.status_code == 429
    return isinstance(error, httpx2.TransportError | TimeoutError | ConnectionError)


def classify(server: McpServerRef, error: BaseException) -> Exception:
    """The error to raise for `error` (an SDK failure, often an exception group), naming the server."""
    leaves = list(_leaves(error)) or [error]
    first = leaves[0]
    detail = str(first).splitlines()[0][:300] if str(first) else type(first).__name__
    if any(_transient(leaf) for leaf in leaves):
        return McpUnreachable(
            f"cannot reach the MCP server at {server.url} ({type(first).__name__}: {detail})"
        )
    return McpUnusable(f"the server at {server.url} did not answer as an MCP server: {detail}")


@asynccontextmanager
async def connected(server: McpServerRef, headers: dict[str, str]) -> AsyncIterator[Client]:
    """A live MCP session with `server` (errors as McpUnreachable / McpUnusable)."""
    timeout = httpx2.Timeout(server.timeout_s, read=max(server.timeout_s, 5.0))
    try:
        async with create_mcp_http_client(headers=headers, timeout=timeout) as http:
            transport: Any
            if server.transport == "sse":
                transport = sse_client(
                    server.url, headers=headers, timeout=server.timeout_s, sse_read_timeout=server.timeout_s
                )
            else:
                transport = streamable_http_client(server.url, http_client=http)
            async with Client(transport, read_timeout_seconds=server.timeout_s) as client:
                yield client
    except (McpUnreachable, McpUnusable):
        raise
    except Exception as exc:  # the SDK's errors arrive wrapped in anyio's exception groups
        raise classify(server, exc) from None


async def list_tools(server: McpServerRef, headers: dict[str, str]) -> list[McpToolInfo]:
    """Every tool the server lists (all pages)."""
    tools: list[McpToolInfo] = []
    async with connected(server, headers) as client:
        cursor: str | None = None
        while True:
            page = await client.list_tools(cursor=cursor)
            tools.extend(
                McpToolInfo(name=t.name, description=t.description or "", input_schema=dict(t.input_schema))
                for t in page.tools
            )
            cursor = page.next_cursor
            if not cursor:
                return tools


def _text(content: list[dict[str, Any]]) -> str:
    texts = [
        part["text"] for part in content if part.get("type") == "text" and isinstance(part.get("text"), str)
    ]
    if texts and len(texts) == len(content):
        return "\n".join(texts)
    return json.dumps(content, ensure_ascii=False)


async def call_tool(
    server: McpServerRef, headers: dict[str, str], tool: str, arguments: dict[str, Any]
) -> McpCallOutput:
    """One `tools/call`; a tool's own failure is `is_error` with its text (n8n's error description)."""
    async with connected(server, headers) as client:
        result = await client.call_tool(tool, arguments)
    content = [part.model_dump(mode="json", by_alias=True, exclude_none=True) for part in result.content]
    return McpCallOutput(
        text=_text(content), is_error=result.is_error, content=content, structured=result.structured_content
    )


__all__ = ["McpUnreachable", "McpUnusable", "call_tool", "classify", "connected", "list_tools"]
