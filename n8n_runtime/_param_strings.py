"""Walks over a node's parameter tree (JSON-like dicts and lists) for its strings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def strings_in(value: Any) -> Iterator[str]:
    """Every string in `value`, depth first in document order (dict values, list items)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def has_expression(value: Any) -> bool:
    """Whether any string in `value` is an n8n expression (starts with `=`)."""
    return any(text.startswith("=") for text in strings_in(value))


__all__ = ["has_expression", "strings_in"]
