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

from typing import Any, Literal

from pydantic import BaseModel, Field
from temporalio import workflow
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from hive_core.approvals.models import ApprovalPolicy
    from hive_core.node_host.contract import (
        WEBHOOK_ACTIVITY_NAME,
        WEBHOOK_SETUP_ACTIVITY_NAME,
        WebhookResult,
        WebhookSetupResult,
        WebhookSetupTask,
        WebhookTask,
        WireWebhookRequest,
    )
    from n8n_import.plan import Plan
    from workflows.n8n_models import RunN8nInput
    from workflows.n8n_run import N8nWorkflow
    from workflows.node_host_step import NodeHostCall
    from workflows.trigger_support import TriggerNodeState, trigger_plan_node, trigger_wire_workflow


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


@workflow.defn
class WebhookSetupWorkflow:
    @workflow.run
    async def run(self, request: WebhookSetupInput) -> WebhookSetupResult:
        node = trigger_plan_node(request.plan, request.node)
        state = TriggerNodeState(request.workflow_id, node.name)
        task = WebhookSetupTask(
            execution_id=workflow.info().workflow_id,
            execution_mode="trigger",
            workflow=trigger_wire_workflow(
                request.plan, request.workflow_id, node, await state.load(request.plan)
            ),
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
        plan, node = request.plan, trigger_plan_node(request.plan, request.node)
        state = TriggerNodeState(request.workflow_id, node.name)
        task = WebhookTask(
            execution_id=request.execution_id,
            execution_mode="webhook",
            workflow=trigger_wire_workflow(plan, request.workflow_id, node, await state.load(plan)),
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
