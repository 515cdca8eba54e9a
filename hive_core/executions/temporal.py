"""Reading a run from Temporal (the source of truth) and mapping Temporal's failures to Hive errors.

`fetch_run` answers "what is this execution doing" in one place for the API, the reconciler and
retries: `describe` gives the lifecycle, the `snapshot` query (open runs) or the result (closed
runs) gives n8n's per-node run data.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from hive_core.db.models.enums import ExecutionStatus
from hive_core.errors import EngineUnavailableError, NotFoundError
from workflows.n8n_models import N8nRunSnapshot
from workflows.n8n_run import N8nWorkflow

# A query on a closed run needs a worker to replay it; never hang an API request on one.
QUERY_TIMEOUT = timedelta(seconds=5)

_CLOSED: dict[WorkflowExecutionStatus, ExecutionStatus] = {
    WorkflowExecutionStatus.FAILED: ExecutionStatus.ERROR,
    WorkflowExecutionStatus.TIMED_OUT: ExecutionStatus.ERROR,
    WorkflowExecutionStatus.CANCELED: ExecutionStatus.CANCELED,
    WorkflowExecutionStatus.TERMINATED: ExecutionStatus.TERMINATED,
}


@dataclass
class RunView:
    """One execution as Temporal sees it now."""

    workflow_id: str
    run_id: str | None
    status: ExecutionStatus
    open: bool
    started_at: datetime | None
    closed_at: datetime | None
    # None when it cannot be had (a closed run no worker can replay, a run not started yet).
    snapshot: N8nRunSnapshot | None


@contextlib.contextmanager
def temporal_errors(execution_id: str | None = None) -> Iterator[None]:
    """Turn Temporal's RPC failures into Hive errors: NOT_FOUND → 404, unreachable → 503."""
    try:
        yield
    except RPCError as exc:
        # An id Temporal rejects as malformed cannot name an execution either.
        missing = (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT)
        if exc.status in missing and execution_id is not None:
            raise NotFoundError(
                f"execution {execution_id!r} does not exist", execution_id=execution_id
            ) from None
        if exc.status in (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.UNKNOWN):
            raise EngineUnavailableError(f"Temporal is unreachable ({exc.message})") from None
        raise
    except RuntimeError as exc:
        # The lazy client's first connection attempt fails with a RuntimeError.
        raise EngineUnavailableError(f"Temporal is unreachable ({str(exc).splitlines()[0][:200]})") from None


def run_handle(client: Client, workflow_id: str) -> WorkflowHandle[Any, N8nRunSnapshot]:
    """The handle of an execution (any run of that workflow id: the latest)."""
    return client.get_workflow_handle_for(N8nWorkflow.run, workflow_id)


async def fetch_run(client: Client, workflow_id: str) -> RunView:
    """Describe the run and read its n8n run data (NotFoundError / EngineUnavailableError)."""
    handle = run_handle(client, workflow_id)
    with temporal_errors(workflow_id):
        description = await handle.describe()
    temporal_status = description.status
    snapshot: N8nRunSnapshot | None = None
    if temporal_status is WorkflowExecutionStatus.COMPLETED:
        with temporal_errors(workflow_id):
            snapshot = await handle.result()
        status = ExecutionStatus(snapshot.status.value)
    else:
        with contextlib.suppress(RPCError):
            snapshot = await handle.query(N8nWorkflow.snapshot, rpc_timeout=QUERY_TIMEOUT)
        if temporal_status is WorkflowExecutionStatus.RUNNING:
            status = ExecutionStatus(snapshot.status.value) if snapshot else ExecutionStatus.RUNNING
        else:
            status = _CLOSED.get(temporal_status or WorkflowExecutionStatus.FAILED, ExecutionStatus.ERROR)
    return RunView(
        workflow_id=workflow_id,
        run_id=description.run_id,
        status=status,
        open=temporal_status is WorkflowExecutionStatus.RUNNING,
        started_at=description.start_time,
        closed_at=description.close_time,
        snapshot=snapshot,
    )


__all__ = ["QUERY_TIMEOUT", "RunView", "fetch_run", "run_handle", "temporal_errors"]
