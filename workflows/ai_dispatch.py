"""How workflow code sends an LLM call to an agent: the one door between AI nodes and routing.

AI nodes build a typed request and an ``AiRoute`` and await ``chat`` / ``generate`` / ``embed``;
this module picks the task queue (pinned agent, capability, or the model's shared queue), sets
timeouts and retries, and turns every failure into one ``ApplicationError`` whose message names
what went wrong (model, agents, host error).
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.ollama import OllamaActivities
    from hive_core.ollama.types import (
        ChatRequest,
        ChatResult,
        EmbedRequest,
        EmbedResult,
        GenerateRequest,
        GenerateResult,
    )
    from hive_core.queues import agent_queue, capability_queue, model_queue

# A generation may run for hours; a dead host is caught by the heartbeat timeout instead.
LLM_CALL_TIMEOUT = timedelta(hours=6)
LLM_HEARTBEAT_TIMEOUT = timedelta(seconds=10)
NO_AGENT_TIMEOUT = timedelta(seconds=60)


class AiRoute(BaseModel):
    """Where an AI node's calls may run: a pinned agent, a capability, or any agent with the model."""

    agent: str | None = None
    capability: str | None = None


def task_queue_for(model: str, route: AiRoute) -> str:
    if route.agent:
        return agent_queue(route.agent)
    if route.capability:
        return capability_queue(route.capability)
    return model_queue(model)


def _retry_policy(attempts: int | None) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(milliseconds=200),
        maximum_interval=timedelta(seconds=5),
        maximum_attempts=attempts or 0,
    )


def _failure(exc: ActivityError, model: str, queue: str) -> ApplicationError:
    cause = exc.cause
    message = cause.message if isinstance(cause, ApplicationError) else str(cause or exc)
    return ApplicationError(
        f"LLM call to model {model!r} on {queue} failed: {message}",
        type="AiCallFailed",
        non_retryable=True,
    )


async def chat(
    request: ChatRequest, route: AiRoute, *, summary: str, attempts: int | None = None
) -> ChatResult:
    queue = task_queue_for(request.model, route)
    try:
        return await workflow.execute_activity_method(
            OllamaActivities.chat,
            request,
            task_queue=queue,
            start_to_close_timeout=LLM_CALL_TIMEOUT,
            heartbeat_timeout=LLM_HEARTBEAT_TIMEOUT,
            retry_policy=_retry_policy(attempts),
            summary=summary,
        )
    except ActivityError as exc:
        raise _failure(exc, request.model, queue) from exc


async def generate(
    request: GenerateRequest, route: AiRoute, *, summary: str, attempts: int | None = None
) -> GenerateResult:
    queue = task_queue_for(request.model, route)
    try:
        return await workflow.execute_activity_method(
            OllamaActivities.generate,
            request,
            task_queue=queue,
            start_to_close_timeout=LLM_CALL_TIMEOUT,
            heartbeat_timeout=LLM_HEARTBEAT_TIMEOUT,
            retry_policy=_retry_policy(attempts),
            summary=summary,
        )
    except ActivityError as exc:
        raise _failure(exc, request.model, queue) from exc


async def embed(
    request: EmbedRequest, route: AiRoute, *, summary: str, attempts: int | None = None
) -> EmbedResult:
    queue = task_queue_for(request.model, route)
    try:
        return await workflow.execute_activity_method(
            OllamaActivities.embed,
            request,
            task_queue=queue,
            start_to_close_timeout=timedelta(minutes=30),
            retry_policy=_retry_policy(attempts),
            summary=summary,
        )
    except ActivityError as exc:
        raise _failure(exc, request.model, queue) from exc


__all__ = ["AiRoute", "chat", "embed", "generate", "task_queue_for"]
