"""Fold streamed Ollama chunks into one typed result."""

from __future__ import annotations

from typing import Any

import pydantic

from hive_core.errors import AgentUnavailableError
from hive_core.ollama.types import ChatMessage, ChatResult, GenerateResult, GenerationMetrics, ToolCall


def metrics(final: dict[str, Any], agent_id: str) -> dict[str, Any]:
    """The metric fields of a final chunk (absent = 0, as Ollama omits zeros)."""
    eval_count = int(final.get("eval_count") or 0)
    eval_ns = int(final.get("eval_duration") or 0)
    return GenerationMetrics(
        done_reason=final.get("done_reason") or None,
        eval_count=eval_count,
        prompt_eval_count=int(final.get("prompt_eval_count") or 0),
        total_duration_ns=int(final.get("total_duration") or 0),
        load_duration_ns=int(final.get("load_duration") or 0),
        prompt_eval_duration_ns=int(final.get("prompt_eval_duration") or 0),
        eval_duration_ns=eval_ns,
        tokens_per_second=eval_count / eval_ns * 1e9 if eval_count and eval_ns else None,
        agent_id=agent_id,
    ).model_dump()


class _Assembler:
    def __init__(self) -> None:
        self.text: list[str] = []
        self.thinking: list[str] = []
        self.final: dict[str, Any] = {}
        self.model = ""

    def _take(self, part: dict[str, Any], text_key: str, chunk: dict[str, Any]) -> int:
        """Record one chunk; returns how many tokens it carried (1 per non-empty chunk)."""
        self.model = chunk.get("model") or self.model
        if chunk.get("done"):
            self.final = chunk
        text, thinking = part.get(text_key) or "", part.get("thinking") or ""
        self.text.append(text)
        self.thinking.append(thinking)
        return int(bool(text or thinking))


class ChatAssembler(_Assembler):
    def __init__(self) -> None:
        super().__init__()
        self.tool_calls: list[ToolCall] = []

    def add(self, chunk: dict[str, Any]) -> int:
        message = chunk.get("message") or {}
        calls = message.get("tool_calls") or []
        try:
            self.tool_calls.extend(ToolCall.model_validate(call) for call in calls)
        except pydantic.ValidationError as exc:
            # The host misbehaves (a user cannot cause this shape): operational, retried.
            raise AgentUnavailableError(f"Ollama sent a malformed tool call: {calls!r:.200}") from exc
        return self._take(message, "content", chunk) + len(calls)

    def result(self, agent_id: str) -> ChatResult:
        message = ChatMessage(
            role="assistant",
            content="".join(self.text),
            thinking="".join(self.thinking) or None,
            tool_calls=self.tool_calls or None,
        )
        return ChatResult(
            model=self.model, message=message, tool_calls=self.tool_calls, **metrics(self.final, agent_id)
        )


class GenerateAssembler(_Assembler):
    def add(self, chunk: dict[str, Any]) -> int:
        return self._take(chunk, "response", chunk)

    def result(self, agent_id: str) -> GenerateResult:
        return GenerateResult(
            model=self.model,
            response="".join(self.text),
            thinking="".join(self.thinking) or None,
            **metrics(self.final, agent_id),
        )


__all__ = ["ChatAssembler", "GenerateAssembler", "metrics"]
