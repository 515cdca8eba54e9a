"""One pool of activity slots shared by all the task queues of one agent.

A Temporal worker polls one task queue, so an agent runs one worker per queue it serves (its own,
each model's, each capability's). Capping each worker at ``max_concurrent`` would let the agent run
``max_concurrent`` tasks *per queue*; the pool caps them together, through the SDK's tuner API: a
worker reserves a slot before it polls, so an agent with no free slot does not poll at all and the
work stays on the shared queue for an agent that has one (pull-based balancing).

Why not one plain semaphore: a reserved slot is held by a long poll that may wait a minute for a
task. Idle polls on quiet queues (the agent's own, a capability's) would hold the slots while the
busy model queue went unpolled until their long poll expired (60 s, measured). So the pool counts
only slots in use: each queue may keep as many polls open as the agent has free slots. Tasks that
arrive at the same moment on several queues can then overshoot the limit; ``hold()`` makes those
wait inside the worker (heartbeating), so the host itself never runs more than ``limit``
generations. On one queue — the usual case, the model's — the limit is never overshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator

from temporalio.worker import (
    CustomSlotSupplier,
    FixedSizeSlotSupplier,
    SlotMarkUsedContext,
    SlotPermit,
    SlotReleaseContext,
    SlotReserveContext,
    WorkerTuner,
)

# Workflow, local-activity and Nexus slots of agent workers: they run none, keep the SDK's default.
_UNUSED_KIND_SLOTS = 100


class _QueuePermit(SlotPermit):
    def __init__(self, task_queue: str) -> None:
        self.task_queue = task_queue
        self.used = False


class SharedSlotPool(CustomSlotSupplier):
    """``limit`` activity slots shared by several workers (one agent's queues).

    The SDK reserves slots on the workers' event loop but marks and releases them from its own
    threads: the counters sit behind a lock and waiters are woken through the loop.
    """

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("a slot pool needs at least one slot")
        self.limit = limit
        self.busy = 0
        self._polling: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self._gate: asyncio.Semaphore | None = None
        self._paused_until = 0.0
        # Observers (tests, bench): the most tasks ever held at once.
        self.max_busy = 0

    # -- the SDK's side ---------------------------------------------------------------------

    def _may_poll(self, task_queue: str) -> bool:
        if time.monotonic() < self._paused_until:
            return False
        return self._polling[task_queue] < self.limit - self.busy

    async def reserve_slot(self, ctx: SlotReserveContext) -> SlotPermit:
        if self._wakeup is None:
            self._loop = asyncio.get_running_loop()
            self._wakeup = asyncio.Event()
        while True:
            # Cleared before the check: a release after it sets the event again (via the loop).
            self._wakeup.clear()
            with self._lock:
                if self._may_poll(ctx.task_queue):
                    self._polling[ctx.task_queue] += 1
                    return _QueuePermit(ctx.task_queue)
                pause = self._paused_until - time.monotonic()
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), pause)
            else:
                await self._wakeup.wait()

    def try_reserve_slot(self, ctx: SlotReserveContext) -> SlotPermit | None:
        # Eager activity dispatch only happens on the workflow's own queue; agents never get it,
        # but honour the budget if they do.
        with self._lock:
            if not self._may_poll(ctx.task_queue):
                return None
            self._polling[ctx.task_queue] += 1
        return _QueuePermit(ctx.task_queue)

    def mark_slot_used(self, ctx: SlotMarkUsedContext) -> None:
        permit = ctx.permit
        if isinstance(permit, _QueuePermit):
            with self._lock:
                if not permit.used:
                    permit.used = True
                    self._polling[permit.task_queue] -= 1
                    self.busy += 1
                    self.max_busy = max(self.max_busy, self.busy)
        # The queue's poll is spent: it may open another if slots are left.
        self._notify()

    def release_slot(self, ctx: SlotReleaseContext) -> None:
        permit = ctx.permit
        if not isinstance(permit, _QueuePermit):
            return
        with self._lock:
            if permit.used:
                self.busy -= 1
            else:
                self._polling[permit.task_queue] -= 1
        self._notify()

    def _notify(self) -> None:
        loop, wakeup = self._loop, self._wakeup
        if loop is not None and wakeup is not None and not loop.is_closed():
            loop.call_soon_threadsafe(wakeup.set)

    # -- the activities' side ---------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def hold(self) -> AsyncIterator[None]:
        """Run one generation on the host; waits while ``limit`` already run (rare overshoot)."""
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.limit)
        async with self._gate:
            yield

    @contextlib.asynccontextmanager
    async def claim(self) -> AsyncIterator[bool]:
        """A slot for a call made without a task queue (local dispatch), if one is free now.

        Yields False at once when the host is paused or all its slots are busy (the caller then
        goes through the queue). A held claim counts as busy, so the agent's queue workers poll
        for less while it runs.
        """
        with self._lock:
            free = time.monotonic() >= self._paused_until and self.busy < self.limit
            if free:
                self.busy += 1
                self.max_busy = max(self.max_busy, self.busy)
        if not free:
            yield False
            return
        try:
            async with self.hold():
                yield True
        finally:
            with self._lock:
                self.busy -= 1
            self._notify()

    def pause(self, seconds: float) -> None:
        """Stop polling for ``seconds`` (the host is down: leave the work to other agents)."""
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        self._notify()

    def tuner(self) -> WorkerTuner:
        """A tuner for one of the agent's workers: activity slots from this pool."""
        fixed = FixedSizeSlotSupplier(_UNUSED_KIND_SLOTS)
        return WorkerTuner.create_composite(
            workflow_supplier=fixed,
            activity_supplier=self,
            local_activity_supplier=fixed,
            nexus_supplier=fixed,
        )


__all__ = ["SharedSlotPool"]
