"""Structured output: the instructions n8n's Structured Output Parser gives the model, the
parsing of a reply, and the prompt that asks the model to fix a reply that failed.

As in n8n (parser version 1.1+), the model answers `{"output": <value matching the schema>}`
and the node's item is that object: `{"output": {...}}`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from n8n_runtime.ai.validate import schema_problems

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)

FORMAT_INSTRUCTIONS = """You must format your output as a JSON value that adheres to a given "JSON Schema" instance.

"JSON Schema" is a declarative language that allows you to annotate and validate JSON documents.

For example, the example "JSON Schema" instance {{"properties": {{"foo": {{"description": "a list of test words", "type": "array", "items": {{"type": "string"}}}}}}, "required": ["foo"]}}
would match an object with one required property, "foo". The "type" property specifies "foo" must be an "array", and the "description" property semantically describes it as "a list of test words". The items within "foo" must be strings.
Thus, the object {{"foo": ["bar", "baz"]}} is a well-formatted instance of this example "JSON Schema". The object {{"properties": {{"foo": ["bar", "baz"]}}}} is not well-formatted.

Your output will be parsed and type-checked according to the provided schema instance, so make sure all fields in your output match the schema exactly and there are no trailing commas!

Here is the JSON Schema instance your output must adhere to. Include the enclosing markdown codeblock:
```json
{schema}
```
"""  # noqa: E501  (n8n's / LangChain's wording, kept verbatim)

FIX_PROMPT = """Instructions:
--------------
{instructions}
--------------
Completion:
--------------
{completion}
--------------

Above, the Completion did not satisfy the constraints given in the Instructions.
Error:
--------------
{error}
--------------

Please try again. Please only respond with an answer that satisfies the constraints laid out in the Instructions:"""  # noqa: E501


def wrapped_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema of the whole reply: the user's schema under a required `output` key."""
    return {
        "type": "object",
        "properties": {"output": schema},
        "required": ["output"],
        "additionalProperties": False,
    }


def format_instructions(schema: dict[str, Any]) -> str:
    """What the model is told about the shape of its answer."""
    return FORMAT_INSTRUCTIONS.format(schema=json.dumps(wrapped_schema(schema), indent=2))


def raw_format_instructions(schema: dict[str, Any]) -> str:
    """LangChain's StructuredOutputParser instructions for `schema` itself (compact, as
    `JSON.stringify(zodToJsonSchema(...))` writes it)."""
    return FORMAT_INSTRUCTIONS.format(schema=json.dumps(schema, separators=(",", ":"), ensure_ascii=False))


def fix_prompt(schema: dict[str, Any], completion: str, problem: str, *, wrapped: bool = True) -> str:
    """The follow-up prompt for a reply that failed to parse or validate."""
    instructions = format_instructions(schema) if wrapped else raw_format_instructions(schema)
    return FIX_PROMPT.format(instructions=instructions, completion=completion, error=problem)


class OutputParseError(ValueError):
    """A reply that is not JSON or does not match the schema; the message says why."""


def parse_structured(text: str, schema: dict[str, Any], *, wrapped: bool = True) -> Any:
    """The validated `output` value of a reply (raises `OutputParseError`); `wrapped=False`: the
    reply is the value itself."""
    fenced = _FENCE.search(text)
    candidate = (fenced.group(1) if fenced else text).strip()
    try:
        value = json.loads(candidate)
    except json.JSONDecodeError as exc:
        raise OutputParseError(f"the reply is not valid JSON ({exc.msg} at position {exc.pos})") from None
    # Some models answer with the object itself instead of {"output": ...}; accept it if it fits.
    if wrapped and isinstance(value, dict) and "output" in value and set(value) == {"output"}:
        value = value["output"]
    problems = schema_problems(value, schema)
    if problems:
        raise OutputParseError("the reply does not match the schema: " + "; ".join(problems[:5]))
    return value


def list_instructions(count: int, separator: str) -> str:
    """n8n's Item List Output Parser instructions (N8nItemListOutputParser.getFormatInstructions)."""
    examples = separator.join(f"item{i}" for i in range(1, count + 1))
    return (
        f'Your response should be a list of {count} items separated by "{separator}" '
        f'(for example: "{examples}")'
    )


def parse_list(text: str, count: int, separator: str) -> list[str]:
    """The reply split into items; too few is an `OutputParseError`, extra ones are cut."""
    items = [part.strip() for part in text.split(separator) if part.strip()]
    if len(items) < count:
        raise OutputParseError(
            f"Wrong number of items returned. Expected {count} items but got {len(items)} items instead."
        )
    return items[:count]


__all__ = [
    "OutputParseError",
    "fix_prompt",
    "format_instructions",
    "list_instructions",
    "parse_list",
    "parse_structured",
    "raw_format_instructions",
    "wrapped_schema",
]
