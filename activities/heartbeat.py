"""A background heartbeat while an activity's work runs: it proves the *worker* alive.

Without it an activity heartbeats only between steps (pages, batches), so its heartbeat timeout
must cover the longest step and a killed worker is noticed that late. With a beat every second
the caller's short `heartbeat_timeout` (`workflows.retries.HEARTBEAT_TIMEOUT`) catches a dead
worker in seconds, however long the HTTP call or query takes. Cancellation (the heartbeat
timeout, the run cancelled) still reaches the activity through the heartbeats.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from temporalio import activity

HEARTBEAT_INTERVAL_S = 1.0


@contextlib.asynccontextmanager
async def heartbeating(interval_s: float = HEARTBEAT_INTERVAL_S) -> AsyncIterator[None]:
    """Heartbeat every ``interval_s`` seconds until the block exits."""

    async def beat() -> None:
        while True:
            activity.heartbeat()
            await asyncio.sleep(interval_s)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


__all__ = ["HEARTBEAT_INTERVAL_S", "heartbeating"]
