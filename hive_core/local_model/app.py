"""The Ollama HTTP API (``/api/*``, as in Ollama's docs/api.md) over one loaded model.

Errors are Ollama's: ``{"error": "..."}`` with 400 (bad body), 404 (unknown model) or 500. A
failure before the first streamed line gets a real status; once NDJSON streaming has begun the
status stays 200 and an ``{"error": ...}`` line ends the stream, as Ollama does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any, TypeVar

import pydantic
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from hive_core.local_model.card import ModelCard
from hive_core.local_model.engine import Handler, LlamaEngine, RunTiming
from hive_core.local_model.protocol import (
    ApiError,
    ChatBody,
    EmbedBody,
    GenerateBody,
    PromptEmbedBody,
    ShowBody,
    chat_request,
    check_capabilities,
    embed_inputs,
    generate_request,
)
from hive_core.local_model.replies import Kind, ReplyBuilder, final_metrics, load_reply
from hive_core.ollama.wire import NDJSON_TYPE, api_error_response, dumps, error_response, json_response

log = logging.getLogger(__name__)

# What /api/version reports: clients gate features on Ollama's version, not on Hive's.
OLLAMA_VERSION = "0.12.6"

B = TypeVar("B", bound=pydantic.BaseModel)


def _llama_error(event: dict[str, Any]) -> ApiError:
    error = event.get("error") or {}
    status = int(error.get("code") or 500) if isinstance(error, dict) else 500
    message = str(error.get("message") if isinstance(error, dict) else error)
    return ApiError(status if 400 <= status < 600 else 500, message)


async def _parse(request: Request, model: type[B]) -> B:
    raw = await request.body()
    if not raw.strip():
        raise ApiError(400, "missing request body")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "the request body must be a JSON object")
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise ApiError(400, f"invalid value for {where}: {first['msg']}") from exc


async def _until_disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


class OllamaFront:
    """Request handlers bound to one engine and its model card."""

    def __init__(self, engine: LlamaEngine, card: ModelCard) -> None:
        self.engine = engine
        self.card = card

    def _model(self, name: str) -> str:
        if not name.strip():
            raise ApiError(400, "model is required")
        if not self.card.serves(name):
            raise ApiError(404, f"model '{name}' not found")
        return name

    # -- metadata -------------------------------------------------------------------------------

    async def root(self, request: Request) -> Response:
        return PlainTextResponse("Ollama is running")

    async def version(self, request: Request) -> Response:
        return json_response({"version": OLLAMA_VERSION})

    async def tags(self, request: Request) -> Response:
        return json_response({"models": [self.card.tag()]})

    async def ps(self, request: Request) -> Response:
        return json_response({"models": [self.card.process()]})

    async def show(self, request: Request) -> Response:
        body = await _parse(request, ShowBody)
        self._model(body.model or body.name)
        return json_response(self.card.show())

    # -- generation -----------------------------------------------------------------------------

    async def chat(self, request: Request) -> Response:
        body = await _parse(request, ChatBody)
        model = self._model(body.model)
        check_capabilities(model, body, images=any(m.images for m in body.messages))
        if not body.messages:
            return json_response(load_reply("chat", model, body.unloads))
        llama = chat_request(body, self.card.context_length)
        return await self._generation(request, "chat", "chat", llama, model, body.streaming)

    async def generate(self, request: Request) -> Response:
        body = await _parse(request, GenerateBody)
        model = self._model(body.model)
        check_capabilities(model, body, images=bool(body.images))
        if not body.prompt and not body.system:
            return json_response(load_reply("generate", model, body.unloads))
        handler, llama = generate_request(body, self.card.context_length)
        return await self._generation(request, "generate", handler, llama, model, body.streaming)

    async def _generation(
        self, request: Request, kind: Kind, handler: Handler, llama: dict[str, Any], model: str, stream: bool
    ) -> Response:
        timing = RunTiming()
        builder = ReplyBuilder(kind, model, timing)
        events = self.engine.stream(handler, llama, timing)
        # Wait for the first chunk before answering: an error there still gets a real status.
        first = await anext(events, None)
        if first is None or "error" in first:
            await events.aclose()
            error = _llama_error(first or {"error": {"message": "the model sent no reply"}})
            return error_response(error.status, error.message)
        if stream:
            return StreamingResponse(_ndjson(first, events, builder), media_type=NDJSON_TYPE)
        return await _race_disconnect(request, lambda: _collect(first, events, builder))

    async def embed(self, request: Request) -> Response:
        body = await _parse(request, EmbedBody)
        model = self._model(body.model)
        inputs = embed_inputs(body)
        timing = RunTiming()
        if not inputs:
            return json_response({"model": model, "embeddings": []})
        reply = await self.engine.embed(inputs, timing)
        if "error" in reply:
            error = _llama_error(reply)
            return error_response(error.status, error.message)
        rows = sorted(reply.get("data") or [], key=lambda row: int(row.get("index", 0)))
        vectors = [_shorten(list(row["embedding"]), body.dimensions) for row in rows]
        metrics = final_metrics({"prompt_n": (reply.get("usage") or {}).get("prompt_tokens", 0)}, timing)
        return json_response({"model": model, "embeddings": vectors, **metrics})

    async def embeddings_legacy(self, request: Request) -> Response:
        """``/api/embeddings {"model", "prompt"}`` → ``{"embedding": [...]}`` (one vector)."""
        body = await _parse(request, PromptEmbedBody)
        self._model(body.model)
        if not body.prompt:
            return json_response({"embedding": []})
        reply = await self.engine.embed([body.prompt])
        if "error" in reply:
            error = _llama_error(reply)
            return error_response(error.status, error.message)
        return json_response({"embedding": reply["data"][0]["embedding"]})


def _shorten(vector: list[float], dimensions: int | None) -> list[float]:
    # Ollama's `dimensions`: keep the first N values and renormalize to unit length.
    if not dimensions or dimensions >= len(vector):
        return vector
    head = vector[:dimensions]
    norm = math.sqrt(sum(value * value for value in head)) or 1.0
    return [value / norm for value in head]


async def _ndjson(
    first: dict[str, Any], events: AsyncGenerator[dict[str, Any], None], builder: ReplyBuilder
) -> AsyncIterator[bytes]:
    # aclosing: if the client goes away (this body is cancelled), the engine stops generating.
    async with aclosing(events):
        chunk: dict[str, Any] | None = first
        while chunk is not None:
            if "error" in chunk:
                yield dumps({"error": _llama_error(chunk).message}) + b"\n"
                return
            for obj in builder.feed(chunk):
                yield dumps(obj) + b"\n"
            chunk = await anext(events, None)
    if not builder.done:
        yield dumps({"error": "the model stopped before finishing the reply"}) + b"\n"


async def _collect(
    first: dict[str, Any], events: AsyncGenerator[dict[str, Any], None], builder: ReplyBuilder
) -> Response:
    objects: list[dict[str, Any]] = []
    async with aclosing(events):
        chunk: dict[str, Any] | None = first
        while chunk is not None:
            if "error" in chunk:
                error = _llama_error(chunk)
                return error_response(error.status, error.message)
            objects.extend(builder.feed(chunk))
            chunk = await anext(events, None)
    if not builder.done:
        return error_response(500, "the model stopped before finishing the reply")
    return json_response(builder.collapse(objects))


async def _race_disconnect(request: Request, work: Callable[[], Awaitable[Response]]) -> Response:
    """Run ``work``; if the client disconnects first, cancel it (which stops the generation)."""
    task = asyncio.ensure_future(work())
    watcher = asyncio.ensure_future(_until_disconnected(request))
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if not task.done():
        task.cancel()
        return error_response(499, "request canceled")
    return task.result()


def build_app(engine: LlamaEngine, card: ModelCard) -> Starlette:
    """The Starlette app serving Ollama's API for ``card``'s model through ``engine``."""
    front = OllamaFront(engine, card)
    get_head = ["GET", "HEAD"]
    routes = [
        Route("/", front.root, methods=get_head),
        Route("/api/version", front.version, methods=get_head),
        Route("/api/tags", front.tags, methods=get_head),
        Route("/api/ps", front.ps, methods=["GET"]),
        Route("/api/show", front.show, methods=["POST"]),
        Route("/api/chat", front.chat, methods=["POST"]),
        Route("/api/generate", front.generate, methods=["POST"]),
        Route("/api/embed", front.embed, methods=["POST"]),
        Route("/api/embeddings", front.embeddings_legacy, methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={ApiError: api_error_response})


__all__ = ["OLLAMA_VERSION", "OllamaFront", "build_app"]
