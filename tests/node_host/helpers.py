"""Running workflows whose nodes go to a test node host."""

from __future__ import annotations

import uuid
from typing import Any

from temporalio.client import Client

from n8n_import import CompileOptions, compile_export
from workflows.n8n_models import N8nRunSnapshot, RunN8nInput
from workflows.n8n_run import N8nWorkflow


def compile_for(workflow: dict[str, Any], queue: str, *force: str) -> Any:
    options = CompileOptions(
        node_host_queue=queue, force_types=frozenset(f"n8n-nodes-base.{t}" for t in force)
    )
    return compile_export(workflow, options)[0]


async def run_on(
    client: Client, task_queue: str, node_queue: str, workflow: dict[str, Any], *force: str
) -> N8nRunSnapshot:
    """Compile `workflow` (node-host steps on `node_queue`, plus the `force`d types) and run it."""
    return await client.execute_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_for(workflow, node_queue, *force)),
        id=f"test-{uuid.uuid4().hex[:10]}",
        task_queue=task_queue,
    )


def items(run: N8nRunSnapshot, node: str, run_index: int = 0, output: int = 0) -> list[dict[str, Any]]:
    main = run.run_data[node][run_index]["data"]["main"][output]
    return list(main or [])
