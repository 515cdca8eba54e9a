"""Pure translation between Ollama and llama.cpp, for the shapes SmolLM2 itself never produces
(tool calls) and the request rules that need no model."""

from __future__ import annotations

import json

import pytest

from hive_core.local_model.engine import RunTiming
from hive_core.local_model.protocol import (
    ApiError,
    ChatBody,
    GenerateBody,
    chat_request,
    generate_request,
    response_format,
)
from hive_core.local_model.replies import ReplyBuilder


def _chunk(delta: dict | None = None, finish: str | None = None, **extra: object) -> dict:
    return {"choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}], **extra}


def test_options_format_and_tool_history_become_a_llama_cpp_request() -> None:
    body = ChatBody.model_validate(
        {
            "model": "smollm2:135m",
            "messages": [
                {"role": "user", "content": "weather?"},
                {
                    "role": "assistant",
                    "content": "",
                    "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}],
                },
                {"role": "tool", "content": "11 degrees", "tool_name": "get_weather"},
            ],
            "format": {"type": "object"},
            "options": {
                "temperature": 0,
                "num_predict": 5,
                "seed": -1,
                "stop": "END",
                "num_ctx": 99999,
                "mirostat": 2,
            },
        }
    )
    request = chat_request(body, n_ctx=2048)
    assert request["temperature"] == 0 and request["max_tokens"] == 5 and request["stop"] == ["END"]
    assert "seed" not in request and "mirostat" not in request and "n_ctx" not in request
    assert request["response_format"] == {
        "type": "json_schema",
        "json_schema": {"schema": {"type": "object"}},
    }
    call = request["messages"][1]["tool_calls"][0]
    assert call["type"] == "function" and json.loads(call["function"]["arguments"]) == {"city": "Paris"}


def test_format_values() -> None:
    assert response_format(None) is None and response_format("") is None
    assert response_format("json") == {"type": "json_object"}
    with pytest.raises(ApiError, match="invalid format"):
        response_format("yaml")


def test_generate_uses_the_template_unless_raw() -> None:
    handler, request = generate_request(GenerateBody(model="m", prompt="hi", system="be brief"), 2048)
    assert handler == "chat" and [m["role"] for m in request["messages"]] == ["system", "user"]
    handler, request = generate_request(GenerateBody(model="m", prompt="1, 2,", raw=True), 2048)
    assert handler == "completion" and request["prompt"] == "1, 2,"
    with pytest.raises(ApiError, match="raw mode"):
        generate_request(GenerateBody(model="m", prompt="x", raw=True, system="s"), 2048)
    with pytest.raises(ApiError, match="does not support insert"):
        generate_request(GenerateBody(model="m", prompt="x", suffix="y"), 2048)


def test_streamed_tool_call_pieces_become_one_ollama_tool_call() -> None:
    builder = ReplyBuilder("chat", "smollm2:135m", RunTiming())
    objects = []
    for chunk in [
        _chunk({"role": "assistant", "content": None}),
        _chunk({"tool_calls": [{"index": 0, "function": {"name": "get_weather", "arguments": '{"ci'}}]}),
        _chunk({"tool_calls": [{"index": 0, "function": {"arguments": 'ty": "Paris"}'}}]}),
        _chunk(
            finish="tool_calls", timings={"prompt_n": 3, "cache_n": 2, "prompt_ms": 1.5, "predicted_n": 4}
        ),
    ]:
        objects.extend(builder.feed(chunk))
    calls, final = objects
    assert calls["done"] is False and calls["message"]["content"] == ""
    assert calls["message"]["tool_calls"] == [
        {"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}
    ]
    assert final["done"] is True and final["done_reason"] == "stop"
    assert final["prompt_eval_count"] == 5 and final["prompt_eval_duration"] == 1_500_000
    assert final["eval_count"] == 4 and "eval_duration" not in final  # Ollama omits zero metrics
    whole = builder.collapse(objects)
    assert whole["message"]["tool_calls"] == calls["message"]["tool_calls"] and whole["done"] is True
