"""The text tail LLM heartbeats carry for live updates (ActivityEnvironment, fake Ollama)."""

from __future__ import annotations

from typing import Any

import httpx
from temporalio.testing import ActivityEnvironment

from activities.ollama import HEARTBEAT_TAIL_CHARS, OllamaActivities
from hive_core.config.models import AgentConfig
from hive_core.ollama import ChatMessage, ChatRequest, GenerateRequest
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig


async def _beats(call: Any, request: Any) -> tuple[Any, list[tuple[Any, ...]]]:
    env = ActivityEnvironment()
    beats: list[tuple[Any, ...]] = []
    env.on_heartbeat = lambda *details: beats.append(details)
    return await env.run(call, request), beats


async def test_chat_heartbeats_carry_count_then_text_tail() -> None:
    config = FakeOllamaConfig(models=["llama3.2:latest"], tokens_per_second=400, reply_tokens=120)
    with FakeOllama(config) as fake:
        agent = AgentConfig(id="gpu-t", name="gpu-t", endpoint=fake.url, models=["llama3.2"])
        async with httpx.AsyncClient() as http:
            activities = OllamaActivities(http, agent, heartbeat_interval=0.05)
            request = ChatRequest(model="llama3.2", messages=[ChatMessage(role="user", content="hi")])
            result, beats = await _beats(activities.chat, request)
            text = result.message.content
            assert len(beats) >= 3
            for count, tail in beats:
                # The count stays the first detail (what the dispatcher and older readers see).
                assert set(count) == {"tokens"} and set(tail) == {"chars", "tail"}
                assert text[: tail["chars"]].endswith(tail["tail"])
            assert [c["tokens"] for c, _ in beats] == sorted(c["tokens"] for c, _ in beats)

            generated, beats = await _beats(
                activities.generate, GenerateRequest(model="llama3.2", prompt="x")
            )
            assert generated.response[: beats[-1][1]["chars"]].endswith(beats[-1][1]["tail"])


async def test_tail_is_bounded() -> None:
    long_reply = "bee " * 2000  # 8000 characters
    config = FakeOllamaConfig(models=["llama3.2:latest"], tokens_per_second=20000, reply=long_reply)
    with FakeOllama(config) as fake:
        agent = AgentConfig(id="gpu-t", name="gpu-t", endpoint=fake.url, models=["llama3.2"])
        async with httpx.AsyncClient() as http:
            activities = OllamaActivities(http, agent, heartbeat_interval=0.01)
            request = GenerateRequest(model="llama3.2", prompt="x")
            _, beats = await _beats(activities.generate, request)
    assert all(len(tail["tail"]) <= HEARTBEAT_TAIL_CHARS for _, tail in beats)
    assert any(tail["chars"] > HEARTBEAT_TAIL_CHARS for _, tail in beats)
