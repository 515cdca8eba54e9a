"""Documents of n8n's Simple Vector Store (``vectorStoreInMemory``), kept across executions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hive_core.db.base import Base, JSONType, UTCDateTime, UUIDPrimaryKey, utcnow

# Long enough for an n8n workflow id or name and for a memory key built by an expression.
STORE_KEY_LENGTH = 255


class VectorStoreDocument(UUIDPrimaryKey, Base):
    """One embedded document (a chunk of text) of a store.

    A store is scoped to a workflow (``workflow_key``) and n8n's ``memoryKey``, as n8n
    prefixes the memory key with the workflow id. ``position`` keeps insertion order (ties
    in similarity are returned oldest first, as LangChain's memory store does) and, being
    unique per store, makes two writers racing on one store fail loudly. ``batch_key``
    names the insert that wrote the row, so a retried insert is not stored twice.
    """

    __tablename__ = "vector_store_documents"
    __table_args__ = (
        UniqueConstraint("workflow_key", "memory_key", "position"),
        Index("ix_vector_store_documents_batch", "workflow_key", "memory_key", "batch_key"),
    )

    workflow_key: Mapped[str] = mapped_column(String(STORE_KEY_LENGTH))
    memory_key: Mapped[str] = mapped_column(String(STORE_KEY_LENGTH))
    position: Mapped[int]
    batch_key: Mapped[str] = mapped_column(String(STORE_KEY_LENGTH))
    content: Mapped[str] = mapped_column(Text)
    # LangChain's document metadata (source, line, loc, user metadata): open-ended, hence JSON.
    document_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", JSONType, default=dict)
    # The embedding as returned by the model (Ollama normalises it; cosine does not rely on that).
    embedding: Mapped[list[float]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["STORE_KEY_LENGTH", "VectorStoreDocument"]
