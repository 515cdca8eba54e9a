"""Tasks' and projects' progress in Hive's database, written by their workflows.

Every write is idempotent (it sets, never appends), so a retried activity leaves the same row.
"""

from __future__ import annotations

import asyncio

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from hive_core.db.models import Project, Task
from hive_core.db.models.enums import TaskStatus
from hive_core.errors import ConfigError
from hive_core.projects.models import TaskContext, TaskOutcome
from hive_core.temporal_errors import to_application_error

# How often a waiting task looks at its dependencies (each look is one small query).
_WAIT_POLL_S = 1.0
# What a dependency hands on: its answer, cut so a long chain stays within payload limits.
CONTEXT_CHARS = 8_000


class TaskStarted(BaseModel):
    task_id: str
    workflow_id: str


class ProjectStatusUpdate(BaseModel):
    project_id: str
    status: TaskStatus


class AwaitTasksInput(BaseModel):
    task_ids: list[str]


def task_context(task: Task) -> TaskContext:
    text = (task.result or {}).get("result") or ""
    return TaskContext(task_id=task.id, title=task.title, result=text[:CONTEXT_CHARS])


class ProjectStoreActivities:
    def __init__(self, sessions: async_sessionmaker[AsyncSession] | None) -> None:
        self._sessions = sessions

    def _store(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            raise to_application_error(ConfigError("this worker has no database for tasks and projects"))
        return self._sessions

    @activity.defn(name="hive.projects.task_started")
    async def task_started(self, update: TaskStarted) -> None:
        """The task's run began: running, with its workflow id."""
        async with self._store()() as session, session.begin():
            task = await session.get(Task, update.task_id)
            if task is not None and task.status not in (TaskStatus.COMPLETED, TaskStatus.FAILED):
                task.status = TaskStatus.RUNNING
                task.workflow_id = update.workflow_id

    @activity.defn(name="hive.projects.task_finished")
    async def task_finished(self, outcome: TaskOutcome) -> None:
        """Store the task's status, answer, artifacts, error and review rounds."""
        async with self._store()() as session, session.begin():
            task = await session.get(Task, outcome.task_id)
            if task is not None:
                task.status = outcome.status
                task.result = outcome.model_dump(mode="json", exclude={"task_id", "status"})

    @activity.defn(name="hive.projects.project_status")
    async def project_status(self, update: ProjectStatusUpdate) -> None:
        async with self._store()() as session, session.begin():
            project = await session.get(Project, update.project_id)
            if project is not None:
                project.status = update.status

    @activity.defn(name="hive.projects.await_tasks")
    async def await_tasks(self, request: AwaitTasksInput) -> list[TaskContext]:
        """Wait until every task in ``task_ids`` completed; their answers, in order.

        Fails for good when one of them failed or was canceled: the waiting task cannot start.
        """
        while True:
            async with self._store()() as session:
                rows = (await session.scalars(select(Task).where(Task.id.in_(request.task_ids)))).all()
            by_id = {row.id: row for row in rows}
            for task_id in request.task_ids:
                row = by_id.get(task_id)
                if row is None:
                    raise ApplicationError(
                        f"dependency {task_id} no longer exists", type="NotFoundError", non_retryable=True
                    )
                if row.status in (TaskStatus.FAILED, TaskStatus.CANCELED):
                    raise ApplicationError(
                        f"dependency {row.title!r} ({task_id}) {row.status.value}",
                        type="DependencyFailed",
                        non_retryable=True,
                    )
            if all(by_id[task_id].status is TaskStatus.COMPLETED for task_id in request.task_ids):
                return [task_context(by_id[task_id]) for task_id in request.task_ids]
            activity.heartbeat()
            await asyncio.sleep(_WAIT_POLL_S)


__all__ = ["AwaitTasksInput", "ProjectStatusUpdate", "ProjectStoreActivities", "TaskStarted", "task_context"]
