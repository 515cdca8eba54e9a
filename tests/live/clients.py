"""Real clients of the live endpoints: `websockets` for WS, httpx streaming for SSE."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.live.conftest import LiveApi


@dataclass
class WsResult:
    events: list[dict[str, Any]]
    close_code: int | None
    close_reason: str


async def ws_events(
    api: LiveApi, execution_id: str, *, headers: dict[str, str] | None = None, query: str = ""
) -> WsResult:
    """Every message until the server closes the socket, and how it closed."""
    url = f"{api.ws_url}/api/executions/{execution_id}/events{query}"
    sent_headers = {"X-API-Key": api.key} if headers is None else headers
    events: list[dict[str, Any]] = []
    async with connect(url, additional_headers=sent_headers, open_timeout=10) as ws:
        try:
            async for message in ws:
                events.append(json.loads(message))
        except ConnectionClosed:
            pass
        return WsResult(events, ws.close_code, ws.close_reason or "")


async def ws_events_acting(
    api: LiveApi, execution_id: str, when: str, action: Callable[[dict[str, Any]], Awaitable[None]]
) -> WsResult:
    """Like ``ws_events``, running ``action`` once the first event of type ``when`` arrived."""
    url = f"{api.ws_url}/api/executions/{execution_id}/events"
    events: list[dict[str, Any]] = []
    async with connect(url, additional_headers={"X-API-Key": api.key}, open_timeout=10) as ws:
        acted = False
        try:
            async for message in ws:
                events.append(json.loads(message))
                if not acted and events[-1]["type"] == when:
                    acted = True
                    await action(events[-1])
        except ConnectionClosed:
            pass
        return WsResult(events, ws.close_code, ws.close_reason or "")


@dataclass
class SseFrame:
    id: str | None = None
    event: str | None = None
    data: dict[str, Any] | None = None


@dataclass
class SseResult:
    status: int
    headers: httpx.Headers
    frames: list[SseFrame] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def events(self) -> list[dict[str, Any]]:
        return [frame.data for frame in self.frames if frame.data is not None]


async def sse_events(
    api: LiveApi,
    execution_id: str,
    *,
    headers: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
) -> SseResult:
    """Read the SSE stream to its end, frame by frame (or the error answer)."""
    sent_headers = {"X-API-Key": api.key} if headers is None else headers
    async with (
        httpx.AsyncClient(base_url=api.url, timeout=30) as http,
        http.stream(
            "GET", f"/api/executions/{execution_id}/stream", headers=sent_headers, params=params
        ) as reply,
    ):
        result = SseResult(reply.status_code, reply.headers)
        if reply.status_code != 200:
            await reply.aread()
            return result
        frame = SseFrame()
        async for line in reply.aiter_lines():
            if line == "":
                if frame.data is not None or frame.event is not None:
                    result.frames.append(frame)
                frame = SseFrame()
            elif line.startswith(":"):
                result.comments.append(line[1:].strip())
            else:
                name, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if name == "id":
                    frame.id = value
                elif name == "event":
                    frame.event = value
                elif name == "data":
                    frame.data = json.loads(value)
        return result
