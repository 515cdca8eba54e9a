"""Window Buffer Memory: the last k exchanges of a conversation, as chat messages.

n8n's BufferWindowMemory keeps `contextWindowLength` exchanges (a human message and the AI
reply each), i.e. the last 2·k messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from hive_core.ollama.types import ChatMessage

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


class StoredMessage(BaseModel):
    """A message as the memory store keeps it (LangChain's type names: human, ai, system)."""

    role: str
    content: str


def window(messages: Sequence[StoredMessage], length: int) -> list[StoredMessage]:
    """The last `length` exchanges of `messages` (none when `length` <= 0)."""
    if length <= 0:
        return []
    return list(messages[-2 * length :])


def as_chat(messages: Sequence[StoredMessage]) -> list[ChatMessage]:
    """Stored messages as Ollama chat messages."""
    return [ChatMessage(role=_ROLES.get(m.role, "user"), content=m.content) for m in messages]


def exchange(prompt: str, answer: str) -> list[StoredMessage]:
    """One turn to append: the user's prompt and the model's answer."""
    return [StoredMessage(role="human", content=prompt), StoredMessage(role="ai", content=answer)]


__all__ = ["StoredMessage", "as_chat", "exchange", "window"]
