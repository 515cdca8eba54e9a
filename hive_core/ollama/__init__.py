"""Ollama: a typed async client and result assembly (the fake host for tests is `stand_ins.ollama`)."""

from hive_core.ollama.assemble import ChatAssembler, GenerateAssembler
from hive_core.ollama.client import OllamaClient
from hive_core.ollama.errors import ModelNotFoundError
from hive_core.ollama.types import (
    ChatMessage,
    ChatRequest,
    ChatResult,
    EmbedRequest,
    EmbedResult,
    GenerateRequest,
    GenerateResult,
    GenerationMetrics,
    ToolCall,
    ToolCallFunction,
)

__all__ = [
    "ChatAssembler",
    "ChatMessage",
    "ChatRequest",
    "ChatResult",
    "EmbedRequest",
    "EmbedResult",
    "GenerateAssembler",
    "GenerateRequest",
    "GenerateResult",
    "GenerationMetrics",
    "ModelNotFoundError",
    "OllamaClient",
    "ToolCall",
    "ToolCallFunction",
]
