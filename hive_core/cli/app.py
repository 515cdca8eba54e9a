"""`hive` sub-commands are registered here; each lives in its own module."""

from __future__ import annotations

import logging
import os
import sys

import typer

from hive_core.cli import (
    agents_cmd,
    compile_cmd,
    config_cmd,
    credentials_cmd,
    db_cmd,
    keys_cmd,
    local_model_cmd,
    mcp_cmd,
    node_host_cmd,
    projects_cmd,
    run_cmd,
    serve_cmd,
    up_cmd,
    workflows_cmd,
)
from hive_core.temporal.client import client_connected

app = typer.Typer(
    name="hive",
    help="Hive: durable n8n workflows and AI agents on a GPU cluster, run by Temporal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("up")(up_cmd.up)
app.command("worker")(serve_cmd.worker)
app.command("node-host")(node_host_cmd.node_host)
app.command("api")(serve_cmd.api)
app.command("compile")(compile_cmd.compile_)
app.command("run")(run_cmd.run)
app.command("agents")(agents_cmd.agents)
app.command("mcp")(mcp_cmd.mcp)
app.add_typer(db_cmd.app, name="db")
app.add_typer(config_cmd.app, name="config")
app.add_typer(workflows_cmd.app, name="workflows")
app.add_typer(keys_cmd.app, name="keys")
app.add_typer(credentials_cmd.app, name="credentials")
app.add_typer(local_model_cmd.app, name="local-model")
app.add_typer(projects_cmd.app, name="projects")
app.add_typer(projects_cmd.tasks_app, name="tasks")


def main() -> None:
    """The `hive` console script.

    Once a Temporal client was connected, the process ends without CPython's teardown: the core
    SDK's Rust threads can call into a finalizing interpreter and abort it (SIGABRT after a run
    that succeeded; temporalio/sdk-python#300). Output and logs are flushed first.
    """
    try:
        app()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc)
    if not client_connected():
        sys.exit(code)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    sys.stderr.write(f"{exc.code}\n")
    return 1
