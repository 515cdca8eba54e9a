"""llama.cpp's streamed chunks (OpenAI shape) → Ollama's NDJSON objects, and the final metrics.

Chat chunks carry ``message``; generate chunks carry ``response``. The last object has
``done: true``, ``done_reason`` (OpenAI ``finish_reason``: ``stop``/``length``; ``tool_calls``
becomes ``stop`` as in Ollama) and the durations in nanoseconds from llama.cpp's ``timings``.
``load_duration`` is the time the request waited for the model (it is always loaded; waiting
behind other requests is this server's equivalent of Ollama loading it).
"""

from __future__ import annotations

import json
import time
from typing import Any, Literal

from hive_core.local_model.engine import RunTiming
from hive_core.ollama.wire import nonzero
from hive_core.ollama.wire import now as created_at

Kind = Literal["chat", "generate"]


def final_metrics(timings: dict[str, Any], timing: RunTiming) -> dict[str, int]:
    """Ollama's metric fields from llama.cpp ``timings`` (ms) and the request's own clock."""
    now = time.monotonic_ns()
    started = timing.started_ns or now
    return nonzero(
        total_duration=now - timing.queued_ns,
        load_duration=max(started - timing.queued_ns, 1),
        prompt_eval_count=int(timings.get("prompt_n", 0)) + int(timings.get("cache_n", 0)),
        prompt_eval_duration=round(float(timings.get("prompt_ms", 0.0)) * 1e6),
        eval_count=int(timings.get("predicted_n", 0)),
        eval_duration=round(float(timings.get("predicted_ms", 0.0)) * 1e6),
    )


def _tool_call(call: dict[str, Any]) -> dict[str, Any]:
    function = call.get("function") or {}
    arguments = function.get("arguments") or "{}"
    try:
        parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
    except json.JSONDecodeError:
        parsed = {"raw": arguments}
    return {
        "function": {
            "name": function.get("name", ""),
            "arguments": parsed if isinstance(parsed, dict) else {},
        }
    }


class ReplyBuilder:
    """Turns one request's llama.cpp chunks into Ollama objects (stream) or one object (no stream)."""

    def __init__(self, kind: Kind, model: str, timing: RunTiming) -> None:
        self.kind = kind
        self.model = model
        self.timing = timing
        self.text: list[str] = []
        self.done = False
        # OpenAI streams a tool call's arguments in pieces, keyed by index.
        self._tool_calls: dict[int, dict[str, Any]] = {}

    def _object(self, text: str, **extra: Any) -> dict[str, Any]:
        head: dict[str, Any] = {"model": self.model, "created_at": created_at()}
        if self.kind == "chat":
            head["message"] = {"role": "assistant", "content": text, **extra}
        else:
            head["response"] = text
        return head

    def feed(self, chunk: dict[str, Any]) -> list[dict[str, Any]]:
        """The Ollama objects one llama.cpp chunk becomes (none for a role-only chunk)."""
        choice = (chunk.get("choices") or [{}])[0]
        out: list[dict[str, Any]] = []
        # Chat handler chunks carry `delta`, completion chunks `text` (raw generate).
        delta = choice.get("delta") or {}
        text = delta.get("content") or choice.get("text") or ""
        for call in delta.get("tool_calls") or []:
            self._merge_tool_call(call)
        if text:
            self.text.append(text)
            out.append({**self._object(text), "done": False})
        reason = choice.get("finish_reason")
        if reason:
            if self._tool_calls:
                calls = [_tool_call(call) for _, call in sorted(self._tool_calls.items())]
                # As Ollama streams them: in a non-final chunk with empty content.
                out.append({**self._object("", tool_calls=calls), "done": False})
            out.append(self._final(reason, chunk.get("timings") or {}))
        return out

    def _merge_tool_call(self, piece: dict[str, Any]) -> None:
        call = self._tool_calls.setdefault(
            int(piece.get("index", 0)), {"function": {"name": "", "arguments": ""}}
        )
        function = piece.get("function") or {}
        call["function"]["name"] += function.get("name") or ""
        call["function"]["arguments"] += function.get("arguments") or ""

    def _final(self, reason: str, timings: dict[str, Any]) -> dict[str, Any]:
        self.done = True
        done_reason = "length" if reason == "length" else "stop"
        return {
            **self._object(""),
            "done": True,
            "done_reason": done_reason,
            **final_metrics(timings, self.timing),
        }

    def collapse(self, objects: list[dict[str, Any]]) -> dict[str, Any]:
        """``stream: false``: the whole text (and tool calls) with the final object's metadata."""
        final = dict(objects[-1])
        text = "".join(self.text)
        if self.kind == "chat":
            message: dict[str, Any] = {"role": "assistant", "content": text}
            calls = [c for o in objects for c in (o.get("message") or {}).get("tool_calls") or []]
            if calls:
                message["tool_calls"] = calls
            final["message"] = message
        else:
            final["response"] = text
        return final


def load_reply(kind: Kind, model: str, unload: bool) -> dict[str, Any]:
    """The reply to an empty request: the model is (already) loaded, or "unloaded"."""
    head: dict[str, Any] = {"model": model, "created_at": created_at()}
    if kind == "chat":
        head["message"] = {"role": "assistant", "content": ""}
    else:
        head["response"] = ""
    return {**head, "done_reason": "unload" if unload else "load", "done": True}


__all__ = ["Kind", "ReplyBuilder", "final_metrics", "load_reply"]
