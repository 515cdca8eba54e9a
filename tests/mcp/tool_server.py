"""A real MCP server for the client tests: the SDK's MCPServer with two tools (and one that
fails), served by uvicorn over streamable HTTP (`/mcp`) or SSE (`/sse`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings

from tests.live.server import serve

OPEN = TransportSecuritySettings(enable_dns_rebinding_protection=False)


def tool_server() -> MCPServer:
    server = MCPServer("test-tools")

    @server.tool(description="Adds two numbers.")
    def add(a: float, b: float) -> str:
        return f"{a + b:g}"

    @server.tool(description="Upper-cases a text.")
    def shout(text: str) -> str:
        return text.upper() + "!"

    @server.tool(description="Always fails.")
    def explode() -> str:
        raise ValueError("the reactor melted")

    return server


@contextmanager
def serve_tools(transport: str = "httpStreamable") -> Iterator[str]:
    """The server's endpoint URL (`.../mcp` or `.../sse`) while the block runs."""
    server = tool_server()
    if transport == "sse":
        app = server.sse_app(transport_security=OPEN)
        path = "/sse"
    else:
        app = server.streamable_http_app(transport_security=OPEN)
        path = "/mcp"
    with serve(app) as base_url:  # type: ignore[arg-type]  # any ASGI app
        yield base_url + path


__all__ = ["serve_tools", "tool_server"]
