"""Server-sent events framing of live events, with keep-alive comments and resume."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from api.live.events import EventKey, LiveEvent
from api.live.source import ExecutionEventSource
from hive_core.errors import HiveError

# A comment line this often keeps proxies from closing an idle stream (a Wait node may last days).
KEEPALIVE_S = 15.0
# How soon a browser's EventSource reconnects after the connection drops.
RETRY_MS = 2000


def sse_frame(event: LiveEvent) -> str:
    """One event as SSE: ``id:`` (resume key), ``event:`` (its type), ``data:`` (JSON, one line)."""
    return f"id: {event.id}\nevent: {event.type}\ndata: {event.model_dump_json()}\n\n"


async def sse_stream(
    source: ExecutionEventSource,
    *,
    after: EventKey | None,
    disconnected: Callable[[], Awaitable[bool]],
    keepalive_s: float | None = None,
) -> AsyncIterator[str]:
    """The SSE body: events after ``after``, until ``run_finished`` or the client leaves."""
    keepalive = KEEPALIVE_S if keepalive_s is None else keepalive_s
    yield f"retry: {RETRY_MS}\n\n"
    last_sent = time.monotonic()
    try:
        async for batch in source.batches():
            if await disconnected():
                return  # stop polling Temporal for a client that left
            frames = [sse_frame(event) for event in batch if after is None or event.key > after]
            if frames:
                yield "".join(frames)
                last_sent = time.monotonic()
            elif time.monotonic() - last_sent >= keepalive:
                yield ": keep-alive\n\n"
                last_sent = time.monotonic()
    except HiveError as exc:
        # The 200 is already sent: the failure (e.g. Temporal gone for good) becomes a last frame.
        yield f"event: error\ndata: {json.dumps({'error': exc.to_dict()}, default=str)}\n\n"


__all__ = ["KEEPALIVE_S", "RETRY_MS", "sse_frame", "sse_stream"]
