"""Hive as an MCP client: the wire models (`models`, safe in workflow code) and the connection
to a server with the SDK's clients (`connect`, used by `activities/mcp_client.py` only)."""
