"""MCP calls as activities: list a server's tools, call one tool (each one MCP session).

Secrets stay in the worker: the payload names the node's credential (`httpBearerAuth`,
`httpHeaderAuth`), resolved here into headers. A server that cannot be reached raises a
retryable error (Temporal retries it within the call's time, `workflows/retries.py`); a server
that answers garbage, or a missing credential, is a node error at once. A tool's own error
(`isError`) is not an activity failure: it comes back as data for the caller to judge.
"""

from __future__ import annotations

from collections.abc import Mapping

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.heartbeat import heartbeating
from hive_core.errors import HiveError
from hive_mcp.client.connect import McpUnreachable, McpUnusable, call_tool, list_tools
from hive_mcp.client.models import (
    McpCallInput,
    McpCallOutput,
    McpListInput,
    McpListOutput,
    McpServerRef,
    McpToolInfo,
)
from n8n_import.plan import CredentialRef
from n8n_runtime.http import CredentialSource
from workflows.retries import node_error

# What the activity raises when the server is down: retried, then reported with this message.
UNREACHABLE = "McpServerUnreachable"


class McpClientActivities:
    """``registry``: hive.yaml's `mcp_servers.registry` (name → URL), for endpoints given by name."""

    def __init__(self, credentials: CredentialSource, registry: Mapping[str, str] | None = None) -> None:
        self._credentials = credentials
        self._registry = dict(registry or {})

    def _resolve(self, server: McpServerRef) -> McpServerRef:
        """The endpoint as a URL: a registry name's URL; without a scheme, https (as n8n does)."""
        url = server.url
        if "://" not in url:
            url = self._registry.get(url) or f"https://{url}"
        return server.model_copy(update={"url": url})

    async def _headers(self, server: McpServerRef) -> dict[str, str]:
        kind = {"bearerAuth": "httpBearerAuth", "headerAuth": "httpHeaderAuth"}.get(server.authentication)
        if kind is None:
            return {}
        ref = server.credentials.get(kind) or {}
        try:
            resolver = await self._credentials.for_node({kind: CredentialRef(**ref)})
            data = resolver.resolve(kind, ref.get("id"), ref.get("name")).data
        except HiveError as exc:
            raise node_error(f"{server.node}: {exc.message}") from None
        if kind == "httpBearerAuth":
            return {"Authorization": f"Bearer {data.get('token', '')}"}
        return {str(data.get("name", "")): str(data.get("value", ""))}

    @activity.defn(name="hive.mcp.list_tools")
    async def list_tools(self, request: McpListInput) -> McpListOutput:
        """The server's tools (recorded in the run's history, so a replay never asks again)."""
        server = self._resolve(request.server)
        headers = await self._headers(server)
        try:
            async with heartbeating():
                return McpListOutput(tools=await list_tools(server, headers))
        except McpUnreachable as exc:
            raise ApplicationError(str(exc), type=UNREACHABLE) from None
        except McpUnusable as exc:
            raise node_error(str(exc)) from None

    @activity.defn(name="hive.mcp.call_tool")
    async def call_tool(self, request: McpCallInput) -> McpCallOutput:
        """One tool call; its own error comes back as `is_error` (not an activity failure)."""
        server = self._resolve(request.server)
        headers = await self._headers(server)
        try:
            async with heartbeating():
                return await call_tool(server, headers, request.tool, request.arguments)
        except McpUnreachable as exc:
            raise ApplicationError(str(exc), type=UNREACHABLE) from None
        except McpUnusable as exc:
            raise node_error(str(exc)) from None


# The payload models are re-exported: workflow code imports them from here.
__all__ = [
    "UNREACHABLE",
    "McpCallInput",
    "McpCallOutput",
    "McpClientActivities",
    "McpListInput",
    "McpListOutput",
    "McpServerRef",
    "McpToolInfo",
]
