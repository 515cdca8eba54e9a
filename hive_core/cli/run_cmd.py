"""`hive run FILE.json`: run an n8n workflow on the running stack and show each node's result."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError

from hive_core.approvals import approval_policy
from hive_core.cli.common import build_settings, err, load_cluster, one_line_errors, out
from hive_core.cli.compile_cmd import read_export
from hive_core.errors import ValidationError
from hive_core.temporal import connect_temporal

if TYPE_CHECKING:
    from workflows.n8n_models import N8nRunSnapshot

POLL_S = 0.2


def trigger_items(raw: str | None) -> list[dict[str, Any]] | None:
    """`--input`: a JSON object (one item) or array (one item per element)."""
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"--input is not valid JSON: {exc.msg} at column {exc.colno}") from None
    values = value if isinstance(value, list) else [value]
    items = []
    for entry in values:
        if not isinstance(entry, dict):
            raise ValidationError("--input must be a JSON object or an array of objects")
        items.append(entry if isinstance(entry.get("json"), dict) else {"json": entry})
    return items


def _describe(node: str, task: dict[str, Any]) -> str:
    outputs = (task.get("data") or {}).get("main") or []
    counts = "/".join(str(len(items or [])) for items in outputs) or "0"
    took = task.get("executionTime", 0)
    if task.get("executionStatus") == "error":
        error = task.get("error") or {}
        # Hive's wording names node and parameter; n8n's exact text is kept in "message".
        message = error.get("hiveMessage") or error.get("message", "failed")
        return f"  [red]✗[/] {node}  ({took} ms): {message}"
    return f"  [green]✓[/] {node}  {counts} item(s)  ({took} ms)"


async def _follow(handle: WorkflowHandle[Any, N8nRunSnapshot], quiet: bool) -> N8nRunSnapshot:
    from workflows.n8n_run import N8nWorkflow

    shown: dict[str, int] = {}
    result_task = asyncio.ensure_future(handle.result())
    while True:
        done = result_task.done()
        snapshot = result_task.result() if done else None
        if snapshot is None:
            try:
                snapshot = await handle.query(N8nWorkflow.snapshot)
            except RPCError:
                snapshot = None  # not started yet
        if snapshot is not None and not quiet:
            for node, tasks in snapshot.run_data.items():
                for task in tasks[shown.get(node, 0) :]:
                    out.print(_describe(node, task), highlight=False)
                shown[node] = len(tasks)
        if done:
            assert snapshot is not None
            return snapshot
        await asyncio.wait([result_task], timeout=POLL_S)


@one_line_errors
def run(
    file: Path = typer.Argument(..., help="n8n workflow export (.json)"),
    input_json: str | None = typer.Option(None, "--input", "-i", help="Trigger input: JSON object or array"),
    output: str = typer.Option("table", "--output", "-o", help="table | json (n8n's own run shape)"),
    temporal: str | None = typer.Option(None, "--temporal", help="Temporal HOST:PORT (default: settings)"),
    workflow_name: str | None = typer.Option(
        None, "--workflow", help="Which workflow of a multi-workflow file"
    ),
) -> None:
    """Run an n8n workflow on the running Hive stack and print each node's result."""
    from n8n_import import compile_export
    from workflows.n8n_models import ExecutionStatus, RunN8nInput
    from workflows.n8n_run import N8nWorkflow

    settings = build_settings(temporal__address=temporal)
    from hive_core.node_host.options import compile_options

    plans = compile_export(read_export(file), compile_options(load_cluster(settings), check_local_node=True))
    plan = next((p for p in plans if workflow_name in (None, p.name, p.workflow_id)), None)
    if plan is None:
        raise ValidationError(f"{file}: no workflow named {workflow_name!r}; found {[p.name for p in plans]}")
    items = trigger_items(input_json)

    async def execute() -> N8nRunSnapshot:
        from hive_core.executions import execution_id_for, start_run

        client = await connect_temporal(settings.temporal)
        run_input = RunN8nInput(
            plan=plan,
            trigger_items=items,
            mode="cli",
            webhook_base_url=settings.api.base_url,
            # Gates follow `security.require_approval` of the cluster's hive.yaml.
            approval=approval_policy(load_cluster(settings).security),
        )
        # The API's door: its id scheme, payload-size check and search attributes at start.
        execution_id = execution_id_for(None)
        await start_run(client, run_input, execution_id, settings.temporal.task_queue)
        handle = client.get_workflow_handle_for(N8nWorkflow.run, execution_id)
        if output != "json":
            out.print(f"running [bold]{plan.name or file.name}[/] as {handle.id}", highlight=False)
        return await _follow(handle, quiet=output == "json")

    snapshot = asyncio.run(execute())
    if output == "json":
        out.print_json(json.dumps(snapshot.to_n8n()))
    elif snapshot.status is ExecutionStatus.SUCCESS:
        out.print(f"[green]success[/]: last node {snapshot.last_node_executed}", highlight=False)
    else:
        error = snapshot.error or {}
        message = error.get("hiveMessage") or error.get("message", "failed")
        err.print(f"[red]error[/] in {snapshot.last_node_executed}: {message}", highlight=False)
    if snapshot.status is not ExecutionStatus.SUCCESS:
        raise typer.Exit(1)
