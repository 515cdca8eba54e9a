"""Index the runs the API did not start: webhooks, schedules, sub-workflows, error workflows, `hive run`.

Temporal's visibility lists every `N8nWorkflow` run started in the last `DISCOVERY_WINDOW`; a run
the index does not know yet is read once from its history (its input names the stored workflow
in `plan.workflow_id`) and gets a row, which the reconciler then keeps current. Runs of workflows
that are not stored (an inline sub-workflow, a file run by `hive run`) stay unindexed and are
still readable by id. The version recorded is the workflow's version when the run was found
(their input carries the plan, not its version number).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from hive_core.db.base import utcnow
from hive_core.db.models import Execution, ExecutionStatus, Workflow
from hive_core.errors import NotFoundError
from hive_core.executions.reconcile import sync_execution
from hive_core.executions.record import input_data
from hive_core.executions.retry import original_input
from hive_core.executions.temporal import temporal_errors

log = logging.getLogger(__name__)

# Longer than any reconciler outage worth covering; older runs are not looked for again.
DISCOVERY_WINDOW = timedelta(minutes=15)
_MAX_REMEMBERED = 50_000


async def discover_runs(
    sessions: async_sessionmaker[AsyncSession],
    client: Client,
    *,
    window: timedelta = DISCOVERY_WINDOW,
    unindexable: set[str] | None = None,
) -> int:
    """Add index rows for recent runs of stored workflows the index lacks; returns how many.

    `unindexable` remembers the runs found not to belong to a stored workflow, so a caller that
    passes the same set each time reads each such run's history once, not on every pass.
    """
    since = (utcnow() - window).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids: list[str] = []
    with temporal_errors():
        async for execution in client.list_workflows(
            f"WorkflowType = 'N8nWorkflow' AND StartTime > '{since}'", limit=2000
        ):
            ids.append(execution.id)
    if not ids:
        return 0
    async with sessions() as session:
        known = set(
            await session.scalars(
                select(Execution.temporal_workflow_id).where(Execution.temporal_workflow_id.in_(ids))
            )
        )
    added = 0
    skip = unindexable if unindexable is not None else set()
    for execution_id in dict.fromkeys(ids):
        if execution_id in known or execution_id in skip:
            continue
        if await _index(sessions, client, execution_id):
            added += 1
        else:
            skip.add(execution_id)
    if len(skip) > _MAX_REMEMBERED:
        skip.clear()  # bounded memory; forgotten runs are simply read once more
    return added


async def _index(sessions: async_sessionmaker[AsyncSession], client: Client, execution_id: str) -> bool:
    try:
        run_input = await original_input(client, execution_id)
    except NotFoundError:
        return False
    workflow_id = run_input.plan.workflow_id
    if not workflow_id:
        return False
    async with sessions() as session:
        workflow = await session.get(Workflow, workflow_id)
        if workflow is None:
            return False
        row = Execution(
            workflow_id=workflow.id,
            workflow_version=workflow.version,
            temporal_workflow_id=execution_id,
            status=ExecutionStatus.RUNNING,
            mode=run_input.mode[:32],
            input_data=input_data(run_input.trigger_items),
            logs=[],
        )
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()  # another process indexed it first
            return False
        await sync_execution(session, client, row)
    log.debug("execution index: found %s (%s)", execution_id, run_input.mode)
    return True


__all__ = ["DISCOVERY_WINDOW", "discover_runs"]
