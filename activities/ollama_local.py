"""LLM calls the central worker makes itself, as local activities (agents with ``dispatch: local``).

The queue path costs three Temporal hops per call (the activity task on the agent's queue, its
start, the workflow task its result wakes); a local activity costs a few milliseconds and its
result is checkpointed in the workflow's history with the next workflow-task completion.

Each call names the candidate agents in routing order; the first one with a free slot now
(``workers.slots.SharedSlotPool.claim``, shared with the agent's queue workers when this
process drives them) takes it. A candidate that is busy, paused after a failure, fails as a host
(refused, 5xx, broken stream) or lacks the model is skipped; when none served, the outcome says
why (``served`` False) and the workflow sends the call through the queue, as before. A user
error (a bad request) fails the call at once, as it would on the queue.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.ollama import OllamaActivities
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


class LocalSkip(BaseModel):
    """A candidate that did not serve the call, and why."""

    agent: str
    reason: str


class LocalChatInput(BaseModel):
    agents: list[str]
    request: ChatRequest


class LocalChatOutcome(BaseModel):
    result: ChatResult | None = None
    skipped: list[LocalSkip] = []


class LocalGenerateInput(BaseModel):
    agents: list[str]
    request: GenerateRequest


class LocalGenerateOutcome(BaseModel):
    result: GenerateResult | None = None
    skipped: list[LocalSkip] = []


class LocalEmbedInput(BaseModel):
    agents: list[str]
    request: EmbedRequest


class LocalEmbedOutcome(BaseModel):
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
    """chat / generate / embed on the first free candidate among ``hosts`` (see the module docstring)."""

    def __init__(self, hosts: Mapping[str, LocalHost]) -> None:
        self._hosts = dict(hosts)

    @property
    def agents(self) -> frozenset[str]:
        """The agents this worker can call directly."""
        return frozenset(self._hosts)

    async def _first_free(
        self, agents: Sequence[str], call: Callable[[OllamaActivities], Awaitable[R]]
    ) -> tuple[R | None, list[LocalSkip]]:
        skipped: list[LocalSkip] = []
        for agent in agents:
            host = self._hosts.get(agent)
            if host is None:  # another central worker's configuration: not callable from here
                skipped.append(LocalSkip(agent=agent, reason="not local to this worker"))
                continue
            async with host.claim() as free:
                if not free:
                    skipped.append(LocalSkip(agent=agent, reason="busy or paused"))
                    continue
                try:
                    return await call(host.ollama), skipped
                except ApplicationError as exc:
                    if exc.non_retryable and exc.type not in _SKIPPED_TYPES:
                        raise  # the request itself is wrong: no host would take it
                    skipped.append(LocalSkip(agent=agent, reason=exc.message))
        return None, skipped

    @activity.defn(name="hive.ollama.local_chat")
    async def chat(self, call: LocalChatInput) -> LocalChatOutcome:
        """A chat on the first free local candidate; ``result`` None if none served it."""
        result, skipped = await self._first_free(call.agents, lambda host: host.chat(call.request))
        return LocalChatOutcome(result=result, skipped=skipped)

    @activity.defn(name="hive.ollama.local_generate")
    async def generate(self, call: LocalGenerateInput) -> LocalGenerateOutcome:
        """A completion on the first free local candidate; ``result`` None if none served it."""
        result, skipped = await self._first_free(call.agents, lambda host: host.generate(call.request))
        return LocalGenerateOutcome(result=result, skipped=skipped)

    @activity.defn(name="hive.ollama.local_embed")
    async def embed(self, call: LocalEmbedInput) -> LocalEmbedOutcome:
        """Embeddings on the first free local candidate; ``result`` None if none served them."""
        result, skipped = await self._first_free(call.agents, lambda host: host.embed(call.request))
        return LocalEmbedOutcome(result=result, skipped=skipped)


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
]
