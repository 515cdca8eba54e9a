"""Write what Temporal says about a run into the `executions` / `execution_steps` index.

Temporal is the source of truth; these rows are an index for listing and filtering. Every write
here is an idempotent upsert of the latest view (status, times, last node, error, one step per
node run), so a write that fails or comes late is simply redone by the next sync, and two syncs
racing each other (the reconciler and a `GET`) converge on the same rows.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.db.models import Execution, ExecutionStatus, ExecutionStep, StepStatus
from hive_core.executions.temporal import RunView

log = logging.getLogger(__name__)

FINAL_STATUSES = frozenset(
    {ExecutionStatus.SUCCESS, ExecutionStatus.ERROR, ExecutionStatus.CANCELED, ExecutionStatus.TERMINATED}
)
_STEP_STATUS = {"success": StepStatus.SUCCESS, "error": StepStatus.ERROR, "waiting": StepStatus.WAITING}


def _from_ms(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value / 1000, UTC) if isinstance(value, int | float) else None


def output_summary(task: dict[str, Any]) -> dict[str, Any]:
    """Item counts per output (the index keeps counts, never the items themselves)."""
    outputs = (task.get("data") or {}).get("main") or []
    summary: dict[str, Any] = {"items": [len(items) if items is not None else None for items in outputs]}
    if "hiveTruncated" in task:
        summary["items"] = task["hiveTruncated"].get("items", summary["items"])
    return summary


def apply_view(row: Execution, view: RunView) -> None:
    """Copy the run-level fields of `view` onto `row` (in memory)."""
    row.status = view.status
    row.temporal_run_id = view.run_id or row.temporal_run_id
    row.started_at = row.started_at or view.started_at
    row.finished_at = view.closed_at
    snapshot = view.snapshot
    if snapshot is None:
        return
    row.error = snapshot.error
    row.output_data = {
        "lastNodeExecuted": snapshot.last_node_executed,
        "nodeExecutionOrder": snapshot.node_execution_order,
    }
    if snapshot.stopped_at is not None and row.finished_at is None and view.status in FINAL_STATUSES:
        row.finished_at = snapshot.stopped_at


async def upsert_steps(
    session: AsyncSession, row: Execution, view: RunView, node_ids: dict[str, str]
) -> None:
    """One `execution_steps` row per (node, run index) of the snapshot, inserted or updated."""
    if view.snapshot is None:
        return
    existing = {
        (step.node_name, step.run_index): step
        for step in await session.scalars(select(ExecutionStep).where(ExecutionStep.execution_id == row.id))
    }
    for node_name, tasks in view.snapshot.run_data.items():
        for run_index, task in enumerate(tasks):
            step = existing.get((node_name, run_index))
            if step is None:
                step = ExecutionStep(
                    execution_id=row.id, node_name=node_name, run_index=run_index, step_index=0
                )
                session.add(step)
            started = _from_ms(task.get("startTime"))
            took = task.get("executionTime")
            step.step_index = int(task.get("executionIndex", 0))
            step.node_id = node_ids.get(node_name)
            step.status = _STEP_STATUS.get(str(task.get("executionStatus")), StepStatus.RUNNING)
            step.started_at = started
            step.execution_time_ms = int(took) if isinstance(took, int | float) else None
            step.finished_at = (
                _from_ms(task["startTime"] + took) if started and step.execution_time_ms else started
            )
            step.output_summary = output_summary(task)
            step.error = task.get("error")


async def write_view(session: AsyncSession, row: Execution, view: RunView, node_ids: dict[str, str]) -> bool:
    """Upsert `row` and its steps from `view` and commit; False (logged, rolled back) if the write failed.

    A failed index write never reaches the caller: the next sync writes the same view again.
    """
    try:
        apply_view(row, view)
        await upsert_steps(session, row, view, node_ids)
        await session.commit()
        return True
    except SQLAlchemyError as exc:
        # A concurrent sync inserted the same step first, or the database is down: both are
        # harmless for the run, and the next sync converges.
        log.warning("execution index not updated for %s: %s", view.workflow_id, exc.__class__.__name__)
        await session.rollback()
        return False


__all__ = ["FINAL_STATUSES", "apply_view", "output_summary", "upsert_steps", "write_view"]
