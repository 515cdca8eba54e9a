"""Hive's MCP server in the API: streamable HTTP at `/mcp`, behind the API's own key auth."""

from api.mcp.mount import McpEndpoint, install_mcp, mcp_lifespan

__all__ = ["McpEndpoint", "install_mcp", "mcp_lifespan"]
