"""Executions: start a stored workflow, list and read runs, cancel, terminate, resume, retry.

Who answers what:
- `GET /api/executions` lists from the **DB index** (`executions`): filters by status, workflow
  and time range, counts and pages in SQL. The reconciler keeps it within seconds of Temporal.
- `GET /api/executions/{id}` answers from **Temporal** (describe + the `snapshot` query or the
  result) and upserts the index with what it read; runs started outside the API (webhooks,
  schedules, `hive run`) are found by id even before (or without) an index row — the
  reconciler's discovery indexes those of stored workflows.
- Control routes act on Temporal directly. An execution's `id` is its Temporal workflow id.

Viewers read; operators (executions:write) start and control runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Response
from pydantic import AwareDatetime, BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import AUTH_RESPONSES, require
from api.deps import ClientDep, ClusterDep, SessionDep, SettingsDep
from hive_core.approvals import GateState, approval_policy
from hive_core.auth import Permission, Principal
from hive_core.db.base import utcnow
from hive_core.db.models import Execution, ExecutionStatus, Workflow
from hive_core.errors import ConflictError, NotFoundError
from hive_core.executions import (
    RunView,
    execution_id_for,
    fetch_run,
    retry_input,
    run_handle,
    start_execution,
    start_run,
    sync_execution,
    temporal_errors,
)
from hive_core.executions.index import write_view
from hive_core.executions.reconcile import workflow_node_ids
from workflows.n8n_models import ExecutionStatus as RunStatus
from workflows.n8n_models import ResumeRequest
from workflows.n8n_run import N8nWorkflow

router = APIRouter(prefix="/api", tags=["executions"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.EXECUTIONS_READ))]
Writer = Annotated[Principal, Depends(require(Permission.EXECUTIONS_WRITE))]

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such execution"}}
_ENGINE: dict[int | str, dict[str, Any]] = {503: {"description": "Temporal is unreachable"}}
_CLOSED: dict[int | str, dict[str, Any]] = {
    409: {"description": "the execution is not in a state that allows it"}
}


class StartExecutionBody(BaseModel):
    input: Any = Field(
        default=None,
        description="the trigger's items: a JSON object (one item) or an array of objects; "
        "omitted = n8n's manual run (one empty item)",
    )
    idempotency_key: str | None = Field(
        default=None,
        max_length=255,
        description="same key → the same execution (also accepted as the `Idempotency-Key` header)",
    )


class ResumeBody(BaseModel):
    data: dict[str, Any] = Field(default_factory=dict, description="what the Wait node outputs as `body`")


class ExecutionSummary(BaseModel):
    id: str = Field(description="the execution id (its Temporal workflow id)")
    workflow_id: str | None
    workflow_version: int | None
    status: ExecutionStatus
    mode: str | None
    started_at: datetime | None
    finished_at: datetime | None
    last_node_executed: str | None = None
    error: dict[str, Any] | None = None
    retry_of: str | None = None


class ExecutionDetail(ExecutionSummary):
    data: dict[str, Any] | None = Field(
        default=None, description="n8n's run data: `{data: {resultData: {runData, lastNodeExecuted}}, ...}`"
    )
    running_nodes: list[dict[str, Any]] = Field(default_factory=list)


class ExecutionPage(BaseModel):
    items: list[ExecutionSummary]
    total: int
    limit: int
    offset: int


class ExecutionAction(BaseModel):
    id: str
    status: ExecutionStatus
    message: str


def _summary(row: Execution) -> ExecutionSummary:
    output = row.output_data if isinstance(row.output_data, dict) else {}
    return ExecutionSummary(
        id=row.temporal_workflow_id,
        workflow_id=row.workflow_id,
        workflow_version=row.workflow_version,
        status=row.status,
        mode=row.mode,
        started_at=row.started_at,
        finished_at=row.finished_at,
        last_node_executed=output.get("lastNodeExecuted"),
        error=row.error,
    )


def _detail(view: RunView, indexed: ExecutionSummary | None) -> ExecutionDetail:
    """The Temporal view, with what only the index knows (workflow, version, mode) from `indexed`."""
    snapshot = view.snapshot
    base: dict[str, Any] = {"workflow_id": None, "workflow_version": None, "mode": None}
    if indexed is not None:
        base = indexed.model_dump()
    base.update(
        id=view.workflow_id,
        status=view.status,
        started_at=base.get("started_at") or view.started_at,
        finished_at=view.closed_at,
        last_node_executed=snapshot.last_node_executed if snapshot else None,
        error=snapshot.error if snapshot else None,
    )
    return ExecutionDetail(
        **base,
        data=snapshot.to_n8n() if snapshot else None,
        running_nodes=[n.model_dump(mode="json") for n in getattr(snapshot, "running_nodes", [])],
    )


async def _row(session: AsyncSession, execution_id: str) -> Execution | None:
    return await session.scalar(select(Execution).where(Execution.temporal_workflow_id == execution_id))


@router.post(
    "/workflows/{workflow_id}/executions",
    response_model=ExecutionSummary,
    status_code=201,
    responses={
        200: {"description": "an execution with this idempotency key exists: it is returned"},
        404: {"description": "no such workflow"},
        409: {"description": "the idempotency key belongs to another workflow's execution"},
        413: {"description": "the input exceeds Temporal's payload limit"},
        **_ENGINE,
    },
)
async def start(
    workflow_id: str,
    response: Response,
    _: Writer,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    cluster: ClusterDep,
    body: Annotated[StartExecutionBody | None, Body()] = None,
    idempotency_key: Annotated[str | None, Header(max_length=255)] = None,
) -> ExecutionSummary:
    """Start the workflow's current version with `input` as the trigger's items (201), or return
    the execution an idempotency key already started (200)."""
    body = body or StartExecutionBody()
    workflow = await session.get(Workflow, workflow_id)
    if workflow is None:
        raise NotFoundError(f"workflow {workflow_id!r} does not exist", workflow_id=workflow_id)
    started = await start_execution(
        session,
        client,
        workflow,
        task_queue=settings.temporal.task_queue,
        input_data=body.input,
        idempotency_key=idempotency_key or body.idempotency_key,
        mode="manual",
        webhook_base_url=settings.api.base_url,
        # Gates follow `security.require_approval` of the cluster's hive.yaml.
        approval=approval_policy(cluster.security),
    )
    if not started.created:
        response.status_code = 200
    return _summary(started.row)


@router.get("/executions", response_model=ExecutionPage)
async def list_(
    _: Reader,
    session: SessionDep,
    status: ExecutionStatus | None = None,
    workflow_id: str | None = None,
    started_after: Annotated[AwareDatetime | None, Query(description="ISO 8601 with a timezone")] = None,
    started_before: Annotated[AwareDatetime | None, Query(description="ISO 8601 with a timezone")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> ExecutionPage:
    """Executions from the index, newest first, filtered and paginated; `total` counts all matches."""
    query = select(Execution)
    if status is not None:
        query = query.where(Execution.status == status)
    if workflow_id is not None:
        query = query.where(Execution.workflow_id == workflow_id)
    # A queued run has no start time yet: its creation time stands in.
    started = func.coalesce(Execution.started_at, Execution.created_at)
    if started_after is not None:
        query = query.where(started >= started_after)
    if started_before is not None:
        query = query.where(started < started_before)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(Execution.created_at.desc(), Execution.id).limit(limit).offset(offset)
    )
    return ExecutionPage(items=[_summary(row) for row in rows], total=total, limit=limit, offset=offset)


@router.get("/executions/{execution_id}", response_model=ExecutionDetail, responses={**_NOT_FOUND, **_ENGINE})
async def get(execution_id: str, _: Reader, session: SessionDep, client: ClientDep) -> ExecutionDetail:
    """Status and n8n-shaped per-node run data, read from Temporal (the index is updated with it)."""
    row = await _row(session, execution_id)
    if row is None:
        return _detail(await fetch_run(client, execution_id), None)
    # Taken before the sync: a failed index write rolls the session back and expires `row`.
    indexed = _summary(row)
    view = await sync_execution(session, client, row)
    if view is None:
        # Indexed but unknown to Temporal: never started, or its history is past retention.
        return ExecutionDetail(**indexed.model_dump())
    return _detail(view, indexed)


async def _open_run(client: ClientDep, execution_id: str, action: str) -> RunView:
    view = await fetch_run(client, execution_id)
    if not view.open:
        raise ConflictError(
            f"execution {execution_id!r} is {view.status.value}: cannot {action} a closed execution",
            execution_id=execution_id,
            status=view.status.value,
        )
    return view


async def _resync(session: AsyncSession, client: ClientDep, execution_id: str) -> ExecutionStatus:
    """The status after an action, with the index updated (best effort)."""
    view = await fetch_run(client, execution_id)
    row = await _row(session, execution_id)
    if row is not None:
        await write_view(session, row, view, await workflow_node_ids(session, row.workflow_id))
    return view.status


@router.post(
    "/executions/{execution_id}/cancel",
    response_model=ExecutionAction,
    status_code=202,
    responses={**_NOT_FOUND, **_CLOSED, **_ENGINE},
)
async def cancel(execution_id: str, _: Writer, session: SessionDep, client: ClientDep) -> ExecutionAction:
    """Ask the run to cancel (the running node is cancelled; the run ends `canceled`)."""
    await _open_run(client, execution_id, "cancel")
    with temporal_errors(execution_id):
        await run_handle(client, execution_id).cancel()
    status = await _resync(session, client, execution_id)
    return ExecutionAction(id=execution_id, status=status, message="cancellation requested")


@router.post(
    "/executions/{execution_id}/terminate",
    response_model=ExecutionAction,
    responses={**_NOT_FOUND, **_CLOSED, **_ENGINE},
)
async def terminate(
    execution_id: str, principal: Writer, session: SessionDep, client: ClientDep
) -> ExecutionAction:
    """End the run at once (no cleanup runs; the run ends `terminated`)."""
    await _open_run(client, execution_id, "terminate")
    with temporal_errors(execution_id):
        await run_handle(client, execution_id).terminate(reason=f"terminated by {principal.actor}")
    status = await _resync(session, client, execution_id)
    return ExecutionAction(id=execution_id, status=status, message="terminated")


@router.post(
    "/executions/{execution_id}/resume",
    response_model=ExecutionAction,
    status_code=202,
    responses={**_NOT_FOUND, **_CLOSED, **_ENGINE},
)
async def resume(
    execution_id: str,
    _: Writer,
    client: ClientDep,
    body: Annotated[ResumeBody | None, Body()] = None,
) -> ExecutionAction:
    """Resume a Wait node waiting for its webhook call; it outputs `{"body": data}` (a signal)."""
    view = await _open_run(client, execution_id, "resume")
    if view.snapshot is None or view.snapshot.status is not RunStatus.WAITING:
        raise ConflictError(
            f"execution {execution_id!r} is not waiting (status {view.status.value})",
            execution_id=execution_id,
            status=view.status.value,
        )
    if any(gate.state is GateState.PENDING for gate in view.snapshot.approvals):
        # The signal is only for Wait nodes: a run held at an approval gate is decided, not resumed.
        raise ConflictError(
            f"execution {execution_id!r} waits for an approval decision, not for a Wait node",
            execution_id=execution_id,
        )
    data = (body or ResumeBody()).data
    with temporal_errors(execution_id):
        await run_handle(client, execution_id).signal(
            N8nWorkflow.resume_wait,
            ResumeRequest(json_data={"headers": {}, "params": {}, "query": {}, "body": data}),
        )
    return ExecutionAction(id=execution_id, status=ExecutionStatus.RUNNING, message="resumed")


@router.post(
    "/executions/{execution_id}/retry",
    response_model=ExecutionSummary,
    status_code=201,
    responses={**_NOT_FOUND, 409: {"description": "the execution did not fail"}, **_ENGINE},
)
async def retry(
    execution_id: str, _: Writer, session: SessionDep, client: ClientDep, settings: SettingsDep
) -> ExecutionSummary:
    """A new execution that keeps the failed one's successful nodes and goes on from the failed node
    with the plan version the original ran (n8n's "retry with original workflow")."""
    run_input = await retry_input(client, execution_id)
    original = await _row(session, execution_id)
    new_id = execution_id_for(None)
    workflow_id = original.workflow_id if original else run_input.plan.workflow_id
    workflow = await session.get(Workflow, workflow_id) if workflow_id else None
    row: Execution | None = None
    if workflow is not None:
        row = Execution(
            workflow_id=workflow.id,
            workflow_version=original.workflow_version if original else workflow.version,
            temporal_workflow_id=new_id,
            status=ExecutionStatus.RUNNING,
            started_at=utcnow(),
            mode="retry",
            input_data=original.input_data if original else None,
            logs=[],
        )
        session.add(row)
        await session.commit()
    try:
        await start_run(
            client, run_input, new_id, settings.temporal.task_queue, memo={"retry_of": execution_id}
        )
    except Exception:
        if row is not None:
            await session.delete(row)
            await session.commit()
        raise
    if row is not None:
        summary = _summary(row)
    else:
        summary = ExecutionSummary(
            id=new_id,
            workflow_id=None,
            workflow_version=None,
            status=ExecutionStatus.RUNNING,
            mode="retry",
            started_at=None,
            finished_at=None,
        )
    summary.retry_of = execution_id
    return summary
