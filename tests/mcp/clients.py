"""The MCP SDK's real clients: streamable HTTP with an API key, and stdio spawning `hive mcp`."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from tests.mcp.conftest import McpStack


@asynccontextmanager
async def http_client(url: str, key: str | None, *, bearer: str | None = None) -> AsyncIterator[Client]:
    headers = {"X-API-Key": key} if key else {}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    async with create_mcp_http_client(headers=headers) as http:
        async with Client(streamable_http_client(url, http_client=http), read_timeout_seconds=60) as client:
            yield client


def hive_mcp_command(stack: McpStack, *extra: str) -> StdioServerParameters:
    """`hive mcp` of this venv, on the stack's database, Temporal and task queue."""
    hive = Path(sys.executable).with_name("hive")
    return StdioServerParameters(
        command=str(hive),
        args=["mcp", *extra],
        env={
            "HIVE_DATA_DIR": str(stack.data_dir),
            "HIVE_DATABASE__URL": stack.database_url,
            "HIVE_TEMPORAL__ADDRESS": stack.temporal_address,
            "HIVE_TEMPORAL__TASK_QUEUE": stack.task_queue,
            "HIVE_LOG_LEVEL": "WARNING",
            "PATH": os.environ.get("PATH", ""),
        },
        cwd=str(stack.data_dir),
    )


@asynccontextmanager
async def stdio_client(stack: McpStack, *extra: str) -> AsyncIterator[Client]:
    async with Client(hive_mcp_command(stack, *extra), read_timeout_seconds=60) as client:
        yield client


__all__ = ["hive_mcp_command", "http_client", "stdio_client"]
