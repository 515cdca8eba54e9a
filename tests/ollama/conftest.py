"""A fresh fake Ollama per test (fast: high tokens/s), an httpx client and an agent pointing at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from hive_core.config.models import AgentConfig
from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeOllama]:
    with FakeOllama() as server:
        yield server


@pytest.fixture
def fake(_fake_server: FakeOllama) -> FakeOllama:
    """The session's fake, reset: default settings at 5000 tokens/s, zeroed counters."""
    _fake_server.reset(FakeOllamaConfig(tokens_per_second=5000))
    return _fake_server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def agent(fake: FakeOllama) -> AgentConfig:
    return AgentConfig(
        id="gpu-1", name="gpu-1", endpoint=fake.url, models=["llama3.2", "all-minilm", "ghost-model"]
    )
