"""Listening triggers (Email Trigger (IMAP), MQTT, RabbitMQ...): one workflow per active node.

A node-host trigger that is neither polling nor webhook-served keeps a connection open in its
`trigger()`; activating its workflow starts `TriggerListenerWorkflow` with the id
`hive-trigger-<workflow id>-<node>`, deactivating cancels it (which closes the connection).
"""

from __future__ import annotations

import asyncio
import re

from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from hive_core.approvals.models import ApprovalPolicy
from hive_core.errors import EngineUnavailableError
from n8n_import.node_catalog import load_catalog
from n8n_import.plan import Plan, PlanNode
from workflows.trigger_listener import TriggerListenerInput, TriggerListenerWorkflow

PREFIX = "hive-trigger-"
# How long deactivation waits for a listener to close its connection.
STOP_TIMEOUT_S = 30.0


def is_listener_trigger(node: PlanNode) -> bool:
    """A node-host trigger run by its `trigger()` (its catalog entry is neither poll nor webhook)."""
    if node.runner != "node_host" or node.disabled:
        return False
    entry = load_catalog().get(node.type)
    return entry is not None and entry.trigger and not entry.poll and not entry.webhook


def listener_nodes(plan: Plan) -> list[PlanNode]:
    return [node for node in plan.nodes.values() if is_listener_trigger(node)]


def listener_id(workflow_id: str, node: PlanNode) -> str:
    return PREFIX + re.sub(r"[^A-Za-z0-9_.-]", "_", f"{workflow_id}-{node.name}")


async def start_listeners(
    client: Client,
    task_queue: str,
    workflow_id: str,
    plan: Plan,
    approval: ApprovalPolicy | None = None,
    *,
    max_session_s: float = 3600,
) -> list[WorkflowHandle[TriggerListenerWorkflow, None]]:
    """Start a listener per trigger node of ``plan`` (one already running is kept)."""
    handles = []
    try:
        for node in listener_nodes(plan):
            handles.append(
                await client.start_workflow(
                    TriggerListenerWorkflow.run,
                    TriggerListenerInput(
                        plan=plan,
                        workflow_id=workflow_id,
                        node=node.name,
                        approval=approval or ApprovalPolicy(),
                        max_session_s=max_session_s,
                    ),
                    id=listener_id(workflow_id, node),
                    task_queue=task_queue,
                    id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                )
            )
    except RPCError as exc:
        raise EngineUnavailableError(f"cannot start trigger listeners on Temporal: {exc}") from exc
    return handles


async def stop_listeners(client: Client, workflow_id: str, plan: Plan) -> None:
    """Cancel the listeners of ``plan``'s trigger nodes and wait until they closed (their
    sessions close the connections); one that does not close in time is terminated."""
    for node in listener_nodes(plan):
        handle = client.get_workflow_handle(listener_id(workflow_id, node))
        try:
            await handle.cancel()
        except RPCError as exc:
            if exc.status is RPCStatusCode.NOT_FOUND:
                continue
            raise EngineUnavailableError(f"cannot stop trigger listener: {exc}") from exc
        try:
            await asyncio.wait_for(handle.result(), STOP_TIMEOUT_S)
        except TimeoutError:
            await handle.terminate("did not close after cancellation")
        except (WorkflowFailureError, RPCError):
            pass  # cancelled (or already closed): what was asked


__all__ = [
    "PREFIX",
    "is_listener_trigger",
    "listener_id",
    "listener_nodes",
    "start_listeners",
    "stop_listeners",
]
