"""``JSON.stringify(value)`` and ``JSON.stringify(value, null, 2)`` byte for byte."""

from __future__ import annotations

import json
from typing import Any

from n8n_runtime.jsvalues import UNDEFINED, json_stringify

__all__ = ["stringify"]


def _pretty(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, dict):
        entries = [(k, v) for k, v in value.items() if v is not UNDEFINED]
        if not entries:
            return "{}"
        body = ",\n".join(
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_pretty(v, inner)}" for k, v in entries
        )
        return "{\n" + body + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        body = ",\n".join(inner + ("null" if v is UNDEFINED else _pretty(v, inner)) for v in value)
        return "[\n" + body + "\n" + indent + "]"
    return json_stringify(value)


def stringify(value: Any, *, pretty: bool = False) -> str:
    return _pretty(value, "") if pretty else json_stringify(value)
