"""Keep the execution index in step with Temporal.

Temporal is the source of truth for every run; `executions` / `execution_steps` are an index
(list, filter, count, join with workflows). Two things keep it current:

- **Read-through**: `GET /api/executions/{id}` always answers from Temporal and upserts the
  index with what it read (`sync_execution`).
- **A reconciler loop in the central worker process** (`reconcile_open`, every few seconds):
  every row not yet final (`queued`, `running`, `waiting`) is re-read from Temporal and
  upserted; a final row is never touched again.

Why a reconciler rather than an activity at node/run boundaries: the workflow's history and
latency stay as they are (no extra activity per node, no database inside workflow code, no
history change for existing runs), and a database that is down or slow can never fail, stall
or duplicate a run: the only cost is index lag, bounded by the loop's interval, and `GET` hides
even that for a single execution. The loop is idempotent (upserts of the latest view), so
several worker processes running it at once only repeat work.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from hive_core.db.base import utcnow
from hive_core.db.models import Execution, ExecutionStatus, Workflow
from hive_core.errors import NotFoundError
from hive_core.executions.index import FINAL_STATUSES, write_view
from hive_core.executions.temporal import RunView, fetch_run

log = logging.getLogger(__name__)

OPEN_STATUSES = (ExecutionStatus.QUEUED, ExecutionStatus.RUNNING, ExecutionStatus.WAITING)
# An open row whose run Temporal never saw after this long was abandoned mid-start.
ABANDONED_AFTER = timedelta(minutes=10)


def node_ids(plan: dict[str, Any] | None) -> dict[str, str]:
    """n8n node id by node name, from a stored plan."""
    nodes = (plan or {}).get("nodes") or {}
    return {name: node["id"] for name, node in nodes.items() if isinstance(node, dict) and node.get("id")}


async def workflow_node_ids(session: AsyncSession, workflow_id: str) -> dict[str, str]:
    """n8n node id by node name of a stored workflow's plan (only the plan column is read)."""
    return node_ids(await session.scalar(select(Workflow.plan).where(Workflow.id == workflow_id)))


async def sync_execution(session: AsyncSession, client: Client, row: Execution) -> RunView | None:
    """Re-read one indexed execution from Temporal and upsert it; None if Temporal has no such run.

    Raises:
        EngineUnavailableError: Temporal cannot be reached (the row is left as it was).
    """
    try:
        view = await fetch_run(client, row.temporal_workflow_id)
    except NotFoundError:
        if row.status in OPEN_STATUSES and utcnow() - row.created_at > ABANDONED_AFTER:
            row.status = ExecutionStatus.ERROR
            row.error = {"message": "the execution was never started (its start request was interrupted)"}
            row.finished_at = utcnow()
            await session.commit()
        return None
    if row.status in FINAL_STATUSES and row.status is view.status:
        return view  # a final row never changes again: no write
    await write_view(session, row, view, await workflow_node_ids(session, row.workflow_id))
    return view


async def reconcile_open(
    sessions: async_sessionmaker[AsyncSession], client: Client, *, limit: int = 500
) -> int:
    """One pass over the rows that are not final yet; returns how many were re-read.

    Each row gets a session of its own, so one failed write (rolled back) leaves the others alone.
    """
    async with sessions() as session:
        ids = list(
            await session.scalars(
                select(Execution.id)
                .where(Execution.status.in_(OPEN_STATUSES))
                .order_by(Execution.updated_at)
                .limit(limit)
            )
        )
    synced = 0
    for row_id in ids:
        async with sessions() as session:
            row = await session.get(Execution, row_id)
            if row is None:
                continue  # deleted with its workflow meanwhile
            try:
                if await sync_execution(session, client, row) is not None:
                    synced += 1
            except SQLAlchemyError as exc:
                log.warning("execution %s not reconciled: %s", row_id, exc.__class__.__name__)
    return synced


__all__ = [
    "ABANDONED_AFTER",
    "OPEN_STATUSES",
    "node_ids",
    "reconcile_open",
    "sync_execution",
    "workflow_node_ids",
]
