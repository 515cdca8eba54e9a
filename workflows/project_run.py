"""A project run, durable: its tasks in dependency order, in parallel where independent.

The workflow is the scheduler. A task starts when everything it depends on completed; among the
tasks ready at once, higher priority (then the planned order) takes the route's free slots first
(`ProjectRunInput.slots`, from the agents' max_concurrent). Each task is a child workflow
(`AgentTaskWorkflow`), so it shows in Temporal and in `GET /api/tasks/{id}` on its own. A failed
task fails the tasks that depend on it (canceled, with the reason) and the project; independent
branches still finish.
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ApplicationError, ChildWorkflowError

with workflow.unsafe.imports_passed_through():
    from activities.project_store import ProjectStatusUpdate, ProjectStoreActivities
    from hive_core.db.models.enums import TaskStatus
    from hive_core.projects.models import (
        PlannedTask,
        ProjectProgress,
        ProjectRunInput,
        TaskContext,
        TaskOutcome,
        TaskProgress,
        TaskRunInput,
    )
    from workflows.agent_task import AgentTaskWorkflow, _store, task_workflow_id
    from workflows.retries import RUN_TASK_TIMEOUT, failure_message

_CONTEXT_CHARS = 8_000


@workflow.defn(name="HiveProject")
class ProjectWorkflow:
    def __init__(self) -> None:
        self._input: ProjectRunInput | None = None
        self._status: dict[str, TaskStatus] = {}
        self._errors: dict[str, str] = {}

    @workflow.run
    async def run(self, request: ProjectRunInput) -> dict[str, TaskOutcome]:
        self._input = request
        tasks = {task.id: task for task in request.tasks}
        order = {task.id: index for index, task in enumerate(request.tasks)}
        self._status = dict.fromkeys(tasks, TaskStatus.PENDING)
        outcomes: dict[str, TaskOutcome] = {}
        running: dict[asyncio.Task[TaskOutcome], str] = {}
        in_use: dict[str, int] = {}
        await _store(
            ProjectStoreActivities.project_status,
            ProjectStatusUpdate(project_id=request.project_id, status=TaskStatus.RUNNING),
        )
        while True:
            self._cancel_blocked(tasks, outcomes)
            ready = sorted(
                (
                    t
                    for t in tasks.values()
                    if self._status[t.id] is TaskStatus.PENDING and all(d in outcomes for d in t.depends_on)
                ),
                key=lambda t: (-t.priority, order[t.id]),
            )
            for task in ready:
                key = task.route.key(task.model)
                if in_use.get(key, 0) >= request.slots.get(key, 1):
                    continue
                in_use[key] = in_use.get(key, 0) + 1
                self._status[task.id] = TaskStatus.RUNNING
                context = [self._context(tasks[d], outcomes[d]) for d in task.depends_on]
                running[asyncio.ensure_future(self._run_task(task, request.goal, context))] = task.id
            if not running:
                break
            done, _ = await workflow.wait(list(running), return_when=asyncio.FIRST_COMPLETED)
            for future in done:
                task_id = running.pop(future)
                task = tasks[task_id]
                in_use[task.route.key(task.model)] -= 1
                outcome = future.result()
                self._status[task_id] = outcome.status
                if outcome.status is TaskStatus.COMPLETED:
                    outcomes[task_id] = outcome
                elif outcome.error:
                    self._errors[task_id] = outcome.error
        failed = [tasks[t].title for t, s in self._status.items() if s is not TaskStatus.COMPLETED]
        final = TaskStatus.FAILED if failed else TaskStatus.COMPLETED
        await _store(
            ProjectStoreActivities.project_status,
            ProjectStatusUpdate(project_id=request.project_id, status=final),
        )
        if failed:
            raise ApplicationError(
                f"project {request.name!r}: {len(failed)} of {len(tasks)} tasks did not complete "
                f"({', '.join(failed)})",
                {t: self._errors.get(t) for t in self._errors},
                type="ProjectFailed",
                non_retryable=True,
            )
        return outcomes

    def _cancel_blocked(self, tasks: dict[str, PlannedTask], outcomes: dict[str, TaskOutcome]) -> None:
        """Tasks that can never start, because a task they depend on did not complete."""
        changed = True
        while changed:
            changed = False
            for task in tasks.values():
                if self._status[task.id] is not TaskStatus.PENDING:
                    continue
                broken = [
                    d for d in task.depends_on if self._status[d] in (TaskStatus.FAILED, TaskStatus.CANCELED)
                ]
                if broken:
                    self._status[task.id] = TaskStatus.CANCELED
                    self._errors[task.id] = f"not started: {tasks[broken[0]].title!r} did not complete"
                    changed = True

    async def _run_task(self, task: PlannedTask, goal: str | None, context: list[TaskContext]) -> TaskOutcome:
        try:
            return await workflow.execute_child_workflow(
                AgentTaskWorkflow.run,
                TaskRunInput(task=task, goal=goal, context=context),
                id=task_workflow_id(task.id),
                task_timeout=RUN_TASK_TIMEOUT,
            )
        except ChildWorkflowError as exc:
            return TaskOutcome(task_id=task.id, status=TaskStatus.FAILED, error=failure_message(exc))

    @staticmethod
    def _context(task: PlannedTask, outcome: TaskOutcome) -> TaskContext:
        return TaskContext(task_id=task.id, title=task.title, result=(outcome.result or "")[:_CONTEXT_CHARS])

    @workflow.query
    def progress(self) -> ProjectProgress:
        assert self._input is not None
        statuses = set(self._status.values())
        overall = (
            TaskStatus.RUNNING
            if statuses & {TaskStatus.PENDING, TaskStatus.RUNNING}
            else (TaskStatus.COMPLETED if statuses <= {TaskStatus.COMPLETED} else TaskStatus.FAILED)
        )
        return ProjectProgress(
            project_id=self._input.project_id,
            status=overall,
            tasks=[
                TaskProgress(
                    task_id=t.id,
                    title=t.title,
                    status=self._status[t.id],
                    priority=t.priority,
                    error=self._errors.get(t.id),
                )
                for t in self._input.tasks
            ],
        )


__all__ = ["ProjectWorkflow"]
