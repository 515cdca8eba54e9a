"""OllamaActivities as an agent worker runs them: stats, liveness heartbeats, stalls, error details."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.ollama import OllamaActivities
from hive_core.agent_stats import AgentStats
from hive_core.ollama import ChatMessage, ChatRequest
from stand_ins.ollama.server import FakeOllama
from tests.routing.cluster import agent_for

MODEL = "llama3.2:latest"
REQUEST = ChatRequest(model=MODEL, messages=[ChatMessage(role="user", content="hello there")])


def _env() -> tuple[ActivityEnvironment, list[Any]]:
    env = ActivityEnvironment()
    beats: list[Any] = []
    env.on_heartbeat = lambda *details: beats.append(details[0])
    return env, beats


async def test_calls_are_recorded_in_the_agent_stats(hosts: list[FakeOllama]) -> None:
    host = hosts[0]
    host.config.models = [MODEL]
    stats = AgentStats()
    async with httpx.AsyncClient() as http:
        activities = OllamaActivities(http, agent_for(host, "gpu", [MODEL]), stats)
        result = await ActivityEnvironment().run(activities.chat, REQUEST)
        host.config.faults.status = 500
        with pytest.raises(ApplicationError) as info:
            await ActivityEnvironment().run(activities.chat, REQUEST)
    snapshot = stats.snapshot()
    assert snapshot.completed == 1 and snapshot.failed == 1 and snapshot.in_flight == 0
    assert snapshot.tokens_generated == result.eval_count == 20
    assert snapshot.tokens_per_second == pytest.approx(1000)
    error = info.value
    assert error.type == "AgentUnavailableError" and not error.non_retryable
    assert error.details[0]["agent_id"] == "gpu"


async def test_heartbeats_while_the_model_loads(hosts: list[FakeOllama]) -> None:
    host = hosts[0]
    host.config.models = [MODEL]
    host.config.first_token_latency = 0.5  # a (short) cold load: no token yet
    host.config.tokens_per_second = 50  # then 0.4 s of tokens
    env, beats = _env()
    async with httpx.AsyncClient() as http:
        activities = OllamaActivities(http, agent_for(host, "gpu", [MODEL]), heartbeat_interval=0.1)
        await env.run(activities.chat, REQUEST)
    assert beats[:3] == [{"tokens": 0}] * 3
    assert beats[-1]["tokens"] > 0


async def test_a_host_that_stops_sending_tokens_fails_the_call(hosts: list[FakeOllama]) -> None:
    host = hosts[0]
    host.config.models = [MODEL]
    host.config.faults.stall_after_chunks = 3
    stats = AgentStats()
    paused: list[bool] = []
    async with httpx.AsyncClient() as http:
        activities = OllamaActivities(
            http,
            agent_for(host, "gpu", [MODEL]),
            stats,
            heartbeat_interval=0.05,
            stall_timeout=0.3,
            on_unavailable=lambda: paused.append(True),
        )
        started = time.monotonic()
        with pytest.raises(ApplicationError) as info:
            await ActivityEnvironment().run(activities.chat, REQUEST)
    assert time.monotonic() - started < 2
    assert info.value.type == "AgentUnavailableError" and not info.value.non_retryable
    assert "sent no token for 0.3 s after 3" in info.value.message
    assert paused == [True] and stats.snapshot().failed == 1


async def test_a_model_missing_on_the_host_names_the_agent(hosts: list[FakeOllama]) -> None:
    host = hosts[0]
    host.config.models = ["other:latest"]
    async with httpx.AsyncClient() as http:
        activities = OllamaActivities(http, agent_for(host, "gpu", [MODEL]))
        with pytest.raises(ApplicationError) as info:
            await ActivityEnvironment().run(activities.chat, REQUEST)
    assert info.value.type == "ModelNotFoundError" and info.value.non_retryable
    assert info.value.details[0]["agent_id"] == "gpu"
