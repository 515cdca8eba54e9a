"""Gated workflows and a helper to start them, shared by the approval tests."""

from __future__ import annotations

import uuid
from typing import Any

from temporalio.client import Client, WorkflowHandle

from hive_core.approvals import ApprovalGate, ApprovalPolicy
from n8n_import import compile_export
from tests.builders import chain, node
from tests.helpers import assert_eventually
from workflows.n8n_models import N8nRunSnapshot, RunN8nInput
from workflows.n8n_run import N8nWorkflow

ON = ApprovalPolicy(enabled=True, default_timeout_s=600)
OFF = ApprovalPolicy(enabled=False)


def _set(name: str, field: str, **extra: Any) -> dict[str, Any]:
    assignment = {"name": field, "value": "={{ 'done' }}", "type": "string"}
    return {**node(name, "set", 3.4, assignments={"assignments": [assignment]}), **extra}


def gated_workflow(
    marking: str | None = "hive: approval", tags: list[Any] | None = None, **gated: Any
) -> dict[str, Any]:
    """Start → Send (the node with `marking` in its notes) → After."""
    send = _set("Send", "sent", **({"notes": f"Sends the mail.\n{marking}"} if marking else {}), **gated)
    workflow = chain("gated", [node("Start", "manualTrigger", 1), send, _set("After", "after")])
    workflow["tags"] = tags or []
    return workflow


async def start(
    client: Client, task_queue: str, workflow: dict[str, Any], policy: ApprovalPolicy
) -> WorkflowHandle[N8nWorkflow, N8nRunSnapshot]:
    """Compile and start `workflow` with approval `policy`."""
    return await client.start_workflow(
        N8nWorkflow.run,
        RunN8nInput(plan=compile_export(workflow)[0], approval=policy),
        id=f"approval-{uuid.uuid4().hex[:10]}",
        task_queue=task_queue,
    )


async def pending_gate(handle: WorkflowHandle[N8nWorkflow, N8nRunSnapshot]) -> ApprovalGate:
    """The one pending gate of the run, once it is open."""

    async def check() -> ApprovalGate:
        gates = [gate for gate in await handle.query(N8nWorkflow.approvals) if gate.state == "pending"]
        assert len(gates) == 1, gates
        return gates[0]

    return await assert_eventually(check)
