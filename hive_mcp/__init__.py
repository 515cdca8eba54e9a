"""Hive and MCP: Hive's workflows as MCP tools (`server`, `build`, providers, `stdio`) and Hive as
an MCP client (`client`, used by `activities/mcp_client.py`).

Kept import-free: workflow code imports `hive_mcp.client.models`, which must not pull in the
server (and the API's live stream) with it. The HTTP transport is mounted by `api.mcp`.
"""
