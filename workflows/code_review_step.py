"""Hive's built-in code review as an n8n sub-workflow: Execute Workflow (or a workflow tool) with
the workflow id ``hive:code-review`` runs one review per item and returns its verdict as the item.

Each item's JSON asks for it: ``task`` (required), ``code``, ``author`` and ``reviewers`` (agent
names, ``{agent|capability|model}`` objects, or a count), ``quorum``, ``max_rounds``,
``human_approval``. The output item is the review's result (approved, outcome, code, rounds).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from activities.review_planning import PlanReviewInput, ReviewPlanningActivities
    from n8n_import.plan import PlanNode
    from n8n_runtime.engine import NodeFailure
    from workflows.code_review import CodeReviewWorkflow
    from workflows.retries import RUN_TASK_TIMEOUT, failure_message, infra_retry

BUILTIN_CODE_REVIEW = "hive:code-review"
_PLAN_TIMEOUT = timedelta(seconds=30)

Item = dict[str, Any]


async def run_code_reviews(
    node: PlanNode, items: list[Item], run_index: int
) -> tuple[list[Item] | None, NodeFailure | None]:
    """One durable review per item (a child workflow each), in item order."""
    parent = workflow.info().workflow_id
    outputs: list[Item] = []
    for index, item in enumerate(items):
        try:
            request = await workflow.execute_activity_method(
                ReviewPlanningActivities.plan_review,
                PlanReviewInput(item=item.get("json") or {}),
                start_to_close_timeout=_PLAN_TIMEOUT,
                retry_policy=infra_retry(),
            )
            result = await workflow.execute_child_workflow(
                CodeReviewWorkflow.run,
                request,
                id=f"{parent}/{node.name}/{run_index}/{index}",
                task_timeout=RUN_TASK_TIMEOUT,
            )
        except (ActivityError, ChildWorkflowError) as exc:
            return None, NodeFailure(failure_message(exc))
        outputs.append({"json": result.model_dump(mode="json"), "pairedItem": {"item": index}})
    return outputs, None


__all__ = ["BUILTIN_CODE_REVIEW", "run_code_reviews"]
