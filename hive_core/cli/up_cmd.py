"""`hive up`: the whole local stack in the foreground; Ctrl-C stops it cleanly."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import typer

from hive_core.cli.common import ConfigOption, DataDirOption, build_settings, one_line_errors, out
from hive_core.logs import configure_logging
from hive_core.stack.up import LocalStack, UpOptions, install_stop_signals

# Next to Ollama's own 11434, so a real Ollama on this machine keeps its port.
DEFAULT_LOCAL_MODEL_PORT = 11435


async def _run(options: UpOptions) -> int:
    stop = asyncio.Event()
    install_stop_signals(stop)
    stack = LocalStack(options)
    started = time.monotonic()
    try:
        start = asyncio.ensure_future(stack.start())
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait([start, stopper], return_when=asyncio.FIRST_COMPLETED)
        if not start.done():
            start.cancel()
            return 130
        stopper.cancel()
        urls = start.result()
        out.print(f"[bold green]Hive is up[/] in {time.monotonic() - started:.1f}s (Ctrl-C to stop)")
        for line in urls.lines():
            out.print(line, highlight=False)
        out.print(f"  {'Logs':<17} {stack.logs_dir}", highlight=False)
        if stack.bootstrap_key:
            out.print("  Admin API key (shown once; more with `hive keys create`):", highlight=False)
            out.print(stack.bootstrap_key, markup=False, highlight=False)
        code = await stack.watch(stop)
        out.print("stopping Hive…")
        return code
    finally:
        await stack.stop()


@one_line_errors
def up(
    config: Path | None = ConfigOption,
    data_dir: Path | None = DataDirOption,
    api_port: int | None = typer.Option(None, help="Hive API port (default 8000). Env: HIVE_API__PORT."),
    temporal_port: int | None = typer.Option(
        None, help="Temporal dev server gRPC port (default 7233). Env: HIVE_TEMPORAL__PORT."
    ),
    ui_port: int | None = typer.Option(
        None, help="Temporal Web UI port (default 8233). Env: HIVE_TEMPORAL__UI_PORT."
    ),
    worker_metrics_port: int | None = typer.Option(
        None, help="Worker Prometheus port (default 9464, 0 = off). Env: HIVE_WORKER__METRICS_PORT."
    ),
    temporal: str | None = typer.Option(
        None,
        "--temporal",
        help="Use an existing Temporal at HOST:PORT instead of starting the dev server. "
        "Env: HIVE_TEMPORAL__ADDRESS.",
    ),
    ui: bool = typer.Option(True, help="Serve the Temporal Web UI."),
    worker: bool = typer.Option(True, help="Run a local worker."),
    worker_in_api: bool | None = typer.Option(
        None,
        "--worker-in-api/--worker-apart",
        help="Run the worker inside the API process (one process; runs the API starts begin "
        "eagerly, saving a Temporal poll each) or as a process of its own (the default). "
        "Env: HIVE_API__EMBEDDED_WORKER.",
    ),
    local_model: bool = typer.Option(
        False,
        "--local-model",
        help="Also serve SmolLM2-135M (llama.cpp, CPU) as the agent `local`, model smollm2:135m.",
    ),
    local_model_port: int = typer.Option(
        DEFAULT_LOCAL_MODEL_PORT, help="Port of the local model's Ollama-compatible server."
    ),
) -> None:
    """Start the Temporal dev server, the Hive API and a worker; stop them all on Ctrl-C."""
    settings = build_settings(
        config=config,
        data_dir=data_dir,
        api__port=api_port,
        temporal__port=temporal_port,
        temporal__ui_port=ui_port,
        temporal__address=temporal,
        worker__metrics_port=worker_metrics_port,
        api__embedded_worker=worker_in_api,
    )
    configure_logging(settings.log_level)
    options = UpOptions(
        settings=settings,
        with_ui=ui,
        with_worker=worker,
        local_model_port=local_model_port if local_model else None,
    )
    code = asyncio.run(_run(options))
    raise typer.Exit(code)
