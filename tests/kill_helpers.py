"""Helpers of the worker-kill tests: `hive worker` processes, and an HTTP server that holds calls.

`holding_server` answers `/hold/<name>` only when told to (the first calls hang until
`release()`), so a test knows a call is in flight on the worker it is about to kill; every
arrival is timed, so the test measures kill → the call starting again on another worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from tests.counting_server import CountingServer
from tests.loopback import JsonHandler, serve

REPO = Path(__file__).resolve().parents[1]
# A held call waits at most this long (the test fails long before).
HOLD_LIMIT_S = 60.0


@dataclass
class HoldingServer(CountingServer):
    # The first `held` calls of each path hang until `release()`; later ones answer at once.
    held: int = 1
    # Calls answered (the response written), per path.
    answered: Counter[str] = field(default_factory=Counter)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()


@contextmanager
def holding_server() -> Iterator[HoldingServer]:
    state = HoldingServer(url="")

    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            count = state.arrived(self.path)
            if self.path.startswith("/hold/") and count <= state.held:
                state.released.wait(HOLD_LIMIT_S)
            # The caller may be a killed worker: its connection is gone.
            with suppress(OSError):
                self.reply_json(200, {"path": self.path, "count": count})
                with state.lock:
                    state.answered[self.path] += 1

    with serve(Handler) as state.url:
        try:
            yield state
        finally:
            # Unblock held calls before the server stops.
            state.release()


def start_worker(address: str, queue: str, log_path: Path, **env_vars: str) -> subprocess.Popen[bytes]:
    """A central `hive worker` process on `queue`, logging (DEBUG) to `log_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HIVE_")}
    env.update(
        HIVE_TEMPORAL__ADDRESS=address,
        HIVE_TEMPORAL__TASK_QUEUE=queue,
        HIVE_WORKER__METRICS_PORT="0",
        HIVE_LOG_LEVEL="DEBUG",
        **env_vars,
    )
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "hive_core.cli", "worker"], cwd=REPO, env=env, stdout=log, stderr=log
        )


async def pollers(client: Client, queue: str, kind: TaskQueueType.ValueType) -> set[str]:
    """Identities the server lists as polling `queue` (dead ones stay listed for a while)."""
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace, task_queue=TaskQueue(name=queue), task_queue_type=kind
        )
    )
    return {p.identity for p in response.pollers}


def stop(*processes: subprocess.Popen[bytes] | None) -> None:
    for process in processes:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
