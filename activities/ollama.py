"""LLM calls as activities, run by the worker of one agent (one Ollama host, one task queue).

Chat and generate stream from Ollama and heartbeat ``{"tokens": n}`` (then, as a second detail,
``{"chars": c, "tail": "..."}``: the reply's length so far and its last ``HEARTBEAT_TAIL_CHARS``
characters, for live updates) on the first token and then about every ``heartbeat_interval``
seconds for as long as the call runs — also while the model
loads and while Ollama generates a tool call (it buffers those tokens): the heartbeat proves the
*worker* alive, so a killed worker is noticed within the caller's short ``heartbeat_timeout``
while a long generation is never capped. A *host* that stops sending tokens after the first is
failed (retryably) after ``stall_timeout`` seconds of silence; before the first token the
client's chunk timeout allows for a cold model load. Cancelling the activity closes the HTTP
stream, so Ollama stops generating.

Errors go through ``to_application_error`` with the agent's id in their details (routing uses it
to try another agent): user errors (unknown model, bad request) fail the call for good, a failing
host is retried, and the worker is told (``on_unavailable``) so it can stop polling for a while.
Every call is recorded in an ``AgentStats`` (in flight, completed, failed, tokens, tokens/s).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any, TypeVar

import httpx
from temporalio import activity

from hive_core.agent_stats import AgentStats
from hive_core.config.models import AgentConfig, normalize_model_name
from hive_core.errors import AgentUnavailableError, HiveError
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
    GenerationMetrics,
)
from hive_core.temporal_errors import to_application_error

T = TypeVar("T")

# Silence after the first token that fails the call (Ollama buffers a tool call's tokens, so a
# few seconds of silence mid-stream are normal).
DEFAULT_STALL_TIMEOUT = 120.0

# Live updates show the reply as it grows; its tail stays small so each heartbeat stays small
# (the client computes deltas from ``chars``).
HEARTBEAT_TAIL_CHARS = 2000

# How the worker limits generations on its host (see workers.slots.SharedSlotPool.hold).
HostSlot = Callable[[], contextlib.AbstractAsyncContextManager[None]]


@contextlib.asynccontextmanager
async def _no_limit() -> AsyncIterator[None]:
    yield


class _Progress:
    """Heartbeats the token count: on the first token, then about every ``interval`` s."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.tokens = 0
        self.chars = 0
        self.tail = ""
        self.stalled = False
        self._last: float | None = None
        self._last_token = 0.0
        # A local activity (dispatch: local) cannot heartbeat: the stall watch still runs.
        self._beats = not activity.in_activity() or not activity.info().is_local

    def _beat(self, now: float) -> None:
        # The count stays the first detail, as before; the text tail rides as a second one.
        if self._beats:
            activity.heartbeat({"tokens": self.tokens}, {"chars": self.chars, "tail": self.tail})
        self._last = now

    def add(self, tokens: int, text: str = "") -> None:
        if text:
            self.chars += len(text)
            self.tail = (self.tail + text)[-HEARTBEAT_TAIL_CHARS:]
        if not tokens:
            return
        self.tokens += tokens
        now = self._last_token = time.monotonic()
        if self._last is None or now - self._last >= self.interval:
            self._beat(now)

    async def watch(self, work: asyncio.Future[Any], stall_timeout: float) -> None:
        """Heartbeat while ``work`` runs; cancel it if tokens stop for ``stall_timeout`` s."""
        while not work.done():
            await asyncio.sleep(self.interval)
            now = time.monotonic()
            if self.tokens and now - self._last_token > stall_timeout:
                self.stalled = True
                work.cancel()
                return
            if self._last is None or now - self._last >= self.interval:
                self._beat(now)


class OllamaActivities:
    """chat / generate / embed against one agent's Ollama host."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        agent: AgentConfig,
        stats: AgentStats | None = None,
        *,
        heartbeat_interval: float = 1.0,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        chunk_timeout: float = DEFAULT_CHUNK_TIMEOUT,
        stall_timeout: float = DEFAULT_STALL_TIMEOUT,
        host_slot: HostSlot | None = None,
        on_unavailable: Callable[[], None] | None = None,
    ) -> None:
        self._agent = agent
        self.stats = stats if stats is not None else AgentStats()
        self._heartbeat_interval = heartbeat_interval
        self._stall_timeout = stall_timeout
        self._host_slot = host_slot or _no_limit
        self._on_unavailable = on_unavailable
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

    async def _recorded(self, model: str, progress: _Progress, call: Callable[[], Awaitable[T]]) -> T:
        """Run ``call`` under the host's slot limit, heartbeating, recorded in ``stats``."""
        self.stats.started()
        work = asyncio.ensure_future(self._limited(model, call))
        watchdog = asyncio.create_task(progress.watch(work, self._stall_timeout))
        try:
            try:
                result = await work
            except asyncio.CancelledError:
                if not progress.stalled:
                    raise
                raise AgentUnavailableError(
                    f"Ollama at {self._agent.endpoint} sent no token for {self._stall_timeout:g} s "
                    f"after {progress.tokens}",
                    endpoint=self._agent.endpoint,
                    model=model,
                ) from None
        except HiveError as exc:
            self.stats.failed()
            exc.details.setdefault("agent_id", self._agent.id)
            if isinstance(exc, AgentUnavailableError) and self._on_unavailable is not None:
                self._on_unavailable()
            raise to_application_error(exc) from exc
        except BaseException:
            self.stats.failed()
            raise
        finally:
            watchdog.cancel()
            work.cancel()
        if isinstance(result, GenerationMetrics):
            self.stats.finished(tokens=result.eval_count, tokens_per_second=result.tokens_per_second)
        else:
            self.stats.finished()
        return result

    async def _limited(self, model: str, call: Callable[[], Awaitable[T]]) -> T:
        self._check_model(model)
        async with self._host_slot():
            return await call()

    async def _stream(
        self,
        chunks: AsyncGenerator[dict[str, Any], None],
        assembler: ChatAssembler | GenerateAssembler,
        progress: _Progress,
    ) -> None:
        # aclosing: the HTTP stream is closed at once on cancellation, not when collected.
        async with aclosing(chunks) as stream:
            async for chunk in stream:
                tokens = assembler.add(chunk)
                progress.add(tokens, assembler.text[-1] if assembler.text else "")

    @activity.defn(name="hive.ollama.chat")
    async def chat(self, request: ChatRequest) -> ChatResult:
        """Stream a chat completion; the assembled message, tool calls and Ollama's metrics."""
        progress = _Progress(self._heartbeat_interval)

        async def call() -> ChatResult:
            assembler = ChatAssembler()
            await self._stream(self._client.chat(request.to_wire()), assembler, progress)
            return assembler.result(self._agent.id)

        return await self._recorded(request.model, progress, call)

    @activity.defn(name="hive.ollama.generate")
    async def generate(self, request: GenerateRequest) -> GenerateResult:
        """Stream a completion of ``prompt``; the text and Ollama's metrics."""
        progress = _Progress(self._heartbeat_interval)

        async def call() -> GenerateResult:
            assembler = GenerateAssembler()
            await self._stream(self._client.generate(request.to_wire()), assembler, progress)
            return assembler.result(self._agent.id)

        return await self._recorded(request.model, progress, call)

    @activity.defn(name="hive.ollama.embed")
    async def embed(self, request: EmbedRequest) -> EmbedResult:
        """Embed one text or a batch; one vector per input."""

        async def call() -> EmbedResult:
            reply = await self._client.embed(request.to_wire())
            return EmbedResult(
                model=str(reply.get("model") or request.model),
                embeddings=reply.get("embeddings") or [],
                prompt_eval_count=int(reply.get("prompt_eval_count") or 0),
                total_duration_ns=int(reply.get("total_duration") or 0),
                agent_id=self._agent.id,
            )

        return await self._recorded(request.model, _Progress(self._heartbeat_interval), call)


__all__ = ["HEARTBEAT_TAIL_CHARS", "HostSlot", "OllamaActivities"]
