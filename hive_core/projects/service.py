"""Creating and reading tasks and projects: database rows plus their durable runs.

The API and `hive projects` go through here. A task or project is written first, then its
workflow is started with a deterministic id (`hive-task-<id>` / `hive-project-<id>`), so a
retried request can never run the same work twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from temporalio.client import Client

from hive_core.config import ClusterConfig
from hive_core.db.models import Project, Task
from hive_core.db.models.enums import TaskStatus
from hive_core.errors import ConflictError, NotFoundError, ValidationError
from hive_core.executions.temporal import temporal_errors
from hive_core.projects.models import PlannedTask, ProjectRunInput, TaskRunInput
from hive_core.projects.planning import TaskSpec, plan_tasks, slot_limits, template_specs
from workflows.agent_task import AgentTaskWorkflow, task_workflow_id
from workflows.project_run import ProjectWorkflow
from workflows.retries import RUN_TASK_TIMEOUT


def project_workflow_id(project_id: str) -> str:
    return f"hive-project-{project_id}"


class ProjectRequest(BaseModel):
    """``POST /api/projects``: a template's stages, or explicit tasks."""

    name: str = Field(min_length=1, max_length=255)
    goal: str = Field(default="", max_length=100_000)
    # A `workflows.templates` entry of hive.yaml; or give `tasks`.
    template: str | None = Field(default=None, max_length=100)
    tasks: list[TaskSpec] = Field(default=[], max_length=200)


async def _existing_ids(session: AsyncSession, ids: Sequence[str]) -> set[str]:
    if not ids:
        return set()
    return set((await session.scalars(select(Task.id).where(Task.id.in_(list(ids))))).all())


def _row(task: PlannedTask, project_id: str | None, deps: list[Task]) -> Task:
    return Task(
        id=task.id,
        title=task.title,
        description=task.description,
        priority=task.priority,
        status=TaskStatus.PENDING,
        project_id=project_id,
        input=task.model_dump(mode="json"),
        depends_on=deps,
    )


async def create_task(
    session: AsyncSession, client: Client, cluster: ClusterConfig, task_queue: str, spec: TaskSpec
) -> Task:
    """Store a standalone task and start its run (it first waits for the tasks it depends on)."""
    existing = await _existing_ids(session, spec.depends_on)
    (planned,) = plan_tasks(cluster, [spec], [str(uuid.uuid4())], existing)
    deps = list((await session.scalars(select(Task).where(Task.id.in_(planned.depends_on)))).all())
    row = _row(planned, None, deps)
    row.workflow_id = task_workflow_id(planned.id)
    session.add(row)
    await session.commit()
    with temporal_errors():
        await client.start_workflow(
            AgentTaskWorkflow.run,
            TaskRunInput(task=planned, wait_for=planned.depends_on),
            id=row.workflow_id,
            task_queue=task_queue,
            task_timeout=RUN_TASK_TIMEOUT,
        )
    return row


async def create_project(
    session: AsyncSession, client: Client, cluster: ClusterConfig, task_queue: str, request: ProjectRequest
) -> Project:
    """Store a project and its tasks, then start the project run."""
    if (request.template is None) == (not request.tasks):
        raise ValidationError(
            "give either `template` (a workflows.templates entry) or `tasks`, not both or neither"
        )
    if await session.scalar(select(Project.id).where(Project.name == request.name)):
        raise ConflictError(f"a project called {request.name!r} exists already", name=request.name)
    specs = template_specs(cluster, request.template, request.goal) if request.template else request.tasks
    planned = plan_tasks(cluster, specs, [str(uuid.uuid4()) for _ in specs])
    project = Project(
        id=str(uuid.uuid4()),
        name=request.name,
        description=request.goal or None,
        template=request.template,
        status=TaskStatus.PENDING,
    )
    project.workflow_id = project_workflow_id(project.id)
    rows: dict[str, Task] = {}
    for task in planned:  # planned order is dependency-safe only for deps already seen: link after
        rows[task.id] = _row(task, project.id, [])
    for task in planned:
        rows[task.id].depends_on = [rows[dep] for dep in task.depends_on]
    session.add(project)
    session.add_all(rows.values())
    await session.commit()
    with temporal_errors():
        await client.start_workflow(
            ProjectWorkflow.run,
            ProjectRunInput(
                project_id=project.id,
                name=project.name,
                goal=request.goal or None,
                tasks=planned,
                slots=slot_limits(cluster, planned),
            ),
            id=project.workflow_id,
            task_queue=task_queue,
            task_timeout=RUN_TASK_TIMEOUT,
        )
    return project


async def get_task(session: AsyncSession, task_id: str) -> Task:
    task = await session.scalar(select(Task).options(selectinload(Task.depends_on)).where(Task.id == task_id))
    if task is None:
        raise NotFoundError(f"task {task_id!r} does not exist", task_id=task_id)
    return task


async def list_tasks(
    session: AsyncSession, *, status: TaskStatus | None = None, limit: int = 100
) -> list[Task]:
    query = select(Task).options(selectinload(Task.depends_on)).order_by(Task.created_at.desc()).limit(limit)
    if status is not None:
        query = query.where(Task.status == status)
    return list((await session.scalars(query)).all())


async def get_project(session: AsyncSession, project_id: str) -> tuple[Project, list[Task]]:
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFoundError(f"project {project_id!r} does not exist", project_id=project_id)
    tasks = (
        await session.scalars(
            select(Task)
            .options(selectinload(Task.depends_on))
            .where(Task.project_id == project_id)
            .order_by(Task.created_at)
        )
    ).all()
    return project, list(tasks)


async def list_projects(session: AsyncSession, limit: int = 100) -> list[Project]:
    return list(
        (await session.scalars(select(Project).order_by(Project.created_at.desc()).limit(limit))).all()
    )


def task_view(task: Task) -> dict[str, Any]:
    """A task as the API shows it: its plan, status, outcome and dependencies."""
    planned = task.input or {}
    result = task.result or {}
    return {
        "id": task.id,
        "title": task.title,
        "description": task.description or "",
        "priority": task.priority,
        "status": task.status,
        "project_id": task.project_id,
        "agent": (planned.get("route") or {}).get("agent"),
        "capability": (planned.get("route") or {}).get("capability"),
        "model": planned.get("model"),
        "depends_on": [dep.id for dep in task.depends_on],
        "review": planned.get("review"),
        "workflow_id": task.workflow_id,
        "result": result.get("result"),
        "artifacts": result.get("artifacts") or [],
        "error": result.get("error"),
        "review_result": result.get("review"),
        "created_at": task.created_at,
        "updated_at": task.updated_at,
    }


__all__ = [
    "ProjectRequest",
    "create_project",
    "create_task",
    "get_project",
    "get_task",
    "list_projects",
    "list_tasks",
    "project_workflow_id",
    "task_view",
]
