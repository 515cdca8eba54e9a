"""`hive api` and `hive worker`: the long-running processes, one per command."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import typer

from hive_core.cli.common import (
    ConfigOption,
    DataDirOption,
    build_settings,
    load_cluster,
    one_line_errors,
)
from hive_core.config import ClusterConfig
from hive_core.logs import configure_logging
from hive_core.settings import HiveSettings

# The API and worker stacks are imported by their commands only: `hive --help` and `hive up`
# (the supervisor) stay light.

LOCAL_MODEL_HELP = (
    "Also drive the `local` agent (model smollm2:135m) served at this URL (set by `hive up --local-model`)."
)


def cluster_view(settings: HiveSettings, local_model: str | None) -> ClusterConfig:
    """hive.yaml's cluster, plus the ``local`` agent when a local model serves at ``local_model``.

    The API and the worker build it the same way, so both see the same agents.
    """
    cluster = load_cluster(settings)
    if local_model is None:
        return cluster
    from hive_core.stack.local_model import with_local_agent

    return with_local_agent(cluster, local_model)


@one_line_errors
def api(
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
    host: str | None = typer.Option(None, help="Bind address. Env: HIVE_API__HOST."),
    port: int | None = typer.Option(None, help="Port. Env: HIVE_API__PORT."),
    local_model: str | None = typer.Option(None, "--local-model", help=LOCAL_MODEL_HELP),
    with_worker: bool | None = typer.Option(
        None,
        "--with-worker/--without-worker",
        help="Also run the central worker in this process (runs the API starts begin eagerly on it). "
        "Env: HIVE_API__EMBEDDED_WORKER.",
    ),
) -> None:
    """Serve the Hive API (uvicorn)."""
    settings = build_settings(
        config=config, data_dir=data_dir, api__host=host, api__port=port, api__embedded_worker=with_worker
    )
    configure_logging(settings.log_level)
    import uvicorn

    from api.app import create_app

    app = create_app(settings, cluster_view(settings, local_model))
    uvicorn.run(app, host=settings.api.host, port=settings.api.port, log_level=settings.log_level.lower())


async def _run_worker_until_signal(
    agent: str | None, config: Path | None, data_dir: Path | None, local_model: str | None = None
) -> None:
    from workers.daemon import run_worker

    settings = build_settings(config=config, data_dir=data_dir)
    cluster = cluster_view(settings, local_model)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run_worker(settings, cluster, stop, agent_id=agent)


@one_line_errors
def worker(
    agent: str | None = typer.Option(
        None, "--agent", "-a", help="Run as this agent's daemon (a key under agents: in hive.yaml)."
    ),
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
    local_model: str | None = typer.Option(None, "--local-model", help=LOCAL_MODEL_HELP),
) -> None:
    """Run a worker: the central one, or with --agent the daemon of a GPU host.

    The central worker also runs the workers of enabled agents that have no daemon of their own
    (agent setting ``worker: auto|central|daemon``).
    """
    configure_logging(build_settings().log_level)
    asyncio.run(_run_worker_until_signal(agent, config, data_dir, local_model))
