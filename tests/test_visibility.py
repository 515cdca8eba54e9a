"""What operators see: `temporal workflow list --query 'HiveWorkflow="..."'` finds Hive runs,
and each node appears by its n8n name in the history (activity summaries) shown by the Web UI."""

from __future__ import annotations

import json
import subprocess
import uuid

from temporalio.client import Client

from hive_core.stack.dev_server import temporal_binary
from n8n_import import compile_export
from tests.builders import worker_settings
from tests.helpers import assert_eventually
from workers.factory import build_central_worker
from workflows.n8n_models import RunN8nInput
from workflows.n8n_run import N8nWorkflow


async def test_runs_are_found_by_workflow_name_and_show_node_names(client: Client, task_queue: str) -> None:
    name = f"Visible {uuid.uuid4().hex[:6]}"
    assignment = {"name": "x", "value": "={{ 1 + 1 }}", "type": "number"}
    workflow = {
        "name": name,
        "nodes": [
            {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0]},
            {"name": "Compute total", "type": "n8n-nodes-base.set", "typeVersion": 3.4, "position": [200, 0],
             "parameters": {"assignments": {"assignments": [assignment]}}},
        ],
        "connections": {"Start": {"main": [[{"node": "Compute total", "type": "main", "index": 0}]]}},
    }  # fmt: skip
    settings = worker_settings(task_queue)
    async with build_central_worker(client, settings):
        handle = await client.start_workflow(
            N8nWorkflow.run,
            RunN8nInput(plan=compile_export(workflow)[0]),
            id=f"visible-{uuid.uuid4().hex[:8]}",
            task_queue=task_queue,
        )
        await handle.result()
    address = client.service_client.config.target_host

    async def listed() -> None:
        found = subprocess.run(
            [str(temporal_binary()), "workflow", "list", "--address", address,
             "--query", f'HiveWorkflow="{name}" AND HiveStatus="success"', "-o", "jsonl"],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        runs = (
            [json.loads(line) for line in found.stdout.splitlines() if line.strip()] if found.stdout else []
        )
        if len(runs) == 1 and isinstance(runs[0], list):
            runs = runs[0]
        assert [r["execution"]["workflowId"] for r in runs] == [handle.id], found.stdout

    await assert_eventually(listed, timeout_s=20, interval_s=0.5)
    history = await handle.fetch_history()
    summaries = {
        event.user_metadata.summary.data.decode()
        for event in history.events
        if event.HasField("user_metadata")
    }
    assert any("Compute total" in summary for summary in summaries), summaries
