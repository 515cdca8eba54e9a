"""The engine inside real Temporal workflow code (sandboxed, deadlock-detected)."""

from __future__ import annotations

import uuid

import pytest
from temporalio.client import Client
from temporalio.worker import Worker

from tests.n8n_runtime.expressions.temporal_workflow import ExpressionProbeWorkflow

pytestmark = pytest.mark.temporal


async def test_engine_runs_inside_workflow_code(client: Client, task_queue: str) -> None:
    async with Worker(client, task_queue=task_queue, workflows=[ExpressionProbeWorkflow]):
        result = await client.execute_workflow(
            ExpressionProbeWorkflow.run, 50, id=f"expr-{uuid.uuid4()}", task_queue=task_queue
        )
    now_ms = result["now_ms"]
    assert result["values"][:2] == [f"N0-{now_ms}", f"N1-{now_ms}"]
    assert result["doubles"] == [i * 2 for i in range(50)]
    assert result["logs"] == [["log", "ran"]]
    assert result["timeout"] == "Expression in node 'Set' parameter 'expression' exceeded 300 ms"
    assert result["after"] == 42
