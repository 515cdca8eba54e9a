"""Deterministic content for the fake Ollama: reply text, tokens, schema instances, embeddings."""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

_TOKEN = re.compile(r"\s*\S+")


def tokenize(text: str) -> list[str]:
    """Split text into word "tokens" that concatenate back to it (leading spaces kept)."""
    return _TOKEN.findall(text)


def count_tokens(text: str) -> int:
    return len(tokenize(text))


def default_reply(prompt: str, tokens: int | None = None) -> str:
    """``Echo: <prompt>``; with ``tokens``, repeated or cut to exactly that many tokens."""
    text = f"Echo: {prompt.strip()}" if prompt.strip() else "Echo:"
    if tokens is None:
        return text
    words = tokenize(text)
    cycled = [words[i % len(words)] for i in range(max(tokens, 0))]
    # A repeated first word would glue onto the previous one without its separator.
    return "".join(w if i == 0 or w[:1].isspace() else f" {w}" for i, w in enumerate(cycled))


def schema_instance(schema: Any, seed: str) -> Any:
    """A value conforming to a simple JSON schema (type/properties/items/enum)."""
    if not isinstance(schema, dict):
        return {}
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props = schema.get("properties") or {}
        return {name: schema_instance(sub, f"{seed}.{name}") for name, sub in props.items()}
    if kind == "array":
        return [schema_instance(schema.get("items", {}), f"{seed}[0]")]
    digest = int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16)
    return {
        "string": f"value-{digest % 1000}",
        "integer": digest % 100,
        "number": (digest % 1000) / 10,
        "boolean": digest % 2 == 0,
        "null": None,
    }.get(kind, None)


def json_reply(fmt: Any, prompt: str) -> str:
    """The reply for a request with ``format``: "json" or a schema; the JSON arrives as text."""
    if isinstance(fmt, dict):
        return json.dumps(schema_instance(fmt, prompt), indent=2)
    return json.dumps({"response": default_reply(prompt)})


def embedding(text: str, dim: int) -> list[float]:
    """An L2-normalised vector derived from ``text`` (Ollama's /api/embed normalises too)."""
    raw: list[float] = []
    counter = 0
    while len(raw) < dim:
        block = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        raw.extend(b / 127.5 - 1.0 for b in block)
        counter += 1
    raw = raw[:dim]
    norm = math.sqrt(sum(x * x for x in raw)) or 1.0
    return [x / norm for x in raw]
