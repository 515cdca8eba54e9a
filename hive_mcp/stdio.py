"""`hive mcp`: the same MCP server over stdin/stdout, on Hive's database and Temporal directly.

Like `hive keys` or `hive run`, it talks to the stack's database (migrated first) and Temporal
itself, so whoever may run it is trusted as the local operator (no API key). Stdout carries
only the protocol; logs go to stderr.
"""

from __future__ import annotations

import logging
import sys

from mcp.server.stdio import stdio_server

from hive_core.config import ClusterConfig
from hive_core.db import create_engine, create_sessionmaker, upgrade_database_async
from hive_core.settings import HiveSettings
from hive_core.temporal import connect_temporal
from hive_mcp.backend import HiveBackend
from hive_mcp.build import build_tool_server


async def serve_stdio(settings: HiveSettings, cluster: ClusterConfig) -> None:
    """Serve MCP on this process's stdin/stdout until the client closes it."""
    logging.basicConfig(stream=sys.stderr, level=settings.log_level.upper(), force=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade_database_async(settings.database_url)
    client = await connect_temporal(settings.temporal)
    engine = create_engine(settings.database_url)
    try:
        backend = HiveBackend(
            sessions=create_sessionmaker(engine), temporal=client, settings=settings, cluster=cluster
        )
        server = build_tool_server(backend).server
        async with stdio_server() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())
    finally:
        await engine.dispose()


__all__ = ["serve_stdio"]
