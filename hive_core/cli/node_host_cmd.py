"""`hive node-host`: run the n8n node host (node_host/, Node.js) alone, like `hive worker`."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from hive_core.cli.common import (
    ConfigOption,
    DataDirOption,
    build_settings,
    err,
    load_cluster,
    one_line_errors,
)
from hive_core.errors import ConfigError
from hive_core.node_host.process import INSTALL_HINT, NodeHostLaunch, ensure_installed, find_node


def launch_for(settings_config: Path | None, data_dir: Path | None, api_url: str | None) -> NodeHostLaunch:
    settings = build_settings(config=settings_config, data_dir=data_dir)
    cluster = load_cluster(settings)
    return NodeHostLaunch(
        temporal_address=settings.temporal.address or "127.0.0.1:7233",
        namespace=settings.temporal.namespace,
        task_queue=cluster.node_host.task_queue,
        data_dir=settings.data_dir,
        api_url=api_url or os.environ.get("HIVE_API_URL") or settings.api.base_url,
        api_key=os.environ.get("HIVE_API_KEY"),
        concurrency=cluster.node_host.concurrency,
    )


@one_line_errors
def node_host(
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
    api_url: str | None = typer.Option(
        None, "--api-url", help="Hive API serving credentials (default: this machine's). Env: HIVE_API_URL."
    ),
) -> None:
    """Run the n8n node host: n8n's own node code for node types Hive does not implement.

    Installs its npm packages on first use (`npm ci` from node_host/package-lock.json), then polls
    the node host task queue (hive.yaml `node_host.task_queue`). HIVE_API_KEY: a service key for
    the credential store.
    """
    runtime = find_node()
    if runtime is None:
        raise ConfigError(f"the node host needs Node.js >= 20: {INSTALL_HINT}")
    ensure_installed(runtime, progress=lambda line: err.print(line, markup=False, highlight=False))
    launch = launch_for(config, data_dir, api_url)
    # exec: signals (Ctrl-C, the supervisor's SIGTERM) reach the node process directly.
    os.execve(runtime.node, launch.command(runtime), launch.env())
