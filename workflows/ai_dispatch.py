"""How workflow code sends an LLM call to an agent: the one door between AI nodes and routing.

AI nodes build a typed request and an ``AiRoute`` and await ``chat`` / ``generate`` / ``embed``.
Every failure becomes one non-retryable ``ApplicationError`` whose message names what went wrong.

    resolve (local activity)      no enabled agent can take it → NoAgentForModel, at once
      │ the queue: hive-agent-<id> (pinned) | hive-capability-<cap> | hive-model-<model>
    schedule on the queue         an agent's worker dies mid-call (heartbeat timeout) → Temporal
      │                           retries without a count limit; the retry goes to whichever agent
      │                           polls the queue next (a killed worker is noticed in ≤ 5 s);
      │                           its Ollama fails (refused, 5xx, broken stream) → scheduled again,
      │                           up to `attempts` host failures (the failing agent pauses polling)
      │ nobody took it within LIVENESS_CHECK_AFTER → probe each candidate agent's health queue:
      │   one answers (all busy) → schedule again, waiting twice as long (up to no_agent_timeout)
      │   none answers within _PROBE_TIMEOUT → NoLiveAgent (≤ ~10 s after a kill)
    model 404 on agent X          try the other agents serving the model, each on its own queue,
                                  then fail naming the model and every agent tried (ModelNotFound)

Runs started with local dispatch (``_LOCAL_PATCH``) resolve in the local activity that may
also make the call (``activities.ollama_local``): candidates with ``dispatch: local`` are tried
there first, without a queue, the first with a free slot taking it. Busy, paused, failing or
model-less hosts and a call past ``local_call_limit_s`` come back unserved and go through the
resolved queue as above; an infrastructure failure of the local activity resolves again and goes
the same way; only a user error (no agent for the route, a bad request) fails the call there.
Local activities cannot heartbeat, hence the limit: while one runs, the SDK keeps the workflow
task alive by completing it about every 4 s (0.8 × RUN_TASK_TIMEOUT; three history events each)
and a worker lost mid-call is noticed only when that task times out (5 s) — fine for the short
calls local dispatch is for, not for hour-long generations, which the queue's heartbeats keep
safe (what a cancelled local call generated is lost). Default 60 s: ~45 events at most.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError, TimeoutType
from temporalio.exceptions import TimeoutError as TemporalTimeoutError

with workflow.unsafe.imports_passed_through():
    from activities.agent_info import AgentInfoActivities, DescribeAgentInput
    from activities.ollama import OllamaActivities
    from activities.ollama_local import (
        LocalChatInput,
        LocalEmbedInput,
        LocalGenerateInput,
        LocalOllamaActivities,
        LocalSkip,
    )
    from activities.routing import (
        AiRoute,
        QueuePollersInput,
        ResolveRouteInput,
        RouteTarget,
        RoutingActivities,
    )
    from hive_core.monitoring.payloads import health_queue
    from hive_core.ollama.types import (
        ChatRequest,
        ChatResult,
        EmbedRequest,
        EmbedResult,
        GenerateRequest,
        GenerateResult,
    )
    from hive_core.queues import agent_queue
    from workflows.retries import HEARTBEAT_TIMEOUT, PATCH, failure_message, infra_retry

# A generation may run for hours; a dead host is caught by the heartbeat timeout instead.
LLM_CALL_TIMEOUT = timedelta(hours=6)
EMBED_CALL_TIMEOUT = timedelta(minutes=30)
# The agent heartbeats every second (also while loading the model): 5 s without one means its
# worker is gone, and the retry moves to another agent.
LLM_HEARTBEAT_TIMEOUT = HEARTBEAT_TIMEOUT
# The longest a call waits in its queue between two checks that some agent is alive at all.
NO_AGENT_TIMEOUT = timedelta(seconds=60)
# The first check comes this soon: an idle live agent takes a call in milliseconds, so a call
# still queued after this is either behind busy agents or on a queue nobody alive polls.
LIVENESS_CHECK_AFTER = timedelta(seconds=2)
# Whether an agent lives is asked of its daemon itself, on its health queue (its own slots, so a
# busy agent answers too): a live one answers in milliseconds. The server's poller list cannot
# tell: it lists a SIGKILLed worker for minutes, and a busy agent with no free slot polls nothing.
_PROBE_TIMEOUT = timedelta(seconds=1.5)
_LIVENESS_PATCH = "ai-dispatch-liveness-probe"
_ROUTING_TIMEOUT = timedelta(seconds=10)
# Runs from here on route in the local activity that may make the call; before: `_resolve`.
_LOCAL_PATCH = "ai-dispatch-local"
# The local activity enforces the agents' local_call_limit_s itself (config allows ≤ 600 s);
# this bounds it from the workflow too, should it hang.
_LOCAL_BACKSTOP = timedelta(seconds=630)

Q = TypeVar("Q")
R = TypeVar("R")
# (queue, schedule-to-start timeout) → the call's result.
Call = Callable[[str, timedelta], Awaitable[R]]
# Time limit → the resolved target and the result (None: no local agent served it), or raises.
LocalCall = Callable[[timedelta], Awaitable[tuple[RouteTarget, R | None, list[LocalSkip]]]]


# An agent's Ollama failing (`AgentUnavailableError`): counted here against `attempts`, unlike a
# lost worker, which Temporal retries without limit.
HOST_FAILURE = "AgentUnavailableError"
# No enabled agent could take the route (`activities.routing.NoAgentForModelError`).
NO_AGENT_FOR_MODEL = "NoAgentForModelError"


def _retry_policy(attempts: int | None, counted_here: bool) -> RetryPolicy:
    if counted_here:
        return infra_retry(non_retryable=(HOST_FAILURE,))
    if attempts is None:
        return infra_retry()  # host failures too retry without limit
    return RetryPolicy(  # runs started before failures were told apart: every failure counted
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
    return failure_message(exc)


def _host_failed(exc: ActivityError) -> bool:
    cause = exc.cause
    return isinstance(cause, ApplicationError) and cause.type == HOST_FAILURE


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


async def _agent_answers(agent: str) -> bool:
    try:
        await workflow.execute_activity_method(
            AgentInfoActivities.describe_agent,
            DescribeAgentInput(),
            task_queue=health_queue(agent),
            schedule_to_start_timeout=_PROBE_TIMEOUT,
            start_to_close_timeout=_PROBE_TIMEOUT,
            retry_policy=RetryPolicy(maximum_attempts=1),
            summary=f"is agent {agent} alive?",
        )
    except ActivityError as exc:
        # Only "nobody took the probe" means dead; any other failure came from a live daemon.
        return not _is_schedule_to_start_timeout(exc)
    return True


async def _some_agent_lives(agents: list[str]) -> bool:
    return any(await asyncio.gather(*(_agent_answers(agent) for agent in agents)))


async def _on_queue(call: Call[R], queue: str, agents: list[str], no_agent_timeout: timedelta) -> R:
    """``call`` on ``queue``; scheduled again while one of ``agents`` lives but all are busy."""
    wait = min(LIVENESS_CHECK_AFTER, no_agent_timeout)
    while True:
        try:
            return await call(queue, wait)
        except ActivityError as exc:
            if not _is_schedule_to_start_timeout(exc):
                raise
            if workflow.patched(_LIVENESS_PATCH):
                alive = await _some_agent_lives(agents)
            else:  # runs started before the probe: the server's poller list, as they did
                alive = await _someone_polls(queue)
            if not alive:
                raise _NoLiveAgent(queue) from exc
            wait = min(wait * 2, max(no_agent_timeout, wait))
            workflow.logger.info("LLM call waited long on %s; agents are busy, waiting on", queue)


def _no_live_agent(target: RouteTarget, queue: str) -> ApplicationError:
    return ApplicationError(
        f"no live agent took the LLM call for model {target.model!r} on {queue}: none of "
        f"{', '.join(target.agents)} answers "
        "(is its worker running? `hive worker --agent ID`, or `hive up`)",
        type="NoLiveAgent",
        non_retryable=True,
    )


async def _try_local(
    model: str, timeout: timedelta, local: LocalCall[R]
) -> tuple[RouteTarget | None, R | None]:
    """Route (and maybe run) the call locally: (target, result); (None, None) when that failed."""
    try:
        target, result, skipped = await local(min(timeout, _LOCAL_BACKSTOP))
    except (ActivityError, ApplicationError) as exc:
        # A local activity's own non-retryable error arrives unwrapped (not as an ActivityError).
        cause = exc.cause if isinstance(exc, ActivityError) else exc
        if isinstance(cause, CancelledError):
            raise  # the run is being cancelled: nothing goes on elsewhere
        if isinstance(cause, ApplicationError) and cause.non_retryable:
            if cause.type == NO_AGENT_FOR_MODEL:
                raise ApplicationError(cause.message, type=cause.type, non_retryable=True) from None
            raise ApplicationError(  # a bad request: no host would take it
                f"LLM call to model {model!r} on a local agent failed: {cause.message}",
                type="AiCallFailed",
                non_retryable=True,
            ) from exc
        why = activity_message(exc) if isinstance(exc, ActivityError) else exc.message
        workflow.logger.info("routing the LLM call locally failed (%s); resolving again", why)
        return None, None
    if result is None and target.local_agents:
        reasons = "; ".join(f"{s.agent}: {s.reason}" for s in skipped)
        workflow.logger.info("no local agent took the LLM call (%s); going through the queue", reasons)
    return target, result


async def _dispatch(
    model: str,
    route: AiRoute,
    no_agent_timeout: timedelta,
    call: Call[R],
    local: LocalCall[R] | None = None,
    timeout: timedelta = LLM_CALL_TIMEOUT,
) -> R:
    target: RouteTarget | None = None
    if local is not None and workflow.patched(_LOCAL_PATCH):
        target, result = await _try_local(model, timeout, local)
        if result is not None:
            return result
    if target is None:
        target = await _resolve(model, route)
    queue = target.task_queue
    try:
        return await _on_queue(call, queue, target.agents, no_agent_timeout)
    except _NoLiveAgent as exc:
        raise _no_live_agent(target, exc.queue) from None
    except ActivityError as exc:
        missing = _model_missing_on(exc)
        if missing is None:
            raise _failure(exc, target.model, queue) from exc
    return await _other_agents(target, missing, call, no_agent_timeout)


async def _other_agents(
    target: RouteTarget, first: tuple[str, str], call: Call[R], no_agent_timeout: timedelta
) -> R:
    """The model is missing on one agent's Ollama: try each other candidate on its own queue."""
    tried = [first]
    for agent in target.agents:
        if agent in (a for a, _ in tried):
            continue
        queue = agent_queue(agent)
        try:
            return await _on_queue(call, queue, [agent], no_agent_timeout)
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


async def _local_outcome(
    method: Callable[[LocalOllamaActivities, Q], Awaitable[Any]],
    call: Q,
    summary: str,
    limit: timedelta,
) -> tuple[RouteTarget, Any, list[LocalSkip]]:
    outcome = await workflow.execute_local_activity_method(
        method,
        call,
        start_to_close_timeout=limit,
        schedule_to_close_timeout=limit,
        # Not retried here: on any failure the call is resolved again and goes through the queue,
        # which retries as it always has.
        retry_policy=RetryPolicy(maximum_attempts=1),
        summary=summary,
    )
    return outcome.target, outcome.result, outcome.skipped


async def _run(
    method: Callable[[OllamaActivities, Q], Awaitable[R]],
    request: Q,
    model: str,
    route: AiRoute,
    summary: str,
    attempts: int | None,
    no_agent_timeout: timedelta,
    timeout: timedelta,
    local: LocalCall[R] | None = None,
) -> R:
    """``method`` with ``request`` on the queue ``route`` resolves to (failover as above)."""

    # Host failures are counted here (a lost worker never is); runs started before: by Temporal.
    counted_here = attempts is not None and workflow.patched(PATCH)

    # Counted across the whole call: a retry that waits out a failing host's polling pause (a
    # schedule-to-start timeout, then a liveness probe) goes on counting, not from zero.
    failures = 0

    async def call(queue: str, wait: timedelta) -> R:
        nonlocal failures
        while True:
            try:
                return await workflow.execute_activity_method(
                    method,
                    request,
                    task_queue=queue,
                    start_to_close_timeout=timeout,
                    schedule_to_start_timeout=wait,
                    heartbeat_timeout=LLM_HEARTBEAT_TIMEOUT,
                    retry_policy=_retry_policy(attempts, counted_here),
                    summary=summary,
                )
            except ActivityError as exc:
                failures += 1
                if not counted_here or not _host_failed(exc) or failures >= (attempts or 0):
                    raise
                workflow.logger.info("LLM call failed on its host (%s); trying again", activity_message(exc))

    return await _dispatch(model, route, no_agent_timeout, call, local, timeout)


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

    async def local(limit: timedelta) -> tuple[RouteTarget, ChatResult | None, list[LocalSkip]]:
        call = LocalChatInput(route=route, request=request)
        return await _local_outcome(LocalOllamaActivities.chat, call, summary, limit)

    return await _run(
        OllamaActivities.chat,
        request,
        request.model,
        route,
        summary,
        attempts,
        no_agent_timeout,
        timeout or LLM_CALL_TIMEOUT,
        local,
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

    async def local(limit: timedelta) -> tuple[RouteTarget, GenerateResult | None, list[LocalSkip]]:
        call = LocalGenerateInput(route=route, request=request)
        return await _local_outcome(LocalOllamaActivities.generate, call, summary, limit)

    return await _run(
        OllamaActivities.generate,
        request,
        request.model,
        route,
        summary,
        attempts,
        no_agent_timeout,
        timeout or LLM_CALL_TIMEOUT,
        local,
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

    async def local(limit: timedelta) -> tuple[RouteTarget, EmbedResult | None, list[LocalSkip]]:
        call = LocalEmbedInput(route=route, request=request)
        return await _local_outcome(LocalOllamaActivities.embed, call, summary, limit)

    return await _run(
        OllamaActivities.embed,
        request,
        request.model,
        route,
        summary,
        attempts,
        no_agent_timeout,
        EMBED_CALL_TIMEOUT,
        local,
    )


__all__ = ["NO_AGENT_TIMEOUT", "AiRoute", "activity_message", "chat", "embed", "generate"]
