"""Follow one execution for a tool call: progress per finished node, the result within a wait.

Progress comes from the executions' live stream (`api.live.source`: Temporal's describe + the
run's `snapshot` query, polled), so it works for any run on any worker and needs nothing from
the workflow. The result is awaited at the same time (Temporal's long poll answers the moment
the run closes); node runs the poller had not reported yet are reported from the result, so a
short run costs no extra poll tick. A run still going when the wait ends keeps going; the call
answers with its id.
"""

from __future__ import annotations

import asyncio
import contextlib

from temporalio.client import Client, WorkflowFailureError

from api.live.events import NodeFailed, NodeFinished, RunFinished
from api.live.source import ExecutionEventSource
from hive_core.executions.temporal import run_handle, temporal_errors
from hive_mcp.results import outcome_of, still_running
from hive_mcp.tools import ProgressFn, ToolOutcome
from workflows.n8n_models import N8nRunSnapshot

POLL_INTERVAL_S = 0.2


class _Reporter:
    """Reports each node run once, whichever of the poller and the result sees it first."""

    def __init__(self, progress: ProgressFn) -> None:
        self._progress = progress
        self._seen: set[tuple[str, int]] = set()

    async def report(self, node: str, run_index: int, line: str) -> None:
        if (node, run_index) in self._seen:
            return
        self._seen.add((node, run_index))
        await self._progress(len(self._seen), line)

    async def watch(self, client: Client, execution_id: str) -> None:
        source = ExecutionEventSource(client, execution_id, poll_interval_s=POLL_INTERVAL_S)
        async for batch in source.batches():
            for event in batch:
                if isinstance(event, NodeFinished):
                    items = "/".join(str(n) for n in event.items) or "0"
                    await self.report(event.node, event.run_index, f"{event.node} finished: {items} item(s)")
                elif isinstance(event, NodeFailed):
                    await self.report(event.node, event.run_index, f"{event.node} failed: {event.error}")
                elif isinstance(event, RunFinished):
                    return

    async def rest_from(self, snapshot: N8nRunSnapshot) -> None:
        """The node runs of the final snapshot not reported yet, in the order they ran."""
        runs = [
            (task.get("executionIndex", 0), node, index, task)
            for node, tasks in snapshot.run_data.items()
            for index, task in enumerate(tasks)
        ]
        for _, node, index, task in sorted(runs, key=lambda run: run[0]):
            if task.get("executionStatus") == "error":
                error = task.get("error") or {}
                message = error.get("hiveMessage") or error.get("message") or "failed"
                await self.report(node, index, f"{node} failed: {message}")
            else:
                outputs = (task.get("data") or {}).get("main") or []
                items = "/".join(str(len(out or [])) for out in outputs) or "0"
                await self.report(node, index, f"{node} finished: {items} item(s)")


async def follow(client: Client, execution_id: str, progress: ProgressFn, wait_seconds: float) -> ToolOutcome:
    """The run's outcome, or `still_running` when it outlasts `wait_seconds`."""
    reporter = _Reporter(progress)
    watcher = asyncio.create_task(reporter.watch(client, execution_id))
    try:
        async with asyncio.timeout(wait_seconds):
            snapshot, failed = await _result(client, execution_id)
    except TimeoutError:
        return still_running(execution_id, wait_seconds)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await watcher
    if snapshot is None:
        return failed or ToolOutcome(text=f"execution {execution_id} did not finish", is_error=True)
    await reporter.rest_from(snapshot)
    return outcome_of(snapshot, execution_id)


async def _result(client: Client, execution_id: str) -> tuple[N8nRunSnapshot | None, ToolOutcome | None]:
    handle = run_handle(client, execution_id)
    try:
        with temporal_errors(execution_id):
            return await handle.result(), None
    except WorkflowFailureError as exc:
        # Terminated, canceled, timed out: the run has no n8n result.
        cause = getattr(exc.cause, "message", None) or str(exc.cause or exc)
        return None, ToolOutcome(text=f"execution {execution_id} did not finish: {cause}", is_error=True)


async def result_of(client: Client, execution_id: str) -> ToolOutcome:
    """A closed run's outcome (NotFoundError / EngineUnavailableError from Temporal)."""
    snapshot, failed = await _result(client, execution_id)
    if snapshot is None:
        return failed or ToolOutcome(text=f"execution {execution_id} did not finish", is_error=True)
    return outcome_of(snapshot, execution_id)


__all__ = ["follow", "result_of"]
