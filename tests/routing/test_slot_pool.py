"""SharedSlotPool on its own: the SDK's reserve / mark used / release calls, made by hand."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from temporalio.worker import SlotPermit

from workers.slots import SharedSlotPool


@dataclass
class _Reserve:
    task_queue: str
    slot_type: str = "activity"
    worker_identity: str = "test"
    worker_build_id: str = ""
    worker_deployment_version: None = None
    is_sticky: bool = False


@dataclass
class _Permit:
    permit: SlotPermit
    slot_info: None = None


async def _reserve(pool: SharedSlotPool, queue: str, timeout: float = 0.2) -> SlotPermit | None:
    try:
        return await asyncio.wait_for(pool.reserve_slot(_Reserve(queue)), timeout)  # type: ignore[arg-type]
    except TimeoutError:
        return None


async def test_each_queue_polls_up_to_the_free_slots() -> None:
    pool = SharedSlotPool(2)
    model = [await _reserve(pool, "model") for _ in range(2)]
    agent = [await _reserve(pool, "agent") for _ in range(2)]
    assert all(model) and all(agent)  # idle polls on one queue never block another
    assert await _reserve(pool, "model") is None  # but no more polls than free slots
    pool.mark_slot_used(_Permit(model[0]))  # type: ignore[arg-type]
    pool.mark_slot_used(_Permit(model[1]))  # type: ignore[arg-type]
    assert pool.busy == 2 and await _reserve(pool, "capability") is None  # full: nobody polls
    waiting = asyncio.create_task(_reserve(pool, "model", timeout=2))
    await asyncio.sleep(0.05)
    pool.release_slot(_Permit(model[0]))  # type: ignore[arg-type]
    assert await waiting is not None and pool.busy == 1


async def test_a_paused_pool_polls_again_after_the_pause() -> None:
    pool = SharedSlotPool(1)
    pool.pause(0.3)
    started = asyncio.get_running_loop().time()
    assert await _reserve(pool, "model", timeout=2) is not None
    assert asyncio.get_running_loop().time() - started == pytest.approx(0.3, abs=0.1)


async def test_hold_lets_at_most_limit_generations_run() -> None:
    pool = SharedSlotPool(2)
    running = peak = 0

    async def generation() -> None:
        nonlocal running, peak
        async with pool.hold():
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.02)
            running -= 1

    await asyncio.gather(*(generation() for _ in range(6)))
    assert peak == 2
