"""The execution-index reconciler, run beside the central worker (see `hive_core.executions.reconcile`).

Every `RECONCILE_INTERVAL_S` it adds the runs started outside the API (`discover_runs`), then
re-reads the executions the index holds as not yet final from Temporal and upserts them. A
database or Temporal outage only delays the index: it is logged once and the loop goes on;
runs never wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from hive_core.errors import OperationalError
from hive_core.executions import discover_runs, reconcile_open

log = logging.getLogger(__name__)

RECONCILE_INTERVAL_S = 5.0


async def reconcile_forever(
    sessions: async_sessionmaker[AsyncSession], client: Client, interval_s: float = RECONCILE_INTERVAL_S
) -> None:
    """Reconcile every `interval_s` until cancelled; failures are logged (once per outage) and retried."""
    failing = False
    # Runs of workflows that are not stored (files run by `hive run`, inline sub-workflows).
    unindexable: set[str] = set()
    while True:
        try:
            found = await discover_runs(sessions, client, unindexable=unindexable)
            synced = await reconcile_open(sessions, client)
            if found or synced:
                log.debug("execution index: %d executions found, %d synced", found, synced)
            if failing:
                log.info("execution index: reconciling again")
            failing = False
        except (SQLAlchemyError, OperationalError) as exc:
            if not failing:
                log.warning(
                    "execution index lags: %s (retrying every %gs)", exc.__class__.__name__, interval_s
                )
            failing = True
        except Exception:  # a bug here must not stop the index for the worker's lifetime
            log.exception("execution index: reconcile pass failed")
        await asyncio.sleep(interval_s)


@contextlib.asynccontextmanager
async def execution_reconciler(
    sessions: async_sessionmaker[AsyncSession], client: Client, interval_s: float = RECONCILE_INTERVAL_S
) -> AsyncIterator[asyncio.Task[None]]:
    """Run `reconcile_forever` in the background for the duration of the block."""
    task = asyncio.create_task(reconcile_forever(sessions, client, interval_s), name="execution-reconciler")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


__all__ = ["RECONCILE_INTERVAL_S", "execution_reconciler", "reconcile_forever"]
