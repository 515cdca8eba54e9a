"""Conversation memory of n8n AI nodes (Window Buffer Memory), kept across executions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hive_core.db.base import Base, UTCDateTime, UUIDPrimaryKey, utcnow

# Long enough for an n8n workflow id or name and for a session key built by an expression.
MEMORY_KEY_LENGTH = 255


class ChatMemoryMessage(UUIDPrimaryKey, Base):
    """One message of a chat session, in the order it was said.

    A session is scoped to a workflow (``workflow_key``) and a session key (n8n's
    ``sessionId`` or a custom key). ``position`` orders the messages of one session;
    the unique constraint makes two writers racing on a session fail loudly instead
    of interleaving silently. Append-only, so ``created_at`` is its only time.
    """

    __tablename__ = "chat_memory"
    __table_args__ = (UniqueConstraint("workflow_key", "session_key", "position"),)

    workflow_key: Mapped[str] = mapped_column(String(MEMORY_KEY_LENGTH))
    session_key: Mapped[str] = mapped_column(String(MEMORY_KEY_LENGTH))
    position: Mapped[int]
    # "human", "ai" or "system", as LangChain's message types are named in n8n.
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Which write added the message (run, node, item): a retried write adds nothing twice.
    write_id: Mapped[str | None] = mapped_column(String(512), index=True)


__all__ = ["MEMORY_KEY_LENGTH", "ChatMemoryMessage"]
