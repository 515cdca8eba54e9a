"""Webhook triggers of services (Telegram, GitHub, Typeform...): registration and requests.

`WebhookSetupWorkflow` runs on activation (`create`: the node's own checkExists, then create)
and deactivation (`delete`) on the node host, with the node's static data (where registrations
keep the service's webhook id or secret) loaded from and saved to `trigger_static_data`, as
n8n's ActiveWorkflowManager saves the workflow's static data after adding or clearing webhooks.

`ServiceWebhookWorkflow` serves one request: the node's `webhook()` on the node host (same
static data), and when it returns `workflowData`, an ordinary n8n run with those items as the
trigger's output (a child left running on its own, ABANDON). The API waits for its result to
answer the caller (hive_core.service_webhooks).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

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
    from hive_core.node_host.contract import (
        WEBHOOK_ACTIVITY_NAME,
        WEBHOOK_SETUP_ACTIVITY_NAME,
        NodeHostResult,
        WebhookResult,
        WebhookSetupResult,
        WebhookSetupTask,
        WebhookTask,
        WireWebhookRequest,
        WireWorkflow,
    )
    from n8n_import.plan import Plan, PlanNode
    from workflows.n8n_models import RunN8nInput
    from workflows.n8n_run import N8nWorkflow
    from workflows.node_host_step import NodeHostCall, wire_node

STATE_TIMEOUT = timedelta(seconds=30)
STATE_RETRY = RetryPolicy(maximum_interval=timedelta(seconds=10))


class WebhookSetupInput(BaseModel):
    plan: Plan
    # The stored workflow's id: the key of the trigger's static data.
    workflow_id: str
    node: str
    action: Literal["create", "delete"]
    activation: Literal["activate", "init", "update"] = "activate"
    # `{Hive's public URL}/webhook`.
    webhook_base_url: str


class ServiceWebhookInput(BaseModel):
    plan: Plan
    workflow_id: str
    node: str
    request: WireWebhookRequest
    webhook_base_url: str
    # The id of the run the request starts (chosen by the API, so its files go under it).
    execution_id: str
    approval: ApprovalPolicy = Field(default_factory=ApprovalPolicy)


class ServiceWebhookResult(BaseModel):
    """The node's answer, and the run it started (None: the node started none)."""

    webhook: WebhookResult
    run_id: str | None = None
    # The output index the run's trigger items leave on.
    output: int = 0


def static_key(node: str) -> str:
    # n8n's key of a node's static data inside the workflow static data.
    return f"node:{node}"


class _NodeState:
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


def _wire_workflow(plan: Plan, workflow_id: str, node: PlanNode, static: dict[str, Any]) -> WireWorkflow:
    settings = {"timezone": plan.settings.timezone} if plan.settings.timezone else {}
    return WireWorkflow(
        id=plan.workflow_id or workflow_id,
        name=plan.name,
        nodes=[wire_node(node, target=True)],
        settings=settings,
        static_data=static,
    )


def _plan_node(plan: Plan, name: str) -> PlanNode:
    node = plan.nodes.get(name)
    if node is None:
        raise ApplicationError(f"no trigger node {name!r} in the plan", non_retryable=True)
    return node


@workflow.defn
class WebhookSetupWorkflow:
    @workflow.run
    async def run(self, request: WebhookSetupInput) -> WebhookSetupResult:
        node = _plan_node(request.plan, request.node)
        state = _NodeState(request.workflow_id, node.name)
        task = WebhookSetupTask(
            execution_id=workflow.info().workflow_id,
            execution_mode="trigger",
            workflow=_wire_workflow(request.plan, request.workflow_id, node, await state.load(request.plan)),
            node=node.name,
            action=request.action,
            activation=request.activation,
            webhook_base_url=request.webhook_base_url,
        )
        call = NodeHostCall(
            request.plan,
            task,
            [],
            activity=WEBHOOK_SETUP_ACTIVITY_NAME,
            result_type=WebhookSetupResult,
            label=f"{request.action} webhooks, ",
        )
        result = await call.run()
        await state.save(result)
        assert isinstance(result, WebhookSetupResult)
        return result


@workflow.defn
class ServiceWebhookWorkflow:
    @workflow.run
    async def run(self, request: ServiceWebhookInput) -> ServiceWebhookResult:
        plan, node = request.plan, _plan_node(request.plan, request.node)
        state = _NodeState(request.workflow_id, node.name)
        task = WebhookTask(
            execution_id=request.execution_id,
            execution_mode="webhook",
            workflow=_wire_workflow(plan, request.workflow_id, node, await state.load(plan)),
            node=node.name,
            request=request.request,
            webhook_base_url=request.webhook_base_url,
        )
        call = NodeHostCall(
            plan, task, [], activity=WEBHOOK_ACTIVITY_NAME, result_type=WebhookResult, label="webhook, "
        )
        result = await call.run()
        assert isinstance(result, WebhookResult)
        await state.save(result)
        if result.error is not None or result.outputs is None:
            return ServiceWebhookResult(webhook=result)
        output, items = _trigger_output(result.outputs)
        await workflow.start_child_workflow(
            N8nWorkflow.run,
            RunN8nInput(
                plan=plan,
                trigger_items=items,
                start_node=node.name,
                trigger_output=output,
                mode="webhook",
                webhook_base_url=request.webhook_base_url.removesuffix("/webhook"),
                approval=request.approval,
            ),
            id=request.execution_id,
            parent_close_policy=ParentClosePolicy.ABANDON,
        )
        return ServiceWebhookResult(webhook=result, run_id=request.execution_id, output=output)


def _trigger_output(outputs: list[list[dict[str, Any]] | None]) -> tuple[int, list[dict[str, Any]]]:
    """The first output with items (n8n starts the run with every output's data; Hive's
    interpreter takes the trigger's items on one output)."""
    for index, items in enumerate(outputs):
        if items:
            return index, items
    return 0, []


__all__ = [
    "ServiceWebhookInput",
    "ServiceWebhookResult",
    "ServiceWebhookWorkflow",
    "WebhookSetupInput",
    "WebhookSetupWorkflow",
]
