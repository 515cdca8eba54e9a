"""One agent task, durable: wait for its dependencies, run it on a capable agent, store the outcome.

A plain task is one chat on the task's route (an agent, a capability queue or a model queue, so
routing and failover are the AI nodes' own); a reviewed task runs the code review workflow as a
child. The outcome (answer, code blocks as artifacts, error) is written to the task's row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from activities.project_store import AwaitTasksInput, ProjectStoreActivities, TaskStarted
    from activities.routing import AiRoute
    from hive_core.db.models.enums import TaskStatus
    from hive_core.ollama.types import ChatRequest
    from hive_core.projects.models import (
        Participant,
        PlannedTask,
        ReviewRequest,
        TaskContext,
        TaskOutcome,
        TaskRunInput,
    )
    from workflows import ai_dispatch
    from workflows.agent_prompts import artifacts_of, task_messages
    from workflows.code_review import CodeReviewWorkflow
    from workflows.retries import HEARTBEAT_TIMEOUT, RUN_TASK_TIMEOUT, failure_message, infra_retry

_STORE_TIMEOUT = timedelta(minutes=5)
_STORE_WRITE_TIMEOUT = timedelta(seconds=10)
# A standalone task may wait days for the tasks it depends on.
_DEPENDENCY_WAIT = timedelta(days=30)
CALL_ATTEMPTS = 3
A = TypeVar("A")


def task_workflow_id(task_id: str) -> str:
    return f"hive-task-{task_id}"


def review_workflow_id(task_id: str) -> str:
    return f"hive-review-{task_id}"


async def _store(activity: Callable[[ProjectStoreActivities, A], Awaitable[None]], arg: A) -> None:
    """Write progress to the task/project row (the database being down only delays the run).

    A local activity: one small idempotent write, a queue round trip cheaper than an activity.
    """
    await workflow.execute_local_activity_method(
        activity,
        arg,
        start_to_close_timeout=_STORE_WRITE_TIMEOUT,
        schedule_to_close_timeout=_STORE_TIMEOUT,
        retry_policy=infra_retry(),
    )


@workflow.defn(name="HiveAgentTask")
class AgentTaskWorkflow:
    def __init__(self) -> None:
        self._status = TaskStatus.PENDING

    @workflow.run
    async def run(self, request: TaskRunInput) -> TaskOutcome:
        task = request.task
        context = list(request.context)
        try:
            if request.wait_for:
                self._status = TaskStatus.QUEUED
                context += await workflow.execute_activity_method(
                    ProjectStoreActivities.await_tasks,
                    AwaitTasksInput(task_ids=request.wait_for),
                    start_to_close_timeout=_DEPENDENCY_WAIT,
                    heartbeat_timeout=HEARTBEAT_TIMEOUT,
                    retry_policy=infra_retry(),
                )
            self._status = TaskStatus.RUNNING
            await _store(
                ProjectStoreActivities.task_started,
                TaskStarted(task_id=task.id, workflow_id=workflow.info().workflow_id),
            )
            outcome = await (
                self._reviewed(task, request.goal, context)
                if task.review
                else self._plain(task, request.goal, context)
            )
        except (ActivityError, ChildWorkflowError) as exc:
            outcome = TaskOutcome(task_id=task.id, status=TaskStatus.FAILED, error=failure_message(exc))
        except ApplicationError as exc:  # the AI call's own failure (ai_dispatch names it)
            outcome = TaskOutcome(task_id=task.id, status=TaskStatus.FAILED, error=exc.message)
        self._status = outcome.status
        await _store(ProjectStoreActivities.task_finished, outcome)
        if outcome.status is TaskStatus.FAILED:
            raise ApplicationError(
                f"task {task.title!r} failed: {outcome.error}", type="TaskFailed", non_retryable=True
            )
        return outcome

    async def _plain(self, task: PlannedTask, goal: str | None, context: list[TaskContext]) -> TaskOutcome:
        request = ChatRequest(
            model=task.model, messages=task_messages(task.title, task.description, goal, context)
        )
        reply = await ai_dispatch.chat(
            request,
            AiRoute(agent=task.route.agent, capability=task.route.capability),
            summary=f"task: {task.title}",
            attempts=CALL_ATTEMPTS,
        )
        text = reply.message.content
        return TaskOutcome(
            task_id=task.id, status=TaskStatus.COMPLETED, result=text, artifacts=artifacts_of(text)
        )

    async def _reviewed(self, task: PlannedTask, goal: str | None, context: list[TaskContext]) -> TaskOutcome:
        assert task.review is not None
        spec = f"{task.title}\n\n{task.description}" + (
            f"\n\nProject goal: {goal}" if goal and goal not in task.description else ""
        )
        review = await workflow.execute_child_workflow(
            CodeReviewWorkflow.run,
            ReviewRequest(
                task=spec,
                author=Participant(label="author", route=task.route, model=task.model),
                reviewers=task.reviewers,
                options=task.review,
                context=context,
                task_id=task.id,
            ),
            id=review_workflow_id(task.id),
            task_timeout=RUN_TASK_TIMEOUT,
        )
        status = TaskStatus.COMPLETED if review.approved else TaskStatus.FAILED
        error = None if review.approved else f"the code review ended {review.outcome.value}"
        return TaskOutcome(
            task_id=task.id,
            status=status,
            result=review.code,
            artifacts=artifacts_of(f"```\n{review.code}\n```"),
            error=error,
            review=review,
        )

    @workflow.query
    def status(self) -> TaskStatus:
        return self._status


__all__ = ["AgentTaskWorkflow", "review_workflow_id", "task_workflow_id"]
