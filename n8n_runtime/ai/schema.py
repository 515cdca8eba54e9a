"""JSON schemas n8n builds: from an example object, and from `$fromAI(...)` placeholders."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from n8n_runtime.nodes.base import NodeError


def schema_from_example(example: Any, *, all_required: bool) -> dict[str, Any]:
    """A JSON schema describing `example` (n8n's "Generate From JSON Example").

    Numbers become "number" (an integer example still admits decimals); arrays take the
    schema of their first element; `all_required` marks every property required, as the
    Structured Output Parser does from version 1.3.
    """
    if isinstance(example, dict):
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {k: schema_from_example(v, all_required=all_required) for k, v in example.items()},
        }
        if all_required:
            schema["required"] = list(example)
        return schema
    if isinstance(example, list):
        return (
            {"type": "array", "items": schema_from_example(example[0], all_required=all_required)}
            if example
            else {"type": "array"}
        )
    if isinstance(example, bool):
        return {"type": "boolean"}
    if isinstance(example, int | float):
        return {"type": "number"}
    if example is None:
        return {"type": "null"}
    return {"type": "string"}


def parse_json_parameter(value: Any, name: str) -> Any:
    """A JSON parameter that may be stored as text (n8n's `json` parameter type)."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise NodeError(f"The JSON in '{name}' is invalid: {exc.msg} (line {exc.lineno})") from None


# $fromAI('key', 'description', 'type', default) — n8n's marker for a value the model supplies.
_FROM_AI = re.compile(
    r"""\$fromAI\(\s*(['"`])(?P<key>[^'"`]+)\1\s*"""
    r"""(?:,\s*(['"`])(?P<desc>(?:(?!\3).)*)\3\s*)?"""
    r"""(?:,\s*(['"`])(?P<type>\w+)\5\s*)?"""
    r"""(?:,\s*(?P<default>[^)\s][^)]*?)\s*)?\)"""
)
_SENTINEL = "\u0001fromAI:{}\u0001"
_SENTINEL_RE = re.compile("\u0001fromAI:([^\u0001]+)\u0001")
_JSON_TYPES = {"string": "string", "number": "number", "boolean": "boolean", "json": "object"}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for child in value.values():
            yield from _strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child)


def sentinel(key: str) -> str:
    """The text that stands for the model's value of argument `key` until the call."""
    return _SENTINEL.format(key)


def drop_unfilled(parameters: dict[str, Any]) -> dict[str, Any]:
    """Remove keypair entries whose optional argument the model left out (value None)."""
    result = dict(parameters)
    for key in ("queryParameters", "headerParameters", "bodyParameters"):
        section = result.get(key)
        if isinstance(section, dict) and isinstance(section.get("parameters"), list):
            kept = [e for e in section["parameters"] if not (isinstance(e, dict) and e.get("value") is None)]
            result[key] = {**section, "parameters": kept}
    return result


def from_ai_schema(parameters: Any) -> dict[str, Any]:
    """The tool-arguments schema of every `$fromAI(...)` in `parameters` (all required)."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for text in _strings(parameters):
        for match in _FROM_AI.finditer(text):
            key = match.group("key")
            kind = _JSON_TYPES.get((match.group("type") or "string").lower(), "string")
            prop: dict[str, Any] = {"type": kind}
            if match.group("desc"):
                prop["description"] = match.group("desc")
            properties.setdefault(key, prop)
            if match.group("default") is None and key not in required:
                required.append(key)
    return {"type": "object", "properties": properties, "required": required}


def mark_from_ai(parameters: Any) -> Any:
    """`parameters` with every `$fromAI(...)` call replaced by a string sentinel naming its key,
    so the expressions around it evaluate now and the model's value is put in at call time."""
    if isinstance(parameters, str):
        if "$fromAI" not in parameters:
            return parameters
        return _FROM_AI.sub(lambda m: json.dumps(_SENTINEL.format(m.group("key"))), parameters)
    if isinstance(parameters, dict):
        return {k: mark_from_ai(v) for k, v in parameters.items()}
    if isinstance(parameters, list):
        return [mark_from_ai(v) for v in parameters]
    return parameters


def fill_from_ai(value: Any, arguments: dict[str, Any]) -> Any:
    """Put the model's arguments where `mark_from_ai` left sentinels (a whole-value sentinel
    keeps the argument's JSON type; inside text it is written as text)."""
    if isinstance(value, str):
        whole = _SENTINEL_RE.fullmatch(value)
        if whole is not None:
            return arguments.get(whole.group(1))
        return _SENTINEL_RE.sub(lambda m: _as_text(arguments.get(m.group(1))), value)
    if isinstance(value, dict):
        return {k: fill_from_ai(v, arguments) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_from_ai(v, arguments) for v in value]
    return value


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


__all__ = [
    "drop_unfilled",
    "fill_from_ai",
    "from_ai_schema",
    "mark_from_ai",
    "parse_json_parameter",
    "schema_from_example",
    "sentinel",
]
