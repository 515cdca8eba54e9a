"""The Ollama-compatible local model server, driven by Hive's real Ollama client and assemblers.

A real model answers here (SmolLM2-135M on llama.cpp): assertions are about the protocol, the
metrics, determinism and constraints — never about what the model happens to say.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from typing import Any

import httpx
import pytest

pytest.importorskip(
    "xllamacpp", reason="xllamacpp (llama.cpp binding) is not installed: pip install -e '.[local-model]'"
)

from temporalio.testing import ActivityEnvironment  # noqa: E402

from activities.ollama import OllamaActivities  # noqa: E402
from hive_core.config.models import AgentConfig  # noqa: E402
from hive_core.errors import ValidationError  # noqa: E402
from hive_core.ollama import ChatMessage, ChatRequest, ModelNotFoundError  # noqa: E402
from hive_core.ollama.assemble import ChatAssembler, GenerateAssembler  # noqa: E402
from hive_core.ollama.client import OllamaClient  # noqa: E402
from tests.helpers import assert_eventually  # noqa: E402
from tests.local_model.conftest import MODEL, LocalModelProcess  # noqa: E402

pytestmark = pytest.mark.timeout(60)

HELLO = [{"role": "user", "content": "Say hello in one short sentence."}]


async def _chat(ollama: OllamaClient, **body: Any) -> tuple[list[dict[str, Any]], ChatAssembler]:
    chunks: list[dict[str, Any]] = []
    assembler = ChatAssembler()
    async for chunk in ollama.chat({"model": MODEL, **body}):
        chunks.append(chunk)
        assembler.add(chunk)
    return chunks, assembler


async def test_streaming_chat_yields_tokens_then_a_final_chunk_with_metrics(ollama: OllamaClient) -> None:
    chunks, assembler = await _chat(ollama, messages=HELLO, options={"num_predict": 8, "temperature": 0})
    *tokens, final = chunks
    assert len(tokens) >= 3 and all(not c["done"] and c["message"]["role"] == "assistant" for c in tokens)
    assert final["done"] is True and final["message"]["content"] == ""
    assert final["done_reason"] in ("stop", "length")
    for key in ("total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration"):
        assert isinstance(final[key], int) and final[key] > 0, key
    assert final["eval_count"] == len(tokens) and final["eval_duration"] > 0
    assert final["total_duration"] >= final["eval_duration"]
    result = assembler.result("local")
    assert result.message.content == "".join(c["message"]["content"] for c in tokens)
    assert result.tokens_per_second and result.tokens_per_second > 1


async def test_generate_streamed_and_not_streamed_agree(
    ollama: OllamaClient, local_model: LocalModelProcess, http: httpx.AsyncClient
) -> None:
    body = {"model": MODEL, "prompt": "Name a colour.", "options": {"num_predict": 6, "temperature": 0}}
    assembler = GenerateAssembler()
    async for chunk in ollama.generate(body):
        assembler.add(chunk)
    streamed = assembler.result("local")
    assert streamed.response and streamed.eval_count == 6 and streamed.done_reason == "length"

    reply = await http.post(f"{local_model.url}/api/generate", json={**body, "stream": False})
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/json")
    whole = reply.json()
    assert whole["done"] is True and whole["response"] == streamed.response
    assert whole["eval_count"] == 6 and whole["prompt_eval_count"] == streamed.prompt_eval_count


async def test_raw_generate_completes_the_text_as_given(ollama: OllamaClient) -> None:
    assembler = GenerateAssembler()
    body = {
        "model": MODEL,
        "prompt": "1, 2, 3,",
        "raw": True,
        "options": {"num_predict": 4, "temperature": 0},
    }
    async for chunk in ollama.generate(body):
        assembler.add(chunk)
    result = assembler.result("local")
    # The template is not applied: the prompt is 6 tokens or so, not a ~30-token chat.
    assert result.eval_count == 4 and 0 < result.prompt_eval_count < 12


async def test_format_json_schema_constrains_the_reply(ollama: OllamaClient) -> None:
    schema = {
        "type": "object",
        "properties": {"city": {"type": "string"}, "population": {"type": "integer"}},
        "required": ["city", "population"],
    }
    messages = [{"role": "user", "content": "Describe Paris as JSON with its population."}]
    _, assembler = await _chat(
        ollama, messages=messages, format=schema, options={"num_predict": 60, "temperature": 0}
    )
    result = assembler.result("local")
    data = json.loads(result.message.content)
    assert set(data) == {"city", "population"}
    assert isinstance(data["city"], str) and isinstance(data["population"], int)

    _, assembler = await _chat(ollama, messages=messages, format="json", options={"num_predict": 60})
    reply = assembler.result("local")
    if reply.done_reason == "stop":  # a cut-off reply cannot be complete JSON
        assert isinstance(json.loads(reply.message.content), dict)


async def test_temperature_zero_and_a_seed_are_deterministic(ollama: OllamaClient) -> None:
    greedy = {"num_predict": 10, "temperature": 0}
    first = (await _chat(ollama, messages=HELLO, options=greedy))[1].result("local")
    second = (await _chat(ollama, messages=HELLO, options=greedy))[1].result("local")
    assert first.message.content == second.message.content

    seeded = {"num_predict": 10, "temperature": 1.0, "seed": 1234, "top_k": 40, "top_p": 0.95}
    third = (await _chat(ollama, messages=HELLO, options=seeded))[1].result("local")
    fourth = (await _chat(ollama, messages=HELLO, options=seeded))[1].result("local")
    assert third.message.content == fourth.message.content


async def test_num_predict_and_stop_end_the_reply(ollama: OllamaClient) -> None:
    story = [{"role": "user", "content": "Tell me a long story about a dragon."}]
    result = (await _chat(ollama, messages=story, options={"num_predict": 3}))[1].result("local")
    assert result.eval_count == 3 and result.done_reason == "length"

    count = [{"role": "user", "content": "Count from 1 to 10, one number per line."}]
    options = {"num_predict": 40, "temperature": 0, "stop": ["4"]}
    result = (await _chat(ollama, messages=count, options=options))[1].result("local")
    assert result.done_reason == "stop" and "4" not in result.message.content


async def test_tools_are_accepted_and_answered_in_prose(ollama: OllamaClient) -> None:
    tool = {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Get the weather in a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
    messages = [{"role": "user", "content": "What is the weather in Paris?"}]
    result = (await _chat(ollama, messages=messages, tools=[tool], options={"num_predict": 8}))[1].result(
        "local"
    )
    assert result.message.content and result.eval_count == 8


async def test_unknown_model_is_404_model_not_found(
    ollama: OllamaClient, local_model: LocalModelProcess, http: httpx.AsyncClient
) -> None:
    with pytest.raises(ModelNotFoundError):
        async for _ in ollama.chat({"model": "llama9", "messages": HELLO}):
            pass
    for path in ("/api/chat", "/api/generate", "/api/show", "/api/embed"):
        reply = await http.post(f"{local_model.url}{path}", json={"model": "llama9", "input": "x"})
        assert reply.status_code == 404 and reply.json() == {"error": "model 'llama9' not found"}, path


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "missing request body"),
        (b'{"model": ', "invalid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'{"model": "smollm2:135m", "messages": "hi"}', "messages"),
        (b'{"model": "smollm2:135m", "messages": [], "options": {"temperature": "hot"}}', "temperature"),
        (b'{"messages": []}', "model is required"),
        (b'{"model": "smollm2:135m", "messages": [{"role": "user", "content": "x"}], "format": 3}', "format"),
    ],
)
async def test_malformed_bodies_are_400(
    local_model: LocalModelProcess, http: httpx.AsyncClient, content: bytes, fragment: str
) -> None:
    reply = await http.post(f"{local_model.url}/api/chat", content=content)
    assert reply.status_code == 400 and fragment in reply.json()["error"]


async def test_client_maps_a_400_to_validation_error(ollama: OllamaClient) -> None:
    with pytest.raises(ValidationError, match="does not support thinking"):
        async for _ in ollama.chat({"model": MODEL, "messages": HELLO, "think": True}):
            pass
    # A prompt longer than the loaded context is refused before anything streams.
    long = [{"role": "user", "content": "word " * 3000}]
    with pytest.raises(ValidationError, match="context"):
        async for _ in ollama.chat({"model": MODEL, "messages": long}):
            pass


async def test_empty_chat_loads_the_model(local_model: LocalModelProcess, http: httpx.AsyncClient) -> None:
    reply = await http.post(f"{local_model.url}/api/chat", json={"model": MODEL, "messages": []})
    assert reply.json()["done_reason"] == "load" and reply.json()["done"] is True
    reply = await http.post(f"{local_model.url}/api/generate", json={"model": MODEL, "keep_alive": 0})
    assert reply.json()["done_reason"] == "unload" and reply.json()["response"] == ""


async def test_metadata_endpoints_describe_the_model(ollama: OllamaClient) -> None:
    assert await ollama.version()
    (tag,) = (await ollama.tags())["models"]
    assert tag["model"] == tag["name"] == MODEL and tag["size"] > 90_000_000 and len(tag["digest"]) == 64
    assert tag["details"] == {
        "parent_model": "",
        "format": "gguf",
        "family": "llama",
        "families": ["llama"],
        "parameter_size": "135M",
        "quantization_level": "Q4_1",
    }
    (loaded,) = (await ollama.ps())["models"]
    assert loaded["model"] == MODEL and loaded["context_length"] == 2048 and loaded["expires_at"]
    shown = await ollama.show(MODEL)
    assert shown["capabilities"] == ["completion"] and "<|im_start|>" in shown["template"]
    assert shown["model_info"]["general.parameter_count"] == 134_515_008
    assert shown["model_info"]["llama.context_length"] == 8192


async def test_embed_returns_one_unit_vector_per_input(ollama: OllamaClient) -> None:
    reply = await ollama.embed({"model": MODEL, "input": ["a cat", "a dog"]})
    vectors = reply["embeddings"]
    assert len(vectors) == 2 and len(vectors[0]) == 576 and vectors[0] != vectors[1]
    assert math.isclose(math.sqrt(sum(v * v for v in vectors[0])), 1.0, rel_tol=1e-3)
    assert reply["prompt_eval_count"] > 0 and reply["total_duration"] > 0
    short = await ollama.embed({"model": MODEL, "input": "a cat", "dimensions": 64})
    assert len(short["embeddings"][0]) == 64


STOPPED = "generation stopped early"


async def _model_is_free_at_once(ollama: OllamaClient) -> None:
    # 1500 tokens would keep the model busy for ~20 s.
    started = time.monotonic()
    result = (await _chat(ollama, messages=HELLO, options={"num_predict": 2}))[1].result("local")
    assert result.eval_count == 2 and time.monotonic() - started < 3


async def test_client_disconnect_stops_a_streamed_generation(
    ollama: OllamaClient, local_model: LocalModelProcess
) -> None:
    before = local_model.log().count(STOPPED)
    story = {
        "model": MODEL,
        "prompt": "Write a very long story about dragons.",
        "options": {"num_predict": 1500},
    }
    stream = ollama.generate(story)
    for _ in range(3):
        await anext(stream)
    await stream.aclose()  # closes the HTTP response mid-stream

    async def stopped() -> None:
        assert local_model.log().count(STOPPED) == before + 1

    await assert_eventually(stopped, timeout_s=5)
    await _model_is_free_at_once(ollama)


async def test_client_disconnect_stops_a_non_streamed_generation(
    ollama: OllamaClient, local_model: LocalModelProcess
) -> None:
    before = local_model.log().count(STOPPED)
    story = {
        "model": MODEL,
        "prompt": "Write a very long story.",
        "stream": False,
        "options": {"num_predict": 1500},
    }
    async with httpx.AsyncClient(timeout=0.5) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            await impatient.post(f"{local_model.url}/api/generate", json=story)

    async def stopped() -> None:
        assert local_model.log().count(STOPPED) == before + 1

    await assert_eventually(stopped, timeout_s=5)
    await _model_is_free_at_once(ollama)


async def test_concurrent_requests_queue_one_at_a_time(ollama: OllamaClient) -> None:
    options = {"num_predict": 12, "temperature": 0}
    first, second = await asyncio.gather(
        _chat(ollama, messages=HELLO, options=options), _chat(ollama, messages=HELLO, options=options)
    )
    a, b = first[1].result("local"), second[1].result("local")
    assert a.message.content == b.message.content and a.eval_count == b.eval_count == 12
    # One of them waited for the other's generation (reported as its load_duration); running
    # side by side, neither would have waited at all. (Half: the second may arrive a bit late.)
    waited = max(a.load_duration_ns, b.load_duration_ns)
    assert waited >= 0.5 * min(a.eval_duration_ns, b.eval_duration_ns)


async def test_ollama_activity_chat_against_the_local_model(
    local_model: LocalModelProcess, http: httpx.AsyncClient
) -> None:
    agent = AgentConfig(id="local", name="local", endpoint=local_model.url, models=[MODEL])
    request = ChatRequest(
        model=MODEL,
        messages=[ChatMessage(role="user", content="Say hello.")],
        options={"num_predict": 6, "temperature": 0},
    )
    env = ActivityEnvironment()
    beats: list[Any] = []
    env.on_heartbeat = lambda *details: beats.append(details[0])
    result = await env.run(OllamaActivities(http, agent).chat, request)
    assert result.agent_id == "local" and result.model == MODEL
    assert result.message.content and result.eval_count == 6 and result.done_reason == "length"
    assert result.tokens_per_second and beats and beats[0] == {"tokens": 1}
