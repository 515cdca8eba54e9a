"""Start an execution of a stored workflow: one door for the API (and anything else that starts runs).

Order, chosen so that no failure duplicates or loses a run:

1. The input is checked against `MAX_INPUT_BYTES` (below Temporal's 2 MB payload limit) before
   anything is written or started: too large → `PayloadTooLargeError` (413).
2. The `executions` row is committed first (status `running`, start time now) with the
   Temporal workflow id it will use. An idempotency key maps to a fixed workflow id
   (`hive-exec-<uuid5(key)>`) and is unique in the table, so a second request with the same
   key finds the row and gets the same execution back, even while the first is still starting.
3. The Temporal workflow is started with `USE_EXISTING` on conflict and `REJECT_DUPLICATE` reuse,
   so starting the same id twice (a retried request, a crash between 2 and 3) never makes a
   second run: a repeated request with the key re-issues the start, which either is a no-op or
   heals a start lost to a crash. If Temporal cannot be reached the row is deleted (503).
4. Nothing more is written on the request's path: the run id and every later state reach the
   row from Temporal (the reconciler, every `GET`), so a slow database never delays or fails
   the run. A row whose run Temporal never saw is marked failed after `ABANDONED_AFTER`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import WorkflowAlreadyStartedError

from hive_core.approvals import ApprovalPolicy
from hive_core.db.base import utcnow
from hive_core.db.models import Execution, ExecutionStatus, Workflow
from hive_core.errors import ConflictError, PayloadTooLargeError, ValidationError
from hive_core.executions.temporal import temporal_errors
from hive_core.temporal.search_attributes import HIVE_STATUS, HIVE_WORKFLOW
from n8n_import.plan import Plan
from workflows.n8n_models import RunN8nInput
from workflows.n8n_run import N8nWorkflow
from workflows.retries import RUN_TASK_TIMEOUT

# Temporal refuses payloads over 2 MB; the run input also carries the plan, so the whole
# serialized input must stay under this (the rest is room for Temporal's envelope).
MAX_INPUT_BYTES = 1_800_000
EXECUTION_ID_PREFIX = "hive-exec-"
# uuid5 namespace for ids derived from idempotency keys (any fixed UUID will do).
_NOT_FINAL = (ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.WAITING)
_KEY_NAMESPACE = uuid.UUID("6f1c2a8e-4b7d-4e52-9a57-0d1f3c9b8e21")


@dataclass(frozen=True)
class _Target:
    id: str
    version: int
    plan: dict[str, Any] | None


@dataclass
class StartedExecution:
    """The execution a start request refers to; `created` is False when an existing one was returned."""

    row: Execution
    created: bool


def execution_id_for(idempotency_key: str | None) -> str:
    """`hive-exec-<uuid>`: random, or derived from the idempotency key (same key → same id)."""
    if idempotency_key is None:
        return f"{EXECUTION_ID_PREFIX}{uuid.uuid4()}"
    return f"{EXECUTION_ID_PREFIX}{uuid.uuid5(_KEY_NAMESPACE, idempotency_key)}"


def trigger_items(value: Any) -> list[dict[str, Any]] | None:
    """Input JSON → the start node's items: an object is one item, an array one item per element.

    Elements already shaped like n8n items (`{"json": {...}}`) are kept; None means n8n's manual
    run (one empty item).
    """
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    items = []
    for entry in values:
        if not isinstance(entry, dict):
            raise ValidationError("input must be a JSON object or an array of objects", field="input")
        items.append(entry if isinstance(entry.get("json"), dict) else {"json": entry})
    return items


def check_payload_size(run_input: RunN8nInput) -> None:
    """PayloadTooLargeError when the run's input would exceed Temporal's payload limit."""
    size = len(run_input.model_dump_json().encode())
    if size > MAX_INPUT_BYTES:
        raise PayloadTooLargeError(
            f"the execution input is {size} bytes with the workflow's plan; Temporal accepts at most "
            f"{MAX_INPUT_BYTES} bytes per run input (its payload limit is 2 MB): send less data, or "
            "pass a reference (a URL the workflow fetches) instead of the data itself",
            size=size,
            limit=MAX_INPUT_BYTES,
        )


def start_options(execution_id: str, task_queue: str) -> dict[str, Any]:
    """``start_workflow`` options every start of the interpreter shares.

    The short task timeout moves a dead worker's run on in seconds (``workflows.retries``).
    The eager start is taken only when a worker shares the starting client
    (``api.embedded_worker``): the first workflow task then comes back in the start reply.
    """
    return {
        "id": execution_id,
        "task_queue": task_queue,
        "task_timeout": RUN_TASK_TIMEOUT,
        "request_eager_start": True,
    }


async def start_run(
    client: Client,
    run_input: RunN8nInput,
    execution_id: str,
    task_queue: str,
    *,
    memo: dict[str, Any] | None = None,
    size_checked: bool = False,
) -> str | None:
    """Start the interpreter under `execution_id` (idempotent); returns the run id (None if closed).

    Search attributes are set at start so visibility lists the run at once. `size_checked`: the
    caller already ran `check_payload_size` (serializing a large plan twice costs milliseconds).
    """
    if not size_checked:
        check_payload_size(run_input)
    plan = run_input.plan
    attributes = TypedSearchAttributes(
        [
            SearchAttributePair(HIVE_WORKFLOW, plan.name or plan.workflow_id or "unnamed"),
            SearchAttributePair(HIVE_STATUS, "running"),
        ]
    )
    with temporal_errors():
        try:
            handle = await client.start_workflow(
                N8nWorkflow.run,
                run_input,
                **start_options(execution_id, task_queue),
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                search_attributes=attributes,
                memo=memo,
            )
        except WorkflowAlreadyStartedError:
            return None  # it ran and closed already: the same execution, nothing to start
    return handle.result_run_id


async def start_execution(
    session: AsyncSession,
    client: Client,
    workflow: Workflow,
    *,
    task_queue: str,
    input_data: Any = None,
    idempotency_key: str | None = None,
    mode: str = "manual",
    webhook_base_url: str | None = None,
    approval: ApprovalPolicy | None = None,
) -> StartedExecution:
    """Start (or find, by idempotency key) an execution of `workflow`'s current version.

    Raises:
        ValidationError: the workflow has no compiled plan, or the input is not objects.
        PayloadTooLargeError: the input does not fit Temporal's payload limit.
        ConflictError: the idempotency key was used for another workflow.
        EngineUnavailableError: Temporal cannot be reached (nothing was started).
    """
    # Read once: a rollback below expires the ORM object.
    target = _Target(workflow.id, workflow.version, workflow.plan)
    # RunN8nInput fields every start of this request shares (a keyed re-start too).
    extra: dict[str, Any] = {"webhook_base_url": webhook_base_url}
    if approval is not None:
        extra["approval"] = approval
    if idempotency_key is not None:
        existing = await find_by_key(session, idempotency_key)
        if existing is not None:
            return await _existing(session, client, existing, target, task_queue, extra)
    if target.plan is None:
        raise ValidationError(f"workflow {target.id!r} has no compiled plan", workflow_id=target.id)
    run_input = RunN8nInput(
        plan=Plan.model_validate(target.plan),
        trigger_items=trigger_items(input_data),
        mode=mode,
        **extra,
    )
    check_payload_size(run_input)
    row = Execution(
        workflow_id=target.id,
        workflow_version=target.version,
        temporal_workflow_id=execution_id_for(idempotency_key),
        # Written before the start; the run id and every later state come from Temporal (sync).
        status=ExecutionStatus.RUNNING,
        started_at=utcnow(),
        mode=mode,
        input_data=input_data,
        idempotency_key=idempotency_key,
        logs=[],
    )
    session.add(row)
    try:
        await session.commit()
    except IntegrityError:
        # A concurrent request with the same key won the insert: answer with its execution.
        await session.rollback()
        existing = await find_by_key(session, idempotency_key or "")
        if existing is None:
            raise
        return await _existing(session, client, existing, target, task_queue, extra)
    try:
        await start_run(client, run_input, row.temporal_workflow_id, task_queue, size_checked=True)
    except Exception:
        # Nothing runs: drop the row so a retry starts cleanly (a keyed retry would also heal it).
        await session.delete(row)
        await session.commit()
        raise
    return StartedExecution(row, created=True)


async def find_by_key(session: AsyncSession, idempotency_key: str) -> Execution | None:
    """The execution started with `idempotency_key`, if any."""
    return await session.scalar(select(Execution).where(Execution.idempotency_key == idempotency_key))


async def _existing(
    session: AsyncSession,
    client: Client,
    row: Execution,
    workflow: _Target,
    task_queue: str,
    extra: dict[str, Any],
) -> StartedExecution:
    if row.workflow_id != workflow.id:
        raise ConflictError(
            "this Idempotency-Key was already used to start an execution of another workflow",
            execution_id=row.temporal_workflow_id,
            workflow_id=row.workflow_id,
        )
    if row.status in _NOT_FINAL and workflow.plan is not None:
        # The first request may have stopped between its insert and its start (or still be
        # starting): starting the same id again is a no-op when it did start.
        run_input = RunN8nInput(
            plan=Plan.model_validate(workflow.plan),
            trigger_items=trigger_items(row.input_data),
            mode=row.mode,
            **extra,
        )
        await start_run(client, run_input, row.temporal_workflow_id, task_queue)
    return StartedExecution(row, created=False)


__all__ = [
    "EXECUTION_ID_PREFIX",
    "MAX_INPUT_BYTES",
    "StartedExecution",
    "check_payload_size",
    "execution_id_for",
    "find_by_key",
    "start_execution",
    "start_run",
    "trigger_items",
]
