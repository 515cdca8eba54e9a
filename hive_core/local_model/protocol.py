"""Ollama request bodies, validated, and their translation into llama.cpp's OpenAI-shaped bodies.

Ollama's semantics kept here: ``stream`` defaults to true; ``format`` is ``"json"`` or a JSON
schema; unknown option keys are ignored; ``num_predict`` < 0 means "until the context is full";
``num_ctx`` cannot grow the loaded context (one model, loaded once), so larger values are capped.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from hive_core.local_model.engine import Handler
from hive_core.ollama.wire import ApiError

log = logging.getLogger(__name__)


class Options(BaseModel):
    """Ollama's ``options``; keys llama.cpp cannot use are accepted and ignored, as Ollama does."""

    model_config = ConfigDict(extra="allow")

    temperature: float | None = None
    top_k: int | None = None
    top_p: float | None = None
    min_p: float | None = None
    typical_p: float | None = None
    seed: int | None = None
    num_predict: int | None = None
    num_ctx: int | None = None
    num_keep: int | None = None
    stop: list[str] | str | None = None
    repeat_penalty: float | None = None
    repeat_last_n: int | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str
    content: str = ""
    images: list[str] | None = None
    tool_calls: list[dict[str, Any]] | None = None
    tool_name: str | None = None
    tool_call_id: str | None = None


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = ""
    stream: bool | None = None
    format: str | dict[str, Any] | None = None
    options: Options = Field(default_factory=Options)
    keep_alive: str | float | None = None
    think: bool | str | None = None

    @property
    def streaming(self) -> bool:
        # Go's `Stream *bool`: only an explicit false turns streaming off.
        return self.stream is not False

    @property
    def unloads(self) -> bool:
        return self.keep_alive in (0, "0", "0s", "0m")


class ChatBody(_Body):
    messages: list[Message] = Field(default_factory=list)
    tools: list[dict[str, Any]] | None = None


class GenerateBody(_Body):
    prompt: str = ""
    system: str | None = None
    suffix: str | None = None
    template: str | None = None
    raw: bool = False
    images: list[str] | None = None
    context: list[int] | None = None


class EmbedBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = ""
    input: str | list[str]
    truncate: bool = True
    options: Options = Field(default_factory=Options)
    keep_alive: str | float | None = None
    dimensions: int | None = None


class PromptEmbedBody(BaseModel):
    """The legacy ``/api/embeddings`` body."""

    model_config = ConfigDict(extra="allow")

    model: str = ""
    prompt: str = ""


class ShowBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str = ""
    name: str = ""  # the legacy key
    verbose: bool = False


# Ollama option → llama.cpp request field, for those that only change name (or not even that).
_SAMPLING = {
    "temperature": "temperature",
    "top_k": "top_k",
    "top_p": "top_p",
    "min_p": "min_p",
    "typical_p": "typical_p",
    "repeat_penalty": "repeat_penalty",
    "repeat_last_n": "repeat_last_n",
    "presence_penalty": "presence_penalty",
    "frequency_penalty": "frequency_penalty",
    "num_keep": "n_keep",
}


def sampling(options: Options, n_ctx: int) -> dict[str, Any]:
    """llama.cpp sampling fields for Ollama ``options``."""
    body = {
        target: getattr(options, key)
        for key, target in _SAMPLING.items()
        if getattr(options, key) is not None
    }
    if options.seed is not None and options.seed >= 0:  # negative: a random seed, llama.cpp's default
        body["seed"] = options.seed
    if options.num_predict is not None and options.num_predict >= 0:
        body["max_tokens"] = options.num_predict
    if options.stop:
        body["stop"] = [options.stop] if isinstance(options.stop, str) else options.stop
    if options.num_ctx is not None and options.num_ctx > n_ctx:
        log.debug("num_ctx %d capped to the loaded context of %d tokens", options.num_ctx, n_ctx)
    if options.model_extra:
        log.debug("ignoring options llama.cpp does not use: %s", ", ".join(sorted(options.model_extra)))
    return body


def response_format(fmt: str | dict[str, Any] | None) -> dict[str, Any] | None:
    """Ollama ``format`` → llama.cpp ``response_format`` (grammar-constrained decoding)."""
    if fmt is None or fmt == "":
        return None
    if fmt == "json":
        return {"type": "json_object"}
    if isinstance(fmt, dict):
        return {"type": "json_schema", "json_schema": {"schema": fmt}}
    raise ApiError(400, f'invalid format: {fmt!r}; expected "json" or a valid JSON schema')


def check_capabilities(model: str, body: _Body, images: bool) -> None:
    """Reject what this model cannot do with Ollama's errors (text-only, no thinking)."""
    if body.think not in (None, False):
        raise ApiError(400, f'"{model}" does not support thinking')
    if images:
        raise ApiError(400, f'"{model}" does not support images')


def _openai_message(message: Message) -> dict[str, Any]:
    out: dict[str, Any] = {"role": message.role, "content": message.content}
    if message.tool_calls:
        # Ollama sends arguments as an object; OpenAI (and llama.cpp's templates) want a string.
        out["tool_calls"] = [
            {
                "id": call.get("id") or f"call_{index}",
                "type": "function",
                "function": {
                    "name": (call.get("function") or {}).get("name", ""),
                    "arguments": json.dumps((call.get("function") or {}).get("arguments") or {}),
                },
            }
            for index, call in enumerate(message.tool_calls)
        ]
    if message.role == "tool" and message.tool_call_id:
        out["tool_call_id"] = message.tool_call_id
    return out


def chat_request(body: ChatBody, n_ctx: int) -> dict[str, Any]:
    """The llama.cpp ``/v1/chat/completions`` body for an Ollama ``/api/chat`` body."""
    request: dict[str, Any] = {
        "messages": [_openai_message(message) for message in body.messages],
        **sampling(body.options, n_ctx),
    }
    if (fmt := response_format(body.format)) is not None:
        request["response_format"] = fmt
    if body.tools:
        # Offered to the chat template; SmolLM2 answers in prose, which is returned as is.
        request["tools"] = body.tools
    return request


def generate_request(body: GenerateBody, n_ctx: int) -> tuple[Handler, dict[str, Any]]:
    """Which llama.cpp handler and body serve an Ollama ``/api/generate`` body.

    Like Ollama, the prompt goes through the model's chat template (with ``system``), unless
    ``raw`` asks for plain completion of the text as given.
    """
    if body.suffix:
        raise ApiError(400, f'"{body.model}" does not support insert')
    if body.raw and (body.system or body.template or body.context):
        raise ApiError(400, "raw mode does not support template, system, or context")
    request: dict[str, Any] = sampling(body.options, n_ctx)
    if (fmt := response_format(body.format)) is not None:
        request["response_format"] = fmt
    if body.raw:
        return "completion", {"prompt": body.prompt, **request}
    messages = [{"role": "system", "content": body.system}] if body.system else []
    messages.append({"role": "user", "content": body.prompt})
    return "chat", {"messages": messages, **request}


def embed_inputs(body: EmbedBody) -> list[str]:
    """The texts to embed (``input`` is one string or a list)."""
    return [body.input] if isinstance(body.input, str) else list(body.input)


__all__ = [
    "ApiError",
    "ChatBody",
    "EmbedBody",
    "GenerateBody",
    "Message",
    "Options",
    "PromptEmbedBody",
    "ShowBody",
    "chat_request",
    "check_capabilities",
    "embed_inputs",
    "generate_request",
    "response_format",
    "sampling",
]
