"""OllamaActivities in ActivityEnvironment against the fake: heartbeats, cancellation, errors."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.ollama import OllamaActivities
from hive_core.config.models import AgentConfig
from hive_core.ollama import ChatMessage, ChatRequest, EmbedRequest, GenerateRequest
from stand_ins.ollama.server import FakeOllama
from tests.helpers import assert_eventually

REQUEST = ChatRequest(model="llama3.2", messages=[ChatMessage(role="user", content="hello there")])


def _env() -> tuple[ActivityEnvironment, list[Any]]:
    env = ActivityEnvironment()
    beats: list[Any] = []
    env.on_heartbeat = lambda *details: beats.append(details[0])
    return env, beats


async def test_chat_result_and_tokens_per_second(
    fake: FakeOllama, http: httpx.AsyncClient, agent: AgentConfig
) -> None:
    env, beats = _env()
    result = await env.run(OllamaActivities(http, agent).chat, REQUEST)
    assert result.message.content == "Echo: hello there" and result.agent_id == "gpu-1"
    assert result.done_reason == "stop" and result.eval_count == 3 and result.prompt_eval_count == 2
    assert result.tokens_per_second == pytest.approx(5000) and result.total_duration_ns > 0
    # A short reply: one heartbeat, on the first token.
    assert beats == [{"tokens": 1}]


async def test_heartbeats_are_throttled(
    fake: FakeOllama, http: httpx.AsyncClient, agent: AgentConfig
) -> None:
    fake.config.tokens_per_second = 200
    fake.config.reply_tokens = 60  # 0.3 s of decoding
    env, beats = _env()
    started = time.monotonic()
    result = await env.run(OllamaActivities(http, agent, heartbeat_interval=0.1).chat, REQUEST)
    elapsed = time.monotonic() - started
    assert result.eval_count == 60
    assert beats[0] == {"tokens": 1}
    counts = [b["tokens"] for b in beats]
    assert counts == sorted(counts) and 3 <= len(beats) <= elapsed / 0.1 + 1


async def test_cancellation_closes_the_stream(
    fake: FakeOllama, http: httpx.AsyncClient, agent: AgentConfig
) -> None:
    fake.config.tokens_per_second = 100
    fake.config.reply_tokens = 2000  # 20 s if nobody stopped it
    env, beats = _env()
    task = asyncio.create_task(env.run(OllamaActivities(http, agent).chat, REQUEST))

    async def streaming() -> None:
        assert beats and fake.stats.in_flight == 1

    await assert_eventually(streaming, timeout_s=5)
    cancelled_at = time.monotonic()
    env.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    async def server_saw_disconnect() -> None:
        assert fake.stats.disconnects == 1 and fake.stats.in_flight == 0

    await assert_eventually(server_saw_disconnect, timeout_s=5)
    assert time.monotonic() - cancelled_at < 1 and fake.stats.completed == 0


async def test_model_not_served_by_agent_is_non_retryable(
    fake: FakeOllama, http: httpx.AsyncClient, agent: AgentConfig
) -> None:
    env, _ = _env()
    with pytest.raises(ApplicationError) as caught:
        await env.run(OllamaActivities(http, agent).chat, REQUEST.model_copy(update={"model": "mistral"}))
    error = caught.value
    assert error.non_retryable and error.type == "ModelNotFoundError"
    assert "'mistral'" in error.message and "'gpu-1'" in error.message
    assert fake.stats.requests["/api/chat"] == 0  # decided without asking the host


async def test_model_missing_on_host_is_non_retryable(
    fake: FakeOllama, http: httpx.AsyncClient, agent: AgentConfig
) -> None:
    env, _ = _env()
    with pytest.raises(ApplicationError) as caught:
        await env.run(OllamaActivities(http, agent).chat, REQUEST.model_copy(update={"model": "ghost-model"}))
    assert caught.value.non_retryable and caught.value.type == "ModelNotFoundError"
    assert fake.url in caught.value.message


@pytest.mark.parametrize("fault", ["error_after_chunks", "drop_after_chunks", "garbage_after_chunks"])
async def test_host_failure_is_retryable(
    fake: FakeOllama, http: httpx.AsyncClient, agent: AgentConfig, fault: str
) -> None:
    setattr(fake.config.faults, fault, 1)
    env, _ = _env()
    with pytest.raises(ApplicationError) as caught:
        await env.run(OllamaActivities(http, agent).chat, REQUEST)
    assert not caught.value.non_retryable and caught.value.type == "AgentUnavailableError"


async def test_host_down_is_retryable(http: httpx.AsyncClient) -> None:
    with FakeOllama() as gone:
        agent = AgentConfig(id="gpu-2", name="gpu-2", endpoint=gone.url, models=["llama3.2"])
    env, _ = _env()
    with pytest.raises(ApplicationError, match="cannot connect") as caught:
        await env.run(OllamaActivities(http, agent).generate, GenerateRequest(model="llama3.2", prompt="x"))
    assert not caught.value.non_retryable


async def test_generate_with_options(fake: FakeOllama, http: httpx.AsyncClient, agent: AgentConfig) -> None:
    env, _ = _env()
    request = GenerateRequest(
        model="llama3.2", prompt="a b c d e", options={"num_predict": 2}, keep_alive="5m"
    )
    result = await env.run(OllamaActivities(http, agent).generate, request)
    assert (result.response, result.done_reason, result.eval_count) == ("Echo: a", "length", 2)
    assert fake.stats.last_request is not None
    assert fake.stats.last_request["keep_alive"] == "5m" and "format" not in fake.stats.last_request


async def test_embed(fake: FakeOllama, http: httpx.AsyncClient, agent: AgentConfig) -> None:
    env, _ = _env()
    result = await env.run(
        OllamaActivities(http, agent).embed, EmbedRequest(model="all-minilm", input=["a", "b"])
    )
    assert len(result.embeddings) == 2 and result.agent_id == "gpu-1" and result.prompt_eval_count == 2
