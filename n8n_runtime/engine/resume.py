"""Retry from the failed node: capture what a stopped run still had to do, and seed a new run with it.

n8n's "retry with original workflow" keeps the run data of every node that ran, drops the failed
node's last (error) run, and continues from the execution stack the failed run left behind (the
failed node's entry is put back on it when the node stops the workflow, so it runs again with its
original input). `capture` is that stack plus the waiting multi-input nodes and node contexts, as
plain JSON; `restore` loads it into a fresh `WorkflowRun`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from n8n_runtime.engine.queue import ExecuteData, ExecutionQueue

if TYPE_CHECKING:
    from n8n_runtime.engine.scheduler import WorkflowRun

# JSON shape: {"runData", "nodeExecutionOrder", "lastNodeExecuted", "stack": [entry],
# "waiting": {node: {slot: inputs}}, "waitingSource": {node: {slot: sources}}, "nodeContexts"}.
PendingWork = dict[str, Any]


def capture(run: WorkflowRun, queue: ExecutionQueue) -> PendingWork:
    """Everything a stopped run needs to go on (deep-copied, JSON-ready: slot keys become strings)."""
    return copy.deepcopy(
        {
            "runData": run.run_data,
            "nodeExecutionOrder": run.node_execution_order,
            "lastNodeExecuted": run.last_node_executed,
            "stack": [
                {"node": e.node, "data": e.data, "source": e.source, "runIndex": e.run_index}
                for e in queue.stack
            ],
            "waiting": {n: {str(k): v for k, v in slots.items()} for n, slots in queue.waiting.items()},
            "waitingSource": {
                n: {str(k): v for k, v in slots.items()} for n, slots in queue.waiting_source.items()
            },
            "nodeContexts": run.node_contexts,
        }
    )


def restore(run: WorkflowRun, queue: ExecutionQueue, pending: PendingWork) -> list[str]:
    """Seed `run` with `pending`; returns the node execution order to continue from.

    The failed node's last run is dropped when it is an error (n8n's retry), so the node runs
    again under the same run index with the input its stack entry kept.
    """
    pending = copy.deepcopy(pending)
    run_data: dict[str, list[dict[str, Any]]] = pending.get("runData") or {}
    order: list[str] = list(pending.get("nodeExecutionOrder") or [])
    failed = pending.get("lastNodeExecuted")
    runs = run_data.get(failed or "") or []
    if failed and runs and runs[-1].get("executionStatus") == "error":
        runs.pop()
        if not runs:
            del run_data[failed]
        if failed in order:
            order.reverse()
            order.remove(failed)
            order.reverse()
    run.run_data.clear()
    run.run_data.update(run_data)
    run.node_contexts.clear()
    run.node_contexts.update(pending.get("nodeContexts") or {})
    queue.stack.clear()
    queue.stack.extend(
        ExecuteData(e["node"], e["data"], e.get("source"), e.get("runIndex"))
        for e in pending.get("stack") or []
    )
    queue.waiting.clear()
    queue.waiting.update(
        {n: {int(k): v for k, v in slots.items()} for n, slots in (pending.get("waiting") or {}).items()}
    )
    queue.waiting_source.clear()
    queue.waiting_source.update(
        {
            n: {int(k): v for k, v in slots.items()}
            for n, slots in (pending.get("waitingSource") or {}).items()
        }
    )
    return order


__all__ = ["PendingWork", "capture", "restore"]
