"""Sub-workflows (Execute Workflow node) and error workflows, as Temporal child workflows.

Workflow code: deterministic, no I/O; stored workflows are read by an activity. The child's
run method is passed in (``child``) so calls stay typed without a circular import.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.workflow_store import LoadPlanInput, WorkflowStoreActivities
    from hive_core.approvals.models import ApprovalPolicy
    from n8n_import.plan import Plan, PlanNode
    from n8n_runtime.engine import NodeFailure
    from workflows.code_review_step import BUILTIN_CODE_REVIEW, run_code_reviews
    from workflows.n8n_models import ExecutionStatus, N8nRunSnapshot, RunN8nInput
    from workflows.retries import HEARTBEAT_TIMEOUT, RUN_TASK_TIMEOUT, infra_retry

LOAD_TIMEOUT = timedelta(seconds=30)
TRIGGER_TYPES = ("n8n-nodes-base.executeWorkflowTrigger", "n8n-nodes-base.errorTrigger")

Item = dict[str, Any]


def _cause(error: BaseException) -> str:
    cause = getattr(error, "cause", None)
    while isinstance(cause, ActivityError | ChildWorkflowError) and cause.cause is not None:
        cause = cause.cause
    return cause.message if isinstance(cause, ApplicationError) else str(cause or error)


async def load_plan(workflow_id: str) -> Plan:
    plan_json = await workflow.execute_activity_method(
        WorkflowStoreActivities.load_plan,
        LoadPlanInput(workflow_id=workflow_id),
        start_to_close_timeout=LOAD_TIMEOUT,
        schedule_to_close_timeout=LOAD_TIMEOUT,
        heartbeat_timeout=HEARTBEAT_TIMEOUT,
        retry_policy=infra_retry(),
        summary=f"load workflow {workflow_id}",
    )
    return Plan.model_validate_json(plan_json)


def _start_node(plan: Plan, trigger_type: str) -> str | None:
    for name in plan.start_nodes:
        if plan.nodes[name].type == trigger_type:
            return name
    return None


def _last_output(snapshot: N8nRunSnapshot) -> list[Item]:
    """n8n returns the first output of the sub-workflow's last node."""
    tasks = snapshot.run_data.get(snapshot.last_node_executed or "") or []
    outputs = (tasks[-1].get("data") or {}).get("main") or [] if tasks else []
    return [{"json": item.get("json", {}), **({"binary": item["binary"]} if item.get("binary") else {})}
            for item in (outputs[0] or [] if outputs else [])]  # fmt: skip


ChildRun = Callable[[Any, RunN8nInput], Awaitable[N8nRunSnapshot]]


async def run_subworkflow(
    child: ChildRun,
    node: PlanNode,
    call: dict[str, Any],
    items: list[Item],
    run_index: int,
    approval: ApprovalPolicy,
) -> tuple[list[Item] | None, NodeFailure | None]:
    """Run the sub-workflow once (mode once) or per item (mode each); its output or a failure.

    ``approval``: the parent's policy, so a gated sub-workflow waits as it would on its own.
    """
    if call.get("workflow_id") == BUILTIN_CODE_REVIEW:
        return await run_code_reviews(node, items, run_index)
    try:
        plan = (
            Plan.model_validate_json(call["plan_json"])
            if "plan_json" in call
            else await load_plan(call["workflow_id"])
        )
    except ActivityError as exc:
        return None, NodeFailure(_cause(exc))
    start = _start_node(plan, TRIGGER_TYPES[0])
    batches = [[item] for item in items] if call.get("mode") == "each" else [items]
    parent = workflow.info().workflow_id
    outputs: list[Item] = []
    for index, batch in enumerate(batches):
        child_id = f"{parent}/{node.name}/{run_index}/{index}"
        request = RunN8nInput(
            plan=plan, trigger_items=batch, start_node=start, mode="integrated", approval=approval
        )
        if not call.get("wait", True):
            await workflow.start_child_workflow(
                child,
                request,
                id=child_id,
                parent_close_policy=ParentClosePolicy.ABANDON,
                task_timeout=RUN_TASK_TIMEOUT,
            )
            continue
        try:
            snapshot = await workflow.execute_child_workflow(
                child, request, id=child_id, task_timeout=RUN_TASK_TIMEOUT
            )
        except ChildWorkflowError as exc:
            return None, NodeFailure(f"The sub-workflow failed: {_cause(exc)}")
        if snapshot.status is not ExecutionStatus.SUCCESS:
            message = (snapshot.error or {}).get("message", "failed")
            return None, NodeFailure(f"Sub-workflow node '{snapshot.last_node_executed}': {message}")
        result = _last_output(snapshot)
        if call.get("mode") == "each":
            result = [{**item, "pairedItem": {"item": index}} for item in result]
        outputs += result
    return (outputs if call.get("wait", True) else list(items)), None


async def start_error_workflow(
    child: ChildRun, plan: Plan, snapshot: N8nRunSnapshot, approval: ApprovalPolicy
) -> None:
    """n8n's `errorWorkflow` setting: start it with the Error Trigger's data, fire and forget."""
    workflow_id = plan.settings.error_workflow
    if not workflow_id:
        return
    info = workflow.info()
    try:
        error_plan = await load_plan(workflow_id)
    except ActivityError as exc:
        workflow.logger.warning("error workflow %s not started: %s", workflow_id, _cause(exc))
        return
    error = snapshot.error or {}
    trigger = {
        "execution": {
            "id": info.workflow_id,
            "url": None,
            "retryOf": None,
            "error": {"message": error.get("message"), "name": error.get("name")},
            "lastNodeExecuted": snapshot.last_node_executed,
            "mode": "error",
        },
        "workflow": {"id": plan.workflow_id, "name": plan.name},
    }
    await workflow.start_child_workflow(
        child,
        RunN8nInput(
            plan=error_plan,
            trigger_items=[{"json": trigger}],
            approval=approval,
            start_node=_start_node(error_plan, TRIGGER_TYPES[1]),
            mode="error",
        ),
        id=f"{info.workflow_id}/error-workflow",
        parent_close_policy=ParentClosePolicy.ABANDON,
        task_timeout=RUN_TASK_TIMEOUT,
    )
