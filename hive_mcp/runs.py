"""Follow one execution for a tool call: progress per finished node, the result within a wait.

Progress comes from the executions' live stream (`api.live.source`: Temporal's describe + the
run's `snapshot` query, polled), so it works for any run on any worker and needs nothing from
the workflow. A run still going when the wait ends keeps going; the call answers with its id.
"""

from __future__ import annotations

import asyncio

from temporalio.client import Client, WorkflowFailureError

from api.live.events import NodeFailed, NodeFinished, RunFinished
from api.live.source import ExecutionEventSource
from hive_core.executions.temporal import run_handle, temporal_errors
from hive_mcp.results import outcome_of, still_running
from hive_mcp.tools import ProgressFn, ToolOutcome

POLL_INTERVAL_S = 0.2


async def _watch(client: Client, execution_id: str, progress: ProgressFn) -> None:
    """Report each node run as it finishes, until the run ends."""
    source = ExecutionEventSource(client, execution_id, poll_interval_s=POLL_INTERVAL_S)
    finished = 0
    async for batch in source.batches():
        for event in batch:
            if isinstance(event, NodeFinished):
                finished += 1
                items = "/".join(str(n) for n in event.items) or "0"
                await progress(finished, f"{event.node} finished: {items} item(s)")
            elif isinstance(event, NodeFailed):
                finished += 1
                await progress(finished, f"{event.node} failed: {event.error}")
            elif isinstance(event, RunFinished):
                return


async def follow(client: Client, execution_id: str, progress: ProgressFn, wait_seconds: float) -> ToolOutcome:
    """The run's outcome, or `still_running` when it outlasts `wait_seconds`."""
    try:
        async with asyncio.timeout(wait_seconds):
            await _watch(client, execution_id, progress)
            return await result_of(client, execution_id)
    except TimeoutError:
        return still_running(execution_id, wait_seconds)


async def result_of(client: Client, execution_id: str) -> ToolOutcome:
    """A closed run's outcome (NotFoundError / EngineUnavailableError from Temporal)."""
    handle = run_handle(client, execution_id)
    try:
        with temporal_errors(execution_id):
            snapshot = await handle.result()
    except WorkflowFailureError as exc:
        # Terminated, canceled, timed out: the run has no n8n result.
        cause = getattr(exc.cause, "message", None) or str(exc.cause or exc)
        return ToolOutcome(text=f"execution {execution_id} did not finish: {cause}", is_error=True)
    return outcome_of(snapshot, execution_id)


__all__ = ["follow", "result_of"]
