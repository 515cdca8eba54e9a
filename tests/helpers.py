"""Small test helpers: wait for a condition instead of sleeping."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def assert_eventually(
    check: Callable[[], Awaitable[T]], timeout_s: float = 10.0, interval_s: float = 0.05
) -> T:
    """Retry ``check`` until it returns without AssertionError, or fail with its last error."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return await check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(interval_s)
