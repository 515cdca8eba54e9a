"""Approval gates in the interpreter, through a real Temporal dev server and the central worker."""

from __future__ import annotations

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from hive_core.approvals import AWAITING_APPROVAL, ApprovalDecision, GateState
from hive_core.temporal.search_attributes import HIVE_STATUS
from tests.approvals.gated import OFF, ON, gated_workflow, pending_gate, start
from tests.builders import node, worker_settings
from tests.helpers import assert_eventually
from workers.factory import build_central_worker
from workflows.n8n_models import ExecutionStatus
from workflows.n8n_run import N8nWorkflow


async def test_unmarked_workflow_never_waits_even_when_gates_are_on(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue)):
        result = await (await start(client, task_queue, gated_workflow(marking=None), ON)).result()
    assert result.status is ExecutionStatus.SUCCESS
    assert result.approvals == []
    assert result.node_execution_order == ["Start", "Send", "After"]


async def test_markings_are_ignored_when_gates_are_off(client: Client, task_queue: str) -> None:
    workflow = gated_workflow(tags=[{"id": "1", "name": "hive:approval"}])
    async with build_central_worker(client, worker_settings(task_queue)):
        result = await (await start(client, task_queue, workflow, OFF)).result()
    assert result.status is ExecutionStatus.SUCCESS
    assert result.approvals == []


async def test_gated_node_waits_then_approval_lets_it_run(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue)):
        handle = await start(client, task_queue, gated_workflow(), ON)
        gate = await pending_gate(handle)
        assert (gate.gate_id, gate.node) == ("node:Send", "Send")
        assert (gate.deadline - gate.requested_at).total_seconds() == 600
        snapshot = await handle.query(N8nWorkflow.snapshot)
        assert snapshot.status is ExecutionStatus.WAITING
        assert snapshot.approvals == [gate]
        # The node before the gate ran; the gated one waits.
        assert snapshot.node_execution_order == ["Start"]

        async def awaiting() -> None:
            attributes = (await handle.describe()).typed_search_attributes
            assert attributes.get(HIVE_STATUS) == AWAITING_APPROVAL

        await assert_eventually(awaiting)
        decided = await handle.execute_update(
            N8nWorkflow.decide_approval, ApprovalDecision(approve=True, by="ada@example.com", comment="ok")
        )
        assert (decided.state, decided.decided_by) == (GateState.APPROVED, "ada@example.com")
        result = await handle.result()
    assert result.status is ExecutionStatus.SUCCESS
    assert result.node_execution_order == ["Start", "Send", "After"]
    assert [gate.state for gate in result.approvals] == [GateState.APPROVED]


async def test_rejection_fails_the_run_naming_who_and_why(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue)):
        handle = await start(client, task_queue, gated_workflow(), ON)
        await pending_gate(handle)
        await handle.execute_update(
            N8nWorkflow.decide_approval,
            ApprovalDecision(gate_id="node:Send", approve=False, by="grace@example.com", comment="too risky"),
        )
        result = await handle.result()
    assert result.status is ExecutionStatus.ERROR
    assert result.last_node_executed == "Send"
    assert result.error is not None
    assert result.error["message"] == 'Approval for node "Send" rejected by grace@example.com: too risky'
    assert result.error["name"] == "ApprovalError"
    assert "After" not in result.run_data


async def test_rejection_respects_on_error_continue(client: Client, task_queue: str) -> None:
    workflow = gated_workflow(onError="continueRegularOutput")
    async with build_central_worker(client, worker_settings(task_queue)):
        handle = await start(client, task_queue, workflow, ON)
        await pending_gate(handle)
        await handle.execute_update(N8nWorkflow.decide_approval, ApprovalDecision(approve=False, by="grace"))
        result = await handle.result()
    # The gated node never ran its work; as for any failure, On Error decides whether the run goes on.
    assert result.status is ExecutionStatus.SUCCESS
    assert result.run_data["Send"][0]["error"]["message"].endswith("rejected by grace (no reason given)")
    assert "After" in result.run_data


async def test_timeout_counts_as_rejection(client: Client, task_queue: str) -> None:
    async with build_central_worker(client, worker_settings(task_queue)):
        result = await (
            await start(client, task_queue, gated_workflow("hive: approval timeout=1s"), ON)
        ).result()
    assert result.status is ExecutionStatus.ERROR
    assert result.error is not None
    assert result.error["message"] == 'Approval for node "Send" timed out: no decision within 1s'
    assert [gate.state for gate in result.approvals] == [GateState.TIMED_OUT]


async def test_workflow_gate_waits_before_any_node(client: Client, task_queue: str) -> None:
    workflow = gated_workflow(marking=None, tags=[{"id": "7", "name": "hive:approval"}])
    async with build_central_worker(client, worker_settings(task_queue)):
        handle = await start(client, task_queue, workflow, ON)
        gate = await pending_gate(handle)
        assert (gate.gate_id, gate.node) == ("workflow", None)
        assert (await handle.query(N8nWorkflow.snapshot)).node_execution_order == []
        await handle.execute_update(N8nWorkflow.decide_approval, ApprovalDecision(approve=True, by="ada"))
        result = await handle.result()
    assert result.status is ExecutionStatus.SUCCESS
    assert result.node_execution_order == ["Start", "Send", "After"]


async def test_workflow_gate_rejection_fails_before_any_node(client: Client, task_queue: str) -> None:
    workflow = gated_workflow(marking=None, tags=["hive:approval"])
    async with build_central_worker(client, worker_settings(task_queue)):
        handle = await start(client, task_queue, workflow, ON)
        await pending_gate(handle)
        await handle.execute_update(
            N8nWorkflow.decide_approval, ApprovalDecision(approve=False, by="ada", comment="not today")
        )
        result = await handle.result()
    assert result.status is ExecutionStatus.ERROR
    assert result.error is not None
    assert result.error["message"] == "Approval for this workflow rejected by ada: not today"
    assert result.run_data == {}


async def test_unknown_or_decided_gates_are_refused(client: Client, task_queue: str) -> None:
    workflow = gated_workflow()
    workflow["nodes"][2]["notes"] = "hive: approval"  # After is gated too: the run stays open
    async with build_central_worker(client, worker_settings(task_queue)):
        handle = await start(client, task_queue, workflow, ON)
        await pending_gate(handle)
        with pytest.raises(WorkflowUpdateFailedError) as unknown:
            await handle.execute_update(
                N8nWorkflow.decide_approval, ApprovalDecision(gate_id="node:Nope", approve=True, by="ada")
            )
        assert isinstance(unknown.value.cause, ApplicationError)
        assert unknown.value.cause.type == "NotFoundError"
        await handle.execute_update(N8nWorkflow.decide_approval, ApprovalDecision(approve=True, by="ada"))
        assert (await pending_gate(handle)).gate_id == "node:After"
        with pytest.raises(WorkflowUpdateFailedError) as decided:
            await handle.execute_update(
                N8nWorkflow.decide_approval, ApprovalDecision(gate_id="node:Send", approve=False, by="bob")
            )
        assert isinstance(decided.value.cause, ApplicationError)
        assert decided.value.cause.type == "ConflictError"
        await handle.execute_update(N8nWorkflow.decide_approval, ApprovalDecision(approve=True, by="eve"))
        result = await handle.result()
    assert result.status is ExecutionStatus.SUCCESS
    assert [(gate.gate_id, gate.decided_by) for gate in result.approvals] == [
        ("node:Send", "ada"),
        ("node:After", "eve"),
    ]


async def test_a_node_that_runs_twice_waits_once(client: Client, task_queue: str) -> None:
    # Start feeds Left and Right, both feed Send: Send runs twice, its gate opens once per run.
    workflow = gated_workflow()
    workflow["nodes"] += [node("Left", "noOp", 1), node("Right", "noOp", 1)]
    to = lambda name: [[{"node": name, "type": "main", "index": 0}]]  # noqa: E731
    workflow["connections"] = {
        "Start": {
            "main": [
                [{"node": "Left", "type": "main", "index": 0}, {"node": "Right", "type": "main", "index": 0}]
            ]
        },
        "Left": {"main": to("Send")},
        "Right": {"main": to("Send")},
    }
    async with build_central_worker(client, worker_settings(task_queue)):
        handle = await start(client, task_queue, workflow, ON)
        await pending_gate(handle)
        await handle.execute_update(N8nWorkflow.decide_approval, ApprovalDecision(approve=True, by="ada"))
        result = await handle.result()
    assert result.status is ExecutionStatus.SUCCESS
    assert len(result.run_data["Send"]) == 2
    assert [gate.gate_id for gate in result.approvals] == ["node:Send"]
