"""Approval gates: list what waits for an approver, and approve or reject it.

The decision is the `decide_approval` update of the run (Temporal's history keeps it with who
decided); the audit log gets a row per decision, with the principal as actor. Execution ids are
Temporal workflow ids.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from temporalio.client import (
    Client,
    WorkflowExecution,
    WorkflowExecutionStatus,
    WorkflowQueryFailedError,
    WorkflowUpdateFailedError,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from api.auth import AUTH_RESPONSES, ErrorBody, require
from api.deps import ClientDep, SessionDep
from hive_core.approvals import AWAITING_APPROVAL, ApprovalDecision, ApprovalGate, GateState
from hive_core.auth import Permission, Principal, record_audit
from hive_core.errors import ConflictError, EngineUnavailableError, HiveError, NotFoundError
from hive_core.executions.temporal import QUERY_TIMEOUT, run_handle, temporal_errors
from hive_core.temporal.search_attributes import HIVE_STATUS, HIVE_WORKFLOW
from workflows.n8n_run import N8nWorkflow

router = APIRouter(prefix="/api", tags=["approvals"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.EXECUTIONS_READ))]
Approver = Annotated[Principal, Depends(require(Permission.APPROVALS_DECIDE))]

_DECISION_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "no such execution, or no such gate in it"},
    409: {
        "model": ErrorBody,
        "description": "the run is closed, nothing is pending, or the gate was decided",
    },
    503: {"model": ErrorBody, "description": "Temporal is unreachable"},
}
# Pending runs are found through Temporal visibility (eventually consistent, ~1 s behind).
_PENDING_QUERY = f'{HIVE_STATUS.name} = "{AWAITING_APPROVAL}" AND ExecutionStatus = "Running"'
# The update is applied by the run's worker; a request must not hang when no worker polls.
UPDATE_TIMEOUT_S = 30.0
_REFUSALS: dict[str, type[HiveError]] = {"NotFoundError": NotFoundError, "ConflictError": ConflictError}


class PendingApproval(BaseModel):
    """A gate waiting for a decision, and the run it holds up."""

    execution_id: str
    workflow: str | None = None
    gate_id: str
    # The gated node; null when the whole workflow is gated.
    node: str | None = None
    requested_at: datetime
    deadline: datetime


class DecisionBody(BaseModel):
    # Optional when exactly one gate of the run is pending.
    gate_id: str | None = Field(default=None, max_length=1000)
    comment: str | None = Field(default=None, max_length=4000)


async def _pending_of(client: Client, execution: WorkflowExecution) -> list[PendingApproval]:
    handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
    try:
        gates = await handle.query(N8nWorkflow.approvals, rpc_timeout=QUERY_TIMEOUT)
    except (RPCError, WorkflowQueryFailedError):
        return []  # closed since visibility listed it, or not a Hive run
    name = execution.typed_search_attributes.get(HIVE_WORKFLOW)
    return [
        PendingApproval(execution_id=execution.id, workflow=name, **gate.model_dump(include=_GATE_FIELDS))
        for gate in gates
        if gate.state is GateState.PENDING
    ]


_GATE_FIELDS = {"gate_id", "node", "requested_at", "deadline"}


@router.get("/approvals", response_model=list[PendingApproval], responses={503: _DECISION_ERRORS[503]})
async def list_pending(
    _: Reader, client: ClientDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[PendingApproval]:
    """Gates waiting for an approver across all runs, oldest request first."""
    with temporal_errors():
        executions = [execution async for execution in client.list_workflows(_PENDING_QUERY, limit=limit)]
        found = await asyncio.gather(*(_pending_of(client, execution) for execution in executions))
    pending = [approval for approvals in found for approval in approvals]
    return sorted(pending, key=lambda approval: approval.requested_at)


async def _decide(
    execution_id: str,
    body: DecisionBody,
    approve: bool,
    principal: Principal,
    session: SessionDep,
    client: Client,
) -> ApprovalGate:
    handle = run_handle(client, execution_id)
    with temporal_errors(execution_id):
        description = await handle.describe()
    if description.status is not WorkflowExecutionStatus.RUNNING:
        raise ConflictError(
            f"execution {execution_id!r} is closed: no approval is pending", execution_id=execution_id
        )
    decision = ApprovalDecision(
        gate_id=body.gate_id, approve=approve, by=principal.actor, comment=body.comment
    )
    try:
        with temporal_errors():
            gate = await asyncio.wait_for(
                handle.execute_update(N8nWorkflow.decide_approval, decision), UPDATE_TIMEOUT_S
            )
    except TimeoutError:
        raise EngineUnavailableError(
            f"no worker took the decision for execution {execution_id!r} within {UPDATE_TIMEOUT_S:g} s; "
            "check the gate before deciding again",
            execution_id=execution_id,
        ) from None
    except WorkflowUpdateFailedError as exc:
        # The workflow's validator refused it: unknown gate (404), decided or ambiguous (409).
        cause = exc.cause
        if isinstance(cause, ApplicationError):
            refusal = _REFUSALS.get(cause.type or "", ConflictError)
            raise refusal(cause.message, execution_id=execution_id) from None
        raise ConflictError(f"execution {execution_id!r} refused the decision: {exc}") from None
    except RPCError as exc:
        if exc.status is not RPCStatusCode.NOT_FOUND:
            raise
        # The run closed between `describe` and the update (e.g. its gate timed out).
        raise ConflictError(
            f"execution {execution_id!r} is closed: {exc.message}", execution_id=execution_id
        ) from None
    record_audit(
        session,
        principal.actor,
        "approve" if approve else "reject",
        "execution",
        execution_id,
        gate_id=gate.gate_id,
        node=gate.node,
        comment=body.comment,
    )
    await session.commit()
    return gate


@router.post("/executions/{execution_id}/approve", response_model=ApprovalGate, responses=_DECISION_ERRORS)
async def approve(
    execution_id: str,
    principal: Approver,
    session: SessionDep,
    client: ClientDep,
    body: DecisionBody | None = None,
) -> ApprovalGate:
    """Approve a pending gate: the gated node (or the whole run) goes on."""
    return await _decide(execution_id, body or DecisionBody(), True, principal, session, client)


@router.post("/executions/{execution_id}/reject", response_model=ApprovalGate, responses=_DECISION_ERRORS)
async def reject(
    execution_id: str,
    principal: Approver,
    session: SessionDep,
    client: ClientDep,
    body: DecisionBody | None = None,
) -> ApprovalGate:
    """Reject a pending gate: the gated node fails with who rejected and the comment."""
    return await _decide(execution_id, body or DecisionBody(), False, principal, session, client)


__all__ = ["router"]
