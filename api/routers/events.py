"""Live updates of one execution: WebSocket `/api/executions/{id}/events`, SSE `.../stream`.

Both send the same typed events (`api.live.events`): node started / finished / failed, tokens of
AI nodes, waiting, run finished. A client that connects late first gets the run so far; an SSE
client resuming with ``Last-Event-ID`` (a WebSocket one with ``?last_event_id=``) gets only what
it missed. Viewers may watch (``executions:read``).

An SSE stream whose run cannot be read any more (Temporal gone for over 10 s) ends with an
``event: error`` frame. WebSocket close codes: 1000 run finished, 4401 no or bad credentials,
4403 role lacks the permission, 4404 unknown execution, 4429 rate limited, 4503 Temporal
unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, WebSocket
from fastapi.responses import StreamingResponse
from starlette.websockets import WebSocketDisconnect, WebSocketState

from api.auth import AUTH_RESPONSES, ErrorBody, require
from api.deps import ClientDep
from api.live import ExecutionEventSource, authorize_websocket, parse_key
from api.live.events import EventKey
from api.live.sse import sse_stream
from api.state import AppState
from hive_core.auth import AuthenticationError, Permission, PermissionDeniedError, Principal
from hive_core.errors import HiveError, NotFoundError, OperationalError, RateLimitedError

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/executions", tags=["live updates"], responses=AUTH_RESPONSES)
Reader = Annotated[Principal, Depends(require(Permission.EXECUTIONS_READ))]
# How often the run is polled; bounded so a client cannot make the API hammer Temporal.
PollMs = Annotated[int, Query(ge=100, le=5000, description="poll interval in milliseconds")]

_SSE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "`text/event-stream`: `id:` resume key, `event:` type, `data:` the event as JSON",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    },
    404: {"model": ErrorBody, "description": "no execution with this id"},
    503: {"model": ErrorBody, "description": "Temporal is unreachable"},
}


@router.get(
    "/{execution_id}/stream",
    response_class=StreamingResponse,
    responses=_SSE_RESPONSES,
    summary="Live events of an execution (server-sent events)",
)
async def stream_execution(
    execution_id: str,
    request: Request,
    client: ClientDep,
    _: Reader,
    poll_ms: PollMs = 250,
    last_event_id: Annotated[str | None, Header(description="resume after this event id")] = None,
) -> StreamingResponse:
    """Node, token and run events of the execution until it finishes (the run so far first)."""
    source = ExecutionEventSource(client, execution_id, poll_interval_s=poll_ms / 1000)
    await source.open()  # 404 now, before the 200 of the stream is sent
    body = sse_stream(source, after=parse_key(last_event_id), disconnected=request.is_disconnected)
    return StreamingResponse(
        body,
        media_type="text/event-stream",
        # no-transform / X-Accel-Buffering: proxies must not buffer or compress the stream.
        headers={"Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no"},
    )


def _close_code(exc: HiveError) -> int:
    if isinstance(exc, AuthenticationError):
        return 4401
    if isinstance(exc, PermissionDeniedError):
        return 4403
    if isinstance(exc, NotFoundError):
        return 4404
    if isinstance(exc, RateLimitedError):
        return 4429
    if isinstance(exc, OperationalError):
        return 4503
    return 4400


@router.websocket("/{execution_id}/events")
async def execution_events(
    websocket: WebSocket,
    execution_id: str,
    poll_ms: PollMs = 250,
    last_event_id: str | None = None,
) -> None:
    """Each event as one JSON text message; closes with 1000 after ``run_finished``."""
    state: AppState = websocket.app.state.hive
    source = ExecutionEventSource(state.temporal, execution_id, poll_interval_s=poll_ms / 1000)
    try:
        await authorize_websocket(websocket, state, Permission.EXECUTIONS_READ)
        await source.open()
    except HiveError as exc:
        # Accept first: a close before the handshake is only an HTTP 403, without the reason.
        await websocket.accept()
        await websocket.close(code=_close_code(exc), reason=exc.message[:120])
        return
    await websocket.accept()
    sender = asyncio.create_task(_send_events(websocket, source, parse_key(last_event_id)))
    listener = asyncio.create_task(_until_disconnect(websocket))
    done, _pending = await asyncio.wait({sender, listener}, return_when=asyncio.FIRST_COMPLETED)
    for task in (sender, listener):
        task.cancel()
    # Outcomes are read below; a send to a client that just left may fail in any way.
    await asyncio.gather(sender, listener, return_exceptions=True)
    if sender not in done or websocket.client_state is not WebSocketState.CONNECTED:
        return  # the client left: polling stopped with the sender
    error = sender.exception()
    if error is not None and not isinstance(error, HiveError | WebSocketDisconnect):
        log.error("live events of %s failed", execution_id, exc_info=error)
    code, reason = 1000, ""
    if isinstance(error, HiveError):
        code, reason = _close_code(error), error.message[:120]
    elif error is not None:
        code = 1011
    # The client may have gone in the meantime; closing it then is a no-op, not a failure.
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(code=code, reason=reason)


async def _send_events(websocket: WebSocket, source: ExecutionEventSource, after: EventKey | None) -> None:
    async for batch in source.batches():
        for event in batch:
            if after is None or event.key > after:
                await websocket.send_text(event.model_dump_json())


async def _until_disconnect(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, until it goes away."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return


__all__ = ["router"]
