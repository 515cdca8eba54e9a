"""Run a coroutine to completion from synchronous code, inside a running loop or not."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_blocking(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coro)``, moved to a worker thread when this thread already runs a loop.

    ``asyncio.run`` refuses to nest, and synchronous callers (the CLI, Alembic's
    ``env.py``) may be called from async code such as a FastAPI lifespan or a test.
    The calling loop is blocked meanwhile, as with any synchronous call.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hive-db-sync") as pool:
        return pool.submit(asyncio.run, coro).result()
