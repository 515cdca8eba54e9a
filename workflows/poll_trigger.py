"""One poll of a service's polling trigger (RSS, Gmail, Google Sheets...), fired by its schedule.

As n8n's ActiveWorkflows does on each poll time: the node's `poll()` runs on the node host with
its static data (`getWorkflowStaticData('node')`, loaded from Hive's database and saved back when
the poll changed it); items start an n8n run with them as the trigger's output; null starts
nothing. The run is a child left running on its own (ABANDON), so it is an ordinary execution.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, Field
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.trigger_state import (
        SaveTriggerStateInput,
        TriggerStateActivities,
        TriggerStateKey,
    )
    from hive_core.approvals.models import ApprovalPolicy
    from hive_core.node_host.contract import POLL_ACTIVITY_NAME, NodeHostTask, WireWorkflow
    from n8n_import.plan import Plan, PlanNode
    from workflows.n8n_models import RunN8nInput
    from workflows.n8n_run import N8nWorkflow
    from workflows.node_host_step import NodeHostCall, wire_node

STATE_TIMEOUT = timedelta(seconds=30)
STATE_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=10))


class PollTriggerInput(BaseModel):
    plan: Plan
    # The stored workflow's id: the key of the trigger's static data.
    workflow_id: str
    node: str
    approval: ApprovalPolicy = Field(default_factory=ApprovalPolicy)


class PollTriggerResult(BaseModel):
    """What the poll found: `items` emitted, and the run they started (None: nothing new)."""

    items: int = 0
    run_id: str | None = None


def static_key(node: str) -> str:
    # n8n's key of a node's static data inside the workflow static data.
    return f"node:{node}"


@workflow.defn
class PollTriggerWorkflow:
    @workflow.run
    async def run(self, request: PollTriggerInput) -> PollTriggerResult:
        plan, node = request.plan, plan_node(request)
        key = TriggerStateKey(workflow_id=request.workflow_id, node=node.name)
        saved = await workflow.execute_activity_method(
            TriggerStateActivities.load_trigger_state,
            key,
            start_to_close_timeout=STATE_TIMEOUT,
            retry_policy=STATE_RETRY,
        )
        # Until the first poll saves, the export's own staticData (n8n exports carry it) applies.
        static = dict(plan.static_data or {})
        if saved.found:
            static[static_key(node.name)] = saved.data
        settings = {"timezone": plan.settings.timezone} if plan.settings.timezone else {}
        task = NodeHostTask(
            execution_id=workflow.info().workflow_id,
            execution_mode="trigger",
            workflow=WireWorkflow(
                id=plan.workflow_id or request.workflow_id,
                name=plan.name,
                nodes=[wire_node(node, target=True)],
                settings=settings,
                static_data=static,
            ),
            node=node.name,
        )
        logs: list[dict[str, object]] = []
        result = await NodeHostCall(plan, task, logs, activity=POLL_ACTIVITY_NAME).run()
        if result.static_data is not None and static_key(node.name) in result.static_data:
            await workflow.execute_activity_method(
                TriggerStateActivities.save_trigger_state,
                SaveTriggerStateInput(**key.model_dump(), data=result.static_data[static_key(node.name)]),
                start_to_close_timeout=STATE_TIMEOUT,
                retry_policy=STATE_RETRY,
            )
        if result.error is not None:
            # n8n's __emitError: this poll failed; the next poll time tries again.
            raise ApplicationError(
                f"poll of {node.name!r} failed: {result.error.message}",
                result.error.model_dump(),
                type="PollTriggerError",
                non_retryable=True,
            )
        items = (result.outputs or [None])[0] or []
        if not items:
            return PollTriggerResult()
        run_id = f"{workflow.info().workflow_id}-run"
        await workflow.start_child_workflow(
            N8nWorkflow.run,
            RunN8nInput(
                plan=plan,
                trigger_items=items,
                start_node=node.name,
                mode="trigger",
                approval=request.approval,
            ),
            id=run_id,
            parent_close_policy=ParentClosePolicy.ABANDON,
        )
        return PollTriggerResult(items=len(items), run_id=run_id)


def plan_node(request: PollTriggerInput) -> PlanNode:
    node = request.plan.nodes.get(request.node)
    if node is None:
        raise ApplicationError(f"no trigger node {request.node!r} in the plan", non_retryable=True)
    return node


__all__ = ["PollTriggerInput", "PollTriggerResult", "PollTriggerWorkflow"]
