"""`hive mcp`: Hive's active workflows as MCP tools over stdio (for editors and assistants)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from hive_core.cli.common import ConfigOption, DataDirOption, build_settings, load_cluster, one_line_errors


@one_line_errors
def mcp(
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
    temporal: str | None = typer.Option(None, "--temporal", help="Temporal HOST:PORT (default: settings)"),
    database_url: str | None = typer.Option(None, "--database-url", help="Env: HIVE_DATABASE__URL."),
    wait_seconds: float | None = typer.Option(
        None, "--wait-seconds", help="How long a call waits for its run before answering with its id."
    ),
) -> None:
    """Serve MCP over stdin/stdout: every active workflow is a tool, each call a durable run."""
    from hive_mcp.stdio import serve_stdio

    settings = build_settings(
        config=config,
        data_dir=data_dir,
        temporal__address=temporal,
        database__url=database_url,
        mcp__wait_seconds=wait_seconds,
    )
    asyncio.run(serve_stdio(settings, load_cluster(settings)))
