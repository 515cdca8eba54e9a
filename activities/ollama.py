"""LLM calls as activities, run by the worker of one agent (one Ollama host, one task queue).

Chat and generate stream from Ollama and heartbeat ``{"tokens": n}`` on the first token and then
at most every ``heartbeat_interval`` seconds: a host that stops producing tokens is caught by the
activity's ``heartbeat_timeout`` while a long generation is never capped. Cancelling the activity
closes the HTTP stream, so Ollama stops generating. Errors go through ``to_application_error``:
user errors (unknown model, bad request) fail the call for good, a failing host is retried.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import Any

import httpx
from temporalio import activity

from hive_core.config.models import AgentConfig, normalize_model_name
from hive_core.errors import HiveError
from hive_core.ollama.assemble import ChatAssembler, GenerateAssembler
from hive_core.ollama.client import DEFAULT_CHUNK_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, OllamaClient
from hive_core.ollama.errors import ModelNotFoundError
from hive_core.ollama.types import (
    ChatRequest,
    ChatResult,
    EmbedRequest,
    EmbedResult,
    GenerateRequest,
    GenerateResult,
)
from hive_core.temporal_errors import to_application_error


class _Progress:
    """Heartbeats the token count: on the first token, then at most every ``interval`` s."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.tokens = 0
        self._last: float | None = None

    def add(self, tokens: int) -> None:
        if not tokens:
            return
        self.tokens += tokens
        now = time.monotonic()
        if self._last is None or now - self._last >= self.interval:
            activity.heartbeat({"tokens": self.tokens})
            self._last = now


class OllamaActivities:
    def __init__(
        self,
        http: httpx.AsyncClient,
        agent: AgentConfig,
        *,
        heartbeat_interval: float = 1.0,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        chunk_timeout: float = DEFAULT_CHUNK_TIMEOUT,
    ) -> None:
        self._agent = agent
        self._heartbeat_interval = heartbeat_interval
        self._client = OllamaClient(
            http, agent.endpoint, connect_timeout=connect_timeout, chunk_timeout=chunk_timeout
        )

    def _check_model(self, model: str) -> None:
        # The task queue already chose this agent; a model it does not serve is the caller's error.
        if normalize_model_name(model) not in self._agent.models:
            raise ModelNotFoundError(
                model,
                f"agent {self._agent.id!r} (serves {', '.join(self._agent.models)})",
                agent_id=self._agent.id,
                endpoint=self._agent.endpoint,
            )

    async def _stream(
        self, chunks: AsyncGenerator[dict[str, Any], None], assembler: ChatAssembler | GenerateAssembler
    ) -> None:
        progress = _Progress(self._heartbeat_interval)
        # aclosing: the HTTP stream is closed at once on cancellation, not when collected.
        async with aclosing(chunks) as stream:
            async for chunk in stream:
                progress.add(assembler.add(chunk))

    @activity.defn(name="hive.ollama.chat")
    async def chat(self, request: ChatRequest) -> ChatResult:
        """Stream a chat completion; the assembled message, tool calls and Ollama's metrics."""
        try:
            self._check_model(request.model)
            assembler = ChatAssembler()
            await self._stream(self._client.chat(request.to_wire()), assembler)
            return assembler.result(self._agent.id)
        except HiveError as exc:
            raise to_application_error(exc) from exc

    @activity.defn(name="hive.ollama.generate")
    async def generate(self, request: GenerateRequest) -> GenerateResult:
        """Stream a completion of ``prompt``; the text and Ollama's metrics."""
        try:
            self._check_model(request.model)
            assembler = GenerateAssembler()
            await self._stream(self._client.generate(request.to_wire()), assembler)
            return assembler.result(self._agent.id)
        except HiveError as exc:
            raise to_application_error(exc) from exc

    @activity.defn(name="hive.ollama.embed")
    async def embed(self, request: EmbedRequest) -> EmbedResult:
        """Embed one text or a batch; one vector per input."""
        try:
            self._check_model(request.model)
            reply = await self._client.embed(request.to_wire())
        except HiveError as exc:
            raise to_application_error(exc) from exc
        return EmbedResult(
            model=str(reply.get("model") or request.model),
            embeddings=reply.get("embeddings") or [],
            prompt_eval_count=int(reply.get("prompt_eval_count") or 0),
            total_duration_ns=int(reply.get("total_duration") or 0),
            agent_id=self._agent.id,
        )


__all__ = ["OllamaActivities"]
