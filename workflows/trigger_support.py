"""What the trigger workflows share: a trigger node's static data around a node-host call,
and the one-node workflow the node host gets (webhook triggers, listening triggers)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.trigger_state import (
        SaveTriggerStateInput,
        TriggerStateActivities,
        TriggerStateKey,
    )
    from hive_core.node_host.contract import NodeHostResult, WireWorkflow
    from n8n_import.plan import Plan, PlanNode
    from workflows.node_host_step import wire_node

STATE_TIMEOUT = timedelta(seconds=30)
STATE_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=10))


def static_key(node: str) -> str:
    # n8n's key of a node's static data inside the workflow static data.
    return f"node:{node}"


class TriggerNodeState:
    """Load and save one trigger node's static data around a node-host call."""

    def __init__(self, workflow_id: str, node: str) -> None:
        self.key = TriggerStateKey(workflow_id=workflow_id, node=node)

    async def load(self, plan: Plan) -> dict[str, Any]:
        saved = await workflow.execute_activity_method(
            TriggerStateActivities.load_trigger_state,
            self.key,
            start_to_close_timeout=STATE_TIMEOUT,
            retry_policy=STATE_RETRY,
        )
        static = dict(plan.static_data or {})
        if saved.found:
            static[static_key(self.key.node)] = saved.data
        return static

    async def save(self, result: NodeHostResult) -> None:
        key = static_key(self.key.node)
        if result.static_data is None or key not in result.static_data:
            return
        await workflow.execute_activity_method(
            TriggerStateActivities.save_trigger_state,
            SaveTriggerStateInput(**self.key.model_dump(), data=result.static_data[key]),
            start_to_close_timeout=STATE_TIMEOUT,
            retry_policy=STATE_RETRY,
        )


def trigger_wire_workflow(
    plan: Plan, workflow_id: str, node: PlanNode, static: dict[str, Any]
) -> WireWorkflow:
    settings = {"timezone": plan.settings.timezone} if plan.settings.timezone else {}
    return WireWorkflow(
        id=plan.workflow_id or workflow_id,
        name=plan.name,
        nodes=[wire_node(node, target=True)],
        settings=settings,
        static_data=static,
    )


def trigger_plan_node(plan: Plan, name: str) -> PlanNode:
    node = plan.nodes.get(name)
    if node is None:
        raise ApplicationError(f"no trigger node {name!r} in the plan", non_retryable=True)
    return node


__all__ = ["TriggerNodeState", "static_key", "trigger_plan_node", "trigger_wire_workflow"]
