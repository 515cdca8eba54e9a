"""Pure helpers of the AI nodes: schemas, $fromAI placeholders, validation, parsing, options, memory."""

from __future__ import annotations

import pytest

from n8n_runtime.ai.memory import StoredMessage, window
from n8n_runtime.ai.naming import tool_name_from_node
from n8n_runtime.ai.options import model_options
from n8n_runtime.ai.schema import fill_from_ai, from_ai_schema, mark_from_ai, schema_from_example
from n8n_runtime.ai.structured import OutputParseError, parse_structured
from n8n_runtime.ai.validate import schema_problems


def test_schema_from_example() -> None:
    schema = schema_from_example({"a": 1, "b": ["x"], "c": {"d": True}}, all_required=True)
    assert schema == {
        "type": "object",
        "properties": {
            "a": {"type": "number"},
            "b": {"type": "array", "items": {"type": "string"}},
            "c": {"type": "object", "properties": {"d": {"type": "boolean"}}, "required": ["d"]},
        },
        "required": ["a", "b", "c"],
    }


def test_from_ai_placeholders_round_trip() -> None:
    params = {"url": "=https://x/{{ $fromAI('id', 'the id', 'number') }}", "q": '={{ $fromAI("term") }}'}
    assert from_ai_schema(params) == {
        "type": "object",
        "properties": {"id": {"type": "number", "description": "the id"}, "term": {"type": "string"}},
        "required": ["id", "term"],
    }
    marked = mark_from_ai(params)
    assert "$fromAI" not in str(marked)
    evaluated = {"url": "https://x/\u0001fromAI:id\u0001", "q": "\u0001fromAI:term\u0001"}
    assert fill_from_ai(evaluated, {"id": 7, "term": ["a"]}) == {"url": "https://x/7", "q": ["a"]}


def test_default_makes_from_ai_optional() -> None:
    assert from_ai_schema("={{ $fromAI('n', 'count', 'number', 5) }}")["required"] == []


def test_schema_problems_name_the_path() -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer"}, "tags": {"type": "array", "items": {"type": "string"}}},
        "required": ["n"],
    }
    assert schema_problems({"n": 1, "tags": ["a"]}, schema) == []
    assert schema_problems({"tags": ["a", 2]}, schema) == [
        "output: missing required field 'n'",
        "output.tags[1]: expected string, got number",
    ]


def test_parse_structured_accepts_fences_and_bare_objects() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    assert parse_structured('```json\n{"output": {"a": "x"}}\n```', schema) == {"a": "x"}
    assert parse_structured('{"a": "y"}', schema) == {"a": "y"}
    with pytest.raises(OutputParseError, match="not valid JSON"):
        parse_structured("nope", schema)


def test_model_options_map_to_ollama() -> None:
    options, keep_alive, json_format = model_options(
        {
            "temperature": 0.5,
            "topP": 0.9,
            "numPredict": 10,
            "keepAlive": "1h",
            "format": "json",
            "stop": "a,b",
        }
    )
    assert options == {"temperature": 0.5, "top_p": 0.9, "num_predict": 10, "stop": ["a", "b"]}
    assert keep_alive == "1h" and json_format


def test_window_keeps_last_exchanges() -> None:
    messages = [StoredMessage(role=r, content=str(i)) for i, r in enumerate(["human", "ai"] * 3)]
    assert [m.content for m in window(messages, 2)] == ["2", "3", "4", "5"]
    assert window(messages, 0) == []


def test_tool_names_from_node_names() -> None:
    assert tool_name_from_node("Get weather (v2)!") == "Get_weather_v2_"
