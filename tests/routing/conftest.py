"""Fake Ollama hosts for routing tests (fast by default; each test sets what it needs)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stand_ins.ollama.server import FakeOllama, FakeOllamaConfig


@pytest.fixture(scope="session")
def _hosts() -> Iterator[list[FakeOllama]]:
    with FakeOllama() as one, FakeOllama() as two:
        yield [one, two]


@pytest.fixture
def hosts(_hosts: list[FakeOllama]) -> list[FakeOllama]:
    """Two running fake hosts, reset: 1000 tokens/s, replies of 20 tokens."""
    for host in _hosts:
        host.reset(FakeOllamaConfig(models=[], tokens_per_second=1000, reply_tokens=20))
    return _hosts
