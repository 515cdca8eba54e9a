"""Wait until a worker polls a task queue: the proof that a worker is really up."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from hive_core.errors import OperationalError


class _Process(Protocol):
    name: str

    @property
    def running(self) -> bool: ...

    def tail(self, lines: int = 15) -> str: ...


async def queue_has_pollers(client: Client, task_queue: str) -> bool:
    response = await client.workflow_service.describe_task_queue(
        DescribeTaskQueueRequest(
            namespace=client.namespace,
            task_queue=TaskQueue(name=task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )
    )
    return bool(response.pollers)


async def wait_for_pollers(
    client: Client, task_queue: str, deadline: float, process: _Process | None = None
) -> None:
    while time.monotonic() < deadline:
        if process is not None and not process.running:
            raise OperationalError(f"{process.name} exited during start-up:\n{process.tail()}")
        if await queue_has_pollers(client, task_queue):
            return
        await asyncio.sleep(0.1)
    raise OperationalError(f"no worker polls task queue {task_queue!r}")
