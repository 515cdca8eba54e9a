"""n8n's "Retry On Fail" as an executor wrapper, for nodes that run in-process.

The scheduler never retries: activities get Temporal's retries. Pure nodes executed by
`LocalExecutor` inside the workflow get n8n's own rule instead: up to `max_tries` attempts with
`wait_between_tries_ms` between them, retrying a thrown error and also a first output item whose
`json.error` is set (what a node continuing on fail emits). The pause is a callback
(`workflow.sleep` under Temporal), so this stays deterministic.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from n8n_runtime.engine.types import NodeExecutor, NodeRequest, NodeResult

Sleep = Callable[[float], Awaitable[None]]


def _failed(result: NodeResult) -> bool:
    """n8n's checkFailure: an error, or `outputs[0][0].json.error` set (not null/false)."""
    if result.error is not None:
        return True
    outputs = result.outputs or []
    first = outputs[0] if outputs else None
    if not first:
        return False
    json = first[0].get("json")
    error = json.get("error") if isinstance(json, dict) else None
    return error is not None and error is not False


class RetryingExecutor:
    """Wraps an executor with the node's retry settings."""

    def __init__(self, inner: NodeExecutor, sleep: Sleep) -> None:
        """`sleep(seconds)` pauses between attempts (`temporalio.workflow.sleep` in a workflow)."""
        self._inner = inner
        self._sleep = sleep

    async def __call__(self, request: NodeRequest) -> NodeResult:
        """Run, and run again while the attempt failed and tries are left; the last result wins."""
        settings = request.node.settings
        tries = settings.max_tries if settings.retry_on_fail else 1
        result = await self._inner(request)
        for _ in range(1, max(1, tries)):
            if not _failed(result):
                break
            if settings.wait_between_tries_ms:
                await self._sleep(settings.wait_between_tries_ms / 1000)
            result = await self._inner(request)
        return result


__all__ = ["RetryingExecutor", "Sleep"]
