"""`hive local-model serve`: a real small model (SmolLM2-135M on llama.cpp) behind Ollama's API.

Same options as ``python -m hive_core.local_model``; the server and llama.cpp are imported only
when the command runs, so `hive --help` stays light.
"""

from __future__ import annotations

from pathlib import Path

import typer

from hive_core.cli.common import one_line_errors

app = typer.Typer(
    help="A local model served with Ollama's API (no GPU, no Ollama needed).", no_args_is_help=True
)


@app.command("serve")
@one_line_errors
def serve(
    host: str | None = typer.Option(
        None, help="Bind address (default 127.0.0.1). Env: HIVE_LOCAL_MODEL__HOST."
    ),
    port: int | None = typer.Option(
        None, help="Port (default 11434; 0 = any free port). Env: HIVE_LOCAL_MODEL__PORT."
    ),
    threads: int | None = typer.Option(
        None, help="CPU threads for llama.cpp (default 1; more only on idle multi-core hosts)."
    ),
    model_path: Path | None = typer.Option(
        None, "--model-path", help="A GGUF file (default: SmolLM2-135M-Instruct, downloaded on first use)."
    ),
    ctx: int | None = typer.Option(None, help="Context window in tokens (default 2048)."),
    cache_dir: Path | None = typer.Option(
        None, "--cache-dir", help="Where downloaded weights are kept (default ~/.cache/hive/models)."
    ),
) -> None:
    """Serve the model until Ctrl-C / SIGTERM; logs a `ready on http://...` line when it accepts requests."""
    from hive_core.local_model.settings import settings_with
    from hive_core.logs import configure_logging

    settings = settings_with(
        host=host, port=port, threads=threads, model_path=model_path, ctx=ctx, cache_dir=cache_dir
    )
    configure_logging(settings.log_level)
    from hive_core.local_model.server import serve as run_server

    run_server(settings)
