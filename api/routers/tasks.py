"""Agent tasks: create one (it runs durably on a capable agent once its dependencies are done), read them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from api.auth import AUTH_RESPONSES, require
from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep
from api.errors import error_responses
from hive_core.auth import Permission, Principal
from hive_core.db.models.enums import TaskStatus
from hive_core.projects import Artifact, ReviewOptions, TaskSpec
from hive_core.projects.service import create_task, get_task, list_tasks, task_view

router = APIRouter(prefix="/api/tasks", tags=["tasks"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.EXECUTIONS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.EXECUTIONS_WRITE))]


class TaskView(BaseModel):
    id: str
    title: str
    description: str
    priority: int
    status: TaskStatus
    project_id: str | None
    agent: str | None
    capability: str | None
    model: str | None
    depends_on: list[str]
    review: ReviewOptions | None
    # The Temporal workflow id of its run (see it in the Temporal Web UI).
    workflow_id: str | None
    result: str | None
    artifacts: list[Artifact]
    error: str | None
    review_result: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime


@router.post(
    "",
    response_model=TaskView,
    status_code=201,
    responses=error_responses(
        {
            404: "a dependency names no task",
            422: "unknown agent, capability or model",
            503: "Temporal is unreachable",
        }
    ),
)
async def post_task(
    spec: TaskSpec,
    _: Writer,
    session: SessionDep,
    client: ClientDep,
    cluster: ClusterDep,
    settings: SettingsDep,
) -> TaskView:
    """Create a task: title, description, priority, an agent or capability (or model), dependencies."""
    task = await create_task(session, client, cluster, settings.temporal.task_queue, spec)
    return TaskView.model_validate(task_view(await get_task(session, task.id)))


@router.get("", response_model=list[TaskView])
async def get_tasks(
    _: Reader,
    session: SessionDep,
    status: TaskStatus | None = Query(None),
    limit: int = Query(100, ge=1, le=1000),
) -> list[TaskView]:
    """Tasks, newest first."""
    return [
        TaskView.model_validate(task_view(task))
        for task in await list_tasks(session, status=status, limit=limit)
    ]


@router.get("/{task_id}", response_model=TaskView, responses=error_responses({404: "no such task"}))
async def get_one_task(task_id: str, _: Reader, session: SessionDep) -> TaskView:
    """One task: status, the agent's answer, artifacts (code blocks), error, review rounds."""
    return TaskView.model_validate(task_view(await get_task(session, task_id)))
