"""How workflow code sends an LLM call to an agent: the one door between AI nodes and routing.

AI nodes build a typed request and an ``AiRoute`` and await ``chat`` / ``generate`` / ``embed``.
Every failure becomes one non-retryable ``ApplicationError`` whose message names what went wrong.

    resolve (local activity)      no enabled agent can take it → NoAgentForModel, at once
      │ the queue: hive-agent-<id> (pinned) | hive-capability-<cap> | hive-model-<model>
    schedule on the queue         an agent dies mid-call (heartbeat timeout, refused, 5xx, broken
      │                           stream) → Temporal retries; the retry goes to whichever agent
      │                           polls the queue next (a killed worker is noticed in ≤ 5 s)
      │ nobody took it within no_agent_timeout → ask the server who polls the queue:
      │   somebody (all busy) → schedule again;  nobody → NoLiveAgent
    model 404 on agent X          try the other agents serving the model, each on its own queue,
                                  then fail naming the model and every agent tried (ModelNotFound)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, TimeoutType
from temporalio.exceptions import TimeoutError as TemporalTimeoutError

with workflow.unsafe.imports_passed_through():
    from activities.ollama import OllamaActivities
    from activities.routing import (
        AiRoute,
        QueuePollersInput,
        ResolveRouteInput,
        RouteTarget,
        RoutingActivities,
    )
    from hive_core.ollama.types import (
        ChatRequest,
        ChatResult,
        EmbedRequest,
        EmbedResult,
        GenerateRequest,
        GenerateResult,
    )
    from hive_core.queues import agent_queue

# A generation may run for hours; a dead host is caught by the heartbeat timeout instead.
LLM_CALL_TIMEOUT = timedelta(hours=6)
EMBED_CALL_TIMEOUT = timedelta(minutes=30)
# The agent heartbeats every second (also while loading the model): 5 s without one means its
# worker is gone, and the retry moves to another agent.
LLM_HEARTBEAT_TIMEOUT = timedelta(seconds=5)
# How long a call may wait in its queue before Hive asks whether any agent is alive at all.
NO_AGENT_TIMEOUT = timedelta(seconds=60)
_ROUTING_TIMEOUT = timedelta(seconds=10)

Q = TypeVar("Q")
R = TypeVar("R")
Call = Callable[[str], Awaitable[R]]


def _retry_policy(attempts: int | None) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(milliseconds=200),
        maximum_interval=timedelta(seconds=5),
        maximum_attempts=attempts or 0,
    )


def _routing_error(exc: ActivityError) -> ApplicationError:
    cause = exc.cause
    if isinstance(cause, ApplicationError):
        return ApplicationError(cause.message, type=cause.type, non_retryable=True)
    return ApplicationError(
        f"routing the LLM call failed: {cause or exc}", type="AiCallFailed", non_retryable=True
    )


def activity_message(exc: ActivityError) -> str:
    """What a failed activity says: its ApplicationError's message, else its cause."""
    cause = exc.cause
    return cause.message if isinstance(cause, ApplicationError) else str(cause or exc)


def _failure(exc: ActivityError, model: str, queue: str) -> ApplicationError:
    return ApplicationError(
        f"LLM call to model {model!r} on {queue} failed: {activity_message(exc)}",
        type="AiCallFailed",
        non_retryable=True,
    )


class _NoLiveAgent(Exception):
    def __init__(self, queue: str) -> None:
        super().__init__(queue)
        self.queue = queue


def _model_missing_on(exc: ActivityError) -> tuple[str, str] | None:
    """(agent id, message) when the call failed because that agent's Ollama lacks the model."""
    cause = exc.cause
    if not isinstance(cause, ApplicationError) or cause.type != "ModelNotFoundError":
        return None
    details = cause.details[0] if cause.details else None
    agent = details.get("agent_id") if isinstance(details, dict) else None
    return (str(agent), cause.message) if agent else None


def _is_schedule_to_start_timeout(exc: ActivityError) -> bool:
    cause = exc.cause
    return isinstance(cause, TemporalTimeoutError) and cause.type == TimeoutType.SCHEDULE_TO_START


async def _resolve(model: str, route: AiRoute) -> RouteTarget:
    try:
        return await workflow.execute_local_activity_method(
            RoutingActivities.resolve,
            ResolveRouteInput(model=model, route=route),
            start_to_close_timeout=_ROUTING_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=3),
        )
    except ActivityError as exc:
        raise _routing_error(exc) from exc


async def _someone_polls(queue: str) -> bool:
    pollers = await workflow.execute_local_activity_method(
        RoutingActivities.live_pollers,
        QueuePollersInput(task_queue=queue),
        start_to_close_timeout=_ROUTING_TIMEOUT,
    )
    return bool(pollers.identities)


async def _on_queue(call: Call[R], queue: str) -> R:
    """``call`` on ``queue``; scheduled again while agents live but are busy."""
    while True:
        try:
            return await call(queue)
        except ActivityError as exc:
            if not _is_schedule_to_start_timeout(exc):
                raise
            if not await _someone_polls(queue):
                raise _NoLiveAgent(queue) from exc
            workflow.logger.info("LLM call waited long on %s; agents are busy, waiting on", queue)


def _no_live_agent(target: RouteTarget, queue: str, waited: timedelta) -> ApplicationError:
    return ApplicationError(
        f"no live agent took the LLM call for model {target.model!r} on {queue} within "
        f"{waited.total_seconds():g} s: none of {', '.join(target.agents)} polls it "
        "(is its worker running? `hive worker --agent ID`, or `hive up`)",
        type="NoLiveAgent",
        non_retryable=True,
    )


async def _dispatch(model: str, route: AiRoute, no_agent_timeout: timedelta, call: Call[R]) -> R:
    target = await _resolve(model, route)
    queue = target.task_queue
    try:
        return await _on_queue(call, queue)
    except _NoLiveAgent as exc:
        raise _no_live_agent(target, exc.queue, no_agent_timeout) from None
    except ActivityError as exc:
        missing = _model_missing_on(exc)
        if missing is None:
            raise _failure(exc, target.model, queue) from exc
    return await _other_agents(target, missing, call)


async def _other_agents(target: RouteTarget, first: tuple[str, str], call: Call[R]) -> R:
    """The model is missing on one agent's Ollama: try each other candidate on its own queue."""
    tried = [first]
    for agent in target.agents:
        if agent in (a for a, _ in tried):
            continue
        queue = agent_queue(agent)
        try:
            return await _on_queue(call, queue)
        except _NoLiveAgent:
            tried.append((agent, "no live worker"))
        except ActivityError as exc:
            missing = _model_missing_on(exc)
            if missing is None:
                raise _failure(exc, target.model, queue) from exc
            tried.append((agent, missing[1]))
    reasons = "; ".join(f"{agent}: {why}" for agent, why in tried)
    raise ApplicationError(
        f"model {target.model!r} is not available on any agent that should serve it "
        f"(tried {', '.join(a for a, _ in tried)}): {reasons}",
        type="ModelNotFound",
        non_retryable=True,
    )


async def _run(
    method: Callable[[OllamaActivities, Q], Awaitable[R]],
    request: Q,
    model: str,
    route: AiRoute,
    summary: str,
    attempts: int | None,
    no_agent_timeout: timedelta,
    timeout: timedelta,
) -> R:
    """``method`` with ``request`` on the queue ``route`` resolves to (failover as above)."""

    async def call(queue: str) -> R:
        return await workflow.execute_activity_method(
            method,
            request,
            task_queue=queue,
            start_to_close_timeout=timeout,
            schedule_to_start_timeout=no_agent_timeout,
            heartbeat_timeout=LLM_HEARTBEAT_TIMEOUT,
            retry_policy=_retry_policy(attempts),
            summary=summary,
        )

    return await _dispatch(model, route, no_agent_timeout, call)


async def chat(
    request: ChatRequest,
    route: AiRoute,
    *,
    summary: str,
    attempts: int | None = None,
    no_agent_timeout: timedelta = NO_AGENT_TIMEOUT,
    timeout: timedelta | None = None,
) -> ChatResult:
    """Run a chat on an agent chosen by ``route``; see the module docstring for failures.

    ``timeout``: the longest one attempt may take (a provider node's Timeout option).
    """
    return await _run(
        OllamaActivities.chat,
        request,
        request.model,
        route,
        summary,
        attempts,
        no_agent_timeout,
        timeout or LLM_CALL_TIMEOUT,
    )


async def generate(
    request: GenerateRequest,
    route: AiRoute,
    *,
    summary: str,
    attempts: int | None = None,
    no_agent_timeout: timedelta = NO_AGENT_TIMEOUT,
    timeout: timedelta | None = None,
) -> GenerateResult:
    """Run a completion on an agent chosen by ``route``; see the module docstring for failures."""
    return await _run(
        OllamaActivities.generate,
        request,
        request.model,
        route,
        summary,
        attempts,
        no_agent_timeout,
        timeout or LLM_CALL_TIMEOUT,
    )


async def embed(
    request: EmbedRequest,
    route: AiRoute,
    *,
    summary: str,
    attempts: int | None = None,
    no_agent_timeout: timedelta = NO_AGENT_TIMEOUT,
) -> EmbedResult:
    """Embed on an agent chosen by ``route``; see the module docstring for failures."""
    return await _run(
        OllamaActivities.embed,
        request,
        request.model,
        route,
        summary,
        attempts,
        no_agent_timeout,
        EMBED_CALL_TIMEOUT,
    )


__all__ = ["NO_AGENT_TIMEOUT", "AiRoute", "activity_message", "chat", "embed", "generate"]
