"""Typed inputs and outputs of Ollama calls (activity payloads; safe to import in workflows)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Think = bool | Literal["low", "medium", "high", "max"]
# "json", or a JSON schema the reply must conform to.
Format = Literal["json"] | dict[str, Any]
# A duration such as "5m", or seconds; negative keeps the model loaded, 0 unloads it.
KeepAlive = str | float


class ToolCallFunction(BaseModel):
    name: str
    # Ollama sends an object here, not a JSON string as OpenAI does.
    arguments: dict[str, Any] = Field(default_factory=dict)
    index: int | None = None


class ToolCall(BaseModel):
    id: str | None = None
    function: ToolCallFunction


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool"]
    content: str = ""
    thinking: str | None = None
    images: list[str] | None = None
    tool_calls: list[ToolCall] | None = None
    # On a tool result: which tool produced it.
    tool_name: str | None = None
    tool_call_id: str | None = None


class _Request(BaseModel):
    model: str = Field(min_length=1)
    options: dict[str, Any] = Field(default_factory=dict)
    keep_alive: KeepAlive | None = None

    def to_wire(self) -> dict[str, Any]:
        """The JSON body Ollama expects: unset and empty fields left out."""
        body = self.model_dump(mode="json", exclude_none=True)
        return {key: value for key, value in body.items() if value != {} and value != []}


class ChatRequest(_Request):
    messages: list[ChatMessage]
    format: Format | None = None
    tools: list[dict[str, Any]] = Field(default_factory=list)
    think: Think | None = None


class GenerateRequest(_Request):
    prompt: str = ""
    system: str | None = None
    suffix: str | None = None
    images: list[str] | None = None
    format: Format | None = None
    think: Think | None = None
    raw: bool | None = None


class EmbedRequest(_Request):
    input: str | list[str]
    truncate: bool | None = None
    dimensions: int | None = None


class GenerationMetrics(BaseModel):
    """Ollama's own figures from the final chunk (durations in nanoseconds)."""

    done_reason: str | None = None
    eval_count: int = 0
    prompt_eval_count: int = 0
    total_duration_ns: int = 0
    load_duration_ns: int = 0
    prompt_eval_duration_ns: int = 0
    eval_duration_ns: int = 0
    # eval_count / eval_duration; None when Ollama reported no decode time.
    tokens_per_second: float | None = None
    agent_id: str = ""


class ChatResult(GenerationMetrics):
    model: str
    message: ChatMessage
    tool_calls: list[ToolCall] = Field(default_factory=list)


class GenerateResult(GenerationMetrics):
    model: str
    response: str
    thinking: str | None = None


class EmbedResult(BaseModel):
    model: str
    embeddings: list[list[float]]
    prompt_eval_count: int = 0
    total_duration_ns: int = 0
    agent_id: str = ""


__all__ = [
    "ChatMessage",
    "ChatRequest",
    "ChatResult",
    "EmbedRequest",
    "EmbedResult",
    "Format",
    "GenerateRequest",
    "GenerateResult",
    "GenerationMetrics",
    "KeepAlive",
    "Think",
    "ToolCall",
    "ToolCallFunction",
]
