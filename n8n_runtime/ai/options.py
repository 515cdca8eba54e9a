"""n8n's Ollama model options (camelCase, as the node stores them) → Ollama's request fields."""

from __future__ import annotations

from typing import Any

# lmChatOllama / lmOllama option name → Ollama `options` key.
_OPTION_KEYS = {
    "temperature": "temperature",
    "topK": "top_k",
    "topP": "top_p",
    "frequencyPenalty": "frequency_penalty",
    "presencePenalty": "presence_penalty",
    "repeatPenalty": "repeat_penalty",
    "numCtx": "num_ctx",
    "numPredict": "num_predict",
    "numGpu": "num_gpu",
    "numThread": "num_thread",
    "numBatch": "num_batch",
    "mainGpu": "main_gpu",
    "lowVram": "low_vram",
    "penalizeNewline": "penalize_newline",
    "useMLock": "use_mlock",
    "useMMap": "use_mmap",
    "vocabOnly": "vocab_only",
    "seed": "seed",
    "stop": "stop",
}
# Not Ollama options: request fields, or n8n-only settings (tracing).
_NOT_OPTIONS = frozenset({"keepAlive", "format", "langfuse"})


def _stop_list(value: Any) -> list[str]:
    # n8n's "Stop Sequences" is one comma-separated string.
    if isinstance(value, list):
        return [str(v) for v in value if str(v)]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def model_options(options: dict[str, Any]) -> tuple[dict[str, Any], str | float | None, bool]:
    """The model node's `options` as (Ollama options, keep_alive, JSON output format).

    Unknown names are passed through unchanged, so an option n8n adds later still reaches
    Ollama rather than vanishing.
    """
    result: dict[str, Any] = {}
    for name, value in options.items():
        if name in _NOT_OPTIONS or value is None or value == "":
            continue
        key = _OPTION_KEYS.get(name, name)
        result[key] = _stop_list(value) if key == "stop" else value
    keep_alive = options.get("keepAlive")
    return result, keep_alive if keep_alive not in (None, "") else None, options.get("format") == "json"


# The plain Ollama node (text/message) already uses Ollama's own snake_case names.
_MESSAGE_NOT_OPTIONS = frozenset({"system", "keep_alive", "format"})


def message_options(options: dict[str, Any]) -> tuple[dict[str, Any], str | float | None, bool]:
    """The Ollama node's `options` as (Ollama options, keep_alive, JSON output format)."""
    result = {
        name: _stop_list(value) if name == "stop" else value
        for name, value in options.items()
        if name not in _MESSAGE_NOT_OPTIONS and value not in (None, "")
    }
    keep_alive = options.get("keep_alive")
    return result, keep_alive if keep_alive not in (None, "") else None, options.get("format") == "json"


__all__ = ["message_options", "model_options"]
