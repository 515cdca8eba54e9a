"""n8n's provider model sub-nodes (OpenAI, Gemini, Anthropic, ... chat, LLM and embeddings) as
routes to cluster models.

Each node names a provider model; `model_aliases` (hive.yaml) maps it to a model the Ollama
cluster serves. Options with an Ollama meaning are translated; the others are listed so the
compiler can name them as dropped. Pure: used by the compiler on raw parameters and by the
runtime on evaluated ones.

    node type                  model parameter               options kept → Ollama
    lmChatOpenAi (+ compatible) model (string | {__rl, value})  temperature, topP, maxTokens→num_predict,
                                                             frequency/presencePenalty, responseFormat json
    lmChatGoogleGemini/Vertex  modelName ("models/gemini-…")  temperature, topP, topK, maxOutputTokens
    lmChatAnthropic            model (string | {__rl, value})  temperature, topP, topK, maxTokensToSample
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from hive_core.config.model_aliases import ModelKind

LANGCHAIN = "@n8n/n8n-nodes-langchain."

Api = Literal["chat", "generate", "embed"]

# n8n option name → Ollama `options` key, for options whose meaning carries over unchanged.
_SAME_MEANING = {
    "temperature": "temperature",
    "topP": "top_p",
    "topK": "top_k",
    "maxTokens": "num_predict",
    "maxTokensToSample": "num_predict",
    "maxOutputTokens": "num_predict",
    "numPredict": "num_predict",
    # Ollama's sampler implements OpenAI's penalties under the same names.
    "frequencyPenalty": "frequency_penalty",
    "presencePenalty": "presence_penalty",
    "randomSeed": "seed",
    "seed": "seed",
    "stop": "stop",
    "stopSequences": "stop",
    # The OpenAI nodes name some options as the OpenAI API does.
    "frequency_penalty": "frequency_penalty",
    "presence_penalty": "presence_penalty",
    "top_p": "top_p",
    "max_tokens": "num_predict",
}
# Defaults meaning "not set": n8n stores -1 max tokens for "no limit" and 0 penalties.
_UNSET = {
    "maxTokens": -1,
    "maxTokensToSample": None,
    "frequencyPenalty": 0,
    "presencePenalty": 0,
    "frequency_penalty": 0,
    "presence_penalty": 0,
    "n": 1,
}
# Options Hive uses itself rather than passing to Ollama.
_HANDLED = frozenset({"maxToolsIterations"})
# Why an option has no Ollama meaning, for the compile warning.
_DROPPED_WHY = {
    "baseURL": "the call goes to the cluster, not to a provider URL",
    "maxRetries": "Hive retries and fails over between agents by itself",
    "reasoningEffort": "Ollama models have no reasoning-effort setting",
    "safeMode": "no Ollama equivalent",
    "safetySettings": "no Ollama equivalent",
    "thinking": "no Ollama equivalent in Hive's calls",
    "thinkingBudget": "no Ollama equivalent in Hive's calls",
    "logprobs": "no Ollama equivalent",
    "topLogprobs": "no Ollama equivalent",
    "n": "one completion per call",
    "promptCacheKey": "provider prompt caching",
    "serviceTier": "provider service tiers",
    "store": "provider storage",
    "metadata": "provider metadata",
    "truncation": "no Ollama equivalent",
    "user": "no Ollama equivalent",
    "echo": "no Ollama equivalent",
    "best_of": "one completion per call",
    "reasoning_effort": "Ollama models have no reasoning-effort setting",
}


@dataclass(frozen=True, slots=True)
class ModelNode:
    """One provider model node type."""

    name: str
    provider: str
    api: Api
    versions: tuple[float, ...]
    # Where the model name is, in order: `model`, then `modelName` (Gemini, Vertex, Cohere, HF).
    default_model: str
    params: tuple[str, ...] = ("model", "modelName")
    # Node parameters (not options) that cannot run on the cluster when set.
    unsupported: Mapping[str, str] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return LANGCHAIN + self.name

    @property
    def kind(self) -> ModelKind:
        return "embeddings" if self.api == "embed" else "chat"


_OPENAI_TOOLS = {"builtInTools": "OpenAI's built-in tools (web search, file search, code interpreter)"}

# fmt: off
_NODES: tuple[ModelNode, ...] = (
    # chat models
    ModelNode("lmChatOpenAi", "openai", "chat", (1, 1.1, 1.2, 1.3), "gpt-4o-mini", unsupported=_OPENAI_TOOLS),
    ModelNode("lmChatAzureOpenAi", "azure_openai", "chat", (1,), "gpt-4o-mini"),
    ModelNode("lmChatAnthropic", "anthropic", "chat", (1, 1.1, 1.2, 1.3), "claude-3-5-sonnet-20240620"),
    ModelNode("lmChatGoogleGemini", "google_gemini", "chat", (1,), "gemini-1.5-flash"),
    ModelNode("lmChatGoogleVertex", "google_vertex", "chat", (1,), "gemini-1.5-flash"),
    ModelNode("lmChatGroq", "groq", "chat", (1,), "llama3-8b-8192"),
    ModelNode("lmChatMistralCloud", "mistral", "chat", (1,), "mistral-small"),
    ModelNode("lmChatOpenRouter", "openrouter", "chat", (1,), "openai/gpt-4.1-mini"),
    ModelNode("lmChatDeepSeek", "deepseek", "chat", (1,), "deepseek-chat"),
    ModelNode("lmChatXAiGrok", "xai", "chat", (1,), "grok-2-vision-1212"),
    ModelNode("lmChatAwsBedrock", "bedrock", "chat", (1, 1.1), "anthropic.claude-3-haiku-20240307-v1:0"),
    ModelNode("lmChatVercelAiGateway", "vercel", "chat", (1,), "openai/gpt-4o-mini"),
    ModelNode("lmChatCohere", "cohere", "chat", (1,), "command-r"),
    ModelNode("lmChatGooglePalm", "google_palm", "chat", (1,), "chat-bison-001"),
    # text completion (LLM) models: Ollama's /api/generate
    ModelNode("lmOpenAi", "openai", "generate", (1,), "gpt-3.5-turbo-instruct"),
    ModelNode("lmCohere", "cohere", "generate", (1,), "command"),
    ModelNode("lmOpenHuggingFaceInference", "huggingface", "generate", (1,), "gpt2"),
    ModelNode("lmGooglePalm", "google_palm", "generate", (1,), "text-bison-001"),
    # embeddings
    ModelNode("embeddingsOpenAi", "openai", "embed", (1, 1.1, 1.2), "text-embedding-3-small"),
    ModelNode("embeddingsAzureOpenAi", "azure_openai", "embed", (1,), "text-embedding-3-small"),
    ModelNode("embeddingsGoogleGemini", "google_gemini", "embed", (1,), "text-embedding-004"),
    ModelNode("embeddingsGoogleVertex", "google_vertex", "embed", (1,), "text-embedding-005"),
    ModelNode("embeddingsGooglePalm", "google_palm", "embed", (1,), "embedding-gecko-001"),
    ModelNode("embeddingsMistralCloud", "mistral", "embed", (1,), "mistral-embed"),
    ModelNode("embeddingsCohere", "cohere", "embed", (1,), "embed-english-v2.0"),
    ModelNode("embeddingsHuggingFaceInference", "huggingface", "embed", (1,),
              "sentence-transformers/distilbert-base-nli-mean-tokens"),
    ModelNode("embeddingsAwsBedrock", "bedrock", "embed", (1,), "amazon.titan-embed-text-v2:0"),
)
# fmt: on

MODEL_NODES: Mapping[str, ModelNode] = {node.type: node for node in _NODES}

# Nodes that are their own model (no model sub-node): the OpenAI nodes.
OPENAI_NODE = LANGCHAIN + "openAi"
BASE_OPENAI_NODE = "n8n-nodes-base.openAi"
ASSISTANT_NODE = LANGCHAIN + "openAiAssistant"
SELF_MODEL_NODES: Mapping[str, ModelNode] = {
    OPENAI_NODE: ModelNode("openAi", "openai", "chat", (), "gpt-4o-mini", params=("modelId",)),
    BASE_OPENAI_NODE: ModelNode("openAi", "openai", "chat", (), "gpt-3.5-turbo", params=("model",)),
    # Its model only counts in mode "new"; an existing assistant is mapped by model_aliases.assistants.
    ASSISTANT_NODE: ModelNode(
        "openAiAssistant",
        "openai",
        "chat",
        (),
        "gpt-3.5-turbo-1106",
        params=("model",),
        unsupported={"nativeTools": "OpenAI's built-in tools (code interpreter, knowledge retrieval)"},
    ),
}


def is_assistant(node_type: str, params: Mapping[str, Any]) -> bool:
    """Whether the node runs an OpenAI assistant (OpenAI Assistant node, or OpenAI's assistant resource)."""
    return node_type == ASSISTANT_NODE or (node_type == OPENAI_NODE and params.get("resource") == "assistant")


def existing_assistant(node_type: str, params: Mapping[str, Any]) -> bool:
    """Whether the assistant node names an assistant stored on OpenAI (not one defined in the node)."""
    return node_type != ASSISTANT_NODE or params.get("mode", "existing") != "new"


def model_node(node_type: str) -> ModelNode | None:
    """The provider model node of `node_type`, or None."""
    return MODEL_NODES.get(node_type)


def self_model_node(node_type: str) -> ModelNode | None:
    """The model description of a node that names its own provider model (the OpenAI nodes)."""
    return SELF_MODEL_NODES.get(node_type)


def model_parameter(spec: ModelNode, params: Mapping[str, Any]) -> tuple[str, Any]:
    """(parameter name, raw value) of the node's model; the default when the node has none.

    The value is a plain string, a resource locator `{__rl: true, value, mode}` or an expression.
    """
    for name in spec.params:
        if name in params and params[name] not in (None, ""):
            return name, params[name]
    return spec.params[0], spec.default_model


def model_name(value: Any) -> str:
    """The provider model named by an evaluated parameter value (`models/` prefix dropped)."""
    if isinstance(value, dict):
        value = value.get("value", "")
    text = str(value or "").strip()
    return text.removeprefix("models/")


def is_expression(value: Any) -> bool:
    """Whether a raw parameter value is an n8n expression (resolved at run time)."""
    if isinstance(value, dict):
        value = value.get("value")
    return isinstance(value, str) and value.startswith("=")


@dataclass
class TranslatedOptions:
    """A provider node's options in Ollama terms."""

    options: dict[str, Any] = field(default_factory=dict)
    # "json", a JSON schema, or None (plain text).
    format: Any = None
    timeout_s: float | None = None
    # Option name → why it was dropped.
    dropped: dict[str, str] = field(default_factory=dict)


def _stop_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v)]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _text_format(value: Any) -> Any:
    """lmChatOpenAi 1.3's `textFormat.textOptions[0]`: json_object → "json", json_schema → schema."""
    options = value.get("textOptions") if isinstance(value, dict) else None
    first = options[0] if isinstance(options, list) and options else options
    if not isinstance(first, dict):
        return None
    kind = first.get("type")
    if kind == "json_object":
        return "json"
    if kind == "json_schema":
        schema = first.get("schema")
        if isinstance(schema, str):
            try:
                return json.loads(schema)
            except json.JSONDecodeError:
                return "json"
        return schema if isinstance(schema, dict) else "json"
    return None


def translate_options(options: Mapping[str, Any]) -> TranslatedOptions:
    """Ollama options, output format and timeout of a provider node's `options` collection."""
    result = TranslatedOptions()
    for name, value in options.items():
        if value is None or value == "" or (name in _UNSET and value == _UNSET[name]) or name in _HANDLED:
            continue
        if name in _SAME_MEANING:
            key = _SAME_MEANING[name]
            result.options[key] = _stop_list(value) if key == "stop" else value
        elif name == "responseFormat":
            result.format = "json" if value in ("json_object", "json") else None
        elif name == "textFormat":
            result.format = _text_format(value)
        elif name == "format":
            result.format = "json" if value == "json" else None
        elif name == "timeout":
            # n8n's timeout is in milliseconds.
            if isinstance(value, int | float) and value > 0:
                result.timeout_s = value / 1000
        else:
            result.dropped[name] = _DROPPED_WHY.get(name, "no Ollama equivalent")
    return result


__all__ = [
    "ASSISTANT_NODE",
    "BASE_OPENAI_NODE",
    "MODEL_NODES",
    "OPENAI_NODE",
    "SELF_MODEL_NODES",
    "self_model_node",
    "ModelNode",
    "TranslatedOptions",
    "existing_assistant",
    "is_assistant",
    "is_expression",
    "model_name",
    "model_node",
    "model_parameter",
    "translate_options",
]
