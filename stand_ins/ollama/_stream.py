"""How the fake Ollama streams one generation: pacing, chunks, final metrics, injected faults."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response, StreamingResponse

from hive_core.ollama.wire import (
    JSON_TYPE,
    NDJSON_TYPE,
    dumps,
    error_response,
    json_response,
    nonzero,
    now,
)
from stand_ins.ollama._text import count_tokens
from stand_ins.ollama.server import FakeOllamaConfig, FakeStats


class _Garbage:
    line = b"<html><body>502 Bad Gateway</body></html>\n"


@dataclass
class _ErrorLine:
    message: str


class _Drop:
    pass


class DroppedConnection(Exception):
    """Raised inside a streaming body so that uvicorn aborts the connection mid-response."""


class QuietDrops(logging.Filter):
    """Drops uvicorn's "Exception in ASGI application" record for an injected drop."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, DroppedConnection)


Event = dict[str, Any] | _Garbage | _ErrorLine | _Drop


@dataclass
class Plan:
    """One generation: what to stream and how it ends."""

    kind: str  # "chat" or "generate"
    model: str
    prompt_tokens: int
    thinking: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    done_reason: str = "stop"
    raw: bool = False


def chunk(plan: Plan, *, content: str = "", thinking: str = "", **extra: Any) -> dict[str, Any]:
    chunk: dict[str, Any] = {"model": plan.model, "created_at": now()}
    if plan.kind == "chat":
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if thinking:
            message["thinking"] = thinking
        if "tool_calls" in extra:
            message["tool_calls"] = extra.pop("tool_calls")
        chunk["message"] = message
    else:
        chunk["response"] = content
        if thinking:
            chunk["thinking"] = thinking
    chunk["done"] = False
    return chunk | extra


async def events(plan: Plan, config: FakeOllamaConfig, started_ns: int) -> AsyncIterator[Event]:
    """The chunks of one generation, paced at ``tokens_per_second``, with faults injected."""
    faults = config.faults
    if config.first_token_latency > 0:
        await asyncio.sleep(config.first_token_latency)
    chunks = [chunk(plan, thinking=t) for t in plan.thinking]
    chunks += [chunk(plan, content=t) for t in plan.content]
    eval_count = len(plan.thinking) + len(plan.content)
    if plan.tool_calls:
        chunks.append(chunk(plan, tool_calls=plan.tool_calls))
        eval_count += count_tokens(json.dumps(plan.tool_calls))
    tps = config.tokens_per_second
    decode_start = time.perf_counter()
    for index, item in enumerate(chunks):
        if faults.error_after_chunks == index:
            yield _ErrorLine(faults.error_message)
            return
        if faults.drop_after_chunks == index:
            yield _Drop()
            return
        if faults.garbage_after_chunks == index:
            yield _Garbage()
        if faults.stall_after_chunks == index:
            await asyncio.Event().wait()
        if tps > 0:
            # Pace against the start, so sleep overshoot does not add up over a long reply.
            delay = decode_start + (index + 1) / tps - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        item["created_at"] = now()
        yield item
    decode_ns = time.perf_counter_ns() - int(decode_start * 1e9)
    eval_ns = round(eval_count / tps * 1e9) if tps > 0 else decode_ns
    load_ns = round(config.load_duration * 1e9)
    final = chunk(plan, done=True, done_reason=plan.done_reason)
    if plan.kind == "generate" and not plan.raw:
        final["context"] = list(range(1, plan.prompt_tokens + eval_count + 1))
    final |= nonzero(
        total_duration=time.perf_counter_ns() - started_ns + load_ns,
        load_duration=load_ns,
        prompt_eval_count=plan.prompt_tokens,
        prompt_eval_duration=round(config.first_token_latency * 1e9),
        eval_count=eval_count,
        eval_duration=eval_ns,
    )
    yield final


async def respond(
    plan: Plan, body: dict[str, Any], config: FakeOllamaConfig, stats: FakeStats, started_ns: int
) -> Response:
    """A streamed NDJSON response, or one object when the request says ``stream: false``."""
    stream = events(plan, config, started_ns)
    if body.get("stream", True) is False:
        return await collect(plan, stream, stats)
    return StreamingResponse(ndjson(stream, stats), media_type=NDJSON_TYPE)


async def ndjson(events: AsyncIterator[Event], stats: FakeStats) -> AsyncIterator[bytes]:
    stats.in_flight += 1
    stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
    ended = False
    try:
        async for event in events:
            if isinstance(event, _Drop):
                ended = True
                raise DroppedConnection("fake Ollama drops the connection (injected fault)")
            if isinstance(event, _Garbage):
                yield event.line
            elif isinstance(event, _ErrorLine):
                yield dumps({"error": event.message}) + b"\n"
            else:
                yield dumps(event) + b"\n"
        ended = True
        stats.completed += 1
    finally:
        stats.in_flight -= 1
        if not ended:
            # Cancelled by Starlette on http.disconnect, or closed at a yield.
            stats.disconnects += 1


async def collect(plan: Plan, events: AsyncIterator[Event], stats: FakeStats) -> Response:
    """``stream: false``: text concatenated, tool calls gathered, the last chunk's metadata."""
    content, thinking, tool_calls = [], [], []
    final: dict[str, Any] = {}
    async for event in events:
        if isinstance(event, _ErrorLine):
            return error_response(500, event.message)
        if isinstance(event, _Drop):
            raise DroppedConnection("fake Ollama drops the connection (injected fault)")
        if isinstance(event, _Garbage):
            return Response(event.line, media_type=JSON_TYPE)
        part = event.get("message", event)
        content.append(part.get("content", part.get("response", "")))
        thinking.append(part.get("thinking", ""))
        tool_calls.extend(part.get("tool_calls", []))
        final = event
    stats.completed += 1
    text_key = "content" if plan.kind == "chat" else "response"
    target = final["message"] if plan.kind == "chat" else final
    target[text_key] = "".join(content)
    if any(thinking):
        target["thinking"] = "".join(thinking)
    if tool_calls:
        target["tool_calls"] = tool_calls
    return json_response(final)
