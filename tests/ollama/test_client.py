"""OllamaClient against the fake over loopback: streams assembled, every failure mapped."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hive_core.errors import AgentUnavailableError, NotFoundError, ValidationError
from hive_core.ollama import ChatAssembler, GenerateAssembler, ModelNotFoundError, OllamaClient
from hive_core.stack.ports import free_port
from stand_ins.ollama.server import FakeOllama

CHAT: dict[str, Any] = {"model": "llama3.2", "messages": [{"role": "user", "content": "hello world"}]}


async def _chat(client: OllamaClient, body: dict[str, Any] = CHAT) -> ChatAssembler:
    assembler = ChatAssembler()
    async for chunk in client.chat(body):
        assembler.add(chunk)
    return assembler


async def test_chat_text_is_assembled(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    result = (await _chat(OllamaClient(http, fake.url))).result("a1")
    assert result.message.content == "Echo: hello world" and result.message.role == "assistant"
    assert result.done_reason == "stop" and result.eval_count == 3 and result.agent_id == "a1"
    assert result.tokens_per_second == pytest.approx(5000)
    # The client always streams, whatever the caller's body says.
    assert fake.stats.last_request is not None and fake.stats.last_request["stream"] is True


async def test_generate_and_thinking(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.config.thinking = "let me see"
    assembler = GenerateAssembler()
    async for chunk in OllamaClient(http, fake.url).generate(
        {"model": "llama3.2", "prompt": "x", "think": True}
    ):
        assembler.add(chunk)
    result = assembler.result("a1")
    assert (result.response, result.thinking) == ("Echo: x", "let me see")


async def test_tool_calls(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.config.tool_calls = [{"function": {"name": "get_weather", "arguments": {"city": "Tokyo"}}}]
    body = CHAT | {"tools": [{"type": "function", "function": {"name": "get_weather"}}]}
    result = (await _chat(OllamaClient(http, fake.url), body)).result("a1")
    assert [(c.function.name, c.function.arguments) for c in result.tool_calls] == [
        ("get_weather", {"city": "Tokyo"})
    ]
    assert result.message.content == "" and result.message.tool_calls == result.tool_calls


async def test_single_reply_endpoints(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    client = OllamaClient(http, fake.url + "/")
    assert await client.version() == "0.12.6"
    assert {m["model"] for m in (await client.tags())["models"]} == {"llama3.2:latest", "all-minilm:latest"}
    assert (await client.ps()) == {"models": []}
    assert "capabilities" in await client.show("llama3.2")
    assert len((await client.embed({"model": "all-minilm", "input": ["a"]}))["embeddings"]) == 1


async def test_unknown_model_is_model_not_found(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    client = OllamaClient(http, fake.url)
    with pytest.raises(ModelNotFoundError) as caught:
        await _chat(client, CHAT | {"model": "llama9"})
    assert isinstance(caught.value, NotFoundError) and not caught.value.retryable
    assert "'llama9'" in caught.value.message and fake.url in caught.value.message
    with pytest.raises(ModelNotFoundError):
        await client.embed({"model": "llama9", "input": "x"})


async def test_400_is_validation_error(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    with pytest.raises(ValidationError, match="invalid input type"):
        await OllamaClient(http, fake.url).embed({"model": "all-minilm", "input": 3})


async def test_connection_refused(http: httpx.AsyncClient) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(AgentUnavailableError, match="cannot connect to Ollama at " + endpoint) as caught:
        await _chat(OllamaClient(http, endpoint))
    assert caught.value.retryable
    with pytest.raises(AgentUnavailableError, match=endpoint):
        await OllamaClient(http, endpoint).tags()


@pytest.mark.parametrize(
    ("fault", "value", "message"),
    [
        ("status", 500, "answered 500: llama runner process has terminated"),
        ("status", 503, "answered 503"),
        ("error_after_chunks", 1, "failed mid-stream: an error was encountered"),
        ("garbage_after_chunks", 1, "not a JSON object: '<html>"),
        ("drop_after_chunks", 1, "failed: peer closed connection"),
    ],
)
async def test_host_failures_are_agent_unavailable(
    fake: FakeOllama, http: httpx.AsyncClient, fault: str, value: int, message: str
) -> None:
    setattr(fake.config.faults, fault, value)
    with pytest.raises(AgentUnavailableError, match=message) as caught:
        await _chat(OllamaClient(http, fake.url))
    assert fake.url in caught.value.message and caught.value.retryable


async def test_stalled_stream_hits_the_chunk_timeout(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.config.faults.stall_after_chunks = 1
    with pytest.raises(AgentUnavailableError, match=r"sent nothing for 0.2 s"):
        await _chat(OllamaClient(http, fake.url, chunk_timeout=0.2))


async def test_slow_but_steady_stream_is_not_capped(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    # 0.5 s in total, but each chunk comes within the 0.2 s per-chunk timeout.
    fake.config.tokens_per_second = 20
    fake.config.reply_tokens = 10
    result = (await _chat(OllamaClient(http, fake.url, chunk_timeout=0.2))).result("a1")
    assert result.eval_count == 10
