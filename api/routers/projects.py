"""Projects: built from a hive.yaml template's stages (or explicit tasks) and run durably."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from api.auth import AUTH_RESPONSES, require
from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep
from api.errors import error_responses
from api.routers.tasks import TaskView
from hive_core.auth import Permission, Principal
from hive_core.db.models import Project
from hive_core.db.models.enums import TaskStatus
from hive_core.projects.service import (
    ProjectRequest,
    create_project,
    get_project,
    list_projects,
    task_view,
)

router = APIRouter(prefix="/api/projects", tags=["projects"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.EXECUTIONS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.EXECUTIONS_WRITE))]


class ProjectSummary(BaseModel):
    id: str
    name: str
    goal: str | None
    template: str | None
    status: TaskStatus
    workflow_id: str | None
    created_at: datetime


class ProjectView(ProjectSummary):
    # Finished / all tasks.
    progress: str
    tasks: list[TaskView]


def _summary(project: Project) -> ProjectSummary:
    return ProjectSummary(
        id=project.id,
        name=project.name,
        goal=project.description,
        template=project.template,
        status=project.status,
        workflow_id=project.workflow_id,
        created_at=project.created_at,
    )


@router.post(
    "",
    response_model=ProjectView,
    status_code=201,
    responses=error_responses(
        {
            404: "no such template, or a dependency names no task of the request",
            409: "a project of that name exists",
            422: "a dependency cycle (named), an unknown agent or capability",
            503: "Temporal is unreachable",
        }
    ),
)
async def post_project(
    request: ProjectRequest,
    _: Writer,
    session: SessionDep,
    client: ClientDep,
    cluster: ClusterDep,
    settings: SettingsDep,
) -> ProjectView:
    """Create a project from `template` (stages of hive.yaml's workflows.templates) or `tasks`, and run it."""
    project = await create_project(session, client, cluster, settings.temporal.task_queue, request)
    return await get_project_view(project.id, _, session)


@router.get("", response_model=list[ProjectSummary])
async def get_projects(
    _: Reader, session: SessionDep, limit: int = Query(100, ge=1, le=1000)
) -> list[ProjectSummary]:
    """Projects, newest first."""
    return [_summary(project) for project in await list_projects(session, limit)]


@router.get("/{project_id}", response_model=ProjectView, responses=error_responses({404: "no such project"}))
async def get_project_view(project_id: str, _: Reader, session: SessionDep) -> ProjectView:
    """A project with every task's status, answer and artifacts."""
    project, tasks = await get_project(session, project_id)
    done = sum(task.status is TaskStatus.COMPLETED for task in tasks)
    return ProjectView(
        **_summary(project).model_dump(),
        progress=f"{done}/{len(tasks)}",
        tasks=[TaskView.model_validate(task_view(task)) for task in tasks],
    )
