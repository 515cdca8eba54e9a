"""LLM calls the central worker makes itself, as local activities (agents with ``dispatch: local``).

The queue path costs three Temporal hops per call (the activity task on the agent's queue, its
start, the workflow task its result wakes); a local activity costs a few milliseconds and its
result is checkpointed in the workflow's history with the next workflow-task completion.

One local activity does the routing and the call: it resolves the call's route (as the
``hive.routing.resolve`` local activity does; a route no agent could take fails for good), then
the first of the target's local candidates (``RouteTarget.local_agents``, in routing order) with
a free slot now (``workers.slots.SharedSlotPool.claim``, shared with the agent's queue workers
when this process drives them) takes the call. A candidate that is busy, paused after a
failure, fails as a host (refused, 5xx, broken stream) or lacks the model is skipped; a call
past the agent's ``local_call_limit_s`` is cancelled (local activities cannot heartbeat, see
``workflows.ai_dispatch``). When none served it, the outcome (``result`` None, the target, why)
sends the call through the target's queue, as before. A user error (a bad request) fails the
call at once, as it would on the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.ollama import OllamaActivities
from activities.routing import AiRoute, ResolveRouteInput, RouteTarget
from hive_core.ollama.types import (
    ChatRequest,
    ChatResult,
    EmbedRequest,
    EmbedResult,
    GenerateRequest,
    GenerateResult,
)

Q = TypeVar("Q")
R = TypeVar("R")

# How a host's slot is claimed without waiting (``SharedSlotPool.claim``): yields False if none.
Claim = Callable[[], contextlib.AbstractAsyncContextManager[bool]]
# Routing (``RoutingActivities.resolve``): the target of a call, or a non-retryable error.
Resolve = Callable[[ResolveRouteInput], Awaitable[RouteTarget]]


class LocalSkip(BaseModel):
    """A candidate that did not serve the call, and why."""

    agent: str
    reason: str


class LocalChatInput(BaseModel):
    route: AiRoute = AiRoute()
    request: ChatRequest


class LocalChatOutcome(BaseModel):
    target: RouteTarget
    result: ChatResult | None = None
    skipped: list[LocalSkip] = []


class LocalGenerateInput(BaseModel):
    route: AiRoute = AiRoute()
    request: GenerateRequest


class LocalGenerateOutcome(BaseModel):
    target: RouteTarget
    result: GenerateResult | None = None
    skipped: list[LocalSkip] = []


class LocalEmbedInput(BaseModel):
    route: AiRoute = AiRoute()
    request: EmbedRequest


class LocalEmbedOutcome(BaseModel):
    target: RouteTarget
    result: EmbedResult | None = None
    skipped: list[LocalSkip] = []


@dataclass(frozen=True)
class LocalHost:
    """One agent the central worker calls directly: its Ollama activities and its slots."""

    ollama: OllamaActivities
    claim: Claim


# Failures that mean "this host cannot serve it now": try the next candidate, then the queue.
_SKIPPED_TYPES = frozenset({"AgentUnavailableError", "ModelNotFoundError"})


class LocalOllamaActivities:
    """chat / generate / embed routed, then run on a local host (see the module docstring)."""

    def __init__(self, hosts: Mapping[str, LocalHost], resolve: Resolve) -> None:
        self._hosts = dict(hosts)
        self._resolve = resolve

    @property
    def agents(self) -> frozenset[str]:
        """The agents this worker can call directly."""
        return frozenset(self._hosts)

    async def _routed(
        self, model: str, route: AiRoute, call: Callable[[OllamaActivities], Awaitable[R]]
    ) -> tuple[RouteTarget, R | None, list[LocalSkip]]:
        target = await self._resolve(ResolveRouteInput(model=model, route=route))
        result, skipped = await self._first_free(target, call)
        return target, result, skipped

    async def _first_free(
        self, target: RouteTarget, call: Callable[[OllamaActivities], Awaitable[R]]
    ) -> tuple[R | None, list[LocalSkip]]:
        skipped: list[LocalSkip] = []
        limit = target.local_call_limit_s
        for agent in target.local_agents:
            host = self._hosts.get(agent)
            if host is None:  # not callable from this worker (another one resolved it)
                skipped.append(LocalSkip(agent=agent, reason="not local to this worker"))
                continue
            async with host.claim() as free:
                if not free:
                    skipped.append(LocalSkip(agent=agent, reason="busy or paused"))
                    continue
                try:
                    return await asyncio.wait_for(call(host.ollama), limit), skipped
                except TimeoutError:
                    # Long: the queue path (heartbeats) runs it; another local try would be as long.
                    skipped.append(LocalSkip(agent=agent, reason=f"still running after {limit:g} s"))
                    break
                except ApplicationError as exc:
                    if exc.non_retryable and exc.type not in _SKIPPED_TYPES:
                        raise  # the request itself is wrong: no host would take it
                    skipped.append(LocalSkip(agent=agent, reason=exc.message))
        return None, skipped

    @activity.defn(name="hive.ollama.local_chat")
    async def chat(self, call: LocalChatInput) -> LocalChatOutcome:
        """Route a chat; run it on the first free local candidate (``result`` None: none did)."""
        target, result, skipped = await self._routed(
            call.request.model, call.route, lambda host: host.chat(call.request)
        )
        return LocalChatOutcome(target=target, result=result, skipped=skipped)

    @activity.defn(name="hive.ollama.local_generate")
    async def generate(self, call: LocalGenerateInput) -> LocalGenerateOutcome:
        """Route a completion; run it on the first free local candidate (``result`` None: none did)."""
        target, result, skipped = await self._routed(
            call.request.model, call.route, lambda host: host.generate(call.request)
        )
        return LocalGenerateOutcome(target=target, result=result, skipped=skipped)

    @activity.defn(name="hive.ollama.local_embed")
    async def embed(self, call: LocalEmbedInput) -> LocalEmbedOutcome:
        """Route embeddings; run them on the first free local candidate (``result`` None: none did)."""
        target, result, skipped = await self._routed(
            call.request.model, call.route, lambda host: host.embed(call.request)
        )
        return LocalEmbedOutcome(target=target, result=result, skipped=skipped)


__all__ = [
    "Claim",
    "LocalChatInput",
    "LocalChatOutcome",
    "LocalEmbedInput",
    "LocalEmbedOutcome",
    "LocalGenerateInput",
    "LocalGenerateOutcome",
    "LocalHost",
    "LocalOllamaActivities",
    "LocalSkip",
    "Resolve",
]
