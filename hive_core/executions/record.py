"""Index a run at the moment the API starts it outside `start_execution` (webhooks).

Without this, a webhook-started run reaches the execution list only when the reconciler's
discovery pass finds it in Temporal's visibility (every few seconds). The row is written right
after Temporal accepted the start, so a run that was never started never gets a row; a write
that fails (database down, a concurrent discovery inserted the row first) is logged and left to
discovery, which indexes the run a few seconds later: the webhook itself never fails for it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from hive_core.db.base import utcnow
from hive_core.db.models import Execution, ExecutionStatus, Workflow

log = logging.getLogger(__name__)


def input_data(items: list[dict[str, Any]] | None) -> Any:
    """The trigger items' JSON, as the API stores a start's input (one object or a list)."""
    if items is None:
        return None
    values = [item.get("json") for item in items]
    return values[0] if len(values) == 1 else values


async def record_started(
    session: AsyncSession,
    *,
    workflow_id: str,
    execution_id: str,
    run_id: str | None,
    mode: str,
    trigger_items: list[dict[str, Any]] | None,
) -> bool:
    """Insert the index row of a run Temporal just started; False (logged) if it was not written."""
    try:
        version = await session.scalar(select(Workflow.version).where(Workflow.id == workflow_id))
        if version is None:
            return False  # deleted meanwhile: discovery skips such runs too
        session.add(
            Execution(
                workflow_id=workflow_id,
                workflow_version=version,
                temporal_workflow_id=execution_id,
                temporal_run_id=run_id,
                status=ExecutionStatus.RUNNING,
                started_at=utcnow(),
                mode=mode[:32],
                input_data=input_data(trigger_items),
                logs=[],
            )
        )
        await session.commit()
        return True
    except SQLAlchemyError as exc:
        log.warning("execution %s not indexed at start: %s", execution_id, exc.__class__.__name__)
        await session.rollback()
        return False


__all__ = ["input_data", "record_started"]
