"""A gated sub-workflow waits under its parent's policy: Execute Workflow is no way around a gate."""

from __future__ import annotations

import json
from typing import Any

from temporalio.client import Client

from hive_core.approvals import ApprovalDecision
from tests.approvals.gated import OFF, ON, start
from tests.builders import chain, node, worker_settings
from tests.helpers import assert_eventually
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow


def _parent() -> dict[str, Any]:
    gated = {"name": "out", "value": "={{ 'sent' }}", "type": "string"}
    child = chain(
        "gated child",
        [
            node("In", "executeWorkflowTrigger", 1.1),
            {**node("Send", "set", 3.4, assignments={"assignments": [gated]}), "notes": "hive: approval"},
        ],
    )
    return chain(
        "parent",
        [
            node("Start", "manualTrigger", 1),
            node("Call", "executeWorkflow", 1.1, source="parameter", workflowJson=json.dumps(child)),
        ],
    )


async def _child_handle(client: Client, parent_id: str) -> Any:
    async def child() -> Any:
        async for execution in client.list_workflows(f"ParentWorkflowId = '{parent_id}'"):
            return client.get_workflow_handle_for(N8nWorkflow.run, execution.id)
        raise AssertionError("no child yet")

    return await assert_eventually(child)


async def test_gated_subworkflow_waits_for_approval(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue)):
        parent = await start(client, task_queue, _parent(), ON)
        child = await _child_handle(client, parent.id)

        async def waits() -> None:
            gates = await child.query(N8nWorkflow.approvals)
            assert [gate.node for gate in gates] == ["Send"]

        await assert_eventually(waits)
        await child.execute_update(N8nWorkflow.decide_approval, ApprovalDecision(approve=True, by="ada"))
        result = await parent.result()
    assert result.status is ExecutionStatus.SUCCESS, result.error
    assert result.run_data["Call"][-1]["data"]["main"][0][0]["json"]["out"] == "sent"


async def test_subworkflow_gate_is_ignored_when_gates_are_off(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue)):
        result = await (await start(client, task_queue, _parent(), OFF)).result()
    assert result.status is ExecutionStatus.SUCCESS, result.error
