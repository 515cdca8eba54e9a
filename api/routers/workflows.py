"""Stored n8n workflows: upload (compiled on the way in), list, get, new versions, delete,
activate/deactivate (webhook routes read the active flag; Temporal Schedules are synced here),
and import from a live n8n.

Viewers read; operators write.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from starlette.datastructures import UploadFile

from api.auth import AUTH_RESPONSES, require
from api.deps import ClientDep, ClusterDep, CompileOptionsDep, SessionDep, SettingsDep
from api.errors import error_responses
from hive_core.approvals import approval_policy
from hive_core.auth import Permission, Principal, record_audit
from hive_core.config import ClusterConfig
from hive_core.credentials import credential_warnings
from hive_core.db.models import Workflow
from hive_core.errors import CompileError, HiveError, NotFoundError, ValidationError
from hive_core.n8n_remote import fetch_n8n_workflows
from hive_core.trigger_activation import Activation, TriggerActivation
from hive_core.workflow_versions import (
    compile_single,
    create_workflow,
    get_version,
    get_workflow,
    list_versions,
    new_version,
    sync_active_schedules,
)
from n8n_import import CompileOptions
from n8n_import.plan import Plan

router = APIRouter(prefix="/api/workflows", tags=["workflows"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.WORKFLOWS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.WORKFLOWS_WRITE))]

# The body is read by hand (JSON or a multipart file), so its schema is declared here.
_EXPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "object", "description": "an n8n workflow export"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}
_COMPILE_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "the workflow does not compile; `error.diagnostics` names each node at fault"}
}
_MISSING = error_responses({404: "no such workflow (or version)"})
_ENGINE = error_responses({503: "Temporal is unreachable, so the workflow's schedules cannot follow"})


class WorkflowSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    version: int
    active: bool
    created_by: str | None
    created_at: datetime
    updated_at: datetime


class WorkflowDetail(WorkflowSummary):
    n8n_data: dict[str, Any]
    plan: dict[str, Any] | None
    diagnostics: list[Any]


class WorkflowPage(BaseModel):
    items: list[WorkflowSummary]
    total: int
    limit: int
    offset: int


class VersionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    name: str
    created_at: datetime


class VersionDetail(VersionSummary):
    n8n_data: dict[str, Any]
    plan: dict[str, Any] | None
    diagnostics: list[Any]


class N8nImportRequest(BaseModel):
    base_url: str = Field(description="n8n's base URL, e.g. https://n8n.example.com", pattern=r"^https?://")
    # Sent as an HTTP header, so printable ASCII only (anything else could never be a valid key).
    api_key: str = Field(
        min_length=1, pattern=r"^[\x20-\x7e]+$", description="an n8n API key (Settings → n8n API)"
    )
    activate: bool = Field(default=False, description="activate the imported workflows in Hive")


class ImportedWorkflow(BaseModel):
    n8n_id: str | None
    id: str
    name: str
    version: int
    status: str = Field(description="created, updated (new version) or unchanged")
    warnings: list[Any] = Field(default=[], description="e.g. credentials Hive does not hold yet")


class FailedWorkflow(BaseModel):
    n8n_id: str | None
    name: str | None
    error: str
    diagnostics: list[Any] = []


class N8nImportResult(BaseModel):
    imported: list[ImportedWorkflow]
    failed: list[FailedWorkflow]


async def _export_body(request: Request) -> bytes:
    """The uploaded export: a multipart ``file`` field, or the raw (JSON) body."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationError("multipart upload needs a 'file' field with the n8n export", field="file")
        return await upload.read()
    return await request.body()


class _ScheduleSync:
    """Makes Temporal Schedules follow the active workflows as the request's session sees them."""

    def __init__(
        self, session: SessionDep, client: ClientDep, settings: SettingsDep, cluster: ClusterDep
    ) -> None:
        self._session = session
        self._client = client
        self._task_queue = settings.temporal.task_queue
        self._approval = approval_policy(cluster.security)

    async def __call__(self) -> None:
        await self._session.flush()
        await sync_active_schedules(self._session, self._client, self._task_queue, self._approval)


ScheduleSyncDep = Annotated[_ScheduleSync, Depends()]


class _WebhookRegistrations:
    """The workflow's node-host triggers follow activation: service webhooks registered with
    their services, listening triggers started (hive_core.trigger_activation)."""

    def __init__(self, client: ClientDep, settings: SettingsDep, cluster: ClusterDep) -> None:
        self._triggers = TriggerActivation(
            client, settings.temporal.task_queue, settings.api.base_url, approval_policy(cluster.security)
        )

    async def register(self, workflow_id: str, plan: Plan, activation: Activation = "activate") -> None:
        """Raises WebhookRegistrationError (409) naming the node when its service refuses."""
        await self._triggers.activate(workflow_id, plan, activation)

    async def unregister(self, workflow_id: str, plan: Plan) -> None:
        await self._triggers.deactivate(workflow_id, plan)


WebhooksDep = Annotated[_WebhookRegistrations, Depends()]
_ACTIVATION = error_responses(
    {409: "a trigger's service refused to register its webhook (the error names the node)"}
)


@router.post(
    "",
    response_model=WorkflowDetail,
    status_code=201,
    openapi_extra=_EXPORT_BODY,
    responses={
        **_COMPILE_ERRORS,
        409: {"description": "a workflow with that id exists, or a trigger's service refused its webhook"},
        **_ENGINE,
    },
)
async def create(
    request: Request,
    principal: Writer,
    session: SessionDep,
    sync: ScheduleSyncDep,
    webhooks: WebhooksDep,
    cluster: ClusterDep,
    options: CompileOptionsDep,
    activate: bool = False,
) -> WorkflowDetail:
    """Upload an n8n export (JSON body or multipart `file`), compile it and store it."""
    source, plan = compile_single(await _export_body(request), options)
    row = await create_workflow(session, source, plan, created_by=principal.user_id)
    record_audit(session, principal.actor, "create", "workflow", row.id, name=row.name, version=row.version)
    if activate:
        stored = Plan.model_validate(row.plan)
        await webhooks.register(row.id, stored)
        row.active = True
        try:
            await sync()
        except HiveError:
            await webhooks.unregister(row.id, stored)
            raise
    await session.commit()
    return await _detail(session, row, plan, cluster)


@router.get("", response_model=WorkflowPage)
async def list_(
    _: Reader,
    session: SessionDep,
    name: Annotated[str | None, Query(description="case-insensitive part of the name")] = None,
    active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> WorkflowPage:
    """Stored workflows by name, filtered and paginated; `total` counts all matches."""
    query = select(Workflow)
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Workflow.name.ilike(f"%{escaped}%", escape="\\"))
    if active is not None:
        query = query.where(Workflow.active.is_(active))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(query.order_by(Workflow.name, Workflow.id).limit(limit).offset(offset))
    items = [WorkflowSummary.model_validate(row) for row in rows]
    return WorkflowPage(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/import-from-n8n",
    response_model=N8nImportResult,
    responses=error_responses({503: "the n8n at `base_url` (or Temporal) cannot be reached"}),
)
async def import_from_n8n(
    body: N8nImportRequest,
    principal: Writer,
    session: SessionDep,
    sync: ScheduleSyncDep,
    webhooks: WebhooksDep,
    cluster: ClusterDep,
    options: CompileOptionsDep,
) -> N8nImportResult:
    """Pull every workflow from a live n8n's public API and store each (new version if known).

    Each workflow succeeds or fails on its own; failures list the compiler's diagnostics.
    """
    result = N8nImportResult(imported=[], failed=[])
    for source in await fetch_n8n_workflows(body.base_url, body.api_key):
        n8n_id = str(source["id"]) if source.get("id") else None
        name = source.get("name") if isinstance(source.get("name"), str) else None
        try:
            # Compiling comes before any write, so a workflow that fails leaves nothing behind.
            row, imported = await _import_one(session, source, principal, cluster, options)
        except HiveError as exc:
            diagnostics = exc.details.get("diagnostics", []) if isinstance(exc, CompileError) else []
            result.failed.append(
                FailedWorkflow(n8n_id=n8n_id, name=name, error=exc.message, diagnostics=diagnostics)
            )
            continue
        if body.activate and row.plan is not None:
            try:
                await webhooks.register(row.id, Plan.model_validate(row.plan))
                row.active = True
            except HiveError as exc:
                # Stored, but inactive: a trigger's service refused its webhook.
                imported.warnings.append({"severity": "error", "message": exc.message})
        result.imported.append(imported)
    record_audit(
        session,
        principal.actor,
        "import",
        "workflow",
        None,
        source=body.base_url,
        imported=[w.id for w in result.imported],
        failed=[w.n8n_id for w in result.failed],
    )
    if body.activate and result.imported:
        await sync()
    await session.commit()
    return result


async def _import_one(
    session: SessionDep,
    source: dict[str, Any],
    principal: Principal,
    cluster: ClusterConfig,
    options: CompileOptions,
) -> tuple[Workflow, ImportedWorkflow]:
    source, plan = compile_single(source, options)
    n8n_id = str(source["id"]) if source.get("id") else None
    row = await session.get(Workflow, n8n_id) if n8n_id else None
    if row is None:
        row = await create_workflow(session, source, plan, created_by=principal.user_id)
        status = "created"
    elif row.n8n_data == source:
        status = "unchanged"
    else:
        row = await new_version(session, row, source, plan)
        status = "updated"
    missing = await credential_warnings(session, plan, cluster.credentials)
    warnings = [d.model_dump(mode="json") for d in missing]
    imported = ImportedWorkflow(
        n8n_id=n8n_id, id=row.id, name=row.name, version=row.version, status=status, warnings=warnings
    )
    return row, imported


async def _detail(session: SessionDep, row: Workflow, plan: Plan, cluster: ClusterConfig) -> WorkflowDetail:
    """The stored workflow, plus warnings about credentials Hive does not hold (as of now)."""
    detail = WorkflowDetail.model_validate(row)
    missing = await credential_warnings(session, plan, cluster.credentials)
    detail.diagnostics = [*detail.diagnostics, *(d.model_dump(mode="json") for d in missing)]
    return detail


@router.get("/{workflow_id}", response_model=WorkflowDetail, responses=_MISSING)
async def get(workflow_id: str, _: Reader, session: SessionDep) -> WorkflowDetail:
    """A workflow with its n8n JSON, compiled plan and compiler diagnostics."""
    return WorkflowDetail.model_validate(await get_workflow(session, workflow_id))


@router.put(
    "/{workflow_id}",
    response_model=WorkflowDetail,
    openapi_extra=_EXPORT_BODY,
    responses={**_COMPILE_ERRORS, **_MISSING, **_ENGINE, **_ACTIVATION},
)
async def update(
    workflow_id: str,
    request: Request,
    principal: Writer,
    session: SessionDep,
    sync: ScheduleSyncDep,
    webhooks: WebhooksDep,
    cluster: ClusterDep,
    options: CompileOptionsDep,
) -> WorkflowDetail:
    """Replace the workflow with a new version. Running executions keep the version they started
    with; the previous version stays readable under `/versions/{n}`."""
    row = await get_workflow(session, workflow_id)
    source, plan = compile_single(await _export_body(request), options)
    previous = row.version
    old_plan = Plan.model_validate(row.plan) if row.plan is not None else None
    await new_version(session, row, source, plan)
    record_audit(
        session, principal.actor, "update", "workflow", row.id, previous_version=previous, version=row.version
    )
    if row.active:
        # As n8n's update of an active workflow: the old webhooks go, the new ones register.
        if old_plan is not None:
            await webhooks.unregister(row.id, old_plan)
        try:
            await webhooks.register(row.id, Plan.model_validate(row.plan), "update")
        except HiveError:
            if old_plan is not None:
                await webhooks.register(row.id, old_plan, "update")
            raise
        await sync()  # schedules start the new plan from now on
    await session.commit()
    return await _detail(session, row, plan, cluster)


@router.delete("/{workflow_id}", status_code=204, response_class=Response, responses={**_MISSING, **_ENGINE})
async def delete(
    workflow_id: str, principal: Writer, session: SessionDep, sync: ScheduleSyncDep, webhooks: WebhooksDep
) -> Response:
    """Delete a workflow, its version history and its executions' records; its schedules stop."""
    row = await get_workflow(session, workflow_id)
    was_active = row.active
    if was_active and row.plan is not None:
        await webhooks.unregister(row.id, Plan.model_validate(row.plan))
    record_audit(session, principal.actor, "delete", "workflow", row.id, name=row.name, version=row.version)
    await session.delete(row)
    if was_active:
        await sync()
    await session.commit()
    return Response(status_code=204)


async def _set_active(
    workflow_id: str,
    active: bool,
    principal: Principal,
    session: SessionDep,
    sync: ScheduleSyncDep,
    webhooks: _WebhookRegistrations,
) -> WorkflowDetail:
    row = await get_workflow(session, workflow_id)
    if row.plan is None:
        raise ValidationError(f"workflow {workflow_id!r} has no compiled plan", workflow_id=workflow_id)
    plan = Plan.model_validate(row.plan)
    was_active = row.active
    if active and not was_active:
        # Services first: a refusal (409) leaves the workflow inactive and nothing registered.
        await webhooks.register(row.id, plan)
    row.active = active
    record_audit(session, principal.actor, "activate" if active else "deactivate", "workflow", row.id)
    # Schedules next: if Temporal is unreachable nothing is committed and the caller gets 503.
    try:
        await sync()
    except HiveError:
        if active and not was_active:
            await webhooks.unregister(row.id, plan)
        raise
    if was_active and not active:
        await webhooks.unregister(row.id, plan)
    await session.commit()
    return WorkflowDetail.model_validate(row)


@router.post(
    "/{workflow_id}/activate", response_model=WorkflowDetail, responses={**_MISSING, **_ENGINE, **_ACTIVATION}
)
async def activate(
    workflow_id: str, principal: Writer, session: SessionDep, sync: ScheduleSyncDep, webhooks: WebhooksDep
) -> WorkflowDetail:
    """Serve the workflow's webhooks, register its service triggers' webhooks (Telegram,
    GitHub...) with their services, and run its Schedule/Cron triggers as Temporal Schedules."""
    return await _set_active(workflow_id, True, principal, session, sync, webhooks)


@router.post("/{workflow_id}/deactivate", response_model=WorkflowDetail, responses={**_MISSING, **_ENGINE})
async def deactivate(
    workflow_id: str, principal: Writer, session: SessionDep, sync: ScheduleSyncDep, webhooks: WebhooksDep
) -> WorkflowDetail:
    """Stop serving the workflow's webhooks, unregister its service webhooks, delete its schedules."""
    return await _set_active(workflow_id, False, principal, session, sync, webhooks)


@router.get("/{workflow_id}/versions", response_model=list[VersionSummary], responses=_MISSING)
async def versions(workflow_id: str, _: Reader, session: SessionDep) -> list[VersionSummary]:
    """Every version of the workflow, oldest first (the last one is the current version)."""
    row = await get_workflow(session, workflow_id)
    history = [VersionSummary.model_validate(v) for v in await list_versions(session, workflow_id)]
    return [*history, VersionSummary(version=row.version, name=row.name, created_at=row.updated_at)]


@router.get("/{workflow_id}/versions/{version}", response_model=VersionDetail, responses=_MISSING)
async def version(workflow_id: str, version: int, _: Reader, session: SessionDep) -> VersionDetail:
    """One version's n8n JSON and plan, as it was when it was current."""
    row = await get_workflow(session, workflow_id)
    if version == row.version:
        return VersionDetail(
            version=row.version,
            name=row.name,
            created_at=row.updated_at,
            n8n_data=row.n8n_data,
            plan=row.plan,
            diagnostics=row.diagnostics,
        )
    old = await get_version(session, workflow_id, version)
    if old is None:
        raise NotFoundError(f"workflow {workflow_id!r} has no version {version}", workflow_id=workflow_id)
    return VersionDetail.model_validate(old)
