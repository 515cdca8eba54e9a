"""What expressions can see on a worker: `$env` only for allow-listed names, `$vars` from hive.yaml."""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import Client

from hive_core.config import parse_cluster_config
from hive_core.settings import HiveSettings, TemporalSettings, WorkerSettings
from n8n_import import compile_export
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus, RunN8nInput
from workflows.n8n_run import N8nWorkflow


async def test_env_allow_list_and_vars(
    client: Client, task_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HIVE_TEST_REGION", "eu-west")
    monkeypatch.setenv("HIVE_TEST_SECRET", "do-not-leak")
    value = "={{ $env.HIVE_TEST_REGION }}/{{ $vars.team }}/{{ $env.HIVE_TEST_SECRET ?? 'hidden' }}"
    workflow = {
        "name": "scope",
        "nodes": [
            {"name": "Start", "type": "n8n-nodes-base.manualTrigger", "typeVersion": 1, "position": [0, 0]},
            {
                "name": "Read",
                "type": "n8n-nodes-base.set",
                "typeVersion": 3.4,
                "position": [200, 0],
                "parameters": {
                    "assignments": {"assignments": [{"name": "seen", "value": value, "type": "string"}]}
                },
            },
        ],
        "connections": {"Start": {"main": [[{"node": "Read", "type": "main", "index": 0}]]}},
    }
    settings = HiveSettings(
        temporal=TemporalSettings(task_queue=task_queue),
        worker=WorkerSettings(metrics_port=0, expression_env=["HIVE_TEST_REGION"]),
    )
    cluster = parse_cluster_config({"variables": {"team": "bees"}})
    async with build_central_worker(client, settings, cluster):
        result = await client.execute_workflow(
            N8nWorkflow.run,
            RunN8nInput(plan=compile_export(workflow)[0]),
            id=f"scope-{uuid.uuid4().hex[:8]}",
            task_queue=task_queue,
        )
    assert result.status is ExecutionStatus.SUCCESS, result.error
    assert result.run_data["Read"][0]["data"]["main"][0][0]["json"] == {"seen": "eu-west/bees/hidden"}
