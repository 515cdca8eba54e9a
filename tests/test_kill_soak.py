"""The kill soak in small: a few executions while workers are SIGKILLed; every promise is kept."""

from __future__ import annotations

import pytest

from bench.kill_soak import soak


@pytest.mark.slow
@pytest.mark.timeout(120)
async def test_small_kill_soak_keeps_every_promise() -> None:
    figures, state, kept = await soak("workers", executions=4, kills=2, seed=3)
    assert figures["kills"] == 2
    assert figures["executions succeeded"] == 4, state.failures
    assert figures["calls missing"] == 0
    assert figures["repeated calls not in flight at a kill"] == 0
    assert figures["executions in the API's index"] >= 4
    assert kept
