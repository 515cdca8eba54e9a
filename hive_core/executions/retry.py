"""Retry a failed execution from its failed node (n8n's "retry with original workflow").

The new run gets the original run's input (its plan — the version it ran, not today's — trigger
items and mode) plus `resume_from`: the failed run's pending work. The interpreter seeds its
scheduler with it, so the nodes that succeeded keep their run data and are not run again, and
the run goes on at the failed node with the input it had.
"""

from __future__ import annotations

from temporalio.client import Client

from hive_core.errors import ConflictError
from hive_core.executions.temporal import fetch_run, run_handle, temporal_errors
from workflows.n8n_models import ExecutionStatus, RunN8nInput


async def original_input(client: Client, execution_id: str) -> RunN8nInput:
    """The input the execution was started with (from the first event of its history)."""
    handle = run_handle(client, execution_id)
    with temporal_errors(execution_id):
        async for event in handle.fetch_history_events():
            attributes = event.workflow_execution_started_event_attributes
            (value,) = await client.data_converter.decode(attributes.input.payloads, [RunN8nInput])
            assert isinstance(value, RunN8nInput)
            return value
    raise ConflictError(f"execution {execution_id!r} has no history to retry from", execution_id=execution_id)


async def retry_input(client: Client, execution_id: str) -> RunN8nInput:
    """The input of a run that continues `execution_id` from its failed node.

    Raises:
        NotFoundError: no such execution.
        ConflictError: it is still running, did not fail, or its run data was too large to keep.
    """
    view = await fetch_run(client, execution_id)
    snapshot = view.snapshot
    if view.open or snapshot is None or snapshot.status is not ExecutionStatus.ERROR:
        raise ConflictError(
            f"execution {execution_id!r} is {view.status.value}: only a failed execution can be retried",
            execution_id=execution_id,
            status=view.status.value,
        )
    if snapshot.pending_work is None:
        raise ConflictError(
            f"execution {execution_id!r} kept no retry data (its run data exceeded Temporal's payload "
            "limit, or it ran before retries were supported): start a new execution instead",
            execution_id=execution_id,
        )
    original = await original_input(client, execution_id)
    return original.model_copy(update={"resume_from": snapshot.pending_work, "mode": "retry"})


__all__ = ["original_input", "retry_input"]
