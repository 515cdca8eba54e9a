"""The fake speaks Ollama's protocol as /work/shared/reference/ollama-api.md describes it."""

from __future__ import annotations

import asyncio
import json
import math
import re
from typing import Any

import httpx
import pytest

from stand_ins.ollama.server import FakeOllama

RFC3339_NS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")
METRICS = {"total_duration", "load_duration", "prompt_eval_count", "eval_count", "eval_duration"}
USER = [{"role": "user", "content": "why is the sky blue"}]


async def _lines(http: httpx.AsyncClient, url: str, body: dict[str, Any]) -> tuple[httpx.Response, str]:
    response = await http.post(url, json=body)
    return response, response.text


def _parse(text: str) -> list[dict[str, Any]]:
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    assert all(lines), "no blank lines in NDJSON"
    return [json.loads(line) for line in lines]


async def test_root_version_and_head(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    root = await http.get(fake.url + "/")
    assert (root.status_code, root.text) == (200, "Ollama is running")
    assert (await http.head(fake.url + "/")).status_code == 200
    assert isinstance((await http.get(fake.url + "/api/version")).json()["version"], str)


async def test_chat_streams_ndjson_and_ends_with_metrics(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    # No "stream" key: the HTTP API streams by default.
    response, text = await _lines(http, fake.url + "/api/chat", {"model": "llama3.2", "messages": USER})
    assert response.headers["content-type"] == "application/x-ndjson"
    chunks = _parse(text)
    *parts, final = chunks
    assert "".join(c["message"]["content"] for c in parts) == "Echo: why is the sky blue"
    for chunk in parts:
        assert chunk["done"] is False and "done_reason" not in chunk and not METRICS & chunk.keys()
        assert chunk["message"]["role"] == "assistant" and chunk["model"] == "llama3.2"
        assert RFC3339_NS.match(chunk["created_at"])
    assert final["done"] is True and final["done_reason"] == "stop"
    assert final["message"] == {"role": "assistant", "content": ""}
    assert METRICS <= final.keys() and all(isinstance(final[k], int) and final[k] > 0 for k in METRICS)
    # omitempty: no first-token latency configured, so no prompt_eval_duration at all.
    assert "prompt_eval_duration" not in final
    assert final["eval_count"] == len(parts)
    assert final["eval_count"] / final["eval_duration"] * 1e9 == pytest.approx(5000)


async def test_stream_false_is_one_object(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.config.first_token_latency = 0.01
    body = {"model": "llama3.2", "messages": USER, "stream": False}
    response = await http.post(fake.url + "/api/chat", json=body)
    assert response.headers["content-type"].startswith("application/json")
    reply = json.loads(response.text)
    assert reply["message"]["content"] == "Echo: why is the sky blue" and reply["done"] is True
    assert reply["prompt_eval_duration"] == 10_000_000 and reply["done_reason"] == "stop"


async def test_generate_stream_and_context(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    _, text = await _lines(http, fake.url + "/api/generate", {"model": "llama3.2", "prompt": "hi there"})
    *parts, final = _parse(text)
    assert "".join(p["response"] for p in parts) == "Echo: hi there"
    assert final["response"] == "" and final["done_reason"] == "stop" and final["context"]
    raw = await http.post(
        fake.url + "/api/generate", json={"model": "llama3.2", "prompt": "x", "raw": True, "stream": False}
    )
    assert "context" not in raw.json()


async def test_num_predict_ends_with_length(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.config.reply_tokens = 50
    body = {"model": "llama3.2", "prompt": "count", "options": {"num_predict": 7}, "stream": False}
    reply = (await http.post(fake.url + "/api/generate", json=body)).json()
    assert reply["done_reason"] == "length" and reply["eval_count"] == 7


async def test_unknown_model_is_404_with_ollama_body(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    for path, body in [
        ("/api/chat", {"model": "llama9", "messages": USER}),
        ("/api/generate", {"model": "llama9", "prompt": "x"}),
        ("/api/show", {"model": "llama9"}),
        ("/api/embed", {"model": "llama9", "input": "x"}),
    ]:
        response = await http.post(fake.url + path, json=body)
        assert response.status_code == 404
        assert response.text == '{"error":"model \'llama9\' not found"}'


async def test_bad_requests_are_400(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    empty = await http.post(fake.url + "/api/chat", content=b"")
    assert (empty.status_code, empty.json()) == (400, {"error": "missing request body"})
    no_model = await http.post(fake.url + "/api/chat", json={"messages": USER})
    assert (no_model.status_code, no_model.json()) == (400, {"error": "model is required"})
    bad_input = await http.post(fake.url + "/api/embed", json={"model": "all-minilm", "input": 3})
    assert (bad_input.status_code, bad_input.json()) == (400, {"error": "invalid input type"})


async def test_mid_stream_error_line(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.config.faults.error_after_chunks = 2
    response, text = await _lines(http, fake.url + "/api/generate", {"model": "llama3.2", "prompt": "a b c"})
    assert response.status_code == 200
    chunks = _parse(text)
    assert len(chunks) == 3 and not any(c.get("done") for c in chunks)
    assert chunks[-1] == {"error": "an error was encountered while running the model"}


async def test_error_before_streaming_has_a_status(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.config.faults.status = 500
    response = await http.post(fake.url + "/api/chat", json={"model": "llama3.2", "messages": USER})
    assert response.status_code == 500 and response.headers["content-type"].startswith("application/json")
    assert response.json()["error"].startswith("llama runner process has terminated")


async def test_tool_call_in_a_non_final_chunk(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    call = {"function": {"name": "get_weather", "arguments": {"city": "Tokyo"}}}
    fake.config.tool_calls = [call]
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    body = {"model": "llama3.2", "messages": USER, "tools": tools}
    *parts, final = _parse((await http.post(fake.url + "/api/chat", json=body)).text)
    assert parts[-1]["done"] is False and parts[-1]["message"] == {
        "role": "assistant",
        "content": "",
        "tool_calls": [call],
    }
    assert final["done_reason"] == "stop"
    whole = (await http.post(fake.url + "/api/chat", json=body | {"stream": False})).json()
    assert whole["message"]["tool_calls"] == [call]
    # Without tools in the request the model just answers.
    plain = (await http.post(fake.url + "/api/chat", json={"model": "llama3.2", "messages": USER})).text
    assert "tool_calls" not in plain


async def test_format_schema_gives_conforming_json_text(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    schema = {
        "type": "object",
        "properties": {"age": {"type": "integer"}, "available": {"type": "boolean"}},
        "required": ["age", "available"],
    }
    body = {"model": "llama3.2", "prompt": "Ollama is 22", "format": schema, "stream": False}
    data = json.loads((await http.post(fake.url + "/api/generate", json=body)).json()["response"])
    assert isinstance(data["age"], int) and isinstance(data["available"], bool)
    body = {"model": "llama3.2", "messages": USER, "format": "json", "stream": False}
    assert isinstance(
        json.loads((await http.post(fake.url + "/api/chat", json=body)).json()["message"]["content"]), dict
    )


async def test_load_unload_tags_ps_show(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    load = (await http.post(fake.url + "/api/chat", json={"model": "llama3.2", "messages": []})).json()
    assert load["done_reason"] == "load" and "total_duration" not in load
    ps = (await http.get(fake.url + "/api/ps")).json()["models"]
    assert [m["model"] for m in ps] == ["llama3.2:latest"] and "expires_at" in ps[0]
    unload = await http.post(fake.url + "/api/generate", json={"model": "llama3.2", "keep_alive": 0})
    assert unload.json()["done_reason"] == "unload"
    assert (await http.get(fake.url + "/api/ps")).json() == {"models": []}
    tags = (await http.get(fake.url + "/api/tags")).json()["models"]
    assert {m["model"] for m in tags} == {"llama3.2:latest", "all-minilm:latest"}
    assert {"name", "modified_at", "size", "digest", "details"} <= tags[0].keys()
    show = (await http.post(fake.url + "/api/show", json={"model": "llama3.2"})).json()
    assert "completion" in show["capabilities"] and "general.architecture" in show["model_info"]


async def test_embed_and_legacy_embeddings(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    reply = (
        await http.post(fake.url + "/api/embed", json={"model": "all-minilm", "input": ["a", "b"]})
    ).json()
    assert len(reply["embeddings"]) == 2 and reply["prompt_eval_count"] == 2
    assert math.isclose(sum(x * x for x in reply["embeddings"][0]), 1.0)
    single = (await http.post(fake.url + "/api/embed", json={"model": "all-minilm", "input": "a"})).json()
    assert single["embeddings"] == reply["embeddings"][:1]
    legacy = (
        await http.post(fake.url + "/api/embeddings", json={"model": "all-minilm", "prompt": "a"})
    ).json()
    assert legacy.keys() == {"embedding"} and len(legacy["embedding"]) == 16


async def test_counts_requests_and_in_flight(fake: FakeOllama, http: httpx.AsyncClient) -> None:
    fake.config.tokens_per_second = 200
    body = {"model": "llama3.2", "prompt": "one two three four five"}
    await asyncio.gather(*(http.post(fake.url + "/api/generate", json=body) for _ in range(3)))
    assert fake.stats.requests["/api/generate"] == 3
    assert fake.stats.max_in_flight == 3 and fake.stats.in_flight == 0 and fake.stats.completed == 3
