"""The central worker inside the API process (``api.embedded_worker``, ``hive api --with-worker``).

Sharing the API's Temporal client is the point: a run the API starts with
``request_eager_start`` then gets its first workflow task in the start reply, on this very worker,
instead of through a poll of the task queue (measured in ``bench/llm_overhead_bench.py``). Other
workers may poll the same queue; they take whatever this one does not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator

from temporalio.client import Client
from temporalio.runtime import Runtime

from hive_core.config import ClusterConfig
from hive_core.settings import HiveSettings
from workers.daemon import run_worker

log = logging.getLogger(__name__)


async def _serve(
    settings: HiveSettings,
    cluster: ClusterConfig,
    client: Client,
    runtime: Runtime | None,
    stop: asyncio.Event,
    ready: asyncio.Event,
) -> None:
    try:
        await run_worker(settings, cluster, stop, client=client, runtime=runtime, ready=ready)
    except Exception:
        if not ready.is_set():
            raise  # at start: the API's start-up fails with it
        # An API without its worker would accept runs nobody executes: end the process, so that
        # its supervisor (`hive up`, systemd, compose) sees the failure instead of a silent stall.
        log.exception("the embedded worker failed; stopping the API process")
        os.kill(os.getpid(), signal.SIGTERM)


@contextlib.asynccontextmanager
async def embedded_worker(
    settings: HiveSettings, cluster: ClusterConfig, client: Client, runtime: Runtime | None
) -> AsyncIterator[asyncio.Task[None]]:
    """Run the central worker on ``client`` (connected, not lazy) while the block runs.

    The block starts once the worker polls (an eager start needs a worker registered with the
    client; before that every run would take the slow path). On exit it stops gracefully:
    in-flight tasks get ``worker.graceful_shutdown_s`` to finish.
    """
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        _serve(settings, cluster, client, runtime, stop, ready), name="hive-embedded-worker"
    )
    ready_wait = asyncio.ensure_future(ready.wait())
    await asyncio.wait({ready_wait, task}, return_when=asyncio.FIRST_COMPLETED)
    ready_wait.cancel()
    if task.done():
        task.result()  # it failed at start: raise its error here
    try:
        yield task
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await task
